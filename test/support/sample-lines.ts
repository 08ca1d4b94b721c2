import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanLine } from '../../shared/logs/reader.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LOG_TESTS = join(ROOT, 'test', 'unit', 'logs');

/** Every sample line the project has: the event logs and the string literals of the log tests (real-shaped excerpts). */
export function sampleLines(): string[] {
  const out: string[] = [];
  const logs = join(ROOT, 'events', 'logs');
  for (const f of readdirSync(logs)) out.push(...readFileSync(join(logs, f), 'utf8').split('\n').map(cleanLine));
  for (const f of readdirSync(LOG_TESTS)) {
    if (!f.endsWith('.test.ts')) continue;
    for (const m of readFileSync(join(LOG_TESTS, f), 'utf8').matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
      const text = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
      out.push(...text.split('\n'));
    }
  }
  return out;
}
