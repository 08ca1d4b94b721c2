import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAlarmEvent } from '../../../shared/ingest/alarm-event.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordAlarmRecovery } from '../../../shared/steps/record-outcome.js';
import { createMemoryStore } from '../../support/memory-store.js';

/** Review of skew42: an alarm stamp ahead of the clock is read as the handling time; the reading must not depend on order. */
const EVENT = JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/cloudwatch/alarm-state-alarm.json'), 'utf8')) as Record<string, any>;

function change(value: 'ALARM' | 'OK', timestamp: string) {
  const event = structuredClone(EVENT);
  event.detail.state.value = value;
  event.detail.state.timestamp = timestamp;
  event.detail.previousState.value = value === 'OK' ? 'ALARM' : 'OK';
  return event;
}

function setup() {
  let now = new Date('2026-11-20T12:00:00Z');
  const clock = () => now;
  const incidents = createMemoryStore(clock);
  const started: string[] = [];
  const ingest = {
    incidents, clock, logger: silentLogger, maxRedrives: 3, alarmTags: null,
    scope: { prefixes: ['checkout-'], tag: null, includeAutoscaling: false },
    workflow: {
      async start(name: string) { const alreadyStarted = started.includes(name); if (!alreadyStarted) started.push(name); return { alreadyStarted, executionId: name }; },
      async describe(name: string) { return started.includes(name) ? { status: 'RUNNING', input: {} } : null; },
    },
  };
  const outcome = { incidents, clock, logger: silentLogger, github: staticGitHubClients(null) };
  return {
    incidents, started,
    at: (iso: string) => { now = new Date(iso); },
    alarm: async (timestamp: string) => ingestAlarmEvent(change('ALARM', timestamp), ingest as never) as Promise<{ incidentId: string; duplicate: boolean; recoveredAt?: string }>,
    ok: async (timestamp: string) => recordAlarmRecovery(change('OK', timestamp), outcome as never),
  };
}

describe('an alarm stamp ahead of the clock (review of skew42)', () => {
  it('ends an ahead-stamped ALARM by the OK a moment before it whichever of the two is handled first', async () => {
    const d = setup();
    // The OK first this time (the tested order is the ALARM first): the same pair must read the same way.
    expect(await d.ok('2026-11-20T11:59:30.000+0000')).toEqual({ resolved: [] });
    const skewed = await d.alarm('2026-11-21T12:00:00.000+0000');
    expect(skewed.recoveredAt).toBeDefined();
    expect(d.started).toEqual([]);
  });

  // Found by the review of skew42: read as its handling time, each delivery of an ahead-stamped OK was a later OK than
  // the one before; such an OK now resolves nothing, on every delivery.
  it('does not let a redelivery of an ahead-stamped OK end an ALARM that fired after its first delivery', async () => {
    const d = setup();
    expect(await d.ok('2026-11-21T12:00:00.000+0000')).toEqual({ resolved: [] }); // read as 12:00
    d.at('2026-11-20T12:05:00Z');
    const real = await d.alarm('2026-11-20T12:04:00.000+0000'); // a real ALARM after that OK
    expect(d.started).toEqual([real.incidentId]);
    d.at('2026-11-20T12:10:00Z');
    // EventBridge (or Lambda's async retry, or the local queue) delivers the same OK again.
    expect(await d.ok('2026-11-21T12:00:00.000+0000')).toEqual({ resolved: [] });
    expect((await d.incidents.get(real.incidentId))?.status).not.toBe('resolved');
  });
});
