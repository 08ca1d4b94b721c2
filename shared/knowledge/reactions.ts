import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { hasWriteAccess } from '../github/roles.js';
import type { GitHubPort, RepoRef, StepLogger, VoteReaction } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { REACTION_FEEDBACK_COMMENT } from './feedback-source.js';
import type { Votes } from './votes.js';

/** 👍 and 👎 read per collection, each (5 pages of 100); later ones are not read. */
export const REACTIONS_READ = 500;
/**
 * Reacting users whose permission is asked one by one. With more, the collaborator list is read instead (at most
 * {@link COLLABORATORS_READ}): its cost is the repository's number of collaborators, not the number of accounts
 * that reacted, so reactions from outsiders cannot use up the checks before a maintainer's turn.
 */
export const PERMISSION_CHECKS = 25;
/** Collaborators read when more users reacted than are checked one by one (10 pages of 100). */
export const COLLABORATORS_READ = 1000;
const VOTES: ReadonlyArray<readonly [VoteReaction, 'up' | 'down']> = [['+1', 'up'], ['-1', 'down']];

/** The bot's comment on the incident's pull request, from the notifications that created or updated it. */
export function botCommentId(incident: Incident): number | null {
  for (let i = incident.notifications.length - 1; i >= 0; i -= 1) {
    const commentId = incident.notifications[i]?.commentId;
    if (commentId) return commentId;
  }
  return null;
}

/**
 * When the comment `commentId` was written, and for which incident: each incident's notifications through it. The
 * pull request has one comment, rewritten for whichever incident it then leads with (a new failure, a recovery).
 */
