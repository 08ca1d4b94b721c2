import { open } from 'node:fs/promises';
import type { EmfRecord } from './metrics.js';

/** Prometheus metric names: `pipeline_guard_` + the EMF name in snake case (+ unit suffix, as Prometheus names them). */
export function prometheusName(emfName: string, unit: string | undefined): string {
  const snake = emfName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
  if (unit === 'Count') return `pipeline_guard_${snake}_total`;
  if (unit === 'Seconds') return `pipeline_guard_${snake}_seconds`;
  return `pipeline_guard_${snake}`;
}

interface Series {
  labels: Record<string, string>;
  sum: number;
  count: number;
}

interface Family {
  emfName: string;
  unit: string | undefined;
  series: Map<string, Series>;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Record<string, string>) => {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? `{${entries.map(([k, v]) => `${k.replace(/[^A-Za-z0-9_]/g, '_')}="${escapeLabel(v)}"`).join(',')}}` : '';
};

/**
 * Sums EMF records into Prometheus families: counts become counters (`…_total`), measured values (seconds, tokens,
 * cost) summaries with `_sum` and `_count`. The constant `service` dimension is left out of the labels.
 */
export class EmfAggregate {
  private readonly families = new Map<string, Family>();

  add(record: EmfRecord): void {
    for (const directive of record._aws?.CloudWatchMetrics ?? []) {
      const dimensions = (directive.Dimensions[0] ?? []).filter((d) => d !== 'service');
      const labels = Object.fromEntries(dimensions.map((d) => [d, String(record[d] ?? '')]));
      for (const metric of directive.Metrics) {
        const raw = record[metric.Name];
        const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        if (values.length === 0) continue;
        const name = prometheusName(metric.Name, metric.Unit);
        const family = this.families.get(name) ?? { emfName: metric.Name, unit: metric.Unit, series: new Map() };
        this.families.set(name, family);
        const key = labelText(labels);
        const series = family.series.get(key) ?? { labels, sum: 0, count: 0 };
        family.series.set(key, series);
        for (const value of values) {
          series.sum += value;
          series.count += 1;
        }
      }
    }
  }

  /** Text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of [...this.families].sort(([a], [b]) => a.localeCompare(b))) {
      const counter = family.unit === 'Count';
      lines.push(`# HELP ${name} Pipeline Guard ${family.emfName} (CloudWatch namespace PipelineGuard)`);
      lines.push(`# TYPE ${name} ${counter ? 'counter' : 'summary'}`);
      for (const series of family.series.values()) {
        const labels = labelText(series.labels);
        if (counter) lines.push(`${name}${labels} ${series.sum}`);
        else lines.push(`${name}_sum${labels} ${series.sum}`, `${name}_count${labels} ${series.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * Follows the local runtime's EMF file: each scrape reads only what was appended since the last one, so a long-lived
 * runtime does not re-read its history. Incomplete trailing lines wait for the next scrape.
 */
export function createEmfFileReader(path: string) {
  const aggregate = new EmfAggregate();
  let offset = 0;
  let pending = '';
  return async function scrape(): Promise<string> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return aggregate.render();
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        await handle.read(buffer, 0, buffer.length, offset);
        offset = size;
        const lines = (pending + buffer.toString('utf8')).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          try {
            aggregate.add(JSON.parse(line) as EmfRecord);
          } catch {
            // A torn line from a crash mid-write: skip it rather than fail every later scrape.
          }
        }
      }
    } finally {
      await handle.close();
    }
    return aggregate.render();
  };
}
