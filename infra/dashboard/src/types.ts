/**
 * The shapes the read API answers with (shared/api/read-api.ts). Types only: the bundle never imports server code.
 */
export type { Incident, JobFailureSummary } from '../../../shared/domain/incident.js';
export type { TimelineEntry } from '../../../shared/api/timeline.js';
export type { IncidentListItem } from '../../../shared/api/list-item.js';
export type { MetricsSummary, DailyMetrics } from '../../../shared/api/summary.js';
export type { ExperimentReport } from '../../../shared/experiments/report.js';
export type { Experiment } from '../../../shared/experiments/definition.js';
export type { KnowledgeEntry } from '../../../shared/knowledge/entry.js';
export type { LearnedScope } from '../../../shared/knowledge/scope.js';
