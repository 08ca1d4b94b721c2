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
  private readonly parts: string[] = [];
  private windows = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly changed: boolean[] = [];

  /** Starts the next window. */
  open(): void {
    if (this.windows++ > 0) this.push('\n', -1, -1, false);
  }

  /** `text[start, end)` as it is. */
  keep(text: string, start: number, end: number): void {
    this.parts.push(text.slice(start, end));
    for (let at = start; at < end; at++) {
      this.starts.push(at);
      this.ends.push(at + 1);
      this.changed.push(false);
    }
  }

  /** `written` for `text[start, end)` (empty: the stretch is dropped). */
  rewrite(written: string, start: number, end: number): void {
    this.push(written, start, end, true);
  }

  get text(): string {
    return this.parts.join('');
  }

  private push(written: string, start: number, end: number, changed: boolean): void {
    this.parts.push(written);
    for (let unit = 0; unit < written.length; unit++) {
      this.starts.push(start);
      this.ends.push(end);
      this.changed.push(changed);
    }
  }
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
      if (starts.slice(start, end).includes(-1) || (onlyRewritten && !changed.slice(start, end).includes(true))) continue;
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
