/**
 * Votes and the counters they move, with nothing lost and nothing counted twice by a crash between them (a `kill -9`
 * of the local runtime, a Lambda timeout). There are no transactions (the local stand-in has none), so a changed vote
 * is recorded with its change, an outbox on the user's own vote item, in the vote's one write: the standing vote
 * before and after, when it changed, an id, and a sequence number above the user's earlier changes (`seq`). Applying it moves the counters one item at a time, in a fixed order, and
 * marks each done on the vote item (its `done`, a handful of names: the progress lives on this per-user item, never on
 * the shared counter items, which would grow by a marker per change); the change is cleared once all are done. A crash
 * leaves it pending, with a due entry (`VOTECHANGE#<day>`, shared/stores/due-index.ts) written just before the vote:
 * the user's next change finishes it first, and the reconciler finishes those older than its `afterMinutes`
 * (shared/reconcile/pending-votes.ts), moving only the counters not marked done.
 *
 * Each counter moves once:
 * - the incident's own counters (`feedbackUp`/`feedbackDown`, which every other counter is derived from): their
 *   `ADD` writes the change's `seq` as the user's mark on the incident in the same write, and a change at or below
 *   the mark there adds nothing (its counters after it are then read as they are now): one applied again after a
 *   crash, or one whose applier stalled (not died) while the user's next vote or the reconciler finished it and a
 *   later change was counted; the experiment unit's votes likewise (its per-user mark);
 * - every other counter (the knowledge entry's, the fix outcome, the false-positive metric, the experiment unit's
 *   success on its variant): its write carries the change's count mark for that step (shared/stores/count-marks.ts),
 *   so a step moved again, after a crash after its write and before its mark on the vote item or by a second applier
 *   while one stalled there, is refused. A change finished later than the marks' window (8 hours) after it was
 *   recorded, which only a user's next vote does once the reconciler gave it up, writes without them, and such a
 *   counter may then count once more, never none. The false-positive and experiment
 *   markers keep the change's id (claims.ts `moveClaimForChange`) so that finishing the change again counts what they
 *   gate rather than losing it.
 */
import { randomUUID } from 'node:crypto';
import * as z from '../zod.js';
import { conditionalWrite, readPages, reviseVersioned } from '../stores/dynamo.js';
import { VersionedWriteConflictError } from '../errors.js';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { BaselineStore } from '../baselines/store.js';
import type { Incident, RemediationAction } from '../domain/incident.js';
import type { ExperimentStore } from '../experiments/store.js';
import type { Clock, StepLogger } from '../ports.js';
import { marksOfClaim } from '../stores/count-marks.js';
import { type DueKey, createDueIndex, storedDueKey } from '../stores/due-index.js';
import { VOTE_TALLY_MARK_PREFIX, incidentKey } from '../stores/incident-store.js';
import { moveClaimForChange } from '../stores/incident-claims.js';
import { type FeedbackSource, REACTION_FEEDBACK_COMMENT } from './feedback-source.js';
import { type FixVerdicts, type VoteCounts, votedFixOutcome } from './fix-verdict.js';
import type { KnowledgeStore } from './store.js';
import { learnedKeyOf } from './scope.js';

/** Actions that change something; a thumbs-down on one of them is a false positive. */
export const AUTOMATIC_ACTIONS: ReadonlySet<RemediationAction> = new Set(['rerun_failed_jobs', 'open_fix_pr', 'run_runbook']);

export type FeedbackVote = 'up' | 'down';

const FEEDBACK_PREFIX = 'FEEDBACK#';
/** Stored votes read per incident: the reactions read (500 👍, 500 👎) and room for commands. */
const MAX_FEEDBACK_ITEMS = 1_100;

function feedbackKey(incidentId: string, user: string) {
  return { pk: incidentKey(incidentId).pk, sk: `${FEEDBACK_PREFIX}${user.toLowerCase()}` };
}

/** Writes of one user's votes tried before a change is dropped: only that user's votes race with each other. */
const VOTE_WRITE_ATTEMPTS = 3;

