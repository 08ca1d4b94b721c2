import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../../shared/logs/dispatch.js';
import { failedStepLog, failuresOf, LINE_FILTER_MODES } from '../../support/step-analysis.js';

// A Rakefile that runs its checks with rake's `ruby` helper inside `begin`/`rescue`, prints a failed check's status
// (`Command failed with status (1): [...]`, what rake raises for a command its `sh` ran) and ends with a verdict of
// its own (`raise "Failed 1 tests!!"`: `rake aborted!`, the message, the Rakefile's frame, rake's closing lines). Real
// output of rake 13.0.6 on Ruby 3.1.2 (Debian 12); paths rewritten to the runner's.

const CHECKS_RAN = ['/usr/bin/ruby3.1 tests/encoding.rb', 'Success. All 2 files passed UTF-8 validity checks.', '/usr/bin/ruby3.1 tests/yaml.rb'];
const YAML_CHECK_FAILED = [
  '(<unknown>): found character that cannot start any token while scanning for the next token at line 5 column 1',
  'FAILURE!!! 1 files were unable to be parsed!',
  'Please check the YAML headers for the documents that failed!',
];
const STATUS = 'Command failed with status (1): [/usr/bin/ruby3.1 tests/yaml.rb...]';
const VERDICT = [
  'rake aborted!',
  'Failed 1 tests!!',
  "/home/runner/work/docs/docs/Rakefile:24:in `block in <top (required)>'",
  'Tasks: TOP => default => return_code',
  '(See full trace by running task with --trace)',
];

/** `rake` into a pipe: Ruby holds the Rakefile's `puts` until it exits, so the status line comes after rake's report on standard error. */
const PIPED = [...CHECKS_RAN, ...YAML_CHECK_FAILED, ...VERDICT, STATUS];
/** The same with `$stdout.sync = true` in the Rakefile, or in a terminal: the status line right above `rake aborted!`. */
const SYNCED = [...CHECKS_RAN, ...YAML_CHECK_FAILED, STATUS, ...VERDICT];
/** A check that says nothing a rule knows (`Checked 2 files; 1 header(s) unreadable.`), its status, the verdict. */
const QUIET = [...CHECKS_RAN, 'Checked 2 files; 1 header(s) unreadable.', STATUS, ...VERDICT];

describe.each(LINE_FILTER_MODES)("a Rakefile's own verdict on a command that failed, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it.each([
    ['after rake’s report (piped standard output)', PIPED],
    ['above rake’s report (synchronised standard output)', SYNCED],
  ])('puts the failed check’s own error first, with the status line %s', async (_order, output) => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('rake', output));
    expect(failures[0]).toEqual(['yaml.parse', YAML_CHECK_FAILED[0]]);
    expect(failures.map(([rule]) => rule)).not.toContain('rake.aborted');
  });

  it('keeps the verdict first when the failed check printed nothing a rule reads', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('rake', QUIET));
    expect(failures[0]).toEqual(['rake.aborted', 'Failed 1 tests!!']);
  });
});

describe('the same run in a terminal, as Travis CI runs it', () => {
  it('puts the check’s error first', async () => {
    // `script -qc rake` (a pseudo-terminal): CR LF line ends and the status line above `rake aborted!`, under Travis
    // CI's closing lines.
    const log = `${[...SYNCED.map((l) => `${l}\r`), '', 'The command "bundle exec rake" exited with 1.', '', 'Done. Your build exited with 1.'].join('\n')}\n`;
    const failures = await failuresOf(log);
    expect(failures[0]).toEqual(['yaml.parse', YAML_CHECK_FAILED[0]]);
  });
});
