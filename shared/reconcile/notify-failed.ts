/**
 * Incidents the notify function could not report. When Notify fails after its retries, the state machine only marks
 * the incident (`notifyFailed`, and a `notify_failed` history entry holding the error's name) and ends; the
 * reconciler, a separate function, tells on-call here. One cause — a notify function that fails on every input —
 * breaks every incident at once, so all of them are one problem in the escalation ledger: the first in a window
 * pages, the rest are counted on that page and reported in its digest.
 *
 * The page is content-free on purpose: it names the incident, the execution and the error's name (checked against
 * the shape of an error name, never the exception's message, which may hold unredacted text of any length), and
 * renders nothing of the incident itself, so it cannot fail on the incident that notify failed on.
 */
import { notifyErrorOf } from '../domain/handoff.js';
import type { Incident } from '../domain/incident.js';
import { publishClaimedPage } from '../notify/claimed-page.js';
import { FALLBACK_PAGE } from '../notify/escalation.js';
import type { Clock, EscalationLedger, EscalationMessage, EscalationPublisher, EscalationTally, StepLogger } from '../ports.js';
import { type PolicyFile, policyFor } from '../remediation/policy.js';
import type { IncidentStore } from '../stores/incident-store.js';

/** The ledger's problem key: one for the whole deployment, since one notify function serves every incident. */
export const NOTIFY_FAILED_KEY = 'guard-notify-failed';

export interface NotifyFailedDeps {
  incidents: Pick<IncidentStore, 'update'>;
  escalations: EscalationPublisher;
  escalationLedger: EscalationLedger;
  policyFile: PolicyFile;
  clock: Clock;
  logger: StepLogger;
}

const SUBJECT = '[Pipeline Guard] The notify function failed: an incident was not reported';
const { kind: KIND } = FALLBACK_PAGE.notify_failed;

export function renderNotifyFailed(
  facts: { incidentId: string; source: string; execution: string; error: string | null },
  tally: EscalationTally,
  policy: { windowMinutes: number; digest: boolean },
): EscalationMessage {
  const failed = `Pipeline Guard's notify function failed on incident ${facts.incidentId} after its retries (${facts.error ?? 'an unnamed error'}): its pull request comment or escalation may not have gone out.`;
  const seen = tally.total > 1 && tally.firstSeen ? `Incidents it could not report: ${tally.total} since ${tally.firstSeen}.` : null;
  const later = `Further incidents it cannot report in the next ${policy.windowMinutes} minutes are counted on this message, not paged; ${policy.digest ? 'one digest reports them when the window ends' : 'the next message after the window reports them'}.`;
  const needs = 'look at the notify function: its logs, its latest deployment, its permissions and the GitHub credentials it uses. The incidents it could not report are recorded as notified by this fallback, each with what the guard found.';
  const lines = [failed, ...(seen ? [seen] : []), later, '', `What it needs from you: ${needs}`, '', `Incident: ${facts.incidentId} (Step Functions execution ${facts.execution})`];
  return {
    subject: SUBJECT,
    message: lines.join('\n'),
    attributes: { severity: 'high', source: facts.source, kind: KIND },
    chat: {
      version: '1.0',
      source: 'custom',
      id: `notify-failed:${facts.incidentId}`,
      content: { textType: 'client-markdown', title: SUBJECT, description: [failed, ...(seen ? [seen] : []), later].join('\n'), nextSteps: [`What it needs from you: ${needs}`], keywords: [KIND] },
      metadata: { threadId: NOTIFY_FAILED_KEY, summary: SUBJECT },
    },
  };
}

/**
 * Tells on-call about an incident Notify could not report (once per window for all of them) and records it notified
 * by this fallback, clearing the "nobody was told" mark. Paged before it is recorded, like every ledger page: a
 * crash in between sends it once more at most (shared/stores/escalation-ledger.ts).
 */
export async function escalateNotifyFailed(incident: Incident, execution: string, deps: NotifyFailedDeps): Promise<void> {
  // The deployment's defaults, not one repository's: the problem is the notify function, whatever it was reporting.
  const policy = policyFor(deps.policyFile, null, false).escalation;
  const occurrence = {
    key: NOTIFY_FAILED_KEY,
    incidentId: incident.id,
    at: deps.clock(),
    windowMinutes: policy.windowMinutes,
    mayOpen: true,
    label: 'incidents the notify function could not report',
    digest: policy.digest,
  };
  const error = notifyErrorOf(incident);
  const tally = await deps.escalationLedger.record(occurrence);
  if (tally.send) {
    await publishClaimedPage(renderNotifyFailed({ incidentId: incident.id, source: incident.source, execution, error }, tally, policy), occurrence, deps);
  }
  const counted = tally.send ? 'paged' : `counted on the open escalation (${tally.windowCount} in this window)`;
  const at = deps.clock().toISOString();
  await deps.incidents.update(
    incident.id,
    { status: 'notified', notifiedByFallback: true, notifyFailed: false, fallbackEscalation: { cause: 'notify_failed', paged: tally.send, at } },
    { history: [{ at, event: 'escalated_notify_failed', detail: `notify failed (${error ?? 'unnamed error'}) on ${execution}; ${counted}` }] },
  );
}
