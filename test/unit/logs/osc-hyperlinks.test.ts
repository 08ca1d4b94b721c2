import { describe, expect, it } from 'vitest';
import { cleanLine } from '../../../shared/logs/reader.js';

/** Operating system commands (`ESC ] … BEL` or `ESC ] … ESC \\`): hyperlinks rich prints even without a terminal. */
describe('OSC 8 hyperlinks', () => {
  it('cleaning removes a hyperlink escape whole, its URL with it, and keeps the linked text', () => {
    // Prepare: ansible-lint 6.13's rule tag, linked to its documentation (ESC ] 8 ; params ; URI ST … ESC ] 8 ; ; ST).
    const raw = '\x1b]8;id=184005;https://ansible-lint.readthedocs.io/rules/name/\x1b\\\x1b[1;91mname[play]\x1b[0m\x1b]8;;\x1b\\\x1b[2m:\x1b[0m \x1b[91mAll plays should be named.\x1b[0m';
    const bell = '\x1b]8;;https://example.com/docs\x07docs\x1b]8;;\x07 here';
    // Act
    const [text, ofBell] = [cleanLine(raw), cleanLine(bell)];
    // Assert
    expect(text).toBe('name[play]: All plays should be named.');
    expect(ofBell).toBe('docs here');
  });
});
