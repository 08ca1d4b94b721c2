import { describe, expect, it } from 'vitest';
import { firedAtOf } from '../../../shared/domain/recovery.js';
import type { Incident } from '../../../shared/domain/incident.js';

const withAlarmAt = (stateChangedAt: string) => ({ alarm: { stateChangedAt } }) as Pick<Incident, 'alarm'>;

describe('when an alarm fired (firedAtOf)', () => {
  it("reads the alarm's own state-change time, in CloudWatch's format and in ISO 8601", () => {
    expect(firedAtOf(withAlarmAt('2026-11-20T10:00:05.000+0000'))).toBe(Date.parse('2026-11-20T10:00:05.000Z'));
    expect(firedAtOf(withAlarmAt('2026-11-20T10:00:05.000Z'))).toBe(Date.parse('2026-11-20T10:00:05.000Z'));
  });

  it('is NaN for an incident without an alarm or with a time that cannot be read', () => {
    expect(firedAtOf({ alarm: null })).toBeNaN();
    expect(firedAtOf(withAlarmAt(''))).toBeNaN();
    expect(firedAtOf(withAlarmAt('yesterday, about noon'))).toBeNaN();
  });
});