/** Waits for a user's earlier change to be finished by its own applier before finishing it instead: 50 ms doubling. */
const PENDING_WAITS = 4;
const PENDING_WAIT_MS = 50;
/** A change pending this long was left by an applier that died (applying takes milliseconds): finished at once. */
const PENDING_ABANDONED_MS = 60_000;
/** A due entry of a change nobody finished (the reconciler was off for longer than its look-back) expires. */
const PENDING_DUE_TTL_SECONDS = 7 * 86_400;

/** The counters a change moves after the incident's own (`tally`), in this order. */
const COUNTER_STEPS = ['entry', 'verdict', 'falsePositive', 'experiment'] as const;
type VoteStep = 'tally' | (typeof COUNTER_STEPS)[number];

const voteSchema = z.nullable(z.enum(['up', 'down']));
/** A change as stored on its vote item (`pending`): read back from the store, so checked and bounded. */
const storedPendingSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  /** The change's place among its user's changes on the incident: see {@link nextSeq}. */
  seq: z.number().check(z.int(), z.positive()),
  previous: voteSchema,
  next: voteSchema,
  /** When the vote changed (see `onFeedback`), and when the change was recorded. */
  at: z.string().check(z.maxLength(40)),
  recordedAt: z.string().check(z.maxLength(40)),
  /** The steps done: the tally with the incident's counters after it, the others `true`. */
  done: z.object({
    tally: z.optional(z.object({ up: z.number().check(z.int()), down: z.number().check(z.int()) })),
    entry: z.optional(z.literal(true)),
    verdict: z.optional(z.literal(true)),
    falsePositive: z.optional(z.literal(true)),
    experiment: z.optional(z.literal(true)),
  }),
});
type StoredPending = z.infer<typeof storedPendingSchema>;

/** A change pending on a vote item: of user `user` (lower-case) on `incidentId`. */
interface PendingChange extends StoredPending {
  incidentId: string;
  user: string;
}

/** What {@link Votes.pendingChanges} lists: a change recorded at `recordedAt` that may still be pending. */
export interface PendingVoteChange {
  incidentId: string;
  user: string;
  changeId: string;
  recordedAt: string;
  /** Its due entry as stored: at `recordedAt` until a finish fails, later after each failure (see `retryPendingChange`). */
  due: DueKey;
  /** Finishes of the change that failed so far. */
  failures: number;
}

/** A user's standing vote before and after a write, and the change recorded by it (null: none). */
interface RecordedVote {
  previous: FeedbackVote | null;
  next: FeedbackVote | null;
  change: PendingChange | null;
}
type VoteRevision = RecordedVote | { blocked: PendingChange };

/**
 * The `seq` of a user's next change on an incident, kept on their vote item: above the last one's, and no lower than
 * the time it is recorded (epoch ms), so that a vote item made again (it expired before its incident, or was stored
 * by code that kept none) still numbers its changes above the marks its earlier ones left. The item is kept without
 * votes once none stands, never deleted, so that within its life the number only rises.
 */
function nextSeq(item: Record<string, unknown> | undefined, now: Date): number {
  const last = typeof item?.seq === 'number' ? item.seq : 0;
  return Math.max(last + 1, now.getTime());
}

const dueKeyOf = (change: { incidentId: string; user: string; id: string; recordedAt: string }) => ({ id: `${change.incidentId}#${change.user}#${change.id}`, dueAt: change.recordedAt });

function storedVote(item: Record<string, unknown> | undefined): FeedbackVote | null {
  return item?.vote === 'up' || item?.vote === 'down' ? item.vote : null;
}

/**
 * What one user said on an incident: their latest `/guard feedback` command, and their 👍/👎 on the guard's comment
 * while it stands (until they remove it). Times are ISO and GitHub's, each no later than when the guard read it: a
 * command's when its comment was written (when it arrived, for a caller that does not say), a reaction's when it was made.
 */
