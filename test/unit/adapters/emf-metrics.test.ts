import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { createMetrics, useLocalAdapters } from '../../../shared/runtime/deps.js';
import { LOCAL_ADAPTERS } from '../../../shared/runtime/local-adapters.js';
import { METRIC } from '../../../shared/adapters/metric-names.js';
import { type EmfRecord, createEmfMetrics } from '../../../shared/adapters/metrics.js';
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

describe('EMF metrics from the stages (Powertools Metrics)', () => {
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
