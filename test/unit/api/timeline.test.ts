import { describe, expect, it } from 'vitest';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { INCIDENT_STATES } from '../../support/incident-states.js';

/** The timeline's entries about telling someone (notifications) and about the guard's own failures, as [title, detail]. */
function told(state: string): Array<[string, string | null]> {
  return incidentTimeline(INCIDENT_STATES[state]!.incident)
    .filter((entry) => entry.kind === 'notification' || entry.kind === 'error')
    .map((entry) => [entry.title, entry.detail]);
}

describe('the incident timeline when Notify failed for good', () => {
  it('says the fallback page is due while it is, then what the fallback did; a failure resolved meanwhile is never paged', () => {
    expect(told('notify failed: waiting for the fallback page')).toEqual([
      ['notify failed: waiting for the fallback page', 'the notify step failed after its retries (Lambda.Unknown); the reconciler pages on-call on its next run'],
    ]);
    expect(told('notify failed: on-call paged by the fallback')).toEqual([
      ['on-call paged by the fallback', 'the notify step failed: the page names this incident, not what failed'],
    ]);
    expect(told("notify failed: counted on the fallback's open page")).toEqual([
      ["counted on the fallback's open page", 'the notify step failed: counted on the page already sent for the same problem (one per escalation window; the rest are reported when it ends)'],
    ]);
    expect(told('every execution failed: on-call paged by the fallback')).toEqual([
      ['on-call paged by the fallback', 'every execution of the pipeline failed: the page has what the guard had found'],
    ]);
    expect(told('notify failed: given up by the reconciler, nobody paged')).toEqual([
      ['notify failed', "the notify step failed after its retries (Lambda.Unknown); the reconciler's fallback could not page on-call about it"],
      [
        'given up by the reconciler, nobody paged',
        "its tries to tell on-call that the notify step failed on it failed 8 times (the last: ThrottlingException); nothing tries again: look at the failure yourself, and at the reconciler's logs for this incident",
      ],
    ]);
    expect(told('stalled: given up by the reconciler, nobody paged')).toEqual([
      [
        'given up by the reconciler, nobody paged',
        "its tries to re-drive it or page on-call about it failed 8 times (the last: ThrottlingException); nothing tries again: look at the failure yourself, and at the reconciler's logs for this incident",
      ],
    ]);
    expect(told('given up by the reconciler: on-call paged by the fallback')).toEqual([
      ['on-call paged by the fallback', "the reconciler's tries at it kept failing and it gave it up: the page says so, with what the guard had found"],
    ]);
    expect(told('resolved')).toEqual([['notify failed', "the notify step failed after its retries; resolved before the reconciler's fallback paged anyone"]]);
  });
});
