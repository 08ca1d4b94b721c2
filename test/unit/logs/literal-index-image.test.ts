import { describe, expect, it } from 'vitest';
import { INDEX_EXPRESSIONS } from '../../../shared/logs/dispatch.js';
import { LITERAL_INDEX_LITERALS } from '../../../shared/logs/line-filter.generated.js';
import { knownLiteralsOf, LITERAL_PREFIX_CHARS, LiteralIndex } from '../../../shared/logs/literal-index.js';
import { sampleLines } from '../../support/sample-lines.js';

// The analyzer's index as the CLI keeps it between runs (shared/cli/index-cache.ts): an image of its tables, read back
// in place of the build.

const built = (pass: 'wasm' | 'js'): LiteralIndex =>
  new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, pass, knownLiteralsOf(LITERAL_INDEX_LITERALS, INDEX_EXPRESSIONS, 'the literal index'), 'shape');

/** Each line's marks and the shape table's answer, from `index`. */
function readings(index: LiteralIndex, lines: readonly string[]): string[] {
  return lines.map((text) => {
    index.scan(text);
    const marks = Array.from(index.candidates()).join(',');
    const slot = index.load(text) ? index.intern() : 'unloaded';
    return `${marks}|${slot}`;
  });
}

describe('LiteralIndex.image and fromImage', () => {
  // Every sample line, their upper-case forms, and lines of digits and of non-ASCII text: the marks depend on the class
  // map, the transitions and the marks table, which the image carries; the shape table starts empty in both.
  const lines = [...new Set(sampleLines())];
  const texts = [...lines, ...lines.map((line) => line.toUpperCase()), 'exit code 137', 'exit code 255', 'Ошибка: ✗ échec', ''];

  it.each(['wasm', 'js'] as const)('reads every line as the index it was written from (%s pass)', (pass) => {
    const original = built(pass);
    const copy = LiteralIndex.fromImage(INDEX_EXPRESSIONS, original.image(), pass);
    expect(copy).not.toBeNull();
    expect(readings(copy as LiteralIndex, texts)).toEqual(readings(original, texts));
  });

  it('writes the same image before and after lines were read (the last line’s marks are left out)', () => {
    const index = built('wasm');
    const fresh = index.image();
    readings(index, lines.slice(0, 200));
    expect(Buffer.from(index.image()).equals(Buffer.from(fresh))).toBe(true);
  });

  it('reads an image written by the other pass', () => {
    const fromJs = LiteralIndex.fromImage(INDEX_EXPRESSIONS, built('js').image(), 'wasm') as LiteralIndex;
    expect(readings(fromJs, texts.slice(0, 500))).toEqual(readings(built('wasm'), texts.slice(0, 500)));
  });

  it('is null for bytes that are not an image of an index of that many expressions', () => {
    const image = built('wasm').image();
    const withWord = (k: number, value: number): Uint8Array => {
      const copy = image.slice();
      new DataView(copy.buffer).setInt32(k * 4, value, true);
      return copy;
    };
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS.slice(1), image)).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, image.subarray(0, image.length - 1))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, new Uint8Array([...image, 0]))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, image.subarray(0, 16))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, new Uint8Array(0))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, withWord(0, 0x474c4950))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, withWord(1, 2))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, withWord(3, 32))).toBeNull();
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, withWord(5, 7))).toBeNull();
    // The untouched image, read from a view into a larger buffer (a file read into a pooled Buffer).
    const pooled = new Uint8Array(image.length + 24);
    pooled.set(image, 8);
    expect(LiteralIndex.fromImage(INDEX_EXPRESSIONS, pooled.subarray(8, 8 + image.length))).not.toBeNull();
  });
});
