import { describe, expect, it } from 'vitest';
import { analyzeLog, diagnose, LogBaseline, type JobStep } from '../../../shared/logs/index.js';

/** GitHub Actions job-log lines: every line carries the runner's timestamp. */
function gha(start: string, ...lines: string[]): string {
  const base = Date.parse(start);
  return lines.map((text, i) => `${new Date(base + i * 100).toISOString().replace('Z', '0000Z')} ${text}`).join('\n');
}

const SETUP = [
  'Current runner version: \'2.319.1\'',
  '##[group]Operating System',
  'Ubuntu',
  '##[endgroup]',
  '##[group]Runner Image',
  'Image: ubuntu-22.04',
  '##[endgroup]',
  "##[error]Unable to fetch optional tool cache index, continuing",
];
const CHECKOUT = ['##[group]Run actions/checkout@v4', 'with:', '  repository: acme/app', '##[endgroup]', 'Syncing repository: acme/app'];
const POST = [
  'Post job cleanup.',
  '[command]/usr/bin/git version',
  'Error response from daemon: No such container: 4f1e2d',
  'Cleaning up orphan processes',
];

describe('GitHub Actions steps', () => {
  const log = gha(
    '2024-05-01T10:00:00Z',
    ...SETUP,
    ...CHECKOUT,
    '##[group]Run npm run lint',
    'npm run lint',
    'shell: /usr/bin/bash -e {0}',
    '##[endgroup]',
    'ERROR: option --legacy is deprecated and will be removed',
    '##[group]Run python -m pytest',
    'python -m pytest',
    'shell: /usr/bin/bash -e {0}',
    '##[endgroup]',
    'Traceback (most recent call last):',
    '  File "/home/runner/work/app/app/tests/conftest.py", line 3, in <module>',
    '    import requests',
    "ModuleNotFoundError: No module named 'requests'",
    '##[error]Process completed with exit code 1.',
    ...POST,
  );

  it("leads with the failed step's explaining line, not set-up, earlier steps or post-job clean-up", async () => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect(top?.lines[0]?.text).toBe("ModuleNotFoundError: No module named 'requests'");
    expect(top?.category).toBe('dependency');
    expect(top?.step).toEqual({ number: null, name: 'Run python -m pytest', startLine: 19 });
    expect(analysis.step).toEqual(top?.step);
    const others = analysis.failures.slice(1).map((f) => f.lines[0]?.text ?? '');
    expect(others.some((t) => t.startsWith('ERROR: option --legacy'))).toBe(true);
    expect(others.some((t) => t.startsWith('Error response from daemon'))).toBe(true);
    for (const other of analysis.failures.slice(1)) expect(other.score).toBeLessThan(top?.score ?? 0);
  });

  it("maps sections to the jobs API's steps by time and takes their numbers and conclusions", async () => {
    // Prepare
    const steps: JobStep[] = [
      { number: 1, name: 'Set up job', conclusion: 'success', startedAt: '2024-05-01T10:00:00Z', completedAt: '2024-05-01T10:00:00Z' },
      { number: 2, name: 'Check out', conclusion: 'success', startedAt: '2024-05-01T10:00:00Z', completedAt: '2024-05-01T10:00:01Z' },
      { number: 3, name: 'Lint', conclusion: 'success', startedAt: '2024-05-01T10:00:01Z', completedAt: '2024-05-01T10:00:01Z' },
      { number: 4, name: 'Unit tests', conclusion: 'failure', startedAt: '2024-05-01T10:00:01Z', completedAt: '2024-05-01T10:00:02Z' },
      { number: 7, name: 'Post Check out', conclusion: 'success', startedAt: '2024-05-01T10:00:02Z', completedAt: '2024-05-01T10:00:02Z' },
    ];
    // Act
    const analysis = await analyzeLog(log, { steps });
    // Assert
    expect(analysis.failures[0]?.step).toEqual({ number: 4, name: 'Unit tests', startLine: 19 });
    expect(analysis.step).toEqual(analysis.failures[0]?.step);
  });

  it('reads the step column of `gh run view --log` output', async () => {
    // Prepare
    const lines = [
      ['Set up job', 'Current runner version: 2.319.1'],
      ['Run tests', '##[group]Run go test ./...'],
      ['Run tests', 'go test ./... || { echo "FAIL: see above"; exit 1; }'],
      ['Run tests', '##[endgroup]'],
      ['Run tests', '--- FAIL: TestParse (0.00s)'],
      ['Run tests', '    parse_test.go:14: got "a", want "b"'],
      ['Run tests', 'FAIL'],
      ['Run tests', '##[error]Process completed with exit code 1.'],
      ['Post Run actions/checkout@v4', 'Post job cleanup.'],
    ];
    const log = lines.map(([step, text], i) => `build\t${step}\t2024-05-01T10:00:0${i}.0000000Z ${text}`).join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('    parse_test.go:14: got "a", want "b"');
    expect(analysis.failures[0]?.step).toEqual({ number: null, name: 'Run tests', startLine: 2 });
  });

  it('treats `$ …` lines inside a GitHub Actions step as echoed commands, not new steps', async () => {
    // Prepare: pnpm echoes the next package's command after jest failed; the step is still the one that failed.
    const log = gha(
      '2024-05-01T10:00:00Z',
      ...SETUP,
      '##[group]Run pnpm run test',
      '##[endgroup]',
      'FAIL test/config/get.ts (17.8 s)',
      '  ● config get › reads npm options',
      '',
      '    expect(received).toBe(expected) // Object.is equality',
      '',
      '    Expected: "https://registry.example.com"',
      '    Received: "https://registry.example.com/"',
      '',
      '$ cross-env NODE_OPTIONS=--experimental-vm-modules jest',
      '[ELIFECYCLE] Command failed with exit code 1.',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('  ● config get › reads npm options');
    expect(analysis.failures[0]?.rule).toBe('jest.failed');
  });

  it("ignores the step's echoed script between `##[group]Run` and `##[endgroup]`", async () => {
    // Prepare: the script mentions errors; its output is a single complaint.
    const log = gha(
      '2024-05-01T10:00:00Z',
      ...SETUP,
      '##[group]Run ./deploy.sh || { echo "ERROR: deploy failed, rolling back"; exit 1; }',
      './deploy.sh || { echo "ERROR: deploy failed, rolling back"; exit 1; }',
      'shell: /usr/bin/bash -e {0}',
      'env:',
      '  FAIL_FAST: true',
      '##[endgroup]',
      'Uploading release assets',
      'curl: (22) The requested URL returned error: 403',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const header = { first: SETUP.length + 1, last: SETUP.length + 6 };
    const lines = analysis.failures.flatMap((f) => f.lines.map((l) => l.line));
    expect(lines.filter((line) => line >= header.first && line <= header.last)).toEqual([]);
    expect(analysis.failures[0]?.lines[0]?.text).toBe('curl: (22) The requested URL returned error: 403');
  });

  it('reads a group that never closes as output (a hand-written or truncated log)', async () => {
    // Prepare
    const log = gha('2024-05-01T10:00:00Z', '##[group]Run ./scripts/release-check.sh', 'Checking version...', 'Version mismatch between manifest and tag.', '##[error]Process completed with exit code 3.');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.text)).toContain('Version mismatch between manifest and tag.');
  });

  it('reports the failing step when only an action annotation marks it', async () => {
    // Prepare
    const log = gha('2024-05-01T10:00:00Z', ...SETUP, '##[group]Run actions/setup-node@v4', '##[endgroup]', '##[error]Input required and not supplied: node-version', ...POST);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('##[error]Input required and not supplied: node-version');
    expect(analysis.step?.name).toBe('Run actions/setup-node@v4');
  });
});

