import type { Incident } from '../domain/incident.js';
import type { EscalationLedger, EscalationOccurrence, EscalationTally } from '../ports.js';

/**
 * Records `claim` in the escalation ledger; while another incident holds its open window, asks `holds(holder)`
 * whether that incident still speaks for the problem, and when it does not, this occurrence takes the window over
 * (the ledger's conditional write, so of two occurrences replacing the same holder at once only one opens it). A few
 * rounds at most: a failed take-over means another occurrence took the window or it ended, and the next round reads
 * who holds it now. Used by the approval request's claim and by an alarm's page (a new episode after an OK).
 */
export async function recordTakingOver(
  claim: EscalationOccurrence,
  holds: (holder: Incident | null) => boolean | Promise<boolean>,
  deps: { escalationLedger: EscalationLedger; incidents: { get(id: string): Promise<Incident | null> } },
): Promise<EscalationTally> {
  let tally = await deps.escalationLedger.record(claim);
  for (let round = 0; round < 3 && !tally.send && !tally.alreadySent && tally.owner && tally.owner !== claim.incidentId && tally.windowStart; round += 1) {
    if (await holds(await deps.incidents.get(tally.owner))) break;
    tally = (await deps.escalationLedger.takeOver(claim, { owner: tally.owner, windowStart: tally.windowStart })) ?? (await deps.escalationLedger.record(claim));
  }
  return tally;
}
