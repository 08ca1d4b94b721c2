import type { Incident, NotificationRecord } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { shortHash } from '../domain/trigger.js';
import type { EscalationLedger, EscalationOccurrence, EscalationPublisher, PublishMark, StepLogger } from '../ports.js';
import { publishClaimedPage } from './claimed-page.js';
import { renderEscalation } from './escalation.js';

/** A proposed action as a request and a record of its outcome name it. */
export const ACTION_WORDS: Record<string, string> = {
  rerun_failed_jobs: 're-run the failed jobs',
  open_fix_pr: 'open a fix pull request for review',
  run_runbook: 'run the allow-listed runbook',
};

export interface ApprovalMailDeps {
  escalations: EscalationPublisher;
  escalationLedger: EscalationLedger;
  logger: StepLogger;
  clock: () => Date;
  /** The Step Functions endpoint the e-mailed commands name when it is not AWS's (the local runtime's). */
  endpoint: string | undefined;
}

/** The escalation ledger's item of the request e-mailed for `incidentId`'s wait on `taskToken` (one per token). */
const requestKey = (incidentId: string, taskToken: string) => `approval:${incidentId}:${shortHash(taskToken)}`;

/**
 * When the request of `incidentId`'s wait on `earlierToken` was e-mailed, as its ledger item says (marked after the
 * publish, so it holds even when the write recording the e-mail on the incident failed), or when its e-mailing began
 * (marked before the publish: the function died before it marked the publish, so it may or may not have gone out,
 * session 43); null when no e-mailing of it is known to have begun (its claim alone is not enough: attack-44c S6). For
 * a retried request, whose new token makes the earlier e-mail's commands answer nothing.
 */
export function requestMailedAt(incidentId: string, earlierToken: string, deps: Pick<ApprovalMailDeps, 'escalationLedger'>): Promise<PublishMark | null> {
  return deps.escalationLedger.lastSent(requestKey(incidentId, earlierToken));
}

/**
 * E-mails the request of `incident`'s approval wait on `taskToken` to on-call: once per incident and token (its own
 * item in the escalation ledger, for the approval timeout `windowMinutes`), published after the claim and recorded
 * after that, so a crash in between lets the next try send it once more, and no further try sends a third
 * (shared/notify/claimed-page.ts). `executionArn`: the waiting execution's, whose Region the commands answer in.
 * `replaces`: when the request it replaces (an earlier attempt's, whose token Step Functions no longer takes) went out,
 * or began to. The publish is marked begun before it and done after it: a function that dies in between leaves its
 * retry the mark that says the e-mail may have gone out (unmarked, the retry's request said nothing of an e-mail
 * on-call held: session 43); a publish that answered an error takes the mark back, as it sent nothing known.
 */
export async function publishApprovalRequest(
  incident: Incident,
  taskToken: string,
  executionArn: unknown,
  windowMinutes: number,
  deps: ApprovalMailDeps,
  replaces: PublishMark | null = null,
): Promise<NotificationRecord> {
  const at = deps.clock();
  const occurrence: EscalationOccurrence = {
    key: requestKey(incident.id, taskToken),
    incidentId: incident.id,
    at,
    windowMinutes,
    mayOpen: true,
    label: `approval request of ${incident.id}`,
    digest: false,
  };
  const tally = await deps.escalationLedger.record(occurrence);
  if (!tally.send) {
    return { channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail: 'the approval request with this task token went out on an earlier try of this step', at: at.toISOString() };
  }
  const action = incident.plan ? ACTION_WORDS[incident.plan.action] ?? incident.plan.action : 'act';
  const message = renderEscalation(incident, `Pipeline Guard proposes to ${action}: approve or reject it with the commands below.`, undefined, executionArn, {
    taskToken,
    endpoint: deps.endpoint,
    replaces,
  });
  // Failing here fails the step with nothing sent: its retry (a new token) asks anew and replaces nothing.
  await deps.escalationLedger.publishing(occurrence, true);
  const published = await publishClaimedPage(message, occurrence, deps).catch(async (error: unknown) => {
    await deps.escalationLedger.publishing(occurrence, false).catch((takeBack: unknown) => {
      // Left, a retry's request says it may replace this one, which it may: the publish's error does not say it failed.
      deps.logger.warn('taking the approval request\'s publish mark back failed', { key: occurrence.key, error: errorMessage(takeBack) });
    });
    throw error;
  });
  try {
    await deps.escalationLedger.published(occurrence);
  } catch (error) {
    // The e-mail went out: failing the step for the mark would retry it with a new token and e-mail again. Unmarked,
    // the mark written before the publish still makes a retry's request say it may replace this one.
    deps.logger.warn('marking the approval request published failed', { key: occurrence.key, incidentId: incident.id, error: errorMessage(error) });
  }
  return { channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: published.messageId, at: at.toISOString() };
}
