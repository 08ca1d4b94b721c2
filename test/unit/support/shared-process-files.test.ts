import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ENVIRONMENT_WRITTEN,
  leavesProcessWideState,
  localRuntimeFiles,
  MEASURES_CPU_GROWTH,
  PROCESS_WIDE,
  pureFunctionFiles,
  SDK_CLIENT_MOCKED,
  SDK_CLIENT_RESTORED,
  sharedUnitFiles,
  SPIED,
  STARTS_LOCAL_RUNTIME,
} from '../../support/pure-function-files.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TEST_ROOT = join(ROOT, 'test');

/** The folders whose files vitest.config.ts runs without isolation: a file shares its worker with the files before it. */
const SHARED_PROCESS_FOLDERS = ['infra', 'integration'];

describe('the test files that share worker processes', () => {
  it.each(SHARED_PROCESS_FOLDERS)('in test/%s mock no module, stub no global and fake no timer (put such a test under test/unit)', (folder) => {
    const directory = join(TEST_ROOT, folder);
    const files = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.filter((name) => PROCESS_WIDE.test(readFileSync(join(directory, name), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('that only call functions mock no module, stub no global, fake no timer, spy on nothing and change no environment (leave such a file out in test/support/pure-function-files.ts)', () => {
    const files = pureFunctionFiles(ROOT);
    expect(files.length).toBeGreaterThan(150);
    expect(files).toContain('test/unit/logs/steps.test.ts');
    expect(files).not.toContain('test/unit/logs/line-filter.test.ts');
    expect(files).toContain('test/attack/sweep-56.test.ts');
    const offending = files.filter((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      return PROCESS_WIDE.test(text) || ENVIRONMENT_WRITTEN.test(text) || SPIED.test(text) || (SDK_CLIENT_MOCKED.test(text) && !SDK_CLIENT_RESTORED.test(text));
    });
    expect(offending).toEqual([]);
  });

  it('of the product\'s unit tests mock no module or SDK client, stub no global, set no clock, spy on nothing, change no environment and measure no CPU growth (leave such a file out in test/support/pure-function-files.ts)', () => {
    const files = sharedUnitFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('test/unit/steps/approval-carry.test.ts');
    expect(files).toContain('test/unit/statemachine/delay.test.ts');
    const functionFiles = new Set(pureFunctionFiles(ROOT));
    expect(files.filter((path) => functionFiles.has(path))).toEqual([]);
    const offending = files.filter((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      return PROCESS_WIDE.test(text) || ENVIRONMENT_WRITTEN.test(text) || SPIED.test(text) || SDK_CLIENT_MOCKED.test(text) || MEASURES_CPU_GROWTH.test(text);
    });
    expect(offending).toEqual([]);
  });

  it('leaves out, among the product\'s unit tests, those that mock an SDK client, set the clock or spy', () => {
    const files = sharedUnitFiles(ROOT);
    for (const [path, refused] of [
      ['test/unit/stores/incident-resolution-condition.test.ts', SDK_CLIENT_MOCKED],
      ['test/unit/github/client.hold.test.ts', PROCESS_WIDE],
      ['test/unit/notify/holder-asking.test.ts', SPIED],
    ] as const) {
      expect(refused.test(readFileSync(join(ROOT, path), 'utf8')), path).toBe(true);
      expect(files, path).not.toContain(path);
    }
  });

  it('reads the calls it refuses', () => {
    expect(PROCESS_WIDE.test("vi.mock('../../shared/logs/redact.js')")).toBe(true);
    expect(PROCESS_WIDE.test('vi.useFakeTimers({ now: 0 })')).toBe(true);
    expect(PROCESS_WIDE.test("vi.stubEnv('AWS_REGION', 'eu-west-1')")).toBe(true);
    expect(PROCESS_WIDE.test('vi.setSystemTime(Date.now() + 20_000);')).toBe(true);
    expect(PROCESS_WIDE.test('vi.fn()')).toBe(false);
    expect(SDK_CLIENT_MOCKED.test('const documents = mockClient(DynamoDBDocumentClient);')).toBe(true);
    expect(ENVIRONMENT_WRITTEN.test('    process.env.GUARD_DATA_DIR = dir;')).toBe(true);
    expect(ENVIRONMENT_WRITTEN.test('  for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;')).toBe(true);
    expect(ENVIRONMENT_WRITTEN.test('    delete process.env.ANALYZER;')).toBe(true);
    expect(ENVIRONMENT_WRITTEN.test("  ['src/setup.ts', '+process.env.NODE_OPTIONS = \"--require ./a.js\";'],")).toBe(false);
    expect(ENVIRONMENT_WRITTEN.test("const t = process.env.GITHUB_TOKEN === 'x';")).toBe(false);
  });

  it('among the attack files that start the local runtime (run with the integration tests) mock no module, stub no global, set no clock, spy on nothing, change no environment and measure no CPU growth', () => {
    const files = localRuntimeFiles(ROOT);
    expect(files.length).toBeGreaterThan(10);
    expect(files).toContain('test/attack/pass-15-stale-approval.test.ts');
    expect(files).toContain('test/attack/crashes-and-late-deliveries.test.ts');
    const elsewhere = new Set([...pureFunctionFiles(ROOT), ...sharedUnitFiles(ROOT)]);
    expect(files.filter((path) => elsewhere.has(path))).toEqual([]);
    const offending = files.filter((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      return !STARTS_LOCAL_RUNTIME.test(text) || PROCESS_WIDE.test(text) || ENVIRONMENT_WRITTEN.test(text) || SPIED.test(text) || SDK_CLIENT_MOCKED.test(text) || MEASURES_CPU_GROWTH.test(text);
    });
    expect(offending).toEqual([]);
  });

  it('leaves out, among the attack files, those that set a clock, mock a module, spy, change the environment or fit their CPU time\'s growth', () => {
    const shared = new Set([...localRuntimeFiles(ROOT), ...pureFunctionFiles(ROOT), ...sharedUnitFiles(ROOT)]);
    for (const path of [
      'test/attack/alarms-40.test.ts', // the local runtime, fake timers and a set clock
      'test/attack/attack-46a-rotation.test.ts', // a module mock and a spy
      'test/attack/attack-45a-overrun.test.ts', // a stubbed variable and a spy
      'test/attack/sweep-57-sweep57b.test.ts', // a fit of its CPU time's growth
    ]) {
      const text = readFileSync(join(ROOT, path), 'utf8');
      expect(leavesProcessWideState(text) || MEASURES_CPU_GROWTH.test(text), path).toBe(true);
      expect(shared.has(path), path).toBe(false);
    }
  });

  it('reads which files start the local runtime: the harness\'s runtime, not its scratch store alone', () => {
    expect(STARTS_LOCAL_RUNTIME.test("const harness = useLocalRuntime({ secret: SECRET, github: { auth: 'token' } });")).toBe(true);
    expect(STARTS_LOCAL_RUNTIME.test('  const runtimes = useLocalRuntimePerTest();')).toBe(true);
    expect(STARTS_LOCAL_RUNTIME.test('    const harness = await startHarness({ secret: SECRET, dataDir });')).toBe(true);
    expect(STARTS_LOCAL_RUNTIME.test("const { store, client } = scratchStoreForFile('runbook-episode');")).toBe(false);
  });

  it('leaves out, among the files that only call functions, those that fit the growth of their own CPU time', () => {
    const files = pureFunctionFiles(ROOT);
    const path = 'test/attack/pass-14-blank-runs.test.ts';
    expect(MEASURES_CPU_GROWTH.test(readFileSync(join(ROOT, path), 'utf8'))).toBe(true);
    expect(files).not.toContain(path);
  });

  it('leaves out, among the files that only call functions, those that mock a module or change the environment', () => {
    const files = pureFunctionFiles(ROOT);
    for (const path of ['test/unit/logs/distinct-errors.test.ts', 'test/unit/logs/redact-gated.test.ts', 'test/unit/logs/cli.test.ts']) {
      const text = readFileSync(join(ROOT, path), 'utf8');
      expect(PROCESS_WIDE.test(text) || ENVIRONMENT_WRITTEN.test(text), path).toBe(true);
      expect(files, path).not.toContain(path);
    }
  });
});
