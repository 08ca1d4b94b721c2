import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metrics as PowertoolsMetrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { createMetrics, useLocalAdapters } from '../../../shared/runtime/deps.js';
import { LOCAL_ADAPTERS } from '../../../shared/runtime/local-adapters.js';
import { DEFAULT_METRICS_SERVICE, METRIC, METRICS_NAMESPACE, RECONCILER_METRIC } from '../../../shared/adapters/metric-names.js';
import { type EmfRecord, createEmfMetrics, emfRecord } from '../../../shared/adapters/metrics.js';
import { EmfAggregate } from '../../../shared/adapters/prometheus.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

/** The EMF lines a stage wrote, parsed: exactly what CloudWatch would read from the function's stdout. */
function emfCapture() {
  const lines: string[] = [];
  const metrics = createEmfMetrics({ write: (line) => lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as EmfRecord);
  const find = (name: string) => records().filter((r) => r._aws.CloudWatchMetrics[0]?.Metrics.some((m) => m.Name === name));
  return { metrics, lines, records, find };
}

const trigger = () => triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'delivery-1');

/**
 * The record Powertools Metrics 2.35 serializes for one point (the stages wrote theirs through it until session 70):
 * the `service` default dimension, the point's dimensions, the metric at standard resolution, then serialized and
 * cleared as the adapter did.
 */
function powertoolsRecord(service: string, name: string, unit: keyof typeof POWERTOOLS_UNITS, value: number, dimensions: Record<string, string>, at: number): unknown {
  const metrics = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  for (const [key, dimension] of Object.entries(dimensions)) metrics.addDimension(key, dimension);
  metrics.addMetric(name, POWERTOOLS_UNITS[unit], value);
  metrics.setTimestamp(at);
  return JSON.parse(JSON.stringify(metrics.serializeMetrics()));
}

const POWERTOOLS_UNITS = { Count: PowertoolsUnit.Count, Seconds: PowertoolsUnit.Seconds, None: PowertoolsUnit.NoUnit };

describe('the EMF record of a point, as Powertools Metrics writes it', () => {
  // Every metric a stage emits, with the dimensions it is emitted with (none, one, two), and a stack's own service.
  const points: Array<[string, keyof typeof POWERTOOLS_UNITS, number, Record<string, string>]> = [
    ...Object.values(METRIC).map((name): [string, 'Count', number, Record<string, string>] => [name, 'Count', 3, {}]),
    ...Object.values(RECONCILER_METRIC).map((name): [string, 'Count', number, Record<string, string>] => [name, 'Count', 0, {}]),
    [METRIC.incidents, 'Count', 1, { source: 'github', category: 'test_failure' }],
    [METRIC.timeToRecovery, 'Seconds', 90.5, { source: 'cloudwatch' }],
    [METRIC.timeToFirstComment, 'Seconds', 12, { source: 'github' }],
    [METRIC.actionsAttempted, 'Count', 1, { kind: 'rerun_failed_jobs' }],
    [METRIC.llmCostUsd, 'None', 0.0042, { provider: 'bedrock' }],
    [METRIC.gateRunsUnverified, 'Count', 1, { reason: 'default branch unread' }],
  ];

  it('is the same JSON, key for key and in the same order, for every metric and dimension the stages emit', () => {
    const at = Date.now();
    for (const service of [DEFAULT_METRICS_SERVICE, 'pipeline-guard-PipelineGuard-staging']) {
      for (const [name, unit, value, dimensions] of points) {
        const ours = JSON.stringify(emfRecord(METRICS_NAMESPACE, service, name, unit, value, dimensions, at));
        expect(ours).toBe(JSON.stringify(powertoolsRecord(service, name, unit, value, dimensions, at)));
      }
    }
  });
});

