import { appendFileSync } from 'node:fs';
import { Metrics as PowertoolsMetrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit, Metrics } from '../ports.js';
import { DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE } from './metric-names.js';

const UNITS: Record<MetricUnit, (typeof PowertoolsUnit)[keyof typeof PowertoolsUnit]> = { Count: PowertoolsUnit.Count, Seconds: PowertoolsUnit.Seconds, None: PowertoolsUnit.NoUnit };

/** One EMF record: what CloudWatch reads from a Lambda's stdout, and what the local runtime turns into Prometheus text. */
export interface EmfRecord {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit?: string }> }> };
  [key: string]: unknown;
}

/**
 * Powertools Metrics, one EMF record per data point. Each point is serialized and cleared at once, because its
 * dimensions (category, action kind) differ from the next one's and Powertools keeps one dimension set per flush;
 * that also means nothing is lost when a step throws before a handler-level flush. `write` receives the JSON line:
 * stdout in Lambda (CloudWatch extracts the metrics, no PutMetricData call or grant), a file locally.
 */
export function createEmfMetrics(options: { namespace?: string; serviceName?: string; write?: (line: string) => void } = {}): Metrics {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const metrics = new PowertoolsMetrics({ namespace: options.namespace ?? METRICS_NAMESPACE, serviceName: options.serviceName ?? DEFAULT_METRICS_SERVICE });
  const emit = (name: string, unit: MetricUnit, value: number, dimensions: Record<string, string>) => {
    if (!Number.isFinite(value)) return;
    for (const [key, dimension] of Object.entries(dimensions)) if (dimension) metrics.addDimension(key, dimension);
    metrics.addMetric(name, UNITS[unit], value);
    const record = metrics.serializeMetrics();
    metrics.clearMetrics();
    metrics.clearDimensions();
    write(JSON.stringify(record));
  };
  return {
    count(name, value, dimensions = {}) {
      emit(name, 'Count', value, dimensions);
    },
    measure(name, unit, value, dimensions = {}) {
      emit(name, unit, value, dimensions);
    },
  };
}

/** The local runtime's EMF sink: records appended to a JSON-lines file that `GET /metrics/prometheus` reads. */
export function emfFileWriter(path: string): (line: string) => void {
  return (line) => appendFileSync(path, `${line}\n`);
}

/** Metrics for code paths that have nowhere to send them (unit tests of unrelated steps). */
export const noMetrics: Metrics = { count() {}, measure() {} };
