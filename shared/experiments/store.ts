import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { firstIssue } from '../validation.js';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { type CountMark, claimReadersName, countOnce, countThenFinish, endClaimReading, markClauses, marksOfClaim, noteRelease, recordCountedUnlessRead, releasableMarks, releaseOnceCounted } from '../stores/count-marks.js';
import { conditionalWrite, readItems, updateExpression } from '../stores/dynamo.js';
import { countedClaimValue, readClaimValue, type RemediationAction } from '../domain/incident.js';
import { ExperimentExistsError, ExperimentNotFoundError, ExperimentStateError, ValidationError } from '../errors.js';
import type { Category } from '../logs/types.js';
import { type Experiment, experimentInputSchema } from './definition.js';
import { VARIANT_COUNTERS, type VariantCounterName, type VariantCounters, addVariantCounters, variantKey } from './counters.js';
import { type VariantParams, storedParams } from './params.js';

/**
 * Layout in the experiments table:
 * - `EXPERIMENTS` / `EXP#<id>`: definitions, in one partition so "which experiments are running" is one query;
 * - `EXPERIMENT#<id>` / `VARIANT#<name>`: per-variant counters, changed only with `ADD`;
 * - `EXPERIMENT#<id>` / `UNIT#<hash of the assignment key>`: one per unit (a failing commit's attempts, an alarm
 *   incident), its variant and deadline, and when it succeeded: each unit is counted once, whatever the incidents
 *   and deliveries;
 * - `EXPERIMENT#<id>` / `OUTCOMES#<hour its units' deadlines end>#<variant>`: units and successes by deadline, so
 *   the report counts the outcomes that are final (`ADD` only);
 * - `POLICY` / `DEFAULT` | `CATEGORY#<c>` | `FINGERPRINT#<f>`: promoted winners, read by knowledge lookup;
 * - `EXPERIMENTS` / `~POLICIES`: put by a promotion before its policies, so the definitions' query says that policies
 *   may be stored whatever became of the promoted definitions (see {@link AssignableExperiments}).
 */
const DEFINITIONS_PK = 'EXPERIMENTS';
/** The mark of a promotion in the definitions' partition; `~` sorts it after every `EXP#` definition. */
const POLICIES_MARK = { pk: DEFINITIONS_PK, sk: '~POLICIES' };
const POLICY_PK = 'POLICY';
const OUTCOMES_PREFIX = 'OUTCOMES#';

/** The end of the hour a deadline falls in (ISO): units are counted by it, once it has passed. */
function bucketEnd(deadline: string): string {
  const hour = 60 * 60 * 1000;
  return new Date(Math.ceil(Date.parse(deadline) / hour) * hour).toISOString();
}

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

export type AssignableExperiment = Experiment & { assignmentSalt?: string };

/** The vote change a unit's vote comes from (shared/knowledge/votes.ts): its id, its incident, and its user (lower-case). */
export interface UnitVoteChange {
  id: string;
  /** A unit holds every attempt of a commit, so one user votes on it through several incidents. */
  incidentId: string;
  user: string;
  /** The change's place among its user's changes on the incident (votes.ts): each later change's is higher, on that incident only. */
  seq: number;
  /** The change's mark on the counts of the unit's success (shared/stores/count-marks.ts): each once per mark. */
  mark?: CountMark;
}

/** The attribute on a unit that keeps the last change counted there of one user's votes on one incident. */
const unitVoteMark = (change: UnitVoteChange) => `voteCounted#${change.incidentId}#${change.user}`;

/**
 * {@link ExperimentStore.assignable}'s answer: the definitions, and whether any promoted policy may be stored. False
 * when the read holds the whole definitions partition, with no promoted definition and no promotion's mark: a policy is
 * written only by a promotion (promote), after its definition moved to `promoted` and the mark was put, so
 * {@link ExperimentStore.policyFor} would read nothing and need not be asked. The mark, not the definitions alone: a
 * promoted definition deleted or moved back by hand in the table (no code does) left its policy applied before this
 * read was skipped (review 68, R2); the promoted definitions count too, for the policies promoted before the mark.
 */
