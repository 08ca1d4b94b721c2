import { reviseVersioned } from '../stores/dynamo.js';
import { VersionedWriteConflictError } from '../errors.js';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BaselineStore } from '../baselines/store.js';
import type { ClaimName, Incident, RemediationAction } from '../domain/incident.js';
import type { ExperimentStore } from '../experiments/store.js';
import type { Clock, StepLogger } from '../ports.js';
import { incidentKey } from '../stores/incident-store.js';
import { claimOnce, releaseClaim } from './claims.js';
import { type FeedbackSource, REACTION_FEEDBACK_COMMENT } from './feedback-source.js';
import type { FixVerdicts } from './fix-verdict.js';
import type { KnowledgeStore } from './store.js';

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

/** A stored vote item as {@link UserVotes}; one stored before both were kept holds its single vote, by its source. */
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
}

export function createVotes(options: VotesOptions): Votes {
  const { client, tables, clock, logger, knowledge, verdicts, experiments, baselines } = options;
  const claim = (incidentId: string, name: ClaimName) => claimOnce(client, tables.incidents, incidentId, name, clock());

  /** The stored votes on an incident, one per user: bounded by the reactions read (500 of each) and the commands. */
  async function feedbackItems(incidentId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const response = await client.send(
        new QueryCommand({
          TableName: tables.incidents,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': incidentKey(incidentId).pk, ':prefix': FEEDBACK_PREFIX },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(response.Items ?? []));
      start = response.LastEvaluatedKey;
    } while (start && items.length < MAX_FEEDBACK_ITEMS);
    return items;
  }

  /**
   * A user's vote on an incident went from `previous` to `next` (null: none) at `changedAt`: every counter it moves,
   * by the difference. `changedAt` is when the user voted (a reaction's own time, however late it is read), so
   * whether it falls in an experiment unit's window does not depend on when the guard next read the comment.
   */
  async function applyVoteChange(incident: Incident, previous: FeedbackVote | null, next: FeedbackVote | null, changedAt: Date) {
    const up = (next === 'up' ? 1 : 0) - (previous === 'up' ? 1 : 0);
    const down = (next === 'down' ? 1 : 0) - (previous === 'down' ? 1 : 0);
    if (up === 0 && down === 0) return;
    const response = await client.send(
      new UpdateCommand({
        TableName: tables.incidents,
        Key: incidentKey(incident.id),
        UpdateExpression: 'ADD feedbackUp :up, feedbackDown :down',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':up': up, ':down': down },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    if (incident.fingerprint) await knowledge.recordFeedback(incident.fingerprint, up, down);
    const after = { up: Number(response.Attributes?.feedbackUp ?? 0), down: Number(response.Attributes?.feedbackDown ?? 0) };
    await verdicts.voted(incident, { up: after.up - up, down: after.down - down }, after, changedAt);
    const decision = incident.decision;
    if (down !== 0 && incident.repository && decision?.applied && AUTOMATIC_ACTIONS.has(decision.action)) {
      // A false positive while a writer's vote on it is down: counted when the first one comes (the claim keeps it
      // once), taken back when the last one goes. The ADD is atomic, so one change sees each crossing.
      const downs = after.down;
      if (downs - down <= 0 && downs > 0 && (await claim(incident.id, 'falsePositiveAt'))) await baselines.addMetrics(incident.repository, { falsePositives: 1 });
      if (downs - down > 0 && downs <= 0 && (await releaseClaim(client, tables.incidents, incident.id, 'falsePositiveAt'))) {
        await baselines.addMetrics(incident.repository, { falsePositives: -1 });
      }
    }
    if (up !== 0 && incident.experiment) {
      const experiment = await experiments.get(incident.experiment.experimentId);
      if (experiment?.metric.kind === 'positive_feedback') {
        const { experimentId, key, variant } = incident.experiment;
        // The unit is a success while a writer's vote on it is up, until its deadline: a vote made after it counts
        // nothing there, wherever it is read.
        const counted = await experiments.addUnitVote(experimentId, key, up > 0 ? 1 : -1, changedAt);
        // Assigned before units were kept: counted as it was then, once per incident, and never taken back.
        if (counted === 'no_unit' && up > 0 && (await claim(incident.id, 'experimentFeedbackAt'))) await experiments.addCounters(experimentId, variant, { successes: 1 });
      }
    }
  }

  /**
   * Changes one user's votes on an incident with `change` (null: nothing to change): read (or `known`, as just read),
   * changed and written back unless another writer changed them meanwhile (`rev`), then read again; after a few lost
   * races the change is dropped, as a fix outcome's is. Their standing vote before and after.
   */
  async function changeUserVotes(
    incidentId: string,
    login: string,
    change: (votes: UserVotes) => UserVotes | null,
    known?: Record<string, unknown>,
  ): Promise<{ previous: FeedbackVote | null; next: FeedbackVote | null }> {
    const key = feedbackKey(incidentId, login);
    try {
      return await reviseVersioned({
        what: `the votes of ${login} on ${incidentId}`,
        attempts: VOTE_WRITE_ATTEMPTS,
        known,
        read: async () => (await client.send(new GetCommand({ TableName: tables.incidents, Key: key, ConsistentRead: true }))).Item,
        revise: (item) => {
          const votes = userVotesOf(item);
          const previous = standingVote(votes);
          const changed = change(votes);
          if (!changed) return { answer: { previous, next: previous } };
          const next = standingVote(changed);
          const rev = typeof item?.rev === 'number' ? item.rev : 0;
          const guard = {
            ConditionExpression: !item ? 'attribute_not_exists(pk)' : rev === 0 ? 'attribute_not_exists(rev)' : 'rev = :rev',
            ...(item && rev > 0 ? { ExpressionAttributeValues: { ':rev': rev } } : {}),
          };
          const stored = { ...key, user: item?.user ?? login, vote: next, command: changed.command, reaction: changed.reaction, rev: rev + 1 };
          const write = () =>
            !changed.command && !changed.reaction
              ? client.send(new DeleteCommand({ TableName: tables.incidents, Key: key, ...guard }))
              : client.send(new PutCommand({ TableName: tables.incidents, Item: stored, ...guard }));
          return { answer: { previous, next }, write };
        },
      });
    } catch (error) {
      if (!(error instanceof VersionedWriteConflictError)) throw error;
      logger.warn('feedback not recorded: its stored votes kept changing', { incidentId, user: login });
      return { previous: null, next: null };
    }
  }

  return {
    async onFeedback(incident, vote, user, comment, source = { via: 'command' }) {
      const now = clock();
      const reaction = source.via === 'reaction' ? source : null;
      // When the user voted, by GitHub's clock: a command delivered late or again (a redelivery) was said when it was
      // written, not when it arrived. That clock may run ahead of ours: nothing is taken as made after it was read.
      const said = reaction ? reaction.reactedAt : source.via === 'command' ? source.writtenAt : null;
      const votedAt = new Date(Math.min(said ? Date.parse(said) || now.getTime() : now.getTime(), now.getTime()));
      const { previous, next } = await changeUserVotes(incident.id, user, (votes) => {
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
      if (previous === next) return { counted: false, previous };
      await applyVoteChange(incident, previous, next, votedAt);
      logger.info('feedback recorded', { incidentId: incident.id, vote: next, previous, via: source.via });
      return { counted: true, previous };
    },

    async withdrawReactionVotes(incident, commentId, reacting) {
      let withdrawn = 0;
      for (const item of await feedbackItems(incident.id)) {
        const login = String(item.sk).slice(FEEDBACK_PREFIX.length);
        const read = userVotesOf(item).reaction;
        if (!read || reacting.has(login) || (read.commentId !== null && read.commentId !== commentId)) continue;
        // Unless another reading recorded a newer reaction since: that one was not removed.
        const { previous, next } = await changeUserVotes(
          incident.id,
          login,
          (votes) => (votes.reaction?.at === read.at && votes.reaction.vote === read.vote ? { ...votes, reaction: null } : null),
          item,
        );
        if (previous === next) continue;
        // GitHub does not say when a reaction was removed: it counts as removed when it was found missing. The vote
        // the user gave by command before it stands again.
        await applyVoteChange(incident, previous, next, clock());
        logger.info('feedback withdrawn', { incidentId: incident.id, previous, next, user: login });
        withdrawn += 1;
      }
      return withdrawn;
    },
  };
}
