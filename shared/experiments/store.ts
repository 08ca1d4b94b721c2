import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { firstIssue } from '../validation.js';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readItems } from '../stores/dynamo.js';
import type { RemediationAction } from '../domain/incident.js';
import { ExperimentExistsError, ExperimentNotFoundError, ExperimentStateError, ValidationError } from '../errors.js';
import type { Category } from '../logs/types.js';
import { type Experiment, VARIANT_COUNTERS, type VariantCounterName, type VariantCounters, experimentInputSchema } from './definition.js';
import { type VariantParams, storedParams } from './params.js';

/**
 * Layout in the experiments table:
 * - `EXPERIMENTS` / `EXP#<id>`: definitions, in one partition so "which experiments are running" is one query;
 * - `EXPERIMENT#<id>` / `VARIANT#<name>`: per-variant counters, changed only with `ADD`;
 * - `POLICY` / `DEFAULT` | `CATEGORY#<c>` | `FINGERPRINT#<f>`: promoted winners, read by knowledge lookup.
 */
const DEFINITIONS_PK = 'EXPERIMENTS';
const POLICY_PK = 'POLICY';
/** Definitions read per lookup; experiments are few and hand-made. */
const MAX_EXPERIMENTS = 100;

export { ExperimentExistsError, ExperimentNotFoundError, ExperimentStateError } from '../errors.js';

export interface PolicyOverride {
  action: RemediationAction;
  params: VariantParams;
  experimentId: string;
  variant: string;
  promotedAt: string;
  scope: string;
}

export interface ExperimentStore {
  create(input: unknown, at: Date): Promise<Experiment>;
  get(id: string): Promise<Experiment | null>;
  list(): Promise<Experiment[]>;
  counters(id: string): Promise<VariantCounters[]>;
  recordAttempt(id: string, variant: string): Promise<void>;
  recordSuccess(id: string, variant: string): Promise<void>;
  /** Adds to a variant's cost and time counters (one `ADD` per call; the caller claims the event once). */
  addCounters(id: string, variant: string, values: Partial<Record<VariantCounterName, number>>): Promise<void>;
  /** Ends the experiment with `variant` as the default policy for what it covered. Only from `running`/`stopped`. */
  promote(id: string, variant: string, at: Date): Promise<Experiment>;
  stop(id: string, at: Date): Promise<Experiment>;
  /** The most specific promoted policy for an incident: fingerprint, then category, then the global default. */
  policyFor(category: Category | null, fingerprint: string | null): Promise<PolicyOverride | null>;
}

/** Validates an experiment definition (CLI, API), naming the first bad field. */
export function parseExperimentInput(input: unknown): ReturnType<typeof experimentInputSchema.parse> {
  const parsed = experimentInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(`invalid experiment at ${firstIssue(parsed.error)}`);
  }
  return parsed.data;
}

function toExperiment(item: Record<string, unknown>): Experiment {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Experiment;
}

