/**
 * Real output of ninja 1.11.1 `-k 0 -j1` (session 67, exit 1) over two failing edges: puppet-lint's warnings fail the
 * first (`--fail-on-warnings`), pytest's failed test the second. Each edge prints its `[n/m]` line, then, when it fails,
 * `FAILED:` with its outputs, the command and what it printed. For `ghaStep`; read by the tests of both sessions' fixes.
 */
export const NINJA_KEEP_GOING_LINES: readonly string[] = [
  '[1/2] puppet-lint --fail-on-warnings --no-autoloader_layout-check manifests/client.pp && touch lint.stamp',
  'FAILED: lint.stamp ',
  'puppet-lint --fail-on-warnings --no-autoloader_layout-check manifests/client.pp && touch lint.stamp',
  'WARNING: class not documented on line 1 (check: documentation)',
  'WARNING: double quoted string containing no variables on line 2 (check: double_quoted_strings)',
  '[2/2] python3 -m pytest -q --tb=no tests && touch test.stamp',
  'FAILED: test.stamp ',
  'python3 -m pytest -q --tb=no tests && touch test.stamp',
  'F.                                                                       [100%]',
  '=========================== short test summary info ============================',
  'FAILED tests/test_ntp.py::test_pool - assert 2 == 3',
  '1 failed, 1 passed in 0.37s',
  'ninja: build stopped: cannot make progress due to previous errors.',
];
