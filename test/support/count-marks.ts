import { type Incident, newIncident } from '../../shared/domain/incident.js';

/**
 * The count marks a stored counter item carries, whatever their hour's set (`countMarks#<hour>`, see
 * shared/stores/count-marks.ts): what the tests and the crash points read to say that no mark was left behind.
 */
export function countMarksOn(item: Record<string, unknown>): string[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith('countMarks#'))
    .flatMap(([, set]) => [...(set as Set<string>)]);
}

/**
 * A failed push run's incident of its own repository (`acme/<attack>-<n>`), network-categorised, for the count-mark
 * attacks: `runBase` keeps each file's run ids, incident ids and fingerprints apart from another's on one store.
 */
export function countedFailure(attack: string, runBase: number, n: number, at: Date, fields: Partial<Incident> = {}): Incident {
  const runId = runBase + n;
  return newIncident(
    {
      id: `gh-1-${runId}-1`,
      source: 'github',
      repository: `acme/${attack}-${n}`,
      workflowName: 'CI',
      runId,
      runAttempt: 1,
      headSha: String(runId).padStart(40, 'c'),
      branch: 'main',
      category: 'network',
      fingerprint: `${attack.slice(-3)}${String(n).padStart(7, '0')}`,
      fromFork: false,
      runEvent: 'push',
      ...fields,
    },
    at,
  );
}
