import { describe, expect, it } from 'vitest';
import { showHidden } from '../../../infra/dashboard/src/text.js';

describe('dashboard text from incident data', () => {
  it.each([
    ['a right-to-left override', '\u202Eniam', '⟨U+202E⟩niam'],
    ['a zero-width space', 'ma\u200Bin', 'ma⟨U+200B⟩in'],
    ['an isolate and a mark', '\u2067x\u200F', '⟨U+2067⟩x⟨U+200F⟩'],
    ['a tag character', 'ok\u{E0069}', 'ok⟨U+E0069⟩'],
  ])('shows %s as a mark', (_label, text, shown) => {
    expect(showHidden(text)).toBe(shown);
  });

  it('leaves ordinary text and emoji as they are', () => {
    expect(showHidden('feature/tax-rounding ⚡️ 👨‍👩‍👧 ünïcödé')).toBe('feature/tax-rounding ⚡️ 👨‍👩‍👧 ünïcödé');
  });
});
