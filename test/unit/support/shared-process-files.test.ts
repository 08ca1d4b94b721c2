import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The folders whose files vitest.config.ts runs without isolation: a file shares its worker with the files before it. */
const SHARED_PROCESS_FOLDERS = ['infra', 'integration'];

/** What outlives a test file in its process unless the file puts it back: a module mock, a stubbed global or variable, fake timers. */
const PROCESS_WIDE = /\bvi\.(?:mock|doMock|stubEnv|stubGlobal|useFakeTimers)\(/;

describe('the test files that share worker processes', () => {
  it.each(SHARED_PROCESS_FOLDERS)('in test/%s mock no module, stub no global and fake no timer (put such a test under test/unit)', (folder) => {
    const directory = join(TEST_ROOT, folder);
    const files = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.filter((name) => PROCESS_WIDE.test(readFileSync(join(directory, name), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('reads the calls it refuses', () => {
    expect(PROCESS_WIDE.test("vi.mock('../../shared/logs/redact.js')")).toBe(true);
    expect(PROCESS_WIDE.test('vi.useFakeTimers({ now: 0 })')).toBe(true);
    expect(PROCESS_WIDE.test("vi.stubEnv('AWS_REGION', 'eu-west-1')")).toBe(true);
    expect(PROCESS_WIDE.test('vi.fn()')).toBe(false);
  });
});
