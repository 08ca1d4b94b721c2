import type { Incident } from '../domain/incident.js';
import type { StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { variantParamsOf } from '../remediation/variant.js';
import { renderComment } from './comment.js';
import { renderShortComment } from './short-comment.js';

/**
 * Incidents of one pull request read for its comment (more would not fit in a readable comment anyway), and by Notify
 * to find the failures a later push superseded, which reads them once for both.
 */
export const PULL_REQUEST_INCIDENTS_READ = 10;

/**
 * The pull request's other incidents, newest first, of its {@link PULL_REQUEST_INCIDENTS_READ} newest. `incident` is
 * the one in hand (the newest state the caller has): reading it again would only be dropped.
 */
export function otherPullRequestIncidents(
  incident: Pick<Incident, 'id' | 'repositoryId'> & { repository: string; pullRequest: number },
  incidents: Pick<IncidentStore, 'listByPullRequest'>,
): Promise<Incident[]> {
  return incidents.listByPullRequest({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, PULL_REQUEST_INCIDENTS_READ, { except: incident.id });
}

/**
 * The one comment of a pull request, for `incident` and the PR's other open incidents (another workflow, another
 * CI system), so that updating it for one failure never hides another. `others`: those incidents as the caller read
 * them this round (with what it wrote to them since), else they are read here. If the list cannot be read the
 * comment still goes out, about this incident alone.
 */
export async function pullRequestComment(incident: Incident, incidents: Pick<IncidentStore, 'listByPullRequest'>, logger: StepLogger, others?: Incident[]): Promise<string> {
  // An experiment arm may ask for the short comment; a proposal waiting for approval always shows in full.
  const short = variantParamsOf(incident).commentDetail === 'short' && incident.approval?.status !== 'pending';
  const render = short ? renderShortComment : renderComment;
  const { repository, pullRequest } = incident;
  if (!repository || !pullRequest) return render(incident);
  if (others) return render(incident, others);
  try {
    return render(incident, await otherPullRequestIncidents({ id: incident.id, repositoryId: incident.repositoryId, repository, pullRequest }, incidents));
  } catch (error) {
    logger.warn('could not list the pull request incidents; commenting on this one only', { incidentId: incident.id, error: String(error) });
    return render(incident);
  }
}

/**
 * Whether the pull request's one comment was written for another of its incidents at or after `since`: a newer failure
 * leads it now, and shows this one as it is; rewritten for this one, it would lose that lead.
 */
export async function commentRewrittenForAnother(incident: Incident, since: string, incidents: Pick<IncidentStore, 'listByPullRequest'>): Promise<boolean> {
  if (!incident.repository || !incident.pullRequest) return false;
  const others = await incidents.listByPullRequest({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, 50, { except: incident.id });
  return others.some((other) => other.notifications.some((n) => n.channel === 'github_comment' && typeof n.commentId === 'number' && n.at >= since));
}
