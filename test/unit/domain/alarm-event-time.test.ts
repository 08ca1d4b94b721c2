import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alarmEpisodeAfter, alarmIncidentFields, stateChangedAtOf } from '../../../shared/domain/alarm-incident.js';
import { CLOCK_SKEW_MS, EARLIEST_EVENT_TIME } from '../../../shared/domain/event-time.js';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { type AlarmEvent, alarmEventSchema, alarmTriggerFromEvent } from '../../../shared/domain/trigger.js';

/**
 * How an alarm event's own time is read against the clock handling it (shared/domain/alarm-incident.ts,
 * `stateChangedAtOf`): every reader of an ALARM's or OK's time goes through it.
 */
const EVENT = alarmEventSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/cloudwatch/alarm-state-alarm.json'), 'utf8')));
const NOW = new Date('2026-11-20T12:00:00.000Z');

function stamped(timestamp: string, time = timestamp): AlarmEvent {
  const event = structuredClone(EVENT);
  event.detail.state.timestamp = timestamp;
  event.time = time;
  return event;
}

describe("an alarm event's time", () => {
  it('is its stamp when in the past: a delayed or redelivered event keeps its own time', () => {
    expect(stateChangedAtOf(stamped('2026-11-20T10:00:00.000+0000'), NOW)).toEqual({ at: new Date('2026-11-20T10:00:00.000Z') });
  });

  it('is its stamp when ahead of the clock by at most the allowed skew', () => {
    const edge = new Date(NOW.getTime() + CLOCK_SKEW_MS).toISOString();
    expect(stateChangedAtOf(stamped(edge), NOW)).toEqual({ at: new Date(edge) });
  });

  it('is the handling time, with the stamp kept, when ahead of the clock by more than the allowed skew', () => {
    const ahead = new Date(NOW.getTime() + CLOCK_SKEW_MS + 1).toISOString();
    expect(stateChangedAtOf(stamped(ahead), NOW)).toEqual({ at: NOW, aheadStamp: ahead });
    expect(stateChangedAtOf(stamped('2026-11-21T12:00:00.000+0000'), NOW)).toEqual({ at: NOW, aheadStamp: '2026-11-21T12:00:00.000+0000' });
  });

  // attack-43b F6: a stamp at the earliest time a Date holds made the alarm group's cutoff an invalid Date.
  it('is the handling time, with the stamp kept, when before the earliest alarm time', () => {
    expect(stateChangedAtOf(stamped('-271821-04-20T00:01:00.000Z'), NOW)).toEqual({ at: NOW, earlyStamp: '-271821-04-20T00:01:00.000Z' });
    expect(stateChangedAtOf(stamped('1999-12-31T23:59:59.999Z'), NOW)).toEqual({ at: NOW, earlyStamp: '1999-12-31T23:59:59.999Z' });
    expect(stateChangedAtOf(stamped(new Date(EARLIEST_EVENT_TIME).toISOString()), NOW)).toEqual({ at: new Date(EARLIEST_EVENT_TIME) });
  });

  it("is the event's time when its stamp cannot be read, checked against the clock the same way", () => {
    expect(stateChangedAtOf(stamped('not a time', '2026-11-20T11:00:00Z'), NOW)).toEqual({ at: new Date('2026-11-20T11:00:00Z') });
    expect(stateChangedAtOf(stamped('not a time', '2026-11-22T11:00:00Z'), NOW)).toEqual({ at: NOW, aheadStamp: '2026-11-22T11:00:00Z' });
    expect(stateChangedAtOf(stamped('not a time', 'nor this'), NOW)).toBeNull();
  });
});

// Session 42: an alarm's episode (a flap of the episode that paged, or a new one that pages again) went by the ALARM's
// raw stamp even when ingest did not trust it: one stamped before 2000 read as firing before the OK that ended the last
// episode (counted on that page, paging nobody), one stamped a day ahead as a new episode however soon it flapped.
describe("an alarm's episode, by the time its ALARM was read at", () => {
  const resolvedAt = (minutesBefore: number): Pick<Incident, 'source' | 'status' | 'resolvedAt'> => ({
    source: 'cloudwatch',
    status: 'resolved',
    resolvedAt: new Date(NOW.getTime() - minutesBefore * 60_000).toISOString(),
  });
  const handled = (timestamp: string): Incident => newIncident(alarmIncidentFields(alarmTriggerFromEvent(stamped(timestamp)), NOW), NOW);

  it('is new when an ALARM stamped before 2000 was handled an hour after the OK that ended the last one', () => {
    expect(alarmEpisodeAfter(handled('-271821-04-20T00:01:00.000Z'), resolvedAt(60))).toBe('new');
    expect(alarmEpisodeAfter(handled('1999-12-31T23:59:59.999Z'), resolvedAt(60))).toBe('new');
  });

  it('is a flap when an ALARM stamped a day ahead was handled 5 minutes after the OK that ended the last one', () => {
    expect(alarmEpisodeAfter(handled('2026-11-21T12:00:00.000+0000'), resolvedAt(5))).toBe('flap');
  });

  it('goes by a trusted stamp as before', () => {
    expect(alarmEpisodeAfter(handled('2026-11-20T11:55:00.000+0000'), resolvedAt(10))).toBe('flap');
    expect(alarmEpisodeAfter(handled('2026-11-20T11:55:00.000+0000'), resolvedAt(25))).toBe('new');
  });
});
