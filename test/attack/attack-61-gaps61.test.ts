import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 61's attack on branch gaps61: other tools' output in the shapes of the branch's new rules and code paths
// (gh's layout decided on any of the first four lines, testng.failed's bare Errors, the unconfirmed block's end
// before the ring, minitest 4's test names, …) and variants of the same formats the branch was not written from.

const lines = (...l: string[]): string => l.join('\n');

describe("gh's layout decided on lines 2 to 4: a tab-separated table with an API's `…Z` time in its third column", () => {
  // A deploy script that lists the environment's deployments (`gh api repos/o/r/deployments --jq '.[] | [.id,
  // .environment, .created_at] | @tsv'`; `gh variable list` prints NAME, VALUE, UPDATED the same way off a terminal)
  // under the command's echo. The GitHub API's times have no fraction (`2024-05-01T10:00:00Z`); the runner's, which
  // gh prints after its two columns, always have seven digits (`2024-05-01T10:00:00.0000000Z`).
  const log = lines(
    '$ ./scripts/deploy.sh staging',
    '4121\tstaging\t2024-05-01T10:00:00Z',
    '4120\tproduction\t2024-04-30T09:00:00Z',
    'Running database migrations',
    'Traceback (most recent call last):',
    '  File "/app/manage.py", line 22, in <module>',
    '    main()',
    '  File "/app/migrate.py", line 8, in main',
    '    conn = psycopg2.connect(DSN)',
    'psycopg2.OperationalError: could not connect to server: Connection refused',
    'Rolling back; deployments now:',
    '4122\tstaging\t2024-05-01T10:05:00Z',
    'exit status 1',
  );

  it("names no step after a cell of the table and keeps the table's rows whole", async () => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const failure = analysis.failures[0];
    expect(failure?.rule).toBe('python.traceback');
    expect(failure?.step?.name ?? '').toBe('');
    const texts = analysis.failures.flatMap((f) => [...f.lines, ...(f.context ?? [])].map((l) => l.text));
    expect(texts.filter((t) => /^\d{4}-\d\d-\d\dT/.test(t))).toEqual([]);
  });
});