async function showings(incident: Incident, commentId: number, incidents: Pick<IncidentStore, 'listByPullRequest'> | undefined) {
  const others = incidents && incident.repository && incident.pullRequest ? await incidents.listByPullRequest({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, 50) : [];
  return [incident, ...others.filter((other) => other.id !== incident.id)]
    .flatMap((shown) => shown.notifications.filter((n) => n.commentId === commentId).map((n) => ({ at: Date.parse(n.at), id: shown.id })))
    .sort((a, b) => a.at - b.at);
}

/** The incident the comment led with at `at` (the last written before it), or null before it was written. */
function shownAt(written: ReadonlyArray<{ at: number; id: string }>, at: number): string | null {
  let shown: string | null = null;
  for (const write of written) {
    if (write.at > at) break;
    shown = write.id;
  }
  return shown;
}

interface ReactionVotes {
  /** Each user's latest 👍/👎 made while the comment showed the incident, by lower-case login. */
  votes: Map<string, { login: string; vote: 'up' | 'down'; reactedAt: string }>;
  /** Every user with a 👍 or 👎 on it for the incident (a tie of both included), by lower-case login. */
  reacting: Set<string>;
  /** Whether both collections were read to their end: only then is a missing reaction one that was removed. */
  complete: boolean;
}

/**
 * The users' votes among the 👍/👎 on comment `commentId` made while it showed incident `incidentId`: each user's
 * latest reaction (GitHub keeps both when a user adds a 👎 and leaves their 👍), none for a user whose two were
 * made in the same second. Bots have none.
 */
async function votesOnComment(
  github: GitHubPort,
  repo: RepoRef,
  commentId: number,
  written: ReadonlyArray<{ at: number; id: string }>,
  incidentId: string,
  logger: StepLogger,
): Promise<ReactionVotes> {
  const latest = new Map<string, { login: string; vote: 'up' | 'down' | null; at: number; reactedAt: string }>();
  let complete = true;
  for (const [content, vote] of VOTES) {
    const reactions = await github.listCommentReactions(repo, commentId, content, REACTIONS_READ);
    if (reactions.length >= REACTIONS_READ) {
      complete = false;
      logger.warn(`only the first ${REACTIONS_READ} ${content} reactions on the Pipeline Guard comment are read`, { incidentId, commentId });
    }
    for (const reaction of reactions) {
      if (!reaction.user || reaction.userType === 'Bot' || reaction.content !== content || reaction.createdAt === null) continue;
      const at = Date.parse(reaction.createdAt);
      if (Number.isNaN(at) || shownAt(written, at) !== incidentId) continue;
      const key = reaction.user.toLowerCase();
      const known = latest.get(key);
      if (known && known.at > at) continue;
      latest.set(key, { login: reaction.user, vote: known && known.at === at && known.vote !== vote ? null : vote, at, reactedAt: reaction.createdAt });
    }
  }
  const votes = new Map<string, { login: string; vote: 'up' | 'down'; reactedAt: string }>();
  for (const [key, { login, vote, reactedAt }] of latest) if (vote) votes.set(key, { login, vote, reactedAt });
  return { votes, reacting: new Set(latest.keys()), complete };
}

/**
 * Which of `users` have write access (as lower-case logins). A few are checked one by one; more are looked up in the
 * collaborator list, and only those it could not settle (it failed, or was longer than {@link COLLABORATORS_READ})
 * are checked one by one: the first {@link PERMISSION_CHECKS} listed (👍 before 👎); the others' votes are not counted.
 */
async function withWriteAccess(github: GitHubPort, repo: RepoRef, users: readonly string[], logger: StepLogger): Promise<Set<string>> {
  const writers = new Set<string>();
  let unsettled = users;
  if (users.length > PERMISSION_CHECKS) {
    try {
      const { collaborators, complete } = await github.listCollaborators(repo, COLLABORATORS_READ);
      const roles = new Map(collaborators.map((collaborator) => [collaborator.login.toLowerCase(), collaborator.role]));
      for (const user of users) if (hasWriteAccess(roles.get(user.toLowerCase()) ?? 'none')) writers.add(user.toLowerCase());
      unsettled = complete ? [] : users.filter((user) => !roles.has(user.toLowerCase()));
    } catch (error) {
      logger.warn('could not list the collaborators; checking reacting users one by one', { error: errorMessage(error) });
    }
  }
  for (const user of unsettled.slice(0, PERMISSION_CHECKS)) {
    if (hasWriteAccess(await github.repositoryPermission(repo, user))) writers.add(user.toLowerCase());
  }
  if (unsettled.length > PERMISSION_CHECKS) logger.warn(`${unsettled.length - PERMISSION_CHECKS} reacting users' permission not checked`, { checked: PERMISSION_CHECKS });
  return writers;
}

interface ReactionFeedbackDeps {
  learning?: Votes;
  logger: StepLogger;
  incidents?: Pick<IncidentStore, 'listByPullRequest'>;
  /**
   * The reaction lists were read page by page over several runs (the reconciler's late read, resumed): a reaction
   * removed from an early page meanwhile moves a later one onto a page read already, so one missing from them is not
   * taken as removed, and no vote is taken back by this read.
   */
  readAcrossRuns?: boolean;
}

/**
 * 👍/👎 reactions on the bot's PR comment, counted as feedback: how many users' votes changed. The pull request has
 * one comment for all its incidents: a reaction counts for the incident the comment led with when it was made (see
 * showings), never for the ones shown before or after. Only users with write access count, by their latest reaction
 * (the learning loop keeps it idempotent), and a vote whose reaction was removed is taken back (see
 * `Learning.withdrawReactionVotes`); bots and every other emoji are ignored. Reading is bounded ({@link REACTIONS_READ}
 * of each, and see {@link withWriteAccess}). A failure is raised: see {@link collectReactionFeedback} for the guard's
 * own touches, and the reconciler's late read (shared/reconcile/late-reactions.ts), which keeps the read for its next run.
 */
export async function readReactionFeedback(incident: Incident, github: GitHubPort | null, deps: ReactionFeedbackDeps): Promise<number> {
  const commentId = botCommentId(incident);
  if (!github || !deps.learning || !commentId || !incident.repository) return 0;
  const [owner, repo] = incident.repository.split('/') as [string, string];
  const written = await showings(incident, commentId, deps.incidents);
  const { votes, reacting, complete } = await votesOnComment(github, { owner, repo }, commentId, written, incident.id, deps.logger);
  const writers = await withWriteAccess(github, { owner, repo }, [...votes.values()].map((voter) => voter.login), deps.logger);
  let counted = 0;
  for (const [user, { login, vote, reactedAt }] of votes) {
    if (!writers.has(user)) continue;
    const source = { via: 'reaction', commentId, reactedAt } as const;
    if ((await deps.learning.onFeedback(incident, vote, login, REACTION_FEEDBACK_COMMENT, source)).counted) counted += 1;
  }
  // A reaction missing from a list read only in part may just not have been read.
  if (complete && !deps.readAcrossRuns) counted += await deps.learning.withdrawReactionVotes(incident, commentId, reacting);
  return counted;
}

/**
 * {@link readReactionFeedback} whenever Pipeline Guard touches its comment again (a later notification, the
 * recovery): GitHub sends no webhook for reactions. Best effort: a failure is logged, never raised.
 */
export async function collectReactionFeedback(incident: Incident, github: GitHubPort | null, deps: ReactionFeedbackDeps): Promise<number> {
  try {
    return await readReactionFeedback(incident, github, deps);
  } catch (error) {
    deps.logger.warn('could not read reactions on the Pipeline Guard comment', { incidentId: incident.id, error: errorMessage(error) });
    return 0;
  }
}
