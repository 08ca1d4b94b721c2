import type { Incident } from '../domain/incident.js';
import { jsonBytes, shortHash } from '../domain/trigger.js';
import type { EscalationDigest, EscalationMessage } from '../ports.js';
import { waitEndedBy } from '../remediation/approval-resume.js';
import { ACTION_WORDS } from './approval-mail.js';
import { renderEscalation, runsWithin } from './escalation.js';

/**
 * The escalation ledger's items of approval-request groups (shared/notify/approval-groups.ts): `approval-group` is the
 * group's lead item, `approval-group:<start>:digest[:<part>]` the requests its later alarms wait on.
 */
export const APPROVAL_GROUP_KEY = 'approval-group';

/**
 * Requests per e-mail at most: an e-mail on-call can still work through. Each request carries its alarm's facts, links
 * and two commands with a task token (up to 1 KB in AWS): some 5 KB, but up to 40 KB for an alarm whose texts are at
 * the event schema's bounds, so an e-mail is bounded by bytes too ({@link REQUEST_BYTES_PER_MESSAGE}).
 */
const REQUESTS_PER_MESSAGE = 10;
/**
 * The requests one e-mail holds at most, in bytes once JSON-encoded (as the page digests bound their names): ten
 * bound-sized requests made an e-mail SNS refused on every try, and the digest was given up with all its requests
 * (attack-44a H5). 100 KB leaves the headings, the chat rendering, subject and attributes far more than they need under
 * SNS's 256 KB. A request over it alone is e-mailed alone, its text cut as a page's is.
 */
const REQUEST_BYTES_PER_MESSAGE = 100_000;

/** A message's text is cut there, as a page's is (shared/notify/escalation.ts). */
const MESSAGE_MAX_CHARS = 200_000;

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
 * What the digest sender records of a request once an e-mail asking it was published (`messagePublished`): the
 * request itself, not the message, so a retry leaves it out whichever requests still wait by then (attack-44a H1).
 */
export const askedKey = (member: string) => `asked ${shortHash(member)}`;

interface WaitingRequest {
  member: string;
  request: EscalationMessage;
}

/**
 * The e-mails of an approval-request group's digest: every request named on it whose execution still waits on the
 * token it was named with (pending, its wait not over, its incident open) and that no earlier claim e-mailed (its
 * {@link askedKey} in `asked`), each with its own alarm's facts and its own approve and reject commands. Requests share
 * an e-mail only when their message attributes but `alarm` (account, region, severity, …: what subscribers' filter
 * policies read) are equal, and it carries those and `alarm` as the list of its alarms (see {@link groupMessage}), so a
 * subscription filtering on any of them gets it (attack-44a H3). Then {@link REQUESTS_PER_MESSAGE} and
 * {@link REQUEST_BYTES_PER_MESSAGE} to an e-mail.
 * A request whose wait ended (timed out, decided, recovered, superseded) is not asked: the first message counts it as
 * no longer waiting. A record of an earlier token of a request that still waits on a new one (its Notify retried, which
 * Step Functions does with a new token) is left out and not counted: the request is asked under its new token, once
 * (counted as ended, it was told on-call as a wait that ended: session 43). Each message's `members` are the requests
 * it asks, which the sender records.
 */
export async function renderApprovalGroupParts(
  digest: EscalationDigest,
  deps: ApprovalGroupMailDeps,
  asked: ReadonlySet<string> = new Set(),
): Promise<Array<{ members: string[]; message: EscalationMessage }>> {
  const now = deps.clock();
  const routes = new Map<string, WaitingRequest[]>();
  let ended = 0;
  for (const member of digest.members ?? []) {
    const named = MEMBER.exec(member);
    if (!named || asked.has(askedKey(member))) continue;
    const [, incidentId, tokenHash] = named as unknown as [string, string, string];
    const incident = await deps.incidents.get(incidentId);
    const approval = incident?.approval;
    const taskToken = approval?.taskToken;
    const waits = incident && approval?.status === 'pending' && taskToken && !waitEndedBy(approval, now) && incident.status !== 'resolved' && !incident.supersededBy;
    if (!waits) {
      ended += 1;
    } else if (shortHash(taskToken) === tokenHash) {
      const request = requestOf(incident, taskToken, deps);
      const route = JSON.stringify(Object.entries(request.attributes).filter(([name]) => name !== 'alarm').sort(([a], [b]) => a.localeCompare(b)));
      routes.set(route, [...(routes.get(route) ?? []), { member, request }]);
    }
    // Else an earlier token of a request that still waits, on the token of its retry: asked under that token (named on
    // a digest, or e-mailed alone), never counted as ended (session 43).
  }
  const runs = [...routes.values()].flatMap((requests) => {
    const split = runsWithin(requests, ({ request }) => jsonBytes(request.message), REQUEST_BYTES_PER_MESSAGE, REQUESTS_PER_MESSAGE);
    return split.map((run, i) => ({ run, part: split.length > 1 ? { index: i + 1, of: split.length } : null }));
  });
  return runs.map(({ run, part }, i) => ({
    members: run.map((waiting) => waiting.member),
    message: groupMessage(run.map((waiting) => waiting.request), { start: digest.windowStart, part, message: runs.length > 1 ? i + 1 : null, ended: i === 0 ? ended : 0 }),
  }));
}

