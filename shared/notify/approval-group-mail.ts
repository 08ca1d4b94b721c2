import type { Incident } from '../domain/incident.js';
import { shortHash } from '../domain/trigger.js';
import type { EscalationDigest, EscalationMessage } from '../ports.js';
import { waitEndedBy } from '../remediation/approval-resume.js';
import { ACTION_WORDS } from './approval-mail.js';
import { renderEscalation } from './escalation.js';

/**
 * The escalation ledger's items of approval-request groups (shared/notify/approval-groups.ts): `approval-group` is the
 * group's lead item, `approval-group:<start>:digest[:<part>]` the requests its later alarms wait on.
 */
export const APPROVAL_GROUP_KEY = 'approval-group';

/**
 * Requests per e-mail: each carries its alarm's facts, links and two commands with a task token (up to 1 KB in AWS),
 * some 5 KB in all; ten keep a message far under SNS's 256 KB, and an e-mail on-call can still work through.
 */
const REQUESTS_PER_MESSAGE = 10;

/** How a grouped request is named on its group's digest: its incident and a hash of the token its execution waits on. */
export const requestMember = (incidentId: string, taskToken: string) => `${incidentId} ${shortHash(taskToken)}`;

const MEMBER = /^(\S+) ([0-9a-f]{16})$/;

/** Whether a due digest is an approval-request group's (its requests are e-mailed, not counted). */
export const isApprovalGroupDigest = (problemKey: string) => problemKey.startsWith(`${APPROVAL_GROUP_KEY}:`);

export interface ApprovalGroupMailDeps {
  incidents: { get(id: string): Promise<Incident | null> };
  clock: () => Date;
  /** The Step Functions endpoint the commands name when it is not AWS's (the local runtime's), and their Region. */
  stepFunctions?: { endpoint: string | undefined; region: string } | undefined;
}

/**
 * The e-mails of an approval-request group's digest: every request named on it whose execution still waits on the
 * token it was named with (pending, its wait not over, its incident open), each with its own alarm's facts and its
 * own approve and reject commands, {@link REQUESTS_PER_MESSAGE} to a message. A request whose wait ended (timed out,
 * decided, recovered, superseded, a new token) is not asked: the first message counts it as no longer waiting. Each
 * message's `members` are the requests it asks, which the digest sender records it by.
 */
export async function renderApprovalGroupParts(digest: EscalationDigest, deps: ApprovalGroupMailDeps): Promise<Array<{ members: string[]; message: EscalationMessage }>> {
  const now = deps.clock();
  const waiting: Array<{ member: string; incident: Incident; taskToken: string }> = [];
  let ended = 0;
  for (const member of digest.members ?? []) {
    const named = MEMBER.exec(member);
    if (!named) continue;
    const [, incidentId, tokenHash] = named as unknown as [string, string, string];
    const incident = await deps.incidents.get(incidentId);
    const approval = incident?.approval;
    const taskToken = approval?.taskToken;
    if (incident && approval?.status === 'pending' && taskToken && shortHash(taskToken) === tokenHash && !waitEndedBy(approval, now) && incident.status !== 'resolved' && !incident.supersededBy) {
      waiting.push({ member, incident, taskToken });
    } else {
      ended += 1;
    }
  }
  const runs: Array<typeof waiting> = [];
  for (let i = 0; i < waiting.length; i += REQUESTS_PER_MESSAGE) runs.push(waiting.slice(i, i + REQUESTS_PER_MESSAGE));
  return runs.map((run, i) => ({
    members: run.map((request) => request.member),
    message: groupMessage(run, { start: digest.windowStart, waiting: waiting.length, part: runs.length > 1 ? { index: i + 1, of: runs.length } : null, ended: i === 0 ? ended : 0 }, deps),
  }));
}

function groupMessage(
  run: Array<{ incident: Incident; taskToken: string }>,
  group: { start: string; waiting: number; part: { index: number; of: number } | null; ended: number },
  deps: ApprovalGroupMailDeps,
): EscalationMessage {
  const requests = run.map(({ incident, taskToken }) => {
    const action = incident.plan ? ACTION_WORDS[incident.plan.action] ?? incident.plan.action : 'act';
    return renderEscalation(incident, `Pipeline Guard proposes to ${action}: approve or reject it with the commands below.`, undefined, undefined, {
      taskToken, endpoint: deps.stepFunctions?.endpoint, region: deps.stepFunctions?.region,
    });
  });
  const part = group.part ? ` (${group.part.index} of ${group.part.of})` : '';
  const lines = [
    `Approval requests of an alarm storm: ${group.waiting} alarm${group.waiting === 1 ? '' : 's'} of this deployment fired within minutes of the alarm whose approval request went out at ${group.start}, and each proposes an action that needs your approval.`,
    'Each alarm waits on its own execution: approve or reject each one with the commands listed under it (a command answers only that alarm).',
    ...(group.part ? [`This is part ${group.part.index} of ${group.part.of}: the requests are split over ${group.part.of} e-mails.`] : []),
    ...(group.ended ? [`Not asked: ${group.ended} more request${group.ended === 1 ? '' : 's'} of this group no longer wait${group.ended === 1 ? 's' : ''} (the wait ended, was decided, or the alarm recovered).`] : []),
  ];
  for (const [i, request] of requests.entries()) lines.push('', `==== Request ${i + 1} of ${requests.length} ====`, request.message);
  const title = `Approval needed for ${requests.length} alarm${requests.length === 1 ? '' : 's'} of an alarm storm${part}`;
  return {
    subject: `[Pipeline Guard] ${title}`,
    message: lines.join('\n'),
    attributes: { ...requests[0]!.attributes, kind: 'approval-group' },
    // As for a single request, the tokens go to the e-mail only: chat gets the alarms' titles, as their own requests'.
    chat: {
      version: '1.0',
      source: 'custom',
      id: `${APPROVAL_GROUP_KEY}:${group.start}${group.part ? `:${group.part.index}` : ''}`,
      content: {
        textType: 'client-markdown',
        title,
        description: requests.map((request) => `- ${request.chat?.content.title ?? ''}`).join('\n').slice(0, 3500),
        nextSteps: ['Approve or reject each alarm with the commands of the approval request e-mail.'],
        keywords: ['approval', 'cloudwatch'],
      },
      metadata: { threadId: `${APPROVAL_GROUP_KEY}:${group.start}`, summary: title },
    },
  };
}