interface UserVotes {
  command: { vote: FeedbackVote; at: string; comment: string | null } | null;
  reaction: { vote: FeedbackVote; at: string; commentId: number | null } | null;
}

/**
 * The user's vote: the later of their command and their standing reaction, the command at the same instant. A
 * command overridden by a reaction stands again when the reaction is removed.
 */
function standingVote({ command, reaction }: UserVotes): FeedbackVote | null {
  if (reaction && !(command && Date.parse(command.at) >= Date.parse(reaction.at))) return reaction.vote;
  return command?.vote ?? null;
}

/**
 * A stored vote item as {@link UserVotes}; one stored before both were kept holds its single vote, by its source.
 * A command stored before commands kept their comment's `created_at` (bc2604f) holds when it arrived instead, later
 * by GitHub's delivery delay (seconds); read as it is, for it cannot be told apart nor corrected (the creation time was
 * not kept). It could only misorder a command or reaction of the same user made within those seconds after it, both
 * before that change was deployed: its redelivery keeps `created_at`, earlier than the arrival, so it still counts
 * nothing, and the user's next command, written later, replaces it. Items stored before vote items carried an
 * `expiresAt` get one when the user's next vote on the incident rewrites them.
 */
function userVotesOf(item: Record<string, unknown> | undefined): UserVotes {
  if (item?.rev !== undefined) {
    const command = item.command as Record<string, unknown> | null;
    const reaction = item.reaction as Record<string, unknown> | null;
    const commandVote = storedVote(command ?? undefined);
    const reactionVote = storedVote(reaction ?? undefined);
    return {
      command: command && commandVote ? { vote: commandVote, at: String(command.at), comment: typeof command.comment === 'string' ? command.comment : null } : null,
      reaction: reaction && reactionVote ? { vote: reactionVote, at: String(reaction.at), commentId: typeof reaction.commentId === 'number' ? reaction.commentId : null } : null,
    };
  }
  const vote = storedVote(item);
  if (!item || !vote) return { command: null, reaction: null };
  const at = String(item.expressedAt ?? item.at);
  const byReaction = item.via === 'reaction' || (item.via === undefined && item.comment === REACTION_FEEDBACK_COMMENT);
  return byReaction
    ? { command: null, reaction: { vote, at, commentId: typeof item.commentId === 'number' ? item.commentId : null } }
    : { command: { vote, at, comment: typeof item.comment === 'string' ? item.comment : null }, reaction: null };
}

export interface FeedbackResult {
  /** False when this user had already given the same vote. */
  counted: boolean;
  previous: FeedbackVote | null;
}

/**
 * The votes of people with write access on an incident (a `/guard feedback` command, or a reaction on the guard's
 * comment), one per user, and every counter a vote moves: the knowledge entry, the false-positive metric, a
 * positive-feedback experiment's unit. Apart from the rest of the learning loop so that ingest, which records
 * commands, carries only this (its bundle is held to the Lambda bound).
 */
export interface Votes {
  /**
   * A user with write access voted; one vote per user and incident (their latest standing one: see
   * {@link standingVote}), a changed vote moves the counters. By default a `/guard feedback` command; a reaction says
   * which comment it is on and when it was made.
   */
  onFeedback(incident: Incident, vote: FeedbackVote, user: string, comment: string | null, source?: FeedbackSource): Promise<FeedbackResult>;
  /**
   * Takes back the votes given by reaction on comment `commentId` of the users (lower-case logins) not in `reacting`:
   * they removed their reaction. A vote a user gave by command stays, and one their reaction overrode stands again.
   * Returns how many users' votes changed.
   */
  withdrawReactionVotes(incident: Incident, commentId: number, reacting: ReadonlySet<string>): Promise<number>;
  /** Changes recorded before `recordedBefore` whose counters may not all have moved, oldest first, at most `limit`. */
  pendingChanges(recordedBefore: Date, limits: { limit: number; lookbackHours: number }): Promise<PendingVoteChange[]>;
  /**
   * Moves the counters of a listed change that are not marked done and clears it (`incident` null: gone, nothing to
   * count on); `gone` when the change was finished already.
   */
  finishPendingChange(incident: Incident | null, entry: PendingVoteChange): Promise<'finished' | 'gone'>;
  /**
   * Lists a change whose finish failed again at `at`, its failures counted (its due entry moves there); false when
   * the entry is gone meanwhile (the change finished by the user's next vote, or by an overlapping run).
   */
  retryPendingChange(entry: PendingVoteChange, at: Date): Promise<boolean>;
  /**
   * Lists a change no more: its due entry goes, the change stays on the user's vote item, where their next vote on
   * the incident finishes it first.
   */
  abandonPendingChange(entry: PendingVoteChange): Promise<void>;
}

