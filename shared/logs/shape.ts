/**
 * One line's digit shape, pinned, and other lines compared with it (`sameShape` in fingerprint.ts): the scanner
 * asks this of every failure block it closes, and in an error-dense log (every line a failure) a JavaScript loop
 * over both lines' characters cost half a microsecond per line. Here both lines are written into WebAssembly memory
 * as UTF-16 code units (a native copy, so the comparison is the definition's, unit by unit) and compared there, at
 * about a third of that.
 */
import { sameShape } from './fingerprint.js';
import { SHAPE_WASM } from './line-filter.generated.js';
import { instantiate } from './wasm.js';

/** Longest line compared in WebAssembly (the scanner's heads are cut to 500 characters); longer ones in JavaScript. */
const MAX_UNITS = 16 * 1024;
const TEXT_AT = 0;
const PINNED_AT = MAX_UNITS * 2;

interface ShapeExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  sameShape(a: number, b: number, units: number): number;
}

export class PinnedShape {
  private pinned: string;
  private readonly wasm: ShapeExports | null;
  private readonly memory: Buffer | null;

  /** @param pass `'js'` compares in JavaScript even where WebAssembly is available (the tests' reference). */
  constructor(text: string, pass: 'wasm' | 'js' = 'wasm') {
    this.wasm = pass === 'wasm' ? instantiate<ShapeExports>(SHAPE_WASM) : null;
    this.memory = this.wasm ? Buffer.from(this.wasm.memory.buffer) : null;
    this.pinned = text;
    this.pin(text);
  }

  /** The pinned line. */
  get text(): string {
    return this.pinned;
  }

  pin(text: string): void {
    this.pinned = text;
    if (this.memory && text.length <= MAX_UNITS) this.memory.write(text, PINNED_AT, 'utf16le');
  }

  /** `sameShape(text, pinned)`. */
  matches(text: string): boolean {
    const units = text.length;
    if (units !== this.pinned.length) return false;
    const wasm = this.wasm;
    if (wasm === null || this.memory === null || units > MAX_UNITS) return sameShape(text, this.pinned);
    this.memory.write(text, TEXT_AT, 'utf16le');
    return wasm.sameShape(TEXT_AT, PINNED_AT, units) === 1;
  }
}
