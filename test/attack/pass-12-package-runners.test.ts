import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, expectRefused, patchAdding } from '../support/patches.js';

/**
 * Session 35's attack pass, finding 1: the rule for a package fetched and run by a process call (`npx x`, `npm
 * install x`, `pip install x`) knew the package manager only right after the string's opening quote. A command
 * before it, options before its verb, a path to it, Node's `(program, [args])` form or a call over several lines
 * got past it, and each of these patches was accepted. Each fetches an attacker-published package and runs its
 * install or bin scripts in CI, with the repository's secrets once the fix branch is pushed.
 */
const reasonFor = (path: string, lines: readonly string[]) => {
  const result = checkPatch(patchAdding(path, lines));
  return result.ok ? null : result.reason;
};

describe('attack pass 12: a package runner or installer anywhere in a process call', () => {
  it.each([
    // A command before the program
    ['src/setup.ts', ["execSync('cd /tmp && npx --yes evil-pkg');"]],
    ['src/setup.ts', ["execSync('CI=1 npx --yes evil-pkg');"]],
    ['src/setup_env.py', ['os.system("NODE_ENV=test npm install evil-pkg")']],
    ['src/setup_env.py', ['os.system("true; pip install evilpkg")']],
    ['src/setup.ts', ["execSync('npm ci && npm i evil-pkg');"]],
    ['src/setup_env.py', ["os.system('timeout 60 npx evil-pkg')"]],
    ['src/setup_env.py', ["os.system('echo evil-pkg | xargs npx')"]],
    // Options before the verb, a version in the program's name, a path to it
    ['src/setup_env.py', ["os.system('npm -g install evil-pkg')"]],
    ['src/setup_env.py', ["os.system('npm --prefix /tmp install evil-pkg')"]],
    ['src/setup_env.py', ["os.system('pip -q install evilpkg')"]],
    ['src/setup_env.py', ["os.system('python -m pip -q install evilpkg')"]],
    ['src/setup_env.py', ["os.system('python3.12 -m pip install evilpkg')"]],
    ['src/setup_env.py', ["os.system('pip3.11 install evilpkg')"]],
    ['src/setup_env.py', ["os.system('/usr/bin/npx evil-pkg')"]],
    // Node's argv form
    ['src/setup.ts', ["spawnSync('npm', ['install', 'evil-pkg']);"]],
    ['src/setup.ts', ["execFileSync('npm', ['i', '--no-save', 'evil-pkg']);"]],
    ['src/setup.ts', ["await execa('npm', ['install', 'evil-pkg']);"]],
    ['src/setup.ts', ["spawn('pnpm', ['dlx', 'evil-pkg']);"]],
    ['src/setup.ts', ["spawn('yarn', ['dlx', 'evil-pkg']);"]],
    ['src/setup.ts', ["execFileSync('npm', ['exec', '--yes', 'evil-pkg']);"]],
    // A call over several lines
    ['src/setup_env.py', ['subprocess.run(', '    ["npx", "--yes", "evil-pkg"],', '    check=True)']],
    ['src/setup.ts', ['execSync(', "  'npx --yes evil-pkg',", '  { stdio: "inherit" });']],
    // Other call shapes
    ['src/setup_env.py', ['await asyncio.create_subprocess_exec("npx", "evil-pkg")']],
    ['src/setup_env.py', ['await asyncio.create_subprocess_shell("npx evil-pkg")']],
    ['src/setup.rs', ['Command::new("npx").arg("evil-pkg").status()?;']],
    ['lib/setup.ex', ['System.cmd("npx", ["evil-pkg"])']],
    ['src/setup.mjs', ['await $`npx evil-pkg`;']],
    // Verbs and tools the list missed
    ['src/setup.ts', ["execSync('npm create evil-app');"]],
    ['src/setup.ts', ["execSync('npm init evil-app');"]],
    ['src/setup.ts', ["execSync('yarn create evil-app');"]],
    ['src/setup_env.py', ["os.system('uv tool run evil-pkg')"]],
    ['src/setup_env.py', ["os.system('uv tool install evil-pkg')"]],
    ['src/setup_env.py', ["os.system('uv run --with evil-pkg pytest')"]],
    ['src/setup_env.py', ["os.system('pip-run evil-pkg -- -c pass')"]],
    ['src/setup_env.py', ["os.system('easy_install evil-pkg')"]],
    ['src/setup_env.py', ["os.system('conda install -c evilchan evil-pkg')"]],
    ['src/setup_env.py', ["os.system('mamba install -c evilchan evil-pkg')"]],
    ['src/setup_env.py', ["os.system('gh extension install evil/gh-x && gh x')"]],
    ['src/setup_env.py', ["os.system('cargo binstall evil-crate')"]],
    ['src/setup_env.py', ["os.system('dotnet tool install -g evil-tool')"]],
    ['src/setup.php', ["shell_exec('composer require evil/pkg');"]],
    ['src/setup.php', ["shell_exec('composer global require evil/pkg');"]],
    ['src/setup_env.py', ["os.system('luarocks install evil')"]],
    ['src/setup_env.py', ["os.system('cpanm Evil::Module')"]],
  ] as const)('refuses %s: %s', (path, lines) => {
    expect(reasonFor(path, lines)).toMatch(/a dependency no manifest declares/);
  });

  // A third-party tap and a flake on GitHub are remote repositories: since attack pass 14 (group B) the rule for an
  // installer given one refuses them first, with its own reason.
  it.each([
    ['src/setup_env.py', ["os.system('brew install evil/tap/x')"]],
    ['src/setup_env.py', ["os.system('nix run github:evil/x')"]],
  ] as const)('refuses %s: %s', (path, lines) => {
    expect(reasonFor(path, lines)).toMatch(/remote-script/);
  });

  it.each([
    ['src/build.ts', ["execSync('npm ci');"]],
    ['src/build.ts', ["execSync('npm run build');"]],
    ['src/build.ts', ["execSync('npm test');"]],
    ['src/build.ts', ["execSync('npm run lint && git add .');"]],
    ['src/build.ts', ["spawnSync('npm', ['run', 'build']);"]],
    ['src/build.ts', ["execSync('./node_modules/.bin/tsc --noEmit');"]],
    ['src/build.ts', ["run_command('yarn build')"]],
    ['src/build.ts', ["throw new Error('run npm install first');"]],
    ['src/build.test.ts', ["expect(stderr).toContain('npx tsc');"]],
    ['src/build.go', ['exec.Command("go", "build", "./...").Run()']],
    ['src/build.go', ['exec.Command("go", "run", "./cmd/gen").Run()']],
    ['src/build.ts', ["execSync('docker compose up -d db');"]],
    ['src/build.py', ['subprocess.run(["pytest", "-q", "--maxfail", "1"], check=True)']],
    ['src/build.py', ['subprocess.run(["git", "init", "repo"], check=True)']],
    ['docs/setup.md', ['Run `npm install left-pad` and then `npx prettier --check .`.']],
  ] as const)('accepts %s: %s', (path, lines) => {
    expect(reasonFor(path, lines)).toBeNull();
  });
});

