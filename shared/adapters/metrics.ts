import type { Metrics } from '../ports.js';

/**
 * CloudWatch metrics through the embedded metric format: one structured log line per count, which Lambda's log
 * delivery turns into a metric without an API call (and without a PutMetricData grant).
 */
export function createEmfMetrics(namespace: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Metrics {
  return {
    count(name, value, dimensions = {}) {
      write(
        JSON.stringify({
          _aws: {
            Timestamp: Date.now(),
            CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: 'Count' }] }],
          },
          ...dimensions,
          [name]: value,
        }),
      );
    },
  };
}

/** Local runtime: counts as log lines, only when something happened. */
export function createLogMetrics(log: (line: string) => void): Metrics {
  return {
    count(name, value) {
      if (value > 0) log(`metric ${name} ${value}`);
    },
  };
}