describe('EMF metrics from the stages', () => {
  it('writes one valid EMF record per data point, with its own dimensions', () => {
    const { metrics, records } = emfCapture();

    metrics.count(METRIC.incidents, 1, { source: 'github', category: 'network' });
    metrics.measure(METRIC.timeToRecovery, 'Seconds', 90, { source: 'cloudwatch' });

    const [first, second] = records();
    expect(first?._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'PipelineGuard', Dimensions: [['service', 'source', 'category']], Metrics: [{ Name: 'Incidents', Unit: 'Count' }] },
    ]);
    expect(first).toMatchObject({ service: 'pipeline-guard', source: 'github', category: 'network', Incidents: 1 });
    expect(second?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'source']]);
    expect(second).toMatchObject({ source: 'cloudwatch', TimeToRecovery: 90 });
    expect(second).not.toHaveProperty('category');
  });

  it("tags every record with the configured service, a stack's own in AWS", () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-emf-'));
    // METRICS_EMF_PATH names the local runtime's file sink, which the runtime hands to the composition root.
    const stopLocalAdapters = useLocalAdapters(LOCAL_ADAPTERS);
    try {
      const path = join(dir, 'metrics.emf.jsonl');
      createMetrics(loadConfig({ POWERTOOLS_SERVICE_NAME: 'pipeline-guard-PipelineGuard-staging', METRICS_EMF_PATH: path })).count(METRIC.escalations, 1);
      createMetrics(loadConfig({ METRICS_EMF_PATH: path })).count(METRIC.escalations, 1);

      const records = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as EmfRecord);
      expect(records.map((r) => r.service)).toEqual(['pipeline-guard-PipelineGuard-staging', 'pipeline-guard']);
    } finally {
      stopLocalAdapters();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('classify counts the incident by source and category', async () => {
    const emf = emfCapture();
    const { deps } = stepDeps({ metrics: emf.metrics });

    const result = await classifyStep({ trigger: trigger() }, deps);

    expect(emf.find('Incidents')).toEqual([expect.objectContaining({ Incidents: 1, source: 'github', category: result.category })]);
  });

  it('analyze reports model tokens and cost by provider', async () => {
    const emf = emfCapture();
    const { deps } = stepDeps({ metrics: emf.metrics, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only', confidence: 0.7 }) });
    const t = trigger();
    await deps.incidents.create(newIncident({ ...githubIncidentFields(t, deps.clock()), category: 'network', failureLines: [{ line: 1, text: 'npm ERR! network' }] }, deps.clock()), githubIncidentScope(t));

    await analyzeStep({ trigger: t }, deps);

    const stored = (await deps.incidents.get(t.incidentId))?.analysis?.cost;
    expect(emf.find('LlmInputTokens')).toEqual([expect.objectContaining({ provider: 'scripted', LlmInputTokens: stored?.inputTokens })]);
    expect(emf.find('LlmOutputTokens')).toHaveLength(1);
  });

  it('remediate counts an automatic action attempted and succeeded by kind; notify measures the first comment once and counts escalations', async () => {
    const emf = emfCapture();
    const github = createFakeGitHub();
    const { deps } = stepDeps({ metrics: emf.metrics, github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'rerun_failed_jobs', confidence: 0.9 }) });
    const t = trigger();
    await deps.incidents.create(newIncident({ ...githubIncidentFields(t, deps.clock()), category: 'network', fingerprint: 'fp-1', failureLines: [{ line: 1, text: 'npm ERR! network ETIMEDOUT' }] }, deps.clock()), githubIncidentScope(t));
    await analyzeStep({ trigger: t }, deps);

    await remediateStep({ trigger: t }, deps);
    await notifyStep({ trigger: t }, deps);
    await notifyStep({ trigger: t }, deps);

    expect((await deps.incidents.get(t.incidentId))?.decision).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(emf.find('ActionsAttempted')).toEqual([expect.objectContaining({ kind: 'rerun_failed_jobs', ActionsAttempted: 1 })]);
    expect(emf.find('ActionsSucceeded')).toEqual([expect.objectContaining({ kind: 'rerun_failed_jobs', ActionsSucceeded: 1 })]);
    // Two notify runs, one first comment: the second run's update is not measured again.
    expect(emf.find('TimeToFirstComment')).toEqual([expect.objectContaining({ source: 'github', TimeToFirstComment: expect.any(Number) })]);
  });
});

describe('Prometheus text from EMF records', () => {
  it('sums counts into counters and measured values into summaries, named pipeline_guard_*', () => {
    const emf = emfCapture();
    emf.metrics.count(METRIC.incidents, 1, { source: 'github', category: 'network' });
    emf.metrics.count(METRIC.incidents, 1, { source: 'github', category: 'network' });
    emf.metrics.count(METRIC.incidents, 1, { source: 'cloudwatch', category: 'infrastructure' });
    emf.metrics.measure(METRIC.timeToRecovery, 'Seconds', 30);
    emf.metrics.measure(METRIC.timeToRecovery, 'Seconds', 90);
    const aggregate = new EmfAggregate();

    for (const record of emf.records()) aggregate.add(record);
    const text = aggregate.render();

    expect(text).toContain('# TYPE pipeline_guard_incidents_total counter');
    expect(text).toContain('pipeline_guard_incidents_total{category="network",source="github"} 2');
    expect(text).toContain('pipeline_guard_incidents_total{category="infrastructure",source="cloudwatch"} 1');
    expect(text).toContain('# TYPE pipeline_guard_time_to_recovery_seconds summary');
    expect(text).toContain('pipeline_guard_time_to_recovery_seconds_sum 120');
    expect(text).toContain('pipeline_guard_time_to_recovery_seconds_count 2');
    expect(text).not.toContain('service=');
  });
});
