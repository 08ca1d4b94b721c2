/**
 * One line's digit shape, pinned, and other lines compared with it (`sameShape` in fingerprint.ts): the scanner
 * asks this of a failure block it closes when the head's shape class is not known already (see `headFacts` in
 * analyzer.ts), and a JavaScript loop over both lines' characters cost half a microsecond per line. Here both lines are written into WebAssembly memory
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

/**
 * Comparisons made in JavaScript before the WebAssembly pass is set up: an instance (and its memory) costs ~35 us,
 * more than a short log's few blocks ever save, and the analyzer makes one per log. Few: the switch is a path V8's
 * optimised code for closing a block has not seen run, and at 256 it came after that code was made, which threw it
 * away and compiled it again, twice (session 66).
 */
const COMPARISONS_BEFORE_WASM = 16;

export class PinnedShape {
  private pinned: string;
  private wasm: ShapeExports | null = null;
  private memory: Buffer | null = null;
  private comparisons = 0;

  /** @param pass `'js'` compares in JavaScript even where WebAssembly is available (the tests' reference). */
  constructor(
    text: string,
    private readonly pass: 'wasm' | 'js' = 'wasm',
  ) {
    this.pinned = text;
  }

  pin(text: string): void {
    this.pinned = text;
    if (this.memory && text.length <= MAX_UNITS) this.memory.write(text, PINNED_AT, 'utf16le');
  }

  /** `sameShape(text, pinned)`. */
  matches(text: string): boolean {
    const units = text.length;
    if (units !== this.pinned.length) return false;
    if (this.memory === null && ++this.comparisons === COMPARISONS_BEFORE_WASM && this.pass === 'wasm') this.startWasm();
    const wasm = this.wasm;
    if (wasm === null || this.memory === null || units > MAX_UNITS) return sameShape(text, this.pinned);
    this.memory.write(text, TEXT_AT, 'utf16le');
    return wasm.sameShape(TEXT_AT, PINNED_AT, units) === 1;
  }

  /** For tests: compare in WebAssembly from now on (where it is available). */
  startWasm(): void {
    this.wasm = instantiate<ShapeExports>(SHAPE_WASM);
    this.memory = this.wasm ? Buffer.from(this.wasm.memory.buffer) : null;
    this.pin(this.pinned);
  }
}
