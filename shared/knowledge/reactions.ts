import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { hasWriteAccess } from '../github/roles.js';
import type { GitHubPort, RepoRef, StepLogger, VoteReaction } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { Learning } from './learning.js';

/** 👍 and 👎 read per collection, each (5 pages of 100); later ones are not read. */
const REACTIONS_READ = 500;
/**
 * Reacting users whose permission is asked one by one. With more, the collaborator list is read instead (at most
 * {@link COLLABORATORS_READ}): its cost is the repository's number of collaborators, not the number of accounts
 * that reacted, so reactions from outsiders cannot use up the checks before a maintainer's turn.
 */
const PERMISSION_CHECKS = 25;
/** Collaborators read when more users reacted than are checked one by one (10 pages of 100). */
const COLLABORATORS_READ = 1000;
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
  const others = incidents && incident.repository && incident.pullRequest ? await incidents.listByPullRequest(incident.repository, incident.pullRequest, 50) : [];
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

/**
 * Each user's vote among the 👍/👎 on comment `commentId` made while it showed incident `incidentId`, by lower-case
 * login; bots and users who reacted both ways have none.
 */
async function votesOnComment(
  github: GitHubPort,
  repo: RepoRef,
  commentId: number,
  written: ReadonlyArray<{ at: number; id: string }>,
  incidentId: string,
  logger: StepLogger,
): Promise<Map<string, { login: string; vote: 'up' | 'down' }>> {
  const choices = new Map<string, { login: string; votes: Set<'up' | 'down'> }>();
  for (const [content, vote] of VOTES) {
    const reactions = await github.listCommentReactions(repo, commentId, content, REACTIONS_READ);
    if (reactions.length >= REACTIONS_READ) logger.warn(`only the first ${REACTIONS_READ} ${content} reactions on the Pipeline Guard comment are read`, { incidentId, commentId });
    for (const reaction of reactions) {
      if (!reaction.user || reaction.userType === 'Bot' || reaction.content !== content) continue;
      if (reaction.createdAt === null || shownAt(written, Date.parse(reaction.createdAt)) !== incidentId) continue;
      const key = reaction.user.toLowerCase();
      const user = choices.get(key) ?? { login: reaction.user, votes: new Set<'up' | 'down'>() };
      user.votes.add(vote);
      choices.set(key, user);
    }
  }
  return new Map([...choices].filter(([, user]) => user.votes.size === 1).map(([key, user]) => [key, { login: user.login, vote: [...user.votes][0]! }]));
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

/**
 * 👍/👎 reactions on the bot's PR comment, counted as feedback. GitHub sends no webhook for reactions, so they
 * are read whenever Pipeline Guard touches the comment again (a later notification, the recovery). The pull
 * request has one comment for all its incidents: a reaction counts for the incident the comment led with when it
 * was made (see showings), never for the ones shown before or after. Only users with write access count,
 * one vote per user (the learning loop keeps it idempotent); bots, users who reacted both ways and every other
 * emoji are ignored. Reading is bounded ({@link REACTIONS_READ} of each, and see {@link withWriteAccess}).
 * Best effort: a failure is logged, never raised.
 */
export async function collectReactionFeedback(
  incident: Incident,
  github: GitHubPort | null,
  deps: { learning?: Learning; logger: StepLogger; incidents?: Pick<IncidentStore, 'listByPullRequest'> },
): Promise<number> {
  const commentId = botCommentId(incident);
  if (!github || !deps.learning || !commentId || !incident.repository) return 0;
  const [owner, repo] = incident.repository.split('/') as [string, string];
  try {
    const written = await showings(incident, commentId, deps.incidents);
    const votes = await votesOnComment(github, { owner, repo }, commentId, written, incident.id, deps.logger);
    const writers = await withWriteAccess(github, { owner, repo }, [...votes.values()].map((voter) => voter.login), deps.logger);
    let counted = 0;
    for (const [user, { login, vote }] of votes) {
      if (!writers.has(user)) continue;
      if ((await deps.learning.onFeedback(incident, vote, login, '(reaction on the Pipeline Guard comment)')).counted) counted += 1;
    }
    return counted;
  } catch (error) {
    deps.logger.warn('could not read reactions on the Pipeline Guard comment', { incidentId: incident.id, error: errorMessage(error) });
    return 0;
  }
}
