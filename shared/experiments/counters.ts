import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CountMark, countOnce, markClauses, noteRelease } from '../stores/count-marks.js';
import { updateExpression } from '../stores/dynamo.js';

/**
 * Per-variant counters, each changed only with `ADD`: assignments and successes (the metric), analyses with
 * their tokens and cost in micro-dollars (plus analyses by a model without a price), recoveries with their total
 * time to recovery.
 */
export const VARIANT_COUNTERS = [
  'attempts',
  'successes',
  'analyses',
  'inputTokens',
  'outputTokens',
  'costMicroUsd',
  'unpricedAnalyses',
  'recoveries',
  'ttrSecondsTotal',
] as const;
export type VariantCounterName = (typeof VARIANT_COUNTERS)[number];

export type VariantCounters = { name: string } & Partial<Record<VariantCounterName, number>> & { attempts: number; successes: number };

/** A variant's counter item in the experiments table (layout: shared/experiments/store.ts). */
export const variantKey = (id: string, variant: string) => ({ pk: `EXPERIMENT#${id}`, sk: `VARIANT#${variant}` });

/**
 * Adds to a variant's counters in one `ADD`; with `mark`, once per mark (shared/stores/count-marks.ts). Apart from
 * the experiment store (whose `addCounters` this is) so that the analyze stage, which counts an analysis's cost
 * and nothing else, does not bundle the store, its definitions' schemas and the learning loop around it.
 */
export async function addVariantCounters(
  client: DynamoDBDocumentClient,
  tableName: string,
  target: { id: string; variant: string },
  values: Partial<Record<VariantCounterName, number>>,
  mark?: CountMark,
): Promise<void> {
  const { id, variant } = target;
  const entries = Object.entries(values).filter(([name, value]) => (VARIANT_COUNTERS as readonly string[]).includes(name) && Number.isFinite(value));
  if (entries.length === 0) return;
  const marked = mark ? markClauses(mark) : null;
  await countOnce(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: variantKey(id, variant),
        UpdateExpression: updateExpression({ add: [...entries.map((_, i) => `#c${i} :v${i}`), ...(marked ? [marked.add] : [])], set: ['experimentId = :id', 'variant = :variant'], ...(marked ? { remove: [marked.remove] } : {}) }),
        ExpressionAttributeNames: { ...Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])), ...marked?.names },
        ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])), ':id': id, ':variant': variant, ...marked?.values },
        ...(marked ? { ConditionExpression: marked.condition } : {}),
      }),
    ),
  );
  noteRelease(mark, client, tableName, variantKey(id, variant));
}