export interface AssignableExperiments {
  experiments: AssignableExperiment[];
  mayHavePolicies: boolean;
}

export interface ExperimentStore {
  create(input: unknown, at: Date): Promise<Experiment>;
  get(id: string): Promise<Experiment | null>;
  list(): Promise<Experiment[]>;
  /**
   * The definitions with their assignment secrets, for assigning incidents only: the secret is in no other answer
   * (API, CLI, report), so nobody can compute which arm a commit would land in.
   */
  assignable(): Promise<AssignableExperiments>;
  counters(id: string): Promise<VariantCounters[]>;
  /**
   * Joins a unit (the assignment key) to the experiment with its variant and the deadline of its outcome, once:
   * the first call creates it (claimed `at`) and counts an attempt, later ones (another attempt of the same commit, a
   * retried stage) return the unit as it was created. The attempt is counted after the claim, with the unit's mark
   * (shared/stores/count-marks.ts): a later call counts it again, once by its mark, so a call that died in between
   * loses nothing.
   */
  claimUnit(id: string, key: string, variant: string, deadline: Date, at: Date): Promise<{ created: boolean; variant: string; deadline: string }>;
  /**
   * Counts a unit's recovery as its success once, and only by its deadline: `counted`, `not_counted` (counted
   * before, or past the deadline) or `no_unit` (assigned before units were kept). Votes: {@link addUnitVote}. With
   * `mark` (the recovery's, see shared/stores/count-marks.ts), the recovery that took the success counts it again
   * when applied again (`counted`), and its counters' marks keep it once.
   */
  recordUnitSuccess(id: string, key: string, at: Date, mark?: CountMark): Promise<'counted' | 'not_counted' | 'no_unit'>;
  /**
   * Adds `delta` (+1, −1) to a `positive_feedback` unit's up votes by its deadline: the unit is a success while it
   * has one, so its success is counted when they go from none to one (`counted`) and taken back when they go to none
   * (`uncounted`). `at` is when the vote changed (a reaction's own time, however late it was read). `not_counted`
   * past the deadline (the outcome is final) or for a unit whose success was counted before votes were kept (it
   * keeps it); `no_unit` for an assignment made before units were kept. With `change`, the vote is added once: the
   * change's `seq` is kept on the unit as its user's mark for that incident (seqs rise per incident, not per unit), and the same change again adds nothing to the votes, and
   * counts or takes back the success by the votes as they are (votes.ts applies a change again after a crash); an
   * earlier change of the user, applied late by an applier that stalled, adds and counts nothing (`not_counted`).
   */
  addUnitVote(id: string, key: string, delta: 1 | -1, at: Date, change?: UnitVoteChange): Promise<'counted' | 'uncounted' | 'unchanged' | 'not_counted' | 'no_unit'>;
  /**
   * Marks a unit recovered, once: its deadline the first time, `already` after, `no_unit` for an assignment made
   * before units were kept. With `by` (the recovery's mark id), the recovery that marked it gets its deadline again.
   */
  claimUnitRecovery(id: string, key: string, at: Date, by?: string): Promise<{ deadline: string } | 'already' | 'no_unit'>;
  /** Units and successes per variant whose deadlines ended before `now`: the outcomes that are final. */
  finalCounters(id: string, now: Date): Promise<VariantCounters[]>;
  /** Units and successes per variant, final or not: every assignment counted by unit. */
  unitCounters(id: string): Promise<VariantCounters[]>;
  /**
   * Adds to a variant's cost and time counters (one `ADD` per call; the caller claims the event once); with `mark`,
   * once per mark (shared/stores/count-marks.ts).
   */
  addCounters(id: string, variant: string, values: Partial<Record<VariantCounterName, number>>, mark?: CountMark): Promise<void>;
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
  const { pk: _pk, sk: _sk, assignmentSalt: _salt, ...rest } = item;
  return rest as unknown as Experiment;
}

/** A unit's claim: when its first call joined it, which names the marks of its attempt's counts. */
const UNIT_CLAIM = 'claimedAt';

