import { appendFileSync } from 'node:fs';
import type { MetricUnit, Metrics } from '../ports.js';
import { DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE } from './metric-names.js';

/** One EMF record: what CloudWatch reads from a Lambda's stdout, and what the local runtime turns into Prometheus text. */
export interface EmfRecord {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit?: string }> }> };
  [key: string]: unknown;
}

/** The EMF unit of each {@link MetricUnit}, as Powertools Metrics names it (`MetricUnit.NoUnit` is `None`). */
const EMF_UNITS: Readonly<Record<MetricUnit, string>> = { Count: 'Count', Seconds: 'Seconds', None: 'None' };

/**
 * The EMF record of one data point, exactly as Powertools Metrics (`@aws-lambda-powertools/metrics` 2.35, the format
 * the stages wrote through it until session 70) serializes a metric added with its dimensions beside its `service`
 * default dimension, at standard resolution: `service` first in the one dimension set, then the point's dimensions in
 * their order, then the value under the metric's name. test/unit/adapters/emf-metrics.test.ts compares the two on
 * every metric and dimension the stages emit. Written here rather than through that class: its stores, validation and
 * flushing (≈11.7 KB of each of the seven functions that count) served a record per point that this builds directly.
 * `dimensions` are non-empty strings by the metric's name (the adapter leaves the empty ones out, as Powertools skips
 * them with a warning).
 */
export function emfRecord(namespace: string, service: string, name: string, unit: MetricUnit, value: number, dimensions: Readonly<Record<string, string>>, at: number): EmfRecord {
  const keys = [...new Set(['service', ...Object.keys(dimensions)])];
  return {
    _aws: { Timestamp: at, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [keys], Metrics: [{ Name: name, Unit: EMF_UNITS[unit] }] }] },
    service,
    ...dimensions,
    [name]: value,
  };
}

/**
 * Metrics as EMF, one record per data point ({@link emfRecord}): each point has its own dimensions (category, action
 * kind), and nothing waits for a flush that a step throwing first would skip. `write` receives the JSON line: stdout in
 * Lambda (CloudWatch extracts the metrics, no PutMetricData call or grant), a file locally.
 */
export function createEmfMetrics(options: { namespace?: string; serviceName?: string; write?: (line: string) => void } = {}): Metrics {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const namespace = options.namespace ?? METRICS_NAMESPACE;
  const service = options.serviceName ?? DEFAULT_METRICS_SERVICE;
  const emit = (name: string, unit: MetricUnit, value: number, dimensions: Record<string, string>) => {
    if (!Number.isFinite(value)) return;
    const given = Object.fromEntries(Object.entries(dimensions).filter(([, dimension]) => dimension));
    write(JSON.stringify(emfRecord(namespace, service, name, unit, value, given, Date.now())));
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