export function createExperimentStore(options: { client: DynamoDBDocumentClient; tableName: string }): ExperimentStore {
  const { client, tableName } = options;
  const definitionKey = (id: string) => ({ pk: DEFINITIONS_PK, sk: `EXP#${id}` });
  const variantKey = (id: string, variant: string) => ({ pk: `EXPERIMENT#${id}`, sk: `VARIANT#${variant}` });

  async function add(id: string, variant: string, attribute: 'attempts' | 'successes') {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: variantKey(id, variant),
        UpdateExpression: 'ADD #counter :one SET experimentId = :id, variant = :variant',
        ExpressionAttributeNames: { '#counter': attribute },
        ExpressionAttributeValues: { ':one': 1, ':id': id, ':variant': variant },
      }),
    );
  }

  async function transition(id: string, fields: Record<string, unknown>, from: string[]): Promise<Experiment> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    const sets = Object.entries(fields).map(([key, value], i) => {
      names[`#f${i}`] = key;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    from.forEach((state, i) => (values[`:from${i}`] = state));
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: definitionKey(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toExperiment(response.Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await get(id);
      if (!current) throw new ExperimentNotFoundError(`experiment ${id} does not exist`);
      throw new ExperimentStateError(`experiment ${id} is ${current.status}`);
    }
  }

  async function get(id: string): Promise<Experiment | null> {
    const response = await client.send(new GetCommand({ TableName: tableName, Key: definitionKey(id), ConsistentRead: true }));
    return response.Item ? toExperiment(response.Item) : null;
  }

  return {
    async create(input, at) {
      const parsed = parseExperimentInput(input);
      const experiment: Experiment = {
        ...parsed,
        maxSamplePerVariant: parsed.maxSamplePerVariant ?? parsed.minSamplePerVariant * 10,
        status: 'running',
        createdAt: at.toISOString(),
        promotedVariant: null,
        promotedAt: null,
      };
      if (experiment.maxSamplePerVariant < experiment.minSamplePerVariant) {
        throw new ValidationError('invalid experiment at maxSamplePerVariant: must be at least minSamplePerVariant');
      }
      try {
        await client.send(
          new PutCommand({ TableName: tableName, Item: { ...definitionKey(experiment.id), ...experiment }, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new ExperimentExistsError(`experiment ${experiment.id} already exists`);
        throw error;
      }
      return experiment;
    },

    get,

    async list() {
      const response = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': DEFINITIONS_PK },
          Limit: MAX_EXPERIMENTS,
        }),
      );
      return (response.Items ?? []).map(toExperiment);
    },

    async counters(id) {
      const response = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `EXPERIMENT#${id}`, ':prefix': 'VARIANT#' },
          ConsistentRead: true,
        }),
      );
      return (response.Items ?? []).map((item) => ({
        name: String(item.variant),
        ...(Object.fromEntries(VARIANT_COUNTERS.map((counter) => [counter, Number(item[counter] ?? 0)])) as Record<VariantCounterName, number>),
      }));
    },

    recordAttempt: (id, variant) => add(id, variant, 'attempts'),
    recordSuccess: (id, variant) => add(id, variant, 'successes'),

    async addCounters(id, variant, values) {
      const entries = Object.entries(values).filter(([name, value]) => (VARIANT_COUNTERS as readonly string[]).includes(name) && Number.isFinite(value));
      if (entries.length === 0) return;
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: variantKey(id, variant),
          UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :v${i}`).join(', ')} SET experimentId = :id, variant = :variant`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
          ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])), ':id': id, ':variant': variant },
        }),
      );
    },

    async promote(id, variantName, at) {
      const experiment = await get(id);
      if (!experiment) throw new ExperimentNotFoundError(`experiment ${id} does not exist`);
      const variant = experiment.variants.find((v) => v.name === variantName);
      if (!variant) throw new ValidationError(`experiment ${id} has no variant ${variantName}`);
      const promoted = await transition(id, { status: 'promoted', promotedVariant: variant.name, promotedAt: at.toISOString() }, ['running', 'stopped']);
      const scopes = [
        ...experiment.fingerprints.map((f) => `FINGERPRINT#${f}`),
        ...experiment.categories.map((c) => `CATEGORY#${c}`),
      ];
      for (const scope of scopes.length > 0 ? scopes : ['DEFAULT']) {
        const override: PolicyOverride = { action: variant.action, params: variant.params, experimentId: id, variant: variant.name, promotedAt: at.toISOString(), scope };
        await client.send(new PutCommand({ TableName: tableName, Item: { pk: POLICY_PK, sk: scope, ...override } }));
      }
      return promoted;
    },

    stop: (id, at) => transition(id, { status: 'stopped', stoppedAt: at.toISOString() }, ['running']),

    async policyFor(category, fingerprint) {
      const scopes = [...(fingerprint ? [`FINGERPRINT#${fingerprint}`] : []), ...(category ? [`CATEGORY#${category}`] : []), 'DEFAULT'];
      const items = await readItems(client, tableName, scopes.map((sk) => ({ pk: POLICY_PK, sk })), { consistentRead: false });
      for (const scope of scopes) {
        const item = items.find((i) => i.sk === scope);
        if (item) return { action: item.action, params: storedParams(item.params), experimentId: item.experimentId, variant: item.variant, promotedAt: item.promotedAt, scope } as PolicyOverride;
      }
      return null;
    },
  };
}