export function createExperimentStore(options: { client: DynamoDBDocumentClient; tableName: string }): ExperimentStore {
  const { client, tableName } = options;
  const definitionKey = (id: string) => ({ pk: DEFINITIONS_PK, sk: `EXP#${id}` });

  const unitKey = (id: string, key: string) => ({ pk: `EXPERIMENT#${id}`, sk: `UNIT#${createHash('sha256').update(key).digest('hex').slice(0, 40)}` });
  const outcomesKey = (id: string, deadline: string, variant: string) => ({ pk: `EXPERIMENT#${id}`, sk: `${OUTCOMES_PREFIX}${bucketEnd(deadline)}#${variant}` });

  /**
   * One unit's attempt or success (or a success taken back, `step` −1): on the variant's totals and on its deadline's
   * bucket; with `mark`, once per mark on each.
   */
  async function add(id: string, variant: string, deadline: string, attribute: 'attempts' | 'successes', step: 1 | -1 = 1, mark?: CountMark) {
    const marked = mark ? markClauses(mark) : null;
    for (const key of [variantKey(id, variant), outcomesKey(id, deadline, variant)]) {
      await countOnce(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: updateExpression({ add: ['#counter :step', ...(marked ? [marked.add] : [])], set: ['experimentId = :id', 'variant = :variant'], ...(marked ? { remove: [marked.remove] } : {}) }),
            ExpressionAttributeNames: { '#counter': attribute, ...marked?.names },
            ExpressionAttributeValues: { ':step': step, ':id': id, ':variant': variant, ...marked?.values },
            ...(marked ? { ConditionExpression: marked.condition } : {}),
          }),
        ),
      );
      noteRelease(mark, client, tableName, key);
    }
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

  /**
   * The definitions (one page of at most MAX_EXPERIMENTS items of their partition), whether the page holds the whole
   * partition, and whether it holds a promotion's mark (POLICIES_MARK, not a definition).
   */
  async function definitions(): Promise<{ items: Record<string, unknown>[]; whole: boolean; promotionMarked: boolean }> {
    const response = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': DEFINITIONS_PK },
        Limit: MAX_EXPERIMENTS,
      }),
    );
    const items = response.Items ?? [];
    const definitionItems = items.filter((item) => item.sk !== POLICIES_MARK.sk);
    return { items: definitionItems, whole: response.LastEvaluatedKey === undefined, promotionMarked: definitionItems.length < items.length };
  }

  /**
   * The definition's assignment secret. One created before the secret was kept gets one now, once (the first writer
   * wins and every reader gets its value): with the unkeyed split a pusher could still grind a commit into the arm
   * they want for as long as such an experiment runs. Units assigned before keep their arm (`claimUnit`), and the
   * new ones are split at random as before, so the arms stay comparable.
   */
  async function saltOf(item: Record<string, unknown>): Promise<string> {
    if (typeof item.assignmentSalt === 'string') return item.assignmentSalt;
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #salt = if_not_exists(#salt, :salt)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#salt': 'assignmentSalt' },
        ExpressionAttributeValues: { ':salt': randomBytes(32).toString('hex') },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return String(response.Attributes?.assignmentSalt);
  }

  /**
   * A conditional update of an existing unit: the unit as it is after it, or why it did not apply (`condition`
   * failed, or `no_unit`: assigned before units were kept). `read` gets the unit as it was read after a failed
   * condition (the read tells it from `no_unit`), for a caller that looks at what stopped it.
   */
  async function updateUnit(
    id: string,
    key: string,
    update: { expression: string; condition: string; values: Record<string, unknown>; names?: Record<string, string> },
    read?: (unit: Record<string, unknown>) => void,
  ): Promise<Record<string, unknown> | 'condition' | 'no_unit'> {
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: unitKey(id, key),
          UpdateExpression: update.expression,
          ConditionExpression: `attribute_exists(pk) AND ${update.condition}`,
          ExpressionAttributeValues: update.values,
          ...(update.names ? { ExpressionAttributeNames: update.names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return response.Attributes ?? 'condition';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await client.send(new GetCommand({ TableName: tableName, Key: unitKey(id, key), ConsistentRead: true }));
      if (existing.Item) read?.(existing.Item);
      return existing.Item ? 'condition' : 'no_unit';
    }
  }

  /** Units and successes per variant over the deadline buckets up to `until` (an ISO time), across pages. */
  async function bucketTotals(id: string, until: string): Promise<VariantCounters[]> {
    const totals = new Map<string, { attempts: number; successes: number }>();
    const pages = paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `EXPERIMENT#${id}`, ':from': OUTCOMES_PREFIX, ':to': `${OUTCOMES_PREFIX}${until}` },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const name = String(item.variant);
        const total = totals.get(name) ?? { attempts: 0, successes: 0 };
        total.attempts += Number(item.attempts ?? 0);
        total.successes += Number(item.successes ?? 0);
        totals.set(name, total);
      }
    }
    return [...totals].map(([name, total]) => ({ name, ...total }));
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
        outcomes: 'deadline',
      };
      if (experiment.maxSamplePerVariant < experiment.minSamplePerVariant) {
        throw new ValidationError('invalid experiment at maxSamplePerVariant: must be at least minSamplePerVariant');
      }
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...definitionKey(experiment.id), ...experiment, assignmentSalt: randomBytes(32).toString('hex') },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new ExperimentExistsError(`experiment ${experiment.id} already exists`);
        throw error;
      }
      return experiment;
    },

    get,

    async list() {
      return (await definitions()).items.map(toExperiment);
    },

    async assignable() {
      const { items, whole, promotionMarked } = await definitions();
      // Only a running experiment assigns: the others are never written to here.
      const experiments = await Promise.all(
        items.map(async (item) => ({ ...toExperiment(item), ...(item.status === 'running' ? { assignmentSalt: await saltOf(item) } : {}) })),
      );
      return { experiments, mayHavePolicies: !whole || promotionMarked || items.some((item) => item.status === 'promoted') };
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

    async claimUnit(id, key, variant, deadline, at) {
      // The creator, and every later call in the write that reads the unit, is read as a call still counting
      // (claimReadersName) until it records the claim counted: no release comes while another call may still count.
      const readers = claimReadersName(UNIT_CLAIM);
      const item = { ...unitKey(id, key), experimentId: id, variant, deadline: deadline.toISOString(), [UNIT_CLAIM]: at.toISOString(), [readers]: 1 };
      const created = (await conditionalWrite(() => client.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })))) !== null;
      const read = async () =>
        (
          await conditionalWrite(() =>
            client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: unitKey(id, key),
                UpdateExpression: 'ADD #readers :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#readers': readers },
                ExpressionAttributeValues: { ':one': 1 },
                ReturnValues: 'ALL_NEW',
              }),
            ),
          )
        )?.Attributes ?? {};
      const unit: Record<string, unknown> = created ? item : await read();
      const stored = { variant: String(unit.variant ?? variant), deadline: String(unit.deadline ?? item.deadline) };
      // Claimed first, counted after, by every call: the unit's marks keep its attempt once, so a call that died in
      // between loses nothing. A unit created before it was claimed with a time was counted then; one whose claim is
      // recorded counted, too. Then the marks leave the variant's and the bucket's counters, which every unit of the
      // experiment writes (see finishClaim in shared/stores/incident-claims.ts).
      const claimed = readClaimValue(unit[UNIT_CLAIM]);
      const marks = claimed && !claimed.counted ? marksOfClaim(item.sk, { at: claimed.at, first: created }, at) : null;
      if (marks && claimed) {
        const { mark, releases } = releasableMarks(marks);
        await countThenFinish(
          () => add(id, stored.variant, stored.deadline, 'attempts', 1, mark('attempt')),
          () => endClaimReading(client, tableName, unitKey(id, key), UNIT_CLAIM),
          () => releaseOnceCounted(() => recordCountedUnlessRead(client, tableName, unitKey(id, key), UNIT_CLAIM, countedClaimValue(claimed.at)), releases),
        );
      }
      return { created, ...stored };
    },

    async recordUnitSuccess(id, key, at, mark) {
      let stored: Record<string, unknown> | undefined;
      let unit = await updateUnit(
        id,
        key,
        {
          expression: `SET succeededAt = :at${mark ? ', succeededBy = :by' : ''}`,
          condition: 'attribute_not_exists(succeededAt) AND deadline >= :at',
          values: { ':at': at.toISOString(), ...(mark ? { ':by': mark.id } : {}) },
        },
        (read) => (stored = read),
      );
      // This recovery took the success before, and may have died before counting it: counted again, once by its marks.
      if (unit === 'condition' && mark && stored?.succeededBy === mark.id) unit = stored;
      if (typeof unit === 'string') return unit === 'no_unit' ? unit : 'not_counted';
      await add(id, String(unit.variant), String(unit.deadline), 'successes', 1, mark);
      return 'counted';
    },

    async addUnitVote(id, key, delta, at, change) {
      const mark = change ? { '#mark': unitVoteMark(change) } : undefined;
      let unit = await updateUnit(id, key, {
        expression: `ADD upVotes :delta${mark ? ' SET #mark = :change' : ''}`,
        condition: `deadline >= :at AND (attribute_exists(upVotes) OR attribute_not_exists(succeededAt))${mark ? ' AND (attribute_not_exists(#mark) OR #mark < :change)' : ''}`,
        values: { ':delta': delta, ':at': at.toISOString(), ...(change ? { ':change': change.seq } : {}) },
        ...(mark ? { names: mark } : {}),
      });
      if (unit === 'condition' && change) {
        // Added by this change already (applied again after a crash): its votes are read as they are now. A later
        // change's mark: this one was finished by another applier, and counts nothing here again.
        const stored = (await client.send(new GetCommand({ TableName: tableName, Key: unitKey(id, key), ConsistentRead: true }))).Item;
        if (stored?.[unitVoteMark(change)] === change.seq) unit = stored;
      }
      if (typeof unit === 'string') return unit === 'no_unit' ? unit : 'not_counted';
      // The ADD is atomic: of concurrent votes, exactly one sees the count cross zero, either way.
      const votes = Number(unit.upVotes ?? 0);
      const before = votes - delta;
      const step = before <= 0 && votes > 0 ? 1 : before > 0 && votes <= 0 ? -1 : 0;
      if (step === 0) return 'unchanged';
      await add(id, String(unit.variant), String(unit.deadline), 'successes', step, change?.mark);
      return step > 0 ? 'counted' : 'uncounted';
    },

    async claimUnitRecovery(id, key, at, by) {
      let stored: Record<string, unknown> | undefined;
      let unit = await updateUnit(
        id,
        key,
        { expression: `SET recoveredAt = :at${by ? ', recoveredBy = :by' : ''}`, condition: 'attribute_not_exists(recoveredAt)', values: { ':at': at.toISOString(), ...(by ? { ':by': by } : {}) } },
        (read) => (stored = read),
      );
      if (unit === 'condition' && by && stored?.recoveredBy === by) unit = stored;
      if (typeof unit === 'string') return unit === 'no_unit' ? unit : 'already';
      return { deadline: String(unit.deadline ?? '') };
    },

    // Buckets whose hour ended before now: every outcome in them is final.
    finalCounters: (id, now) => bucketTotals(id, now.toISOString()),

    // Every bucket: its deadline hour (an ISO time: digits, '-', ':', '.', 'T', 'Z') sorts before '~'.
    unitCounters: (id) => bucketTotals(id, '~'),

    addCounters: (id, variant, values, mark) => addVariantCounters(client, tableName, { id, variant }, values, mark),

    async promote(id, variantName, at) {
      const experiment = await get(id);
      if (!experiment) throw new ExperimentNotFoundError(`experiment ${id} does not exist`);
      const variant = experiment.variants.find((v) => v.name === variantName);
      if (!variant) throw new ValidationError(`experiment ${id} has no variant ${variantName}`);
      const promoted = await transition(id, { status: 'promoted', promotedVariant: variant.name, promotedAt: at.toISOString() }, ['running', 'stopped']);
      // Before any policy: a lookup that reads no mark and no promoted definition skips the policies' read.
      await client.send(new PutCommand({ TableName: tableName, Item: { ...POLICIES_MARK, markedAt: at.toISOString() } }));
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
