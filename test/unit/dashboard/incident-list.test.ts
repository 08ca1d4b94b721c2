import { describe, expect, it } from 'vitest';
import { listRows, noOlderPages, withFirstPage, withOlderPage } from '../../../infra/dashboard/src/incident-list.js';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';

/** Incidents n..m (newest first), created a minute apart: incident 7 at 00:07. */
function incidents(from: number, to: number, fields: Partial<Incident> = {}): Incident[] {
  const list: Incident[] = [];
  for (let n = to; n >= from; n -= 1) list.push(newIncident({ id: `gh-1-${n}-1`, source: 'github', ...fields }, new Date(Date.UTC(2026, 10, 20, 0, n))));
  return list;
}

const ids = (rows: Incident[]) => rows.map((row) => Number(row.id.split('-')[2]));
const KEY = '{"status":""}';

describe('the incident list across pages and live refreshes', () => {
  it('keeps the incidents new ones push out of the first page while older pages are shown: no gap between them', () => {
    // Prepare: first page 11..20, older page 1..10 loaded from its cursor.
    const paged = withOlderPage(noOlderPages(KEY), KEY, incidents(11, 20), incidents(1, 10), 'next');

    // Act: 3 new incidents; the refreshed first page is 14..23, so 11..13 are in neither page.
    const refreshed = incidents(14, 23);
    const rows = listRows(refreshed, withFirstPage(paged, KEY, refreshed).items);

    // Assert
    expect(ids(rows)).toEqual(incidents(1, 23).map((_, i) => 23 - i));
  });

  it('shows a page loaded twice (a double tap) once', () => {
    const once = withOlderPage(noOlderPages(KEY), KEY, incidents(11, 20), incidents(1, 10), 'next');
    const twice = withOlderPage(once, KEY, incidents(11, 20), incidents(1, 10), 'next');

    expect(ids(listRows(incidents(11, 20), twice.items))).toEqual(ids(incidents(1, 20)));
  });

  it('drops a page that answers a query the filters have since left', () => {
    const other = noOlderPages('{"status":"resolved"}');

    expect(withOlderPage(other, KEY, incidents(11, 20), incidents(1, 10), 'next')).toBe(other);
  });

  it('lets go of an incident that left the filter within the first page\'s span, keeping its newer reading otherwise', () => {
    const paged = withOlderPage(noOlderPages(KEY), KEY, incidents(11, 20), incidents(1, 10), 'next');
    // 15 was resolved and the list is of notified ones: the refresh no longer has it.
    const refreshed = incidents(11, 20).filter((incident) => incident.id !== 'gh-1-15-1');

    expect(ids(listRows(refreshed, withFirstPage(paged, KEY, refreshed).items))).not.toContain(15);
  });

  it('after the last page, has no cursor to load from', () => {
    expect(withOlderPage(noOlderPages(KEY), KEY, [], incidents(1, 3), null).cursor).toBe('');
  });
});
