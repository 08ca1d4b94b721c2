import * as z from '../zod.js';
import type { AlarmDetails } from './incident.js';
import type { AlarmEvent } from './trigger.js';

/**
 * What the alarm actually evaluates, read from the event's `configuration.metrics` and `state.reasonData`
 * (shapes as in the CloudWatch "Alarm events and EventBridge" examples): a metric-math alarm is described by
 * its returned expression and inputs, not by its first input metric; a composite by its rule and the children
 * that fired; an anomaly alarm by its band.
 */

const metricStatSchema = z.object({
  metric: z.object({
    namespace: z.optional(z.string().check(z.maxLength(255))),
    name: z.optional(z.string().check(z.maxLength(255))),
    dimensions: z.optional(z.record(z.string().check(z.maxLength(255)), z.string().check(z.maxLength(1024)))),
  }),
  period: z.optional(z.number()),
  stat: z.optional(z.string().check(z.maxLength(100))),
});
const metricQuerySchema = z.object({
  id: z.optional(z.string().check(z.maxLength(255))),
  expression: z.optional(z.string().check(z.maxLength(2048))),
  label: z.optional(z.string().check(z.maxLength(1024))),
  metricStat: z.optional(metricStatSchema),
  returnData: z.optional(z.boolean()),
});
type MetricQuery = z.infer<typeof metricQuerySchema>;

const reasonDataSchema = z.object({
  statistic: z.optional(z.string().check(z.maxLength(100))),
  period: z.optional(z.number()),
  threshold: z.optional(z.number()),
  recentDatapoints: z.optional(z.array(z.number()).check(z.maxLength(100))),
  recentLowerThresholds: z.optional(z.array(z.number()).check(z.maxLength(100))),
  recentUpperThresholds: z.optional(z.array(z.number()).check(z.maxLength(100))),
  triggeringAlarms: z.optional(
    z
      .array(z.object({ arn: z.string().check(z.maxLength(2048)), state: z.optional(z.partial(z.object({ value: z.string().check(z.maxLength(40)) }))) }))
      .check(z.maxLength(100)),
  ),
});

/** reasonData is a JSON string inside the event: untrusted, parsed leniently (anything odd is simply not shown). */
function reasonData(event: AlarmEvent): z.infer<typeof reasonDataSchema> {
  const raw = event.detail.state.reasonData;
  if (!raw) return {};
  try {
    const parsed = reasonDataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function queries(event: AlarmEvent): MetricQuery[] {
  return (event.detail.configuration?.metrics ?? []).flatMap((entry) => {
    const parsed = metricQuerySchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

export function describeMetric(query: MetricQuery): string {
  const stat = query.metricStat;
  if (!stat) return query.expression ? `${query.id ?? 'expr'} = ${query.expression}` : (query.id ?? 'metric');
  const dims = Object.entries(stat.metric.dimensions ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return [stat.metric.namespace, stat.metric.name, dims, [stat.stat, stat.period ? `${stat.period}s` : null].filter(Boolean).join('/')]
    .filter((part) => part)
    .join(' ');
}

/** The alarm name from an alarm ARN (`arn:aws:cloudwatch:r:a:alarm:NAME`); the ARN itself if it is not one. */
export function alarmNameFromArn(arn: string): string {
  const at = arn.indexOf(':alarm:');
  return at >= 0 ? arn.slice(at + ':alarm:'.length) : arn;
}

/** The alarm fields derived from its configuration and reasonData (the rest comes from the event's top level). */
export function alarmShape(event: AlarmEvent): Pick<
  AlarmDetails,
  'kind' | 'metric' | 'namespace' | 'threshold' | 'expression' | 'inputs' | 'rule' | 'children' | 'band' | 'datapoints' | 'period' | 'statistic' | 'description'
> {
  const data = reasonData(event);
  const config = event.detail.configuration as { alarmRule?: unknown; description?: string | null } | undefined;
  const all = queries(event);
  const rule = typeof config?.alarmRule === 'string' ? config.alarmRule.slice(0, 2048) : null;
  const common = {
    description: config?.description ?? null,
    datapoints: data.recentDatapoints ?? [],
    period: data.period ?? null,
    statistic: data.statistic ?? null,
  };
  if (rule !== null) {
    return {
      ...common,
      kind: 'composite',
      metric: null,
      namespace: null,
      threshold: null,
      expression: null,
      inputs: [],
      rule,
      children: (data.triggeringAlarms ?? []).filter((a) => !a.state?.value || a.state.value === 'ALARM').map((a) => alarmNameFromArn(a.arn)),
      band: null,
    };
  }
  const returned = all.filter((q) => q.returnData !== false);
  const band = returned.find((q) => q.expression && /ANOMALY_DETECTION_BAND/i.test(q.expression));
  const evaluated = returned.find((q) => q !== band) ?? all[0];
  const lower = data.recentLowerThresholds?.at(-1);
  const upper = data.recentUpperThresholds?.at(-1);
  const thresholdFromReason = /threshold \((-?\d+(?:\.\d+)?(?:E-?\d+)?)\)/.exec(event.detail.state.reason)?.[1];
  const threshold = data.threshold ?? (thresholdFromReason ? Number(thresholdFromReason) : null);
  if (band) {
    return {
      ...common,
      kind: 'anomaly',
      metric: evaluated?.metricStat?.metric.name ?? null,
      namespace: evaluated?.metricStat?.metric.namespace ?? null,
      threshold: null,
      expression: `${band.id ?? 'band'} = ${band.expression}`,
      inputs: evaluated ? [describeMetric(evaluated)] : [],
      rule: null,
      children: [],
      band: lower !== undefined && upper !== undefined ? { lower, upper } : null,
    };
  }
  if (evaluated?.expression) {
    // A metric-math alarm: the threshold applies to the expression, and its inputs are the other queries.
    return {
      ...common,
      kind: 'math',
      metric: evaluated.label ?? evaluated.id ?? 'expression',
      namespace: null,
      threshold,
      expression: `${evaluated.id ?? 'expr'} = ${evaluated.expression}`,
      inputs: all.filter((q) => q !== evaluated).map(describeMetric),
      rule: null,
      children: [],
      band: null,
    };
  }
  return {
    ...common,
    kind: 'metric',
    metric: evaluated?.metricStat?.metric.name ?? null,
    namespace: evaluated?.metricStat?.metric.namespace ?? null,
    threshold,
    expression: null,
    inputs: evaluated ? [describeMetric(evaluated)] : [],
    rule: null,
    children: [],
    band: null,
  };
}