/** A grouped request as its own e-mail would ask it: its alarm's facts, its commands and its message attributes. */
function requestOf(incident: Incident, taskToken: string, deps: ApprovalGroupMailDeps): EscalationMessage {
  const action = incident.plan ? ACTION_WORDS[incident.plan.action] ?? incident.plan.action : 'act';
  return renderEscalation(incident, `Pipeline Guard proposes to ${action}: approve or reject it with the commands below.`, undefined, undefined, {
    taskToken, endpoint: deps.stepFunctions?.endpoint, region: deps.stepFunctions?.region,
  });
}

/**
 * One e-mail of requests whose attributes but `alarm` are equal: `part`, which of the e-mails their requests are split
 * over it is; `message`, its place among all the group's e-mails of this send (its chat id).
 *
 * It carries `alarm` as a String.Array of every alarm it asks about. An SNS filter policy on `alarm` matches an array
 * when any of its values matches, so each team's subscription gets every e-mail that asks about its alarm; it may see
 * other alarms' requests in it too. Accepted (session 42): a token answers a wait only through
 * `aws stepfunctions send-task-success`, which needs states:SendTaskSuccess on the state machine, so a token alone
 * grants nothing. The first request's `alarm` alone sent the others' owners nothing (attack-44a H3).
 */
function groupMessage(
  requests: EscalationMessage[],
  group: { start: string; part: { index: number; of: number } | null; message: number | null; ended: number },
): EscalationMessage {
  const alarms = `${requests.length} alarm${requests.length === 1 ? '' : 's'}`;
  const part = group.part ? ` (${group.part.index} of ${group.part.of})` : '';
  const lines = [
    `Approval requests of an alarm storm: ${requests.length === 1 ? 'this alarm' : `these ${alarms}`} of the deployment fired within minutes of the alarm whose approval request went out at ${group.start}, and each proposes an action that needs your approval.`,
    'Each alarm waits on its own execution: approve or reject each one with the commands listed under it (a command answers only that alarm).',
    ...(group.part ? [`This is part ${group.part.index} of ${group.part.of}: these requests are split over ${group.part.of} e-mails.`] : []),
    ...(group.ended ? [`Not asked: ${group.ended} more request${group.ended === 1 ? '' : 's'} of this group no longer wait${group.ended === 1 ? 's' : ''} (the wait ended, was decided, or the alarm recovered).`] : []),
  ];
  for (const [i, request] of requests.entries()) lines.push('', `==== Request ${i + 1} of ${requests.length} ====`, request.message);
  const title = `Approval needed for ${alarms} of an alarm storm${part}`;
  return {
    subject: `[Pipeline Guard] ${title}`,
    message: lines.join('\n').slice(0, MESSAGE_MAX_CHARS),
    // Every request here has these attributes but `alarm` (see renderApprovalGroupParts); `alarm` lists them all.
    attributes: { ...requests[0]!.attributes, kind: 'approval-group', ...alarmsOf(requests) },
    // As for a single request, the tokens go to the e-mail only: chat gets the alarms' titles, as their own requests'.
    chat: {
      version: '1.0',
      source: 'custom',
      id: `${APPROVAL_GROUP_KEY}:${group.start}${group.message ? `:${group.message}` : ''}`,
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

/** The `alarm` attribute of an e-mail asking `requests`: each alarm named once; none when no request names one. */
function alarmsOf(requests: EscalationMessage[]): { alarm?: string[] } {
  const alarms = [...new Set(requests.flatMap((request) => request.attributes.alarm ?? []))];
  return alarms.length > 0 ? { alarm: alarms } : {};
}