describe('the line that explains, not the header or the wrapper', () => {
  it.each([
    {
      name: 'chained Python exceptions end with the last exception',
      lines: [
        'Traceback (most recent call last):',
        '  File "app/db.py", line 10, in connect',
        '    raise KeyError("db")',
        "KeyError: 'db'",
        '',
        'During handling of the above exception, another exception occurred:',
        '',
        'Traceback (most recent call last):',
        '  File "app/main.py", line 4, in <module>',
        '    connect()',
        'RuntimeError: database is not configured',
        'Error: Process completed with exit code 1.',
      ],
      head: 'RuntimeError: database is not configured',
      category: 'unknown',
    },
    {
      name: "unittest's failure header is followed by its exception",
      lines: [
        '======================================================================',
        'FAIL: test_add_broadcast (__main__.TestBinaryOps)',
        '----------------------------------------------------------------------',
        'Traceback (most recent call last):',
        '  File "/var/lib/jenkins/workspace/test/test_binary_ops.py", line 311, in test_add_broadcast',
        '    self.assertEqual(actual, expected)',
        'AssertionError: Tensor-likes are not close!',
        '',
        '----------------------------------------------------------------------',
        'Ran 412 tests in 18.204s',
        '',
        'FAILED (failures=1)',
        'Error: Process completed with exit code 1.',
      ],
      head: 'AssertionError: Tensor-likes are not close!',
      category: 'test_failure',
    },
    {
      name: 'a CUDA out-of-memory error is out of memory',
      lines: [
        'Traceback (most recent call last):',
        '  File "train.py", line 88, in <module>',
        '    loss.backward()',
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 14.75 GiB',
        'Error: Process completed with exit code 1.',
      ],
      head: 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 14.75 GiB',
      category: 'out_of_memory',
    },
    {
      name: "MSVC's error below ninja's FAILED line",
      lines: [
        'FAILED: [code=2] src/CMakeFiles/core.dir/parser.cpp.obj',
        'C:\\PROGRA~1\\MICROS~2\\2022\\cl.exe /nologo /TP -Isrc /c src/parser.cpp',
        'D:\\a\\app\\app\\src\\parser.cpp(42): error C2143: syntax error: missing \';\' before \'}\'',
        'ninja: build stopped: subcommand failed.',
        'Error: Process completed with exit code 1.',
      ],
      head: "D:\\a\\app\\app\\src\\parser.cpp(42): error C2143: syntax error: missing ';' before '}'",
      category: 'compilation',
    },
    {
      name: 'cloud credentials refused',
      lines: [
        'Run aws s3 sync dist s3://acme-site',
        'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: s3:PutObject',
        'Error: Process completed with exit code 1.',
      ],
      head: 'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: s3:PutObject',
      category: 'configuration',
    },
    {
      name: 'a nextest failure shows the compiler error, not "test run failed"',
      lines: [
        '        FAIL [   9.875s] (396/396) tests-build::macros compile_fail_full',
        '  stdout ───',
        '    test tests/fail/macros_type_mismatch.rs [should fail to compile] ... mismatch',
        '    error[E0308]: mismatched types',
        '     --> tests/fail/macros_type_mismatch.rs:5:5',
        '     Summary [   9.876s] 396 tests run: 395 passed, 1 failed, 1 skipped',
        'error: test run failed',
        'Error: Process completed with exit code 100.',
      ],
      head: '    error[E0308]: mismatched types',
      category: 'test_failure',
    },
    {
      name: "a tool's error inside a BuildKit build step, not buildx's summary",
      lines: [
        '#12 [build 4/6] RUN npm ci',
        '#12 1.204 npm ERR! code ERESOLVE',
        '#12 1.205 npm ERR! ERESOLVE unable to resolve dependency tree',
        '#12 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
        'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
        '##[error]buildx failed with: ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
      ],
      // npm's ERESOLVE report names its reason below its code line (npm.eresolve, batch 9)
      head: 'npm ERR! ERESOLVE unable to resolve dependency tree',
      category: 'dependency',
    },
    {
      name: "lintrunner's error, not the runner's summary",
      lines: [
        '>>> Lint for torch/_dynamo/utils.py:',
        '',
        '  Error (MYPY) [attr-defined]',
        '    Module has no attribute "is_null"',
        '',
        '        67  |    def fill(x):',
        'Error: Process completed with exit code 1.',
      ],
      head: '  Error (MYPY) [attr-defined]',
      category: 'lint',
    },
    {
      name: "nvcc's error below the build tool's wrapper",
      lines: [
        'FAILED: caffe2/CMakeFiles/torch_cuda.dir/kernel.cu.o',
        '/var/lib/ci/pytorch/aten/src/ATen/native/cuda/kernel.cu(42): error: identifier "blockSize" is undefined',
        '1 error detected in the compilation of "kernel.cu".',
        'ninja: build stopped: subcommand failed.',
        'Error: Process completed with exit code 1.',
      ],
      head: '/var/lib/ci/pytorch/aten/src/ATen/native/cuda/kernel.cu(42): error: identifier "blockSize" is undefined',
      category: 'compilation',
    },
    {
      name: "a test runner's re-raised 'x failed!' is a wrapper; the test's own failure leads",
      lines: [
        'FAILED [0.0041s] test/test_ops.py::TestCommonCPU::test_out_add_cpu_float32 - AssertionError: Tensor-likes are not close!',
        'Traceback (most recent call last):',
        '  File "test/run_test.py", line 1400, in main',
        '    raise RuntimeError(err_message)',
        'RuntimeError: test_ops failed!',
        'Error: Process completed with exit code 1.',
      ],
      head: 'FAILED [0.0041s] test/test_ops.py::TestCommonCPU::test_out_add_cpu_float32 - AssertionError: Tensor-likes are not close!',
      category: 'test_failure',
    },
    {
      name: "a just recipe's wrapper line never leads",
      lines: ['cargo clippy -- -D warnings', 'error: unused variable: `x`', '  --> src/lib.rs:3:9', "error: Recipe `lint` failed on line 12 with exit code 101", 'Error: Process completed with exit code 101.'],
      head: 'error: unused variable: `x`',
      category: 'compilation',
    },
  ])('$name', async ({ lines, head, category }) => {
    // Act
    const analysis = await analyzeLog(lines.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe(head);
    expect(analysis.category).toBe(category);
  });

  it("does not mistake go's module download progress for an error", async () => {
    // Act
    const analysis = await analyzeLog(['go: downloading github.com/pkg/errors v0.8.1', 'go: finding module for package github.com/x/errors', 'ok  example.com/a 0.1s'].join('\n'));
    const failing = await analyzeLog('go: github.com/acme/lib@v1.4.0: reading github.com/acme/lib/go.mod at revision v1.4.0: unknown revision v1.4.0');
    // Assert
    expect(analysis.failures.filter((f) => f.rule === 'go.module')).toEqual([]);
    expect(failing.failures[0]?.rule).toBe('go.module');
    expect(failing.category).toBe('dependency');
  });

  it('ranks the green run’s noise below what is new (baseline)', async () => {
    // Prepare: a tool prints the same ERROR on every run, green or red; the new failure is a go test.
    const noise = 'ERROR: pkg-config not found, falling back to defaults';
    const failing = ['$ make test', noise, 'ok   example.com/a 0.01s', '--- FAIL: TestSum (0.00s)', '    sum_test.go:9: got 3, want 4', 'FAIL', 'The command "make test" exited with 2.'].join('\n');
    const green = ['$ make test', noise, 'ok   example.com/a 0.01s', 'ok   example.com/b 0.02s'].join('\n');
    // Act
    const baseline = await LogBaseline.fromLog(green);
    const withBaseline = await analyzeLog(failing, { baseline });
    // Assert
    expect(baseline.size).toBeGreaterThan(0);
    expect(withBaseline.failures[0]?.lines[0]?.text).toBe('    sum_test.go:9: got 3, want 4');
    const noisy = withBaseline.failures.find((f) => f.lines[0]?.text === noise);
    expect(noisy?.inBaseline).toBe(true);
    expect(withBaseline.signals?.baseline).toBe('new');
    expect(new LogBaseline(baseline.toJSON()).toJSON()).toEqual(baseline.toJSON());
  });
});

describe('diagnosis', () => {
  it('names a committed merge-conflict marker, with file and line', async () => {
    // Prepare
    const log = gha(
      '2024-05-01T10:00:00Z',
      ...SETUP,
      '##[group]Run python -m pytest test/test_ops.py',
      '##[endgroup]',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/proj/proj/test/test_ops.py", line 49',
      '    <<<<<<< HEAD',
      '    ^^',
      'SyntaxError: invalid syntax',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    const diagnosis = diagnose(analysis, { job: 'test (3.12)' });
    // Assert
    expect(analysis.category).toBe('compilation');
    expect(diagnosis.determined).toBe(true);
    expect(diagnosis.rootCause).toBe(
      'A merge-conflict marker was committed in `test/test_ops.py:49` (step "Run python -m pytest test/test_ops.py" of job "test (3.12)").',
    );
    expect(diagnosis.fix[0]).toContain('Resolve the conflict in `test/test_ops.py`');
  });

  it('quotes the exception, not the traceback header', async () => {
    // Prepare
    const log = ['Traceback (most recent call last):', '  File "app/main.py", line 4, in <module>', '    main()', 'ValueError: invalid literal for int() with base 10: \'x\'', 'The command "python app/main.py" exited with 1.'].join('\n');
    // Act
    const diagnosis = diagnose(await analyzeLog(log));
    // Assert
    expect(diagnosis.rootCause).toBe("`ValueError: invalid literal for int() with base 10: 'x'` was raised in `app/main.py:4`.".replace(/^./, (c) => c.toUpperCase()));
    expect(diagnosis.rootCause).not.toContain('Traceback');
  });

  it('says "not determined" and lists candidates when the evidence is weak', async () => {
    // Prepare: nothing but generic wording, and two rival lines.
    const log = ['$ ./deploy.sh', 'warming caches', 'could not reach the mirror, trying the next one', 'release notes are missing', 'The command "./deploy.sh" exited with 1.'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const diagnosis = diagnose(analysis);
    // Assert
    expect(analysis.confidence).toBeLessThan(0.5);
    expect(diagnosis.determined).toBe(false);
    expect(diagnosis.rootCause).toMatch(/^Root cause not determined: the evidence is weak; the most likely line is \d+: `.+`\.$/);
    expect(diagnosis.candidates.length).toBeGreaterThan(0);
  });

  it('says why when a confident line is of no known kind, instead of calling the evidence weak', async () => {
    // Prepare: events/logs/github-actions-unrecognized-failure.log, a script's own message and its exit code.
    const log = [
      '##[group]Run ./scripts/release-check.sh',
      'Checking release notes...',
      'Release notes present.',
      'Checking version...',
      'Version mismatch between manifest and tag.',
      '##[error]Process completed with exit code 3.',
      '##[endgroup]',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const diagnosis = diagnose(analysis);
    // Assert
    expect(analysis.confidence).toBeGreaterThanOrEqual(0.5);
    expect(diagnosis.determined).toBe(false);
    expect(diagnosis.rootCause).toBe(
      'Root cause not determined (step "Run ./scripts/release-check.sh"): no rule says what kind of failure its leading line is; the most likely line is 5: `Version mismatch between manifest and tag.`.',
    );
  });
});

describe("a script's own ::group::Run", () => {
  const pytestFailure = [
    '=================================== FAILURES ===================================',
    '_________________________________ test_divide __________________________________',
    '    def test_divide():',
    '>       assert divide(6, 3) == 3',
    'E       assert 2.0 == 3',
    'tests/test_math.py:9: AssertionError',
    '========================= 1 failed, 1 passed in 0.03s ==========================',
  ];

  // The runner's echo of a step names its shell with {0} (the script's file) or lists indented inputs under
  // with:/env:; a script's own group that prints neither, or prints look-alikes, is output.
  it.each([
    ['prints only its own output', []],
    ['prints a shell and an env: heading that are not the runner\'s', ['shell: bash', 'env:', 'python -m pytest']],
  ])("is read as the step's output, not skipped as the runner's echo of a new step, when it %s", async (_name, own) => {
    // Prepare: the runner's header names the shell; the script's own group does not.
    const log = gha(
      '2024-05-01T10:00:00Z',
      '##[group]Run ./ci.sh',
      './ci.sh',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '##[group]Run unit tests',
      ...own,
      ...pytestFailure,
      '##[endgroup]',
      '##[error]Process completed with exit code 1.',
    );

    // Act
    const analysis = await analyzeLog(log);

    // Assert
    expect(analysis.evidence?.text).toBe('E       assert 2.0 == 3');
    expect(analysis.step?.name).toBe('Run ./ci.sh');
  });

  it('is read when the log ends inside it', async () => {
    // Prepare
    const log = gha('2024-05-01T10:00:00Z', '##[group]Run unit tests', ...pytestFailure);

    // Act
    const analysis = await analyzeLog(log);

    // Assert
    expect(analysis.evidence?.text).toBe('E       assert 2.0 == 3');
  });
});

describe('error-dense steps', () => {
  // Names that differ in letters, so that no two errors share a template and every one is a candidate of its own.
  const name = (i: number): string => i.toString(26).replace(/[0-9a-p]/g, (c) => String.fromCharCode(97 + parseInt(c, 26)));
  const errors = (dir: string, count: number): string[] =>
    Array.from({ length: count }, (_, i) => `src/${dir}/${name(i + 1000)}.ts(4,2): error TS2322: Type '${name(i + 7)}' is not assignable to type 'number'.`);

  it('ranks the failed step first when an earlier step printed hundreds of distinct errors of the same rule', async () => {
    // Prepare: more errors than the scanner keeps, in a step that passed, then a step that failed with its own
    const log = gha(
      '2024-05-01T10:00:00Z',
      '##[group]Run npx tsc -p legacy',
      'npx tsc -p legacy',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      ...errors('legacy', 450),
      '##[group]Run npx tsc -p app',
      'npx tsc -p app',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      ...errors('app', 450),
      '##[error]Process completed with exit code 2.',
    );

    // Act
    const analysis = await analyzeLog(log);

    // Assert: the failed step's first error leads, though 450 errors of the same rule came before it
    expect(analysis.step?.name).toBe('Run npx tsc -p app');
    expect(analysis.evidence?.text).toBe(errors('app', 1)[0]);
    expect(analysis.failures.map((f) => f.step?.name)).toEqual(analysis.failures.map(() => 'Run npx tsc -p app'));
  });
});

describe('candidates of a log that never fills the scanner', () => {
  it('are all ranked: a 201st error of the same rule and step is still a failure', async () => {
    // Prepare: more errors of one class than the scanner keeps after a prune, fewer than make it prune
    const name = (i: number): string => i.toString(26).replace(/[0-9a-p]/g, (c) => String.fromCharCode(97 + parseInt(c, 26)));
    const lines = Array.from({ length: 201 }, (_, i) => `src/${name(i + 1000)}.ts(4,2): error TS2322: Type '${name(i + 7)}' is not assignable to type 'number'.`);

    // Act
    const analysis = await analyzeLog(lines.join('\n'), { maxFailures: 300 });

    // Assert
    expect(analysis.failures).toHaveLength(201);
    expect(analysis.failures.at(-1)?.lines[0]?.text).toBe(lines[200]);
  });
});
