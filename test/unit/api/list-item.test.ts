import { describe, expect, it } from 'vitest';
import { listItemOf } from '../../../shared/api/list-item.js';
import { newIncident } from '../../../shared/domain/incident.js';

describe('an incident as a row of the list', () => {
  it('cuts a long text before a character made of two UTF-16 units, never between them', () => {
    // The cut falls right after the first half of 😀 (U+1F600): a lone half would reach the browser as U+FFFD.
    const text = `${'x'.repeat(298)}😀 and the rest of a long line`;
    const row = listItemOf(newIncident({ id: 'gh-1-2-1', source: 'github', failureLines: [{ line: 1, text }] }, new Date('2026-11-20T10:00:00Z')));

    expect(row.failureLines[0]).toBe(`${'x'.repeat(298)}…`);
    expect(row.failureLines[0]).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('keeps a short text whole, and null for what the incident does not have', () => {
    const row = listItemOf(newIncident({ id: 'cw-1', source: 'cloudwatch', failureLines: [{ line: 1, text: 'short' }] }, new Date('2026-11-20T10:00:00Z')));

    expect(row).toMatchObject({ failureLines: ['short'], alarmName: null, rootCause: null, decision: null, mustAct: false });
  });
});
