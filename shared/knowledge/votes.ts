import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BaselineStore } from '../baselines/store.js';
import type { ClaimName, Incident, RemediationAction } from '../domain/incident.js';
import type { ExperimentStore } from '../experiments/store.js';
import type { Clock, StepLogger } from '../ports.js';
import { incidentKey } from '../stores/incident-store.js';
import { claimOnce, releaseClaim } from './claims.js';
import { type FeedbackSource, REACTION_FEEDBACK_COMMENT } from './feedback-source.js';
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

function storedVote(item: Record<string, unknown> | undefined): FeedbackVote | null {
  return item?.vote === 'up' || item?.vote === 'down' ? item.vote : null;
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
   * A user with write access voted; one vote per user and incident, a changed vote moves the counters. By default a
   * `/guard feedback` command; a reaction says which comment it is on and when it was made.
   */
  onFeedback(incident: Incident, vote: FeedbackVote, user: string, comment: string | null, source?: FeedbackSource): Promise<FeedbackResult>;
  /**
   * Takes back the votes given by reaction on comment `commentId` of the users (lower-case logins) not in `reacting`:
   * they removed their reaction. Votes given by command stay. Returns how many were taken back.
   */
  withdrawReactionVotes(incident: Incident, commentId: number, reacting: ReadonlySet<string>): Promise<number>;
}

export interface VotesOptions {
  client: DynamoDBDocumentClient;
  tables: { incidents: string };
  clock: Clock;
  logger: StepLogger;
  knowledge: Pick<KnowledgeStore, 'recordFeedback'>;
  experiments: Pick<ExperimentStore, 'get' | 'addUnitVote' | 'addCounters'>;
  baselines: Pick<BaselineStore, 'addMetrics'>;
}

export function createVotes(options: VotesOptions): Votes {
  const { client, tables, clock, logger, knowledge, experiments, baselines } = options;
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
    const decision = incident.decision;
    if (down !== 0 && incident.repository && decision?.applied && AUTOMATIC_ACTIONS.has(decision.action)) {
      // A false positive while a writer's vote on it is down: counted when the first one comes (the claim keeps it
      // once), taken back when the last one goes. The ADD is atomic, so one change sees each crossing.
      const downs = Number(response.Attributes?.feedbackDown ?? 0);
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

  return {
    async onFeedback(incident, vote, user, comment, source = { via: 'command' }) {
      const now = clock();
      const at = now.toISOString();
      const reaction = source.via === 'reaction' ? source : null;
      // GitHub's clock may run ahead of ours: a reaction is not taken as made after it was read.
      const votedAt = reaction ? new Date(Math.min(Date.parse(reaction.reactedAt), now.getTime())) : now;
      let previous: FeedbackVote | null = null;
      try {
        const response = await client.send(
          new PutCommand({
            TableName: tables.incidents,
            Item: {
              ...feedbackKey(incident.id, user),
              vote, user, comment, at, via: source.via,
              expressedAt: reaction ? reaction.reactedAt : at,
              ...(reaction ? { commentId: reaction.commentId } : {}),
            },
            // A command's vote is the user's latest word: the same vote given by reaction before becomes the command's,
            // which no removed reaction takes back. A reaction never replaces a command given after it.
            ConditionExpression: reaction
              ? 'attribute_not_exists(pk) OR (vote <> :vote AND (attribute_not_exists(via) OR via = :reaction OR expressedAt < :expressed))'
              : 'attribute_not_exists(pk) OR vote <> :vote OR attribute_not_exists(via) OR via <> :command',
            ExpressionAttributeValues: { ':vote': vote, ...(reaction ? { ':reaction': 'reaction', ':expressed': reaction.reactedAt } : { ':command': 'command' }) },
            ReturnValues: 'ALL_OLD',
          }),
        );
        previous = storedVote(response.Attributes);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { counted: false, previous: vote };
        throw error;
      }
      if (previous === vote) return { counted: false, previous };
      await applyVoteChange(incident, previous, vote, votedAt);
      logger.info('feedback recorded', { incidentId: incident.id, vote, previous, via: source.via });
      return { counted: true, previous };
    },

    async withdrawReactionVotes(incident, commentId, reacting) {
      let withdrawn = 0;
      for (const item of await feedbackItems(incident.id)) {
        const login = String(item.sk).slice(FEEDBACK_PREFIX.length);
        const byReaction = item.via === 'reaction' || (item.via === undefined && item.comment === REACTION_FEEDBACK_COMMENT);
        if (!byReaction || reacting.has(login) || (item.commentId !== undefined && item.commentId !== commentId)) continue;
        const vote = storedVote(item);
        try {
          await client.send(
            new DeleteCommand({
              TableName: tables.incidents,
              Key: feedbackKey(incident.id, login),
              // Unless a command or another reading changed the vote since it was read.
              ConditionExpression: 'vote = :vote AND (via = :reaction OR attribute_not_exists(via))',
              ExpressionAttributeValues: { ':vote': vote, ':reaction': 'reaction' },
            }),
          );
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) continue;
          throw error;
        }
        // GitHub does not say when a reaction was removed: it counts as removed when it was found missing.
        await applyVoteChange(incident, vote, null, clock());
        logger.info('feedback withdrawn', { incidentId: incident.id, previous: vote, user: login });
        withdrawn += 1;
      }
      return withdrawn;
    },
  };
}
