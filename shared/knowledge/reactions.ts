import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import type { GitHubPort } from '../ports.js';
import type { StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { Learning } from './learning.js';

/** Reacting users whose permission is checked per collection; the rest wait for the next one. */
const MAX_REACTORS = 20;
const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

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
 * 👍/👎 reactions on the bot's PR comment, counted as feedback. GitHub sends no webhook for reactions, so they
 * are read whenever Pipeline Guard touches the comment again (a later notification, the recovery). The pull
 * request has one comment for all its incidents: a reaction counts for the incident the comment led with when it
 * was made (see showings), never for the ones shown before or after. Only users with write access count,
 * one vote per user (the learning loop keeps it idempotent); bots, users who reacted both ways and every other
 * emoji are ignored. Best effort: a failure is logged, never raised.
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
    const votes = new Map<string, Set<'up' | 'down'>>();
    for (const reaction of await github.listCommentReactions({ owner, repo }, commentId)) {
      if (!reaction.user || reaction.userType === 'Bot') continue;
      if (reaction.createdAt === null || shownAt(written, Date.parse(reaction.createdAt)) !== incident.id) continue;
      const vote = reaction.content === '+1' ? 'up' : reaction.content === '-1' ? 'down' : null;
      if (vote) votes.set(reaction.user, (votes.get(reaction.user) ?? new Set()).add(vote));
    }
    let counted = 0;
    for (const [user, choices] of [...votes].slice(0, MAX_REACTORS)) {
      if (choices.size !== 1) continue;
      if (!WRITE_ROLES.has(await github.repositoryPermission({ owner, repo }, user))) continue;
      const vote = [...choices][0] as 'up' | 'down';
      if ((await deps.learning.onFeedback(incident, vote, user, '(reaction on the Pipeline Guard comment)')).counted) counted += 1;
    }
    return counted;
  } catch (error) {
    deps.logger.warn('could not read reactions on the Pipeline Guard comment', { incidentId: incident.id, error: errorMessage(error) });
    return 0;
  }
}