export interface VotesOptions {
  client: DynamoDBDocumentClient;
  tables: { incidents: string };
  clock: Clock;
  logger: StepLogger;
  knowledge: Pick<KnowledgeStore, 'recordFeedback'>;
  /** The incidents' fix outcomes a vote moves; the learning loop's own, which its run outcomes move too. */
  verdicts: FixVerdicts;
  experiments: Pick<ExperimentStore, 'get' | 'addUnitVote' | 'addCounters'>;
  baselines: Pick<BaselineStore, 'addMetrics'>;
  /** How long a vote item is kept (INCIDENT_TTL_DAYS): it sits beside its incident and goes when the incident does. */
  ttlDays: number;
  /** Waits for an earlier change of the same user to finish (tests pass one that returns at once). */
  sleep?: (ms: number) => Promise<void>;
}

export function createVotes(options: VotesOptions): Votes {
  const { client, tables, clock, logger, knowledge, verdicts, experiments, baselines } = options;
  const ttlSeconds = options.ttlDays * 86_400;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pendingIndex = createDueIndex({ client, tableName: tables.incidents, prefix: 'VOTECHANGE#' });

  /** The stored votes on an incident, one per user: bounded by the reactions read (500 of each) and the commands. */
  async function feedbackItems(incidentId: string): Promise<Record<string, unknown>[]> {
    const pages = paginateQuery(
      { client },
      {
        TableName: tables.incidents,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': incidentKey(incidentId).pk, ':prefix': FEEDBACK_PREFIX },
        ConsistentRead: true,
      },
    );
    // No filter: every page but the last holds an item, so MAX_FEEDBACK_ITEMS items are never more than as many pages.
    return (await readPages(pages, { maxPages: MAX_FEEDBACK_ITEMS, limit: MAX_FEEDBACK_ITEMS })).items;
  }

  /** What a change moves on the incident's vote counters: +1, 0 or −1 each. */
  const deltasOf = (change: PendingChange) => ({
    up: (change.next === 'up' ? 1 : 0) - (change.previous === 'up' ? 1 : 0),
    down: (change.next === 'down' ? 1 : 0) - (change.previous === 'down' ? 1 : 0),
  });

  /**
   * The incident's vote counters moved by the change, once: the change's `seq` is written with the `ADD` as the user's
   * mark on the incident (one per voter, raised by each of their changes), and a change whose mark or a later one's is
   * there already (its applier crashed after the write, or stalled while another finished it and the user changed
   * their vote again) adds nothing. The counters after it; then, as they are now (another writer may have moved them
   * since). Null when the incident is gone.
   */
  async function tally(incidentId: string, change: PendingChange): Promise<VoteCounts | null> {
    const { up, down } = deltasOf(change);
    const names = { '#mark': `${VOTE_TALLY_MARK_PREFIX}${change.user}` };
    const response = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tables.incidents,
          Key: incidentKey(incidentId),
          UpdateExpression: 'ADD feedbackUp :up, feedbackDown :down SET #mark = :seq',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#mark) OR #mark < :seq)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':up': up, ':down': down, ':seq': change.seq },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const counters = response?.Attributes
      ?? (await client.send(new GetCommand({ TableName: tables.incidents, Key: incidentKey(incidentId), ConsistentRead: true, ProjectionExpression: 'pk, feedbackUp, feedbackDown' }))).Item;
    return counters ? { up: Number(counters.feedbackUp ?? 0), down: Number(counters.feedbackDown ?? 0) } : null;
  }

  /**
   * The counters a change moves besides the incident's own, each a step of its own run once `after` (the incident's
   * counters after the change) is known. A step returns whether it wrote anything: only then is it marked done. Each
   * write carries the change's mark for its step (shared/stores/count-marks.ts), named by when the change was
   * recorded, so a step moved again (its applier died after the write and before marking it done) counts nothing
   * twice; a change finished later than the mark window after it was recorded writes without them.
   */
  function counterSteps(incident: Incident, change: PendingChange, after: VoteCounts): Record<Exclude<VoteStep, 'tally'>, () => Promise<boolean>> {
    const { up, down } = deltasOf(change);
    const changedAt = new Date(change.at);
    const decision = incident.decision;
    const marks = marksOfClaim(`vote#${change.id}`, { at: new Date(change.recordedAt), first: false }, clock());
    const mark = (step: VoteStep) => marks?.(step);
    return {
      entry: async () => {
        const learned = learnedKeyOf(incident);
        if (!learned) return false;
        await knowledge.recordFeedback(learned, up, down, mark('entry'));
        return true;
      },
      verdict: async () => {
        const before = { up: after.up - up, down: after.down - down };
        if (votedFixOutcome(before) === votedFixOutcome(after)) return false;
        await verdicts.voted(incident, before, after, changedAt, change.id, mark('verdict'));
        return true;
      },
      falsePositive: async () => {
        if (down === 0 || !incident.repository || !decision?.applied || !AUTOMATIC_ACTIONS.has(decision.action)) return false;
        // A false positive while a writer's vote on it is down: counted when the first one comes (the marker keeps it
        // once), taken back when the last one goes. The ADD is atomic, so one change sees each crossing; the marker's
        // condition on the counters as they are keeps a change read late from taking it back or again.
        const downs = after.down;
        const move = downs - down <= 0 && downs > 0 ? 'take' : downs - down > 0 && downs <= 0 ? 'give' : null;
        if (!move) return false;
        const level = move === 'take' ? 'feedbackDown > :z' : '(attribute_not_exists(feedbackDown) OR feedbackDown <= :z)';
        const moved = await moveClaimForChange(client, tables.incidents, incident.id, 'falsePositiveAt', { id: change.id, at: changedAt, move }, { condition: level, values: { ':z': 0 } });
        if (moved) await baselines.addMetrics(incident.repository, { falsePositives: move === 'take' ? 1 : -1 }, mark('falsePositive'));
        return moved;
      },
      experiment: async () => {
        if (up === 0 || !incident.experiment) return false;
        const experiment = await experiments.get(incident.experiment.experimentId);
        if (experiment?.metric.kind !== 'positive_feedback') return false;
        const { experimentId, key, variant } = incident.experiment;
        // The unit is a success while a writer's vote on it is up, until its deadline: a vote made after it counts
        // nothing there, wherever it is read.
        const counted = await experiments.addUnitVote(experimentId, key, up > 0 ? 1 : -1, changedAt, { id: change.id, incidentId: incident.id, user: change.user, seq: change.seq, mark: mark('experiment') });
        // Assigned before units were kept: counted as it was then, once per incident, and never taken back.
        if (counted === 'no_unit' && up > 0 && (await moveClaimForChange(client, tables.incidents, incident.id, 'experimentFeedbackAt', { id: change.id, at: changedAt, move: 'take' }, null))) {
          await experiments.addCounters(experimentId, variant, { successes: 1 }, mark('experiment'));
        }
        return true;
      },
    };
  }

  /**
   * Marks `step` of the change done on its vote item (with what it found, for the tally): false once the change is
   * gone, or when the step is marked done already: another applier is on the change (it waited out this one, or the
   * reconciler took it over), and this one stops rather than move the counters after it again.
   */
  async function markDone(incidentId: string, change: PendingChange, step: VoteStep, value: unknown): Promise<boolean> {
    const marked = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tables.incidents,
          Key: feedbackKey(incidentId, change.user),
          UpdateExpression: 'SET #pending.#done.#step = :value',
          ConditionExpression: '#pending.#id = :change AND attribute_not_exists(#pending.#done.#step)',
          ExpressionAttributeNames: { '#pending': 'pending', '#done': 'done', '#step': step, '#id': 'id' },
          ExpressionAttributeValues: { ':value': value, ':change': change.id },
        }),
      ),
    );
    return marked !== null;
  }

  /**
   * Moves every counter of a change recorded on a vote item (its outbox: see the module's comment) that is not marked
   * done, one at a time, marking each on the vote item once moved, then clears the change and its due entry. A crash
   * anywhere leaves the change for the next applier (the user's next vote, or the reconciler), which moves only the
   * counters not marked. `incident` null: the incident is gone, and the change is cleared with nothing to count on.
   * Whether its counters moved.
   */
  async function applyChange(incident: Incident | null, change: PendingChange, due: DueKey = dueKeyOf(change)): Promise<boolean> {
    let after: VoteCounts | null = change.done.tally ?? null;
    if (incident && !after) {
      after = await tally(incident.id, change);
      if (after && !(await markDone(incident.id, change, 'tally', after))) return false;
    }
    if (incident && after) {
      const steps = counterSteps(incident, change, after);
      for (const step of COUNTER_STEPS) {
        if (change.done[step]) continue;
        if ((await steps[step]()) && !(await markDone(incident.id, change, step, true))) return false;
      }
    }
    const incidentId = change.incidentId;
    const key = feedbackKey(incidentId, change.user);
    // The vote item stays when no vote of the user stands on it any more: its `rev` numbers their next change.
    const guard = { ConditionExpression: '#pending.#id = :change', ExpressionAttributeNames: { '#pending': 'pending', '#id': 'id' }, ExpressionAttributeValues: { ':change': change.id } };
    await conditionalWrite(() => client.send(new UpdateCommand({ TableName: tables.incidents, Key: key, UpdateExpression: 'REMOVE #pending', ...guard })));
    await pendingIndex.drop(due);
    return incident !== null && after !== null;
  }

  /** The change pending on a stored vote item (see {@link PendingChange}), or null. */
  function pendingOf(incidentId: string, item: Record<string, unknown> | undefined): PendingChange | null {
    const parsed = storedPendingSchema.safeParse(item?.pending);
    if (!item || !parsed.success) return null;
    return { ...parsed.data, incidentId, user: String(item.sk).slice(FEEDBACK_PREFIX.length) };
  }

  /**
   * Changes one user's votes on an incident with `change` (null: nothing to change): read (or `known`, as just read),
   * changed and written back unless another writer changed them meanwhile (`rev`), then read again; after a few lost
   * races the change is dropped, as a fix outcome's is. Their standing vote before and after, and the change of it
   * recorded (made at `changedAt`) for its counters; or the user's earlier change, still pending, which must be
   * finished first (`blocked`): one change of a user at a time, each numbered above the last (`seq`), keeps the
   * incident's one mark per user enough.
   */
  async function changeUserVotes(
    incidentId: string,
    login: string,
    changedAt: Date,
    change: (votes: UserVotes) => UserVotes | null,
    known?: Record<string, unknown>,
  ): Promise<VoteRevision> {
    const key = feedbackKey(incidentId, login);
    try {
      return await reviseVersioned<Record<string, unknown> | undefined, VoteRevision>({
        what: `the votes of ${login} on ${incidentId}`,
        attempts: VOTE_WRITE_ATTEMPTS,
        known,
        read: async () => (await client.send(new GetCommand({ TableName: tables.incidents, Key: key, ConsistentRead: true }))).Item,
        revise: (item) => {
          const votes = userVotesOf(item);
          const previous = standingVote(votes);
          const changed = change(votes);
          if (!changed) return { answer: { previous, next: previous, change: null } };
          const blocked = pendingOf(incidentId, item);
          if (blocked) return { answer: { blocked } };
          const next = standingVote(changed);
          const rev = typeof item?.rev === 'number' ? item.rev : 0;
          const guard = {
            ConditionExpression: !item ? 'attribute_not_exists(pk)' : rev === 0 ? 'attribute_not_exists(rev)' : 'rev = :rev',
            ...(item && rev > 0 ? { ExpressionAttributeValues: { ':rev': rev } } : {}),
          };
          const user = key.sk.slice(FEEDBACK_PREFIX.length);
          const expiresAt = Math.floor(clock().getTime() / 1000) + ttlSeconds;
          const stored = { ...key, user: item?.user ?? login, vote: next, command: changed.command, reaction: changed.reaction, rev: rev + 1, expiresAt, ...(typeof item?.seq === 'number' ? { seq: item.seq } : {}) };
          // Kept once no vote stands (`vote` null), never deleted: its `seq` numbers the user's next change above the
          // marks their earlier ones left (see nextSeq); it expires as the incident does.
          if (previous === next) {
            const write = () => client.send(new PutCommand({ TableName: tables.incidents, Item: stored, ...guard }));
            return { answer: { previous, next, change: null }, write };
          }
          // The outbox: the change goes in the vote's own write, and its due entry before it, so that the reconciler
          // finds every change whose applier died (an entry whose change never landed is dropped when read).
          const seq = nextSeq(item, clock());
          const pending: StoredPending = { id: randomUUID(), seq, previous, next, at: changedAt.toISOString(), recordedAt: clock().toISOString(), done: {} };
          const recorded: PendingChange = { ...pending, seq, incidentId, user };
          const write = async () => {
            await pendingIndex.put(dueKeyOf(recorded), { incidentId, user, changeId: pending.id }, PENDING_DUE_TTL_SECONDS);
            await client.send(new PutCommand({ TableName: tables.incidents, Item: { ...stored, seq, pending }, ...guard }));
          };
          return { answer: { previous, next, change: recorded }, write };
        },
      });
    } catch (error) {
      if (!(error instanceof VersionedWriteConflictError)) throw error;
      logger.warn('feedback not recorded: its stored votes kept changing', { incidentId, user: login });
      return { previous: null, next: null, change: null };
    }
  }

  /**
   * {@link changeUserVotes}, after the user's earlier change still pending on their vote item is finished: it is
   * given a moment to finish by its own applier (it takes milliseconds), then taken as one whose applier died.
   */
  async function recordVoteChange(
    incident: Incident,
    login: string,
    changedAt: Date,
    change: (votes: UserVotes) => UserVotes | null,
    known?: Record<string, unknown>,
  ): Promise<RecordedVote> {
    for (let round = 0; round <= PENDING_WAITS + 1; round += 1) {
      const revision = await changeUserVotes(incident.id, login, changedAt, change, round === 0 ? known : undefined);
      if (!('blocked' in revision)) return revision;
      const { blocked } = revision;
      const recordedAgo = clock().getTime() - Date.parse(blocked.recordedAt);
      if (round < PENDING_WAITS && !(recordedAgo >= PENDING_ABANDONED_MS)) await sleep(PENDING_WAIT_MS * 2 ** round);
      else await applyChange(incident, blocked);
    }
    logger.warn('feedback not recorded: an earlier change of the same user stayed pending', { incidentId: incident.id, user: login });
    return { previous: null, next: null, change: null };
  }

  return {
    async onFeedback(incident, vote, user, comment, source = { via: 'command' }) {
      const now = clock();
      const reaction = source.via === 'reaction' ? source : null;
      // When the user voted, by GitHub's clock: a command delivered late or again (a redelivery) was said when it was
      // written, not when it arrived. That clock may run ahead of ours: nothing is taken as made after it was read.
      const said = reaction ? reaction.reactedAt : source.via === 'command' ? source.writtenAt : null;
      const votedAt = new Date(Math.min(said ? Date.parse(said) || now.getTime() : now.getTime(), now.getTime()));
      const { previous, change } = await recordVoteChange(incident, user, votedAt, (votes) => {
        if (reaction) {
          // The same reaction again, or one read before the one recorded (two readings racing): nothing new.
          const known = votes.reaction ? Date.parse(votes.reaction.at) : Number.NaN;
          if (known > votedAt.getTime() || (known === votedAt.getTime() && votes.reaction?.vote === vote)) return null;
          return { ...votes, reaction: { vote, at: votedAt.toISOString(), commentId: reaction.commentId } };
        }
        // A command written before the one recorded (the same one delivered again, or two deliveries crossing): nothing new.
        if (votes.command && Date.parse(votes.command.at) > votedAt.getTime()) return null;
        if (votes.command && Date.parse(votes.command.at) === votedAt.getTime() && votes.command.vote === vote) return null;
        // A command is the user's latest word: the same vote standing by reaction becomes the command's too, which no
        // removed reaction takes back.
        if (votes.command?.vote === vote && standingVote(votes) === vote) return null;
        return { ...votes, command: { vote, at: votedAt.toISOString(), comment } };
      });
      if (!change) return { counted: false, previous };
      await applyChange(incident, change);
      logger.info('feedback recorded', { incidentId: incident.id, vote: change.next, previous, via: source.via });
      return { counted: true, previous };
    },

    async withdrawReactionVotes(incident, commentId, reacting) {
      let withdrawn = 0;
      for (const item of await feedbackItems(incident.id)) {
        const login = String(item.sk).slice(FEEDBACK_PREFIX.length);
        const read = userVotesOf(item).reaction;
        if (!read || reacting.has(login) || (read.commentId !== null && read.commentId !== commentId)) continue;
        // Unless another reading recorded a newer reaction since: that one was not removed. GitHub does not say when a
        // reaction was removed: it counts as removed when it was found missing. The vote the user gave by command
        // before it stands again.
        const { change } = await recordVoteChange(
          incident,
          login,
          clock(),
          (votes) => (votes.reaction?.at === read.at && votes.reaction.vote === read.vote ? { ...votes, reaction: null } : null),
          item,
        );
        if (!change) continue;
        await applyChange(incident, change);
        logger.info('feedback withdrawn', { incidentId: incident.id, previous: change.previous, next: change.next, user: login });
        withdrawn += 1;
      }
      return withdrawn;
    },

    async pendingChanges(recordedBefore, limits) {
      return (await pendingIndex.due(recordedBefore, limits)).map((item) => ({
        incidentId: String(item.incidentId),
        user: String(item.user),
        changeId: String(item.changeId),
        // Kept on the entry once it moved; before, the entry is due when the change was recorded.
        recordedAt: String(item.recordedAt ?? item.dueAt),
        due: storedDueKey(item),
        failures: typeof item.failures === 'number' ? item.failures : 0,
      }));
    },

    async finishPendingChange(incident, entry) {
      const item = (await client.send(new GetCommand({ TableName: tables.incidents, Key: feedbackKey(entry.incidentId, entry.user), ConsistentRead: true }))).Item;
      const pending = pendingOf(entry.incidentId, item);
      if (!pending || pending.id !== entry.changeId) {
        // Finished already, or never recorded (the vote's write lost its race after the entry was written).
        await pendingIndex.drop(entry.due);
        return 'gone';
      }
      await applyChange(incident, pending, entry.due);
      logger.info('pending vote change finished', { incidentId: entry.incidentId, user: entry.user, previous: pending.previous, next: pending.next });
      return 'finished';
    },

    async retryPendingChange(entry, at) {
      const { incidentId, user, changeId, recordedAt } = entry;
      const attributes = { incidentId, user, changeId, recordedAt, failures: entry.failures + 1 };
      return pendingIndex.move(entry.due, { id: entry.due.id, dueAt: at.toISOString() }, attributes, PENDING_DUE_TTL_SECONDS);
    },

    async abandonPendingChange(entry) {
      await pendingIndex.drop(entry.due);
    },
  };
}
