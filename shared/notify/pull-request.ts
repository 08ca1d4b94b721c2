import type { Incident } from '../domain/incident.js';
import type { StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { variantParamsOf } from '../remediation/variant.js';
import { renderComment } from './comment.js';
import { renderShortComment } from './short-comment.js';

/** Incidents of one pull request read for its comment; more would not fit in a readable comment anyway. */
const MAX_PULL_REQUEST_INCIDENTS = 10;

/**
 * The one comment of a pull request, for `incident` and the PR's other open incidents (another workflow, another
 * CI system), so that updating it for one failure never hides another. If the list cannot be read the comment
 * still goes out, about this incident alone.
 */
export async function pullRequestComment(incident: Incident, incidents: IncidentStore, logger: StepLogger): Promise<string> {
  // An experiment arm may ask for the short comment; a proposal waiting for approval always shows in full.
  const short = variantParamsOf(incident).commentDetail === 'short' && incident.approval?.status !== 'pending';
  const render = short ? renderShortComment : renderComment;
  if (!incident.repository || !incident.pullRequest) return render(incident);
  try {
    // This incident is the one in hand (the newest state notify has): reading it again would only be dropped.
    const others = await incidents.listByPullRequest(incident.repository, incident.pullRequest, MAX_PULL_REQUEST_INCIDENTS, { except: incident.id });
    return render(incident, others);
  } catch (error) {
    logger.warn('could not list the pull request incidents; commenting on this one only', { incidentId: incident.id, error: String(error) });
    return render(incident);
  }
}
