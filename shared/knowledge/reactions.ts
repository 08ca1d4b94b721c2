import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import type { GitHubPort } from '../ports.js';
import type { StepLogger } from '../ports.js';
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
 * 👍/👎 reactions on the bot's PR comment, counted as feedback. GitHub sends no webhook for reactions, so they
 * are read whenever Pipeline Guard touches the comment again (a later notification, the recovery). Only users
 * with write access count, one vote per user (the learning loop keeps it idempotent); bots, users who reacted
 * both ways and every other emoji are ignored. Best effort: a failure is logged, never raised.
 */
export async function collectReactionFeedback(
  incident: Incident,
  github: GitHubPort | null,
  deps: { learning?: Learning; logger: StepLogger },
): Promise<number> {
  const commentId = botCommentId(incident);
  if (!github || !deps.learning || !commentId || !incident.repository) return 0;
  const [owner, repo] = incident.repository.split('/') as [string, string];
  try {
    const votes = new Map<string, Set<'up' | 'down'>>();
    for (const reaction of await github.listCommentReactions({ owner, repo }, commentId)) {
      if (!reaction.user || reaction.userType === 'Bot') continue;
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