/**
 * Session 43: the rule for a package manager given arguments the line does not show (`spawn('npm', args)`) read a
 * string it was given as not shown, so Python's `subprocess.run(['npm', 'test'])` was refused as a dependency added,
 * and the reason quoted `import subprocess`, the first of the lines read together. An argument is shown when it is a
 * plain string literal; a name, a spread, a template with a value, a string joined to another is not, and past 16 the
 * rest is not read. The rows accepted were refused, and the rows of a list's join and of an argument in a list not
 * shown were accepted, before session 43.
 */
describe("session 43: a package manager's arguments shown in a process call", () => {
  it.each([
    ['src/check.py', "import subprocess\n\nsubprocess.run(['npm', 'test'], check=True)"],
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', 'run', 'build'], check=True)"],
    ['src/check.py', "import subprocess\nsubprocess.run(['yarn', 'test'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['pnpm', 'run', 'lint'])"],
    ['src/check.py', 'import subprocess\nsubprocess.run(["cargo", "test"], check=True)'],
    ['src/check.py', "import subprocess\nsubprocess.run(['go', 'test', './...'])"],
    ['src/check.py', "import subprocess\nsubprocess.check_call(['pip', '--version'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(\n    ['npm', 'run', 'test:unit', '--', '--reporter=dot'],\n    check=True)"],
    ['src/check.py', "await asyncio.create_subprocess_exec('npm', 'test')"],
    ['src/check.js', "execFileSync('npm', ['test'])"],
    ['src/check.js', "spawnSync('yarn', ['lint'])"],
    ['src/check.js', "spawn('npm', ['run', 'build'], { stdio: 'inherit' })"],
    ['src/check.js', 'spawnSync("pnpm", ["test",]);'],
    ['src/check.go', 'exec.Command("go", "test", "./...").Run()'],
    ['src/check.rs', 'Command::new("cargo").arg("test").status()?;'],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));

  it.each([
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', 'install', 'left-pad'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['pip', 'install', 'x'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['yarn', 'add', 'x'])"],
    ['src/check.js', "execFileSync('npx', ['x'])"],
    ['src/check.js', "spawn('npm', ['exec', 'x'])"],
    ['src/check.js', "spawn('pnpm', ['dlx', 'x'])"],
    // A fetching verb past more options than a command line's reading counts, a toolchain or a workspace
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', '--a', '--b', '--c', '--d', 'install', 'x'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['cargo', '+nightly', 'install', 'x'])"],
    ['src/check.js', "spawnSync('yarn', ['workspace', 'app', 'add', 'x'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['pip', 'download', 'x'])"],
    // Arguments not shown: a name, a spread, a template with a value, strings joined
    ['src/check.js', "spawn('npm', args)"],
    ['src/check.js', "spawn('npm', ...args)"],
    ['src/check.js', "spawn('npm', [...args])"],
    ['src/check.js', "spawn('npm', ['test', ...args])"],
    ['src/check.js', "spawn('npm', ['run', script])"],
    ['src/check.js', "spawn('npm', `${verb}`)"],
    ['src/check.js', "spawn('npm', [`${verb}`, 'x'])"],
    ['src/check.js', "spawnSync('npm', ['in' + 'stall', 'x'])"],
    ['src/check.js', "spawnSync('npm', 'in' + 'stall')"],
    ['src/check.js', "spawnSync('npm', ['test'].concat(args))"],
    ['src/check.js', "spawnSync('npm', ['\\x69nstall', 'x'])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', *args])"],
    ['src/check.py', "import subprocess\nsubprocess.run(['npm'] + args)"],
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', 'test'] + args)"],
    ['src/check.py', "import subprocess\nsubprocess.run(['pip', f'{verb}', 'x'])"],
    ['src/check.js', `spawnSync('npm', [${Array.from({ length: 17 }, (_, n) => `'--flag${n}'`).join(', ')}, 'install', 'x'])`],
  ] as const)('refuses, in %s: %s', (path, text) => expectRefused(path, text, 'adds a dependency'));

  it.each([
    ['src/check.py', "import subprocess\n\nsubprocess.run(['npm', 'install', 'left-pad'])", "subprocess.run(['npm', 'install', 'left-pad'])"],
    ['src/check.py', 'import subprocess\nsubprocess.run(\n    ["npx", "--yes", "evil-pkg"],\n    check=True)', 'subprocess.run('],
    ['src/check.js', "const args = ['install', 'evilpkg'];\nspawn('npm', args);", "spawn('npm', args);"],
  ] as const)('quotes the line that holds the call, in %s: %s', (path, text, line) => {
    expectRefused(path, text, `a dependency no manifest declares: ${JSON.stringify(line)}`);
  });

  it.each([
    ['literal arguments', "spawn('npm', ['run', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i1', 'j', 'k', 'l', 'm', 'n', 'o']); "],
    ['package managers as arguments', "run(['npm', 'yarn', 'npm', 'pip', 'npm', 'cargo', 'npm', 'gem', 'npm', 'uv', 'npm', 'bun']) "],
    ['call openings in arguments', `run(['npm', '${'run('.repeat(40)}', 'npm', '${'run('.repeat(40)}']) `],
    ['calls nested in arguments', "run(['npm', 'test', run(['yarn', "],
    ['unclosed strings', "spawn('npm', ['run, 'x "],
    // Session 43, after attack-45c: the options read after an accepted list, and brackets counted back to the call
    ['options after accepted lists', "spawn('npm', ['test'], { a: '(', b: [[[ "],
    ['unclosed strings before a manager', "run('x, \"y, ['npm', 'test'], check=((( "],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, unit) => {
    const textOf = (size: number) => unit.repeat(Math.floor(size / unit.length));
    const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => checkPatch(patchAdding('src/check.js', [text])));
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });

  // Review of attack-48 B's fix (session 46), M2: cross-spawn's `\w*spawn\s*\.\s*sync` read a run of word characters
  // from each of its positions (a line of `a`s, of `spawn`s, a `run(mvn ` before one), and sh's spelling each `sh.` of a run.
  it.each([
    ['a run of letters', 'src/check.js', (size: number) => 'a'.repeat(size)],
    ['a run of spawns', 'src/check.js', (size: number) => 'spawn'.repeat(Math.floor(size / 5))],
    ['a run of letters after run(mvn', 'src/check.js', (size: number) => `run(mvn ${'a'.repeat(size)}`],
    ['a run of sh.', 'src/check.py', (size: number) => 'sh.'.repeat(Math.floor(size / 3))],
    ['a wrapper\'s options before each common-word manager', 'src/check.js', (size: number) => `run('${'timeout -k 1=1 60 x=1 stack '.repeat(Math.floor(size / 29))}')`],
    // H2: Ruby's interpolations and quotes a line does not close, read in a bounded number of readings.
    ['interpolations and stray quotes in Ruby', 'src/check.rb', (size: number) => `"#{'\x60`.repeat(Math.floor(size / 5))],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, path, textOf) => {
    const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => checkPatch(patchAdding(path, [text])));
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
