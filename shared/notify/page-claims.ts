import { alarmEpisodeAfter } from '../domain/alarm-incident.js';
import type { Incident } from '../domain/incident.js';
import { failureTimeOf } from '../domain/recovery.js';
import { alarmScope } from '../domain/trigger.js';
import type { EscalationLedger, EscalationOccurrence, EscalationTally } from '../ports.js';
import { recordTakingOver } from './claim-take-over.js';

/** What the escalation ledger decided about a page: send it (its claims, given back if the publish fails), or why not. */
export type PageClaim =
  | { send: true; tally: EscalationTally; claims: EscalationOccurrence[] }
  | { send: false; detail: string };

export interface PageClaimDeps {
  escalationLedger: EscalationLedger;
  incidents: { get(id: string): Promise<Incident | null>; listOpenInScope(scope: string, limit: number): Promise<Incident[]> };
}

/** An alarm's open incidents read to tell whether it still fires: the OK resolves as many (MAX_RESOLVED_PER_EVENT). */
const OPEN_ALARM_INCIDENTS_READ = 25;

/**
 * Claims the page `occurrence` describes in the escalation ledger: one page per problem and window. An alarm's
 * window is held by the incident that paged; an ALARM that is a new episode of the alarm takes the window over and
 * pages (counted on the old page, the second outage reached on-call only in the next day's digest): it fired more
 * than ALARM_FLAP_MINUTES after the OK that resolved that incident (by the alarm's own times), and no ALARM of the
 * alarm counted since is still open (ALARM, INSUFFICIENT_DATA, ALARM: the alarm never recovered in between).
 */
export async function claimPage(occurrence: EscalationOccurrence, incident: Incident, deps: PageClaimDeps): Promise<PageClaim> {
  const tally = incident.source === 'cloudwatch'
    ? await recordTakingOver(occurrence, async (holder) => alarmEpisodeAfter(incident, holder) !== 'new' || (await firesSinceEarlier(incident, deps)), deps)
    : await deps.escalationLedger.record(occurrence);
  if (tally.send) return { send: true, tally, claims: [occurrence] };
  return { send: false, detail: countedDetail(tally) };
}

/** Whether another ALARM of `incident`'s alarm, as early or earlier, is still open: the alarm has not recovered since. */
async function firesSinceEarlier(incident: Incident, deps: PageClaimDeps): Promise<boolean> {
  const open = await deps.incidents.listOpenInScope(alarmScope(incident.alarm?.arn ?? ''), OPEN_ALARM_INCIDENTS_READ);
  return open.some((other) => other.id !== incident.id && failureTimeOf(other) <= failureTimeOf(incident));
}

/** What the incident records of a page the ledger did not let it send. */
function countedDetail(tally: EscalationTally): string {
  if (tally.alreadySent) return 'the escalation of this incident went out on an earlier try of this step';
  if (tally.windowCount > 0) return `counted on the open escalation of this problem: seen ${tally.windowCount} time${tally.windowCount === 1 ? '' : 's'} since ${tally.windowStart ?? 'the last page'}`;
  return 'a re-run started by a person never opens an escalation by itself';
}
