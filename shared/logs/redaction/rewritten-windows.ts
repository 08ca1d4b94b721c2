/**
 * Windows of a text rewritten for the patterns to read (look-alike letters folded, escapes decoded, a wrapped token's
 * pieces joined), and what the patterns find there replaced where it stands in the text.
 */
import type { SecretPattern } from './patterns.js';
import { patternReplacements, withRangesReplaced } from './replacements.js';

/**
 * Windows of a text rewritten for the patterns to read (look-alike letters folded, escapes decoded), joined by line
 * breaks, and for each UTF-16 unit of the rewritten text the stretch of the text it reads (-1 for a break between
 * windows) and whether it was rewritten.
 */
export class RewrittenWindows {
  /** Built by concatenation, not an array joined: one string a piece made the same large, remembered array. */
  private builtText = '';
  private windows = 0;
  /**
   * Typed arrays grown by doubling, not arrays pushed to a unit at a time: three of those held 24 bytes a unit, and past
   * ~16K units each was a large object whose young elements the collector remembers: the gated redactor took 1.6 ms
   * on 16 KB of attack 49's token prefixes and 29 on 64 KB (22 on 256 KB with these; docs/performance.md, session 79). The getters below return
   * views of the buffers as they are when called, not live arrays as before: take them after the last write (every
   * reader does), since a view taken earlier neither grows nor, once the buffers are replaced, sees later writes.
   */
  private startOf = new Int32Array(64);
  private endOf = new Int32Array(64);
  private changedAt = new Uint8Array(64);
  private length = 0;

  /** For each unit of {@link text}, where the stretch of the text it reads starts (-1 for a break between windows). */
  get starts(): Int32Array {
    return this.startOf.subarray(0, this.length);
  }

  /** For each unit of {@link text}, where the stretch of the text it reads ends (-1 for a break between windows). */
  get ends(): Int32Array {
    return this.endOf.subarray(0, this.length);
  }

  /** For each unit of {@link text}, 1 where it was rewritten. */
  get changed(): Uint8Array {
    return this.changedAt.subarray(0, this.length);
  }

  /** Starts the next window. */
  open(): void {
    if (this.windows++ > 0) this.push('\n', -1, -1, false);
  }

  /** `text[start, end)` as it is. */
  keep(text: string, start: number, end: number): void {
    this.builtText += text.slice(start, end);
    // An end before the start writes '' and maps nothing: reserving `end - start` would take the map's length back,
    // out of step with the text.
    let unit = this.reserve(Math.max(0, end - start));
    for (let at = start; at < end; at++, unit++) {
      this.startOf[unit] = at;
      this.endOf[unit] = at + 1;
    }
  }

  /** `written` for `text[start, end)` (empty: the stretch is dropped). */
  rewrite(written: string, start: number, end: number): void {
    this.push(written, start, end, true);
  }

  get text(): string {
    return this.builtText;
  }

  private push(written: string, start: number, end: number, changed: boolean): void {
    this.builtText += written;
    const from = this.reserve(written.length);
    this.startOf.fill(start, from, this.length);
    this.endOf.fill(end, from, this.length);
    if (changed) this.changedAt.fill(1, from, this.length);
  }

  /** Room for `units` more units: where they start. */
  private reserve(units: number): number {
    const from = this.length;
    this.length += units;
    if (this.length > this.startOf.length) {
      let capacity = this.startOf.length * 2;
      while (capacity < this.length) capacity *= 2;
      this.startOf = grown(this.startOf, new Int32Array(capacity));
      this.endOf = grown(this.endOf, new Int32Array(capacity));
      this.changedAt = grown(this.changedAt, new Uint8Array(capacity));
    }
    return from;
  }
}

function grown<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * `text` with what `patterns` find in its rewritten windows replaced where it stands in `text`, the text around it
 * kept as it was: a match must lie in one window and, when `onlyRewritten`, hold a rewritten character. Of
 * overlapping matches the first found gives the label (patterns run most specific first), and the union goes.
 */
export function replacedFromRewritten(text: string, rewritten: RewrittenWindows, patterns: readonly SecretPattern[], onlyRewritten: boolean): string {
  const copy = rewritten.text;
  const { starts, ends, changed } = rewritten;
  const found: Array<{ start: number; end: number; marker: string; order: number }> = [];
  for (const pattern of patterns) {
    const { ranges, markers } = patternReplacements(copy, pattern);
    for (let r = 0; r < ranges.length; r += 2) {
      const start = ranges[r] as number;
      const end = ranges[r + 1] as number;
      if (starts.subarray(start, end).includes(-1) || (onlyRewritten && !changed.subarray(start, end).includes(1))) continue;
      found.push({ start: starts[start] as number, end: ends[end - 1] as number, marker: markers[r / 2] as string, order: found.length });
    }
  }
  return withFoundReplaced(text, found);
}

/** A stretch of a text to replace, found by a pattern in a copy of it; `order`: how many were found before it. */
export interface FoundStretch {
  readonly start: number;
  readonly end: number;
  readonly marker: string;
  readonly order: number;
}

/** `text` with the stretches of `found` replaced: of overlapping ones the first found gives the label, the union goes. */
export function withFoundReplaced(text: string, found: FoundStretch[]): string {
  if (found.length === 0) return text;
  found.sort((a, b) => a.start - b.start || a.order - b.order);
  const ranges: number[] = [];
  const markers: string[] = [];
  for (const match of found) {
    const last = ranges.length - 1;
    if (last > 0 && match.start < (ranges[last] as number)) {
      ranges[last] = Math.max(ranges[last] as number, match.end);
      continue;
    }
    ranges.push(match.start, match.end);
    markers.push(match.marker);
  }
  return withRangesReplaced(text, ranges, markers);
}
