import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sameShape } from '../../../shared/logs/fingerprint.js';
import { cleanLine } from '../../../shared/logs/reader.js';
import { PinnedShape } from '../../../shared/logs/shape.js';
import { seededRandom } from '../../support/random.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('PinnedShape', () => {
  const wasm = new PinnedShape('');
  wasm.startWasm();
  const passes = [wasm, new PinnedShape('', 'js')];

  function expectDefinition(pinned: string, text: string): void {
    for (const shape of passes) {
      shape.pin(pinned);
      expect(shape.matches(text), `${JSON.stringify(text)} against ${JSON.stringify(pinned)}`).toBe(sameShape(text, pinned));
    }
  }

  it('answers as sameShape does for every sample line against its neighbours and its digits changed', () => {
    const dir = join(ROOT, 'events', 'logs');
    const lines = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').map(cleanLine));
    let same = 0;
    lines.forEach((line, i) => {
      const variant = line.replace(/\d/g, (d) => String((Number(d) + 7) % 10));
      expectDefinition(line, variant);
      expectDefinition(line, lines[i + 1] ?? '');
      if (sameShape(variant, line)) same++;
    });
    expect(same).toBeGreaterThan(lines.length / 2);
  });

  it('answers as sameShape does on random lines of digits, 0x, letters and non-ASCII', () => {
    const random = seededRandom(17);
    const pieces = ['0', '1', '9', 'x', 'X', '0x', 'a', ' ', 'é', '😀', '\uD800', '٣'];
    const line = (): string => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    let same = 0;
    for (let k = 0; k < 30_000; k++) {
      const a = line();
      const b = random() < 0.5 ? a.replace(/[0-9]/g, () => String(Math.floor(random() * 10))) : line();
      expectDefinition(a, b);
      if (sameShape(b, a)) same++;
    }
    expect(same).toBeGreaterThan(5_000);
  });

  it('sets WebAssembly up only once a log has closed many blocks', () => {
    const lazy = new PinnedShape('a1');
    for (let i = 0; i < 300; i++) expect(lazy.matches(`a${i % 10}`)).toBe(true);
    expect(lazy.matches('b1')).toBe(false);
    expect(lazy.matches('a0x'.slice(0, 2))).toBe(true);
  });

  it('compares lines longer than its WebAssembly buffer too', () => {
    const long = `${'a1'.repeat(20_000)}0x`;
    expectDefinition(long, long.replace(/1/g, '2'));
    expectDefinition(long, long.replace('0x', '1x'));
  });
});
