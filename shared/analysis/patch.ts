import { parsePatch } from 'diff';
import { bracketDepth } from './bracket-readings.js';
import { keptWithinCheck, withinOneCheck } from './check-scope.js';
import { dangerousCodeSignals, languageSignals } from './dangerous-code.js';
import { appliedPath, type FileShown, filesShown, stripPrefix } from './diff-reading.js';
import { PROCESS_CALL_NAMES } from './language-calls.js';
import { literalsInPlace } from './literals-in-place.js';
import { callsSpelledOut } from './process-calls.js';
import { looksLikePipRequirements } from './pip-requirements.js';
import { decodeEscapes, shellReading, UNNAMED } from './shell-reading.js';
import { sourceDependency } from './source-dependencies.js';
import { linesTestsRun } from './doc-tests.js';
import { POWERSHELL_ENCODED } from './shell-decoders.js';
import { declaredEncodingSignal, jobChangingSignals, newSignals, OUT_OF_VIEW, pushedOutOfView } from './smuggled-code.js';
import { hidesCode } from './text.js';

/**
 * Checks a model's proposed patch before it is stored. A patch is the most dangerous thing a model can return:
 * the remediate stage may later open a pull request from it, and a reviewer skimming a "fix" PR can miss a
 * changed workflow or a planted key. So anything that could change what CI runs, leak or plant credentials,
 * escape the repository, or hide its content is discarded, whole, with the reason noted on the incident.
 */

/** Bounds on an accepted patch: a fix worth proposing automatically is small. */
export const PATCH_LIMITS = {
  /** UTF-8 bytes of the whole diff. Also keeps the incident item and the Step Functions payloads small. */
  maxBytes: 20 * 1024,
  maxFiles: 10,
  /** Added plus removed lines: a reviewer reads every one before approving. */
  maxChangedLines: 200,
  /**
   * Characters of one added line. The approval shows the diff in a code block GitHub does not wrap: past the view, a
   * line's end is read only by an approver who scrolls (attack pass 12). Four times a usual style limit; minified code,
   * the usual longer line, is nothing a fix adds.
   */
  maxLineChars: 500,
} as const;

export interface AcceptedPatch {
  /** The unified diff exactly as the model wrote it (line endings normalized to `\n`). */
  diff: string;
  /** Repository-relative paths the diff touches (old and new names of renames), in order of appearance. */
  files: string[];
}

export type PatchCheck = { ok: true; patch: AcceptedPatch } | { ok: false; reason: string };

/** Directories whose files change what runs in CI or with which permissions (compared case-insensitively). */
const PROTECTED_DIRECTORIES = ['.github/workflows/', '.github/actions/', '.git/'];

/** File names (the last path segment) that hold or configure credentials. */
const CREDENTIAL_FILE_NAMES: RegExp[] = [
  /^\.env($|\.)/i, // .env, .env.local, .env.production
  /\.pem$/i,
  /\.key$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)/i,
  /^\.npmrc$/i,
  /^\.pypirc$/i,
  /^\.netrc$/i,
  /^credentials/i,
  /^secrets?([._-]|$)/i,
  /\.(p12|pfx|jks|keystore)$/i,
];

/** `"a/odd name"` → `a/odd name`: git quotes paths with unusual characters and escapes them C-style. */
function unquote(path: string): string {
  if (!(path.startsWith('"') && path.endsWith('"') && path.length >= 2)) return path;
  return path.slice(1, -1).replace(/\\(["\\tn]|[0-7]{3})/g, (_, escape: string) => {
    if (escape === 't') return '\t';
    if (escape === 'n') return '\n';
    if (/^[0-7]{3}$/.test(escape)) return String.fromCharCode(Number.parseInt(escape, 8));
    return escape;
  });
}

/** The path named by a `---`/`+++` header: timestamp dropped, quotes removed. Null for `/dev/null`. */
function headerPath(rest: string): string | null {
  const withoutTimestamp = rest.startsWith('"') ? rest.slice(0, rest.indexOf('"', 1) + 1) || rest : rest.split('\t')[0]!;
  const path = unquote(withoutTimestamp.trim());
  return path === '/dev/null' ? null : path;
}

/**
 * Package managers' and toolchains' configuration files, by name: they say where packages are fetched from, what is
 * installed before a run (pnpm's verify-deps-before-run makes an allowed `pnpm run` install) and which toolchain rustup
 * downloads for an allowed `cargo build`. Refused wherever they stand, as files a patch changes and as names its code
 * writes (session 44: `.pnpmfile.mjs`, `uv.toml`, `rust-toolchain.toml` passed as source or as test fixtures).
 */
const MANAGER_CONFIGURATION_NAMES = /* @__PURE__ */ (() => String.raw`\.npmrc|\.yarnrc(?:\.yml)?|\.pnpmfile\.[cm]?js|pnpm-workspace\.yaml|\.?bunfig\.toml|\.pypirc|pip\.(?:conf|ini)|uv\.toml|poetry\.toml|pixi\.toml|pdm\.toml|hatch\.toml|rust-toolchain(?:\.toml)?|\.condarc|\.gemrc`)();

/**
 * Files that run at build, install or CI time with the repository's credentials, or that decide which code is
 * fetched: a patch to one of them acts on the next push without anyone running the changed code on purpose.
 * Each entry says why, for the comment. A tool's other names for its file count too, where their extension alone
 * would pass: Bundler's `gems.rb` (a Gemfile), Rake's `Rakefile.rb`, Zig's `build.zig` (its `build.rs`), Mill's
 * `build.sc`, Cabal's `Setup.hs`, and the helpers RSpec and Minitest load before every test (as pytest's `conftest.py`).
 */
const BUILD_AND_MANIFEST_FILES: Array<{ re: RegExp; why: string }> = [
  { re: /^(?:package\.(?:json5?|ya?ml)|npm-shrinkwrap\.json|bunfig\.toml|deno\.jsonc?)$/i, why: 'a package manifest: its scripts, bin and dependencies run on install' },
  { re: /^(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|gemfile\.lock|poetry\.lock|pipfile\.lock|uv\.lock|pdm\.lock|cargo\.lock|go\.sum|composer\.lock|packages\.lock\.json|podfile\.lock|mix\.lock|pubspec\.lock|flake\.lock)$/i, why: 'a lockfile: it decides which dependency code is fetched' },
  { re: /^(?:setup\.py|setup\.cfg|pyproject\.toml|pipfile|[\w.-]*requirements[\w.-]*\.(?:txt|in)|[\w.-]*constraints[\w.-]*\.txt|(?:site|user)customize\.py|manifest\.in|noxfile\.py|tox\.ini|conanfile\.(?:py|txt)|hatch_build\.py)$/i, why: 'a Python build or dependency file: build hooks run on install' },
  { re: /^(?:gemfile|gems\.rb|[\w.-]+\.gemspec|rakefile(?:\.rb)?|go\.mod|go\.work|cargo\.toml|build\.rs|composer\.json|podfile|[\w.-]+\.podspec|package\.swift|pubspec\.yaml|mix\.exs|rebar\.config|stack\.yaml|[\w.-]+\.cabal|dune-project|[\w.-]+\.opam|cpanfile|makefile\.pl|build\.pl|project\.clj|deps\.edn|build\.sbt|setup\.l?hs|[\w.-]+\.csproj|[\w.-]+\.fsproj|[\w.-]+\.vbproj|[\w.-]+\.props|[\w.-]+\.targets|nuget\.config|directory\.build\.\w+)$/i, why: 'a build manifest: it declares dependencies or build steps' },
  { re: /^(?:pom\.xml|build\.gradle(?:\.kts)?|settings\.gradle(?:\.kts)?|gradle\.properties|gradlew(?:\.bat)?|gradle-wrapper\.(?:properties|jar)|mvnw(?:\.cmd)?|maven-wrapper\.properties|build\.xml|ivy\.xml)$/i, why: 'a Gradle or Maven build file: build steps run in CI' },
  { re: /^(?:(?:gnu)?makefile|[\w.-]+\.mk|cmakelists\.txt|[\w.-]+\.cmake|meson\.build|build\.ninja|justfile|taskfile\.ya?ml|sconstruct|wscript|build\.zig|build\.sc|build\.mill|build(?:\.bazel)?|workspace(?:\.bazel)?|module\.bazel|[\w.-]+\.bzl|xmake\.lua|premake[45]?\.lua|jakefile(?:\.[\w-]+)?\.(?:js|cjs|mjs|ts|cts|mts|coffee))$/i, why: 'a build script: Makefiles, CMake, Bazel and the like run arbitrary commands' },
  { re: /^(?:fabfile\.py|dodo\.py)$/i, why: "a task runner's file (Fabric, doit): CI runs its tasks" },
  { re: /^action\.ya?ml$/i, why: "a GitHub Action's definition: every workflow that uses the action runs its steps" },
  { re: /^project\.json$/i, why: "an Nx project file (or .NET's old project.json): its targets are the commands CI runs" },
  // pytest's default --doctest-glob: a test*.txt file anywhere it collects is Python run with the tests.
  { re: /^test[^/]*\.txt$/i, why: 'a pytest doctest file (pytest collects test*.txt): Python that runs with the tests' },
  { re: /^(?:dockerfile|containerfile)(?:\.[\w.-]+)?$|\.dockerfile$|^(?:docker-)?compose(?:\.[\w.-]+)?\.ya?ml$|^\.dockerignore$/i, why: 'a container build file' },
  { re: /\.(?:sh|bash|zsh|ksh|fish|ps1|psm1|bat|cmd|command)$/i, why: 'a shell script' },
  { re: /^(?:\.gitlab-ci\.ya?ml|\.travis\.ya?ml|jenkinsfile|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|appveyor\.ya?ml|\.drone\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml|codemagic\.ya?ml|\.woodpecker\.ya?ml|vercel\.json|netlify\.toml|renovate\.json5?|\.renovaterc(?:\.json)?|dependabot\.ya?ml)$/i, why: 'CI configuration' },
  { re: /^(?:\.pre-commit-config\.ya?ml|\.pre-commit-hooks\.ya?ml|lefthook(?:-local)?\.ya?ml|\.huskyrc(?:\.\w+)?|\.lintstagedrc(?:\.\w+)?|lint-staged\.config\.\w+)$/i, why: 'a git hook configuration' },
  { re: /* @__PURE__ */ (() => new RegExp(String.raw`^(?:${MANAGER_CONFIGURATION_NAMES}|\.bazelrc|\.netrc|\.gitattributes|\.gitmodules|\.gitconfig|\.envrc|\.tool-versions|\.?mise(?:\.local)?\.toml|\.nvmrc|\.node-version|\.python-version|\.ruby-version)$`, 'i'))(), why: 'a package manager, toolchain or git configuration file' },
  { re: /^(?:[\w.-]+\.(?:config|conf)(?:\.[\w-]+)?\.(?:js|cjs|mjs|ts|cts|mts)|(?:gulpfile|gruntfile|dangerfile)(?:\.[\w-]+)?\.(?:js|cjs|mjs|ts|cts|mts|coffee)|\.[\w-]+rc\.(?:js|cjs|mjs|ts|cts|mts)|conf\.py|\.babelrc(?:\.\w+)?|babel\.config\.json|\.eslintrc(?:\.\w+)?|conftest\.py|\.?pytest\.(?:ini|toml)|(?:spec|rails|test)_helper\.rb|\.php-cs-fixer(?:\.dist)?\.php|jest\.setup\.\w+|vitest\.setup\.\w+|global-setup\.\w+|\.mocharc(?:\.\w+)?|tsconfig(?:\.[\w-]+)?\.json|jsconfig\.json|vitest\.workspace\.\w+|phpunit\.xml(?:\.dist)?)$/i, why: 'a tool configuration that runs code at build or test start-up' },
];

/** Directories whose files run in CI, as git hooks or as tooling (compared case-insensitively, at any depth). */
const BUILD_DIRECTORIES: Array<{ re: RegExp; why: string }> = [
  { re: /(?:^|\/)\.(?:github|circleci|buildkite|gitlab|azure-pipelines|husky|githooks|devcontainer|vscode|idea|cargo|mvn|gradle|yarn|bundle|teamcity|storybook|vitepress)\//i, why: 'CI, hook or tool configuration' },
  { re: /(?:^|\/)(?:ci|\.ci|scripts|script|bin|tools|hooks|githooks|buildsrc|gradle)\//i, why: 'a scripts, tools or build directory' },
  // pip reads `--index-url`, `-e git+https://…` and direct URLs from a requirements file of any name.
  { re: /(?:^|\/)(?:requirements|constraints)\//i, why: 'a requirements directory: pip reads its files for where to fetch packages from' },
  // Invoke runs the tasks.py at the project's root (`inv test`); a tasks.py deeper down is ordinary code (Celery's).
  { re: /^tasks\.py$/i, why: "a task runner's file at the root (Invoke): CI runs its tasks" },
  // Julia's Pkg runs a package's deps/build.jl when the package is built or added.
  { re: /(?:^|\/)deps\/build\.jl$/i, why: "Julia's package build hook (deps/build.jl)" },
  // sbt compiles and runs a build's project/*.scala at every build; a project/ folder inside src/ is ordinary code.
  { re: /^(?:(?!src\/)[^/]+\/)*project\/[^/]+\.(?:scala|sbt)$/i, why: "sbt's build definition (project/*.scala): it runs at every build" },
];

/**
 * What a fix PR may touch: source code, tests, their fixtures and documentation, by extension. Everything else
 * is refused (deny by default), so a format nobody thought of is refused too.
 */
const ALLOWED_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte', 'astro', 'css', 'scss', 'sass', 'less', 'html', 'htm',
  'py', 'pyi', 'rb', 'go', 'rs', 'java', 'kt', 'scala', 'groovy', 'clj', 'cljs', 'cs', 'fs', 'vb', 'swift', 'm', 'mm',
  'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx', 'php', 'pl', 'pm', 'lua', 'ex', 'exs', 'erl', 'hrl', 'hs', 'ml', 'mli',
  'dart', 'r', 'jl', 'elm', 'zig', 'nim', 'sql', 'graphql', 'gql', 'proto',
  'md', 'mdx', 'rst', 'txt', 'adoc',
]);
/** Data files are allowed only as test fixtures: elsewhere a YAML or JSON file is often configuration. */
const FIXTURE_EXTENSIONS = new Set(['json', 'yaml', 'yml', 'xml', 'csv', 'snap', 'toml', 'ini']);
const TEST_DIRECTORY = /(?:^|\/)(?:tests?|__tests__|specs?|fixtures?|__fixtures__|__snapshots__|testdata|test-data)\//i;

/** Why `path` is not a source, test or documentation file a fix PR may change; null when it is. */
export function notAllowListedReason(path: string): string | null {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  const normalized = segments.join('/');
  const name = segments[segments.length - 1] ?? '';
  for (const { re, why } of BUILD_AND_MANIFEST_FILES) if (re.test(name)) return `${normalized} (${why})`;
  for (const { re, why } of BUILD_DIRECTORIES) if (re.test(normalized)) return `${normalized} (in ${why})`;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (ALLOWED_EXTENSIONS.has(extension)) return null;
  if (FIXTURE_EXTENSIONS.has(extension) && TEST_DIRECTORY.test(normalized)) return null;
  return `${normalized} (not a source, test or documentation file: fix PRs may only change those)`;
}

/** Why `path` must not be patched, or null when it may be. */
export function forbiddenPathReason(path: string): string | null {
  if (path.trim() === '') return 'an empty path';
  if (hidesCode(path)) return `a path with control or invisible characters`;
  // A git-quoted path can hold line breaks and tabs; in a comment they would start new Markdown blocks.
  if (/[^\S ]/.test(path)) return 'a path with line breaks, tabs or unusual spaces';
  if (path.includes('\\')) return `a path with backslashes (${path})`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('~')) return `an absolute path (${path})`;
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..')) return `a path outside the repository (${path})`;
  // `src/./a.ts` and `src//a.ts` name `src/a.ts` to git but not to the checks below that walk the tree by segment
  // (a symlink's mode is looked up that way): only the plain spelling is accepted.
  if (segments.some((segment) => segment === '' || segment === '.')) return `a path with empty or "." segments (${path})`;
  const normalized = segments.join('/');
  const lower = `${normalized.toLowerCase()}/`;
  for (const directory of PROTECTED_DIRECTORIES) {
    if (lower.startsWith(directory)) return `a file under ${directory} (${normalized})`;
  }
  const name = segments[segments.length - 1] ?? '';
  if (CREDENTIAL_FILE_NAMES.some((pattern) => pattern.test(name))) return `a secrets or credentials file (${normalized})`;
  return null;
}

/**
 * Why a line between hunks is refused: it is a header the library that applies the patch (jsdiff's `parsePatch`)
 * would act on, written in a form this check does not read the same way: `---` or `+++` followed by a tab or an
 * unusual space instead of one space, an `@@` line that is not a unified hunk header, an `Index:` or `diff -r`
 * header. Each of those could name a file, or hold changed lines, that the checks below never saw.
 */
function unreadableHeader(line: string, isHunkHeader: boolean): string | null {
  if (/^(?:---|\+\+\+)\s/.test(line) && !/^(?:---|\+\+\+) /.test(line)) return `a file header in an unusual form: ${JSON.stringify(line.slice(0, 80))}`;
  if (/^@@\s/.test(line) && !isHunkHeader) return `a hunk header that is not \`@@ -a,b +c,d @@\`: ${JSON.stringify(line.slice(0, 80))}`;
  if (/^(?:Index:\s|diff (?!--git ))/.test(line)) return 'a diff header other than `diff --git` or `---`/`+++` (only unified and git diffs are accepted)';
  return null;
}

/**
 * Code that brings in a dependency no manifest declares: a module imported from a URL or a registry specifier
 * (Deno, browsers, bundlers fetch it), or a package manager's install or package runner started from the code.
 * Manifests and lockfiles are off the allow-list because they decide which dependency code is fetched; these lines
 * decide the same from a source file, so a steered model could add a package of its author's choosing. A fix for a
 * CI failure adds none.
 */
const URL_IMPORT = new RegExp(
  // `import … from "https://…"`, `export … from "npm:…"`, `import "jsr:…"`, `import("https://…")`, `require("http://…")`.
  String.raw`(?:\bfrom|\bimport|\b(?:import|require)\s*\()\s*["'\x60](?:https?|npm|jsr):`,
  'i',
);

/** Between a command's words, in a string or an argument list: `npm install`, `"npm", "install"`, `'npm', ['install'`, `'npm' + ' install'`. */
const ARG = String.raw`(?:["'\x60]?[,\s\[+\\])+["'\x60]?`;
/** Options that only quiet a program or print its version (`npm -s test`, `pip -qq list`, `cargo --version`). */
const QUIET = String.raw`(?:--(?:silent|quiet|verbose|version|no-color|no-progress)|--color=\w+|-[sqvV]{1,3})(?![\w=-])`;
/**
 * Options between a program and its verb: quiet ones only, any number of them. Any other option there, or a rustup
 * `+toolchain`, is refused by itself ({@link UNKNOWN_OPTION}): skipping up to three options and their values let a
 * fourth one, or a quoted value, hide the verb (session 44, review-43 R3).
 */
const OPTIONS = String.raw`(?:${ARG}${QUIET})*`;
/** An option other than a quiet one where a verb is read, or a toolchain rustup downloads (`cargo +nightly build`). */
const UNKNOWN_OPTION = String.raw`(?!${QUIET})(?:-|\+\w)`;
/**
 * Process calls of other libraries and languages, as they open (attack-48 B): cross-spawn's `spawn.sync(` (found within
 * `crossSpawn.sync(` by the search; a leading `\w*` read a run of letters from each of its positions, review of B's
 * fix M2), Zig's `Child.init(`, Swift's `Process.arguments = [`, Perl's piped `open($fh, '-|', …)`, and calls without
 * parentheses: Ruby's and Perl's `system "…"`/`exec "…"`/`spawn "…"`, Haskell's `callCommand`/`readProcess`, OCaml's
 * `Sys.command`, Clojure's `(sh "…" …)` (given a string: the shell reading writes `$0` as `sh`). Rust's `cmd!(`, R's
 * `system2(` and Fabric's `local('…')` are among PROCESS_CALL's names (`local` only given a string: Perl's `local($x)`
 * localizes a variable); the calls written after their command are spelled as these by `process-calls.ts`. Also the
 * module-qualified calls without parentheses (Ruby's `Kernel.system "…"`, `IO.popen "…"`, OCaml's `Unix.system "…"`)
 * and Perl's `readpipe(` (review of B's fix, M3). Also (M3's other spellings) Perl's three-argument open without
 * parentheses and Clojure's `sh` under any namespace (`shell/sh`); Haskell's bare `proc`, `shell`, `runCommand`,
 * `runProcess_` and Perl's two-argument piped open are spelled as `system` in their own files by `process-calls.ts`
 * (elsewhere they are prose: `open a shell "npm install x"`).
 */
const OTHER_PROCESS_CALLS = String.raw`spawn\s*\.\s*sync\s*\(|\bchild\s*\.\s*init\s*\(|\.\s*arguments\s*=\s*\[|\bopen\s*\(?\s*(?:my\s+)?[$\w]+\s*,\s*["'](?:-\||\|-)["']\s*,|(?<![\w$.])(?:system|exec|spawn|callcommand|callprocess|readprocess\w*|rawsystem|spawncommand|spawnprocess)[ \t]+(?=["'\[])|\bsys\s*\.\s*command[ \t]+|\b(?:kernel|process|io|unix)\s*\.\s*(?:system|exec|spawn|popen)[ \t]+(?=["'\[])|\breadpipe\s*\(|\(\s*(?:[\w.-]+\/)?sh[ \t]+(?=")`;
/**
 * A call that runs a process, as it opens: `execSync(`, `subprocess.run(`, `asyncio.create_subprocess_exec(`, Rust's
 * `Command::new(`, Elixir's `System.cmd(`, zx's `` $` ``. Only a process call's arguments count, not any text: a
 * message or an assertion names the command as text (`new Error('npm install failed')`, `toContain('npx tsc')`),
 * and a fix for a missing dependency often adds one.
 */
const PROCESS_CALL = String.raw`(?:(?<![A-Za-z0-9])(?:${PROCESS_CALL_NAMES}|exec\w*|popen|sh|capture\w*|command(?:context)?|processbuilder|processstartinfo|start|cmd!?|create_subprocess_\w+|system2)\s*\(|(?<![A-Za-z0-9])local\s*\((?=\s*["'\x60])|\bcommand::new\s*\(|\$\x60|${OTHER_PROCESS_CALLS})`;
/**
 * One package manager's rules, in one place, read by both forms a process call gives it: a command string
 * (`execSync('npm test')`, {@link PACKAGE_COMMAND}) and an argument list (`spawn('npm', ['test'])`,
 * {@link argumentsShownSafe}). Session 45: they had grown by hand per form, which let go's fetching forms miss `-C <dir>`.
 */
interface PackageManagerRules {
  /**
   * The verbs it may be given: ones that run the project's own scripts, tests or builds, or print, and fetch nothing.
   * Anything else is refused (session 43, attack-45c: a list of fetching verbs missed npm's aliases `isntall`/`innit`,
   * gem's and composer's prefixes, `uv run <url>`, `yarn set version <url>`…; session 44, attack-46c C1/C2/C7/C10: a
   * command string was read only against that list, which missed `npm isntall`, `gem ins`, `npm pkg set`, `go mod tidy`…).
   */
  verbs: readonly string[];
  /** Its name as a program (regex source), where it has other spellings than its key (`pip3.11`). */
  name?: string;
  /** What may run it in a command string (regex source): pip as `python -m pip`. */
  runBy?: string;
  /** Options before its verb that take a value, in a command string (go's `-C <dir>`); an argument list is refused them. */
  valueOptions?: readonly string[];
  /**
   * Verbs a command string may also give, an argument list not (regex source; attack pass 12 accepted them, session
   * 43's argument lists do not): `npm ci` installs the lockfile exactly, `npm config get` only reads.
   */
  commandStringVerbs?: string;
  /** Its name alone runs a verb not on its list (`yarn` is `yarn install`): an argument list must give a verb. */
  verbRequired?: true;
  /** Forms of its allowed verbs that fetch and run a package or change its configuration (regex source, read after its name). */
  refusedForms?: string;
  /**
   * Long options that name a registry or a configuration file, refused by any unambiguous prefix of two letters or
   * more, as npm and pnpm (nopt) read them (`--reg=` is `--registry`; session 44, attack-46c C6), after any manager's name.
   */
  registryOptions?: readonly string[];
  /**
   * Options that let it fetch, refused after any manager's name (regex source: `go test -mod=mod`, also as Go's flag
   * package takes it, `--mod=mod`, `-mod mod`; attack-48 E), in a command string or in a list's arguments joined by spaces.
   */
  fetchingOptions?: readonly string[];
  /** Arguments of an argument list that name an index or change a setting (regex source; session 44, review-43 R7). */
  settingArguments?: string;
}

/**
 * The package managers a process call may give a verb, with their rules. Not on a list: `npm version` (edits
 * package.json), bun's verbs (bun auto-installs imports when no node_modules is found), `uv run` (runs a URL or a
 * script's inline dependencies), `go mod` (`go mod tidy` fetches every module a new import names).
 */
const PACKAGE_MANAGERS: Readonly<Record<string, PackageManagerRules>> = {
  npm: {
    // npm's CLI script run by node (attack-48 A).
    name: String.raw`npm(?:-cli\.js)?`,
    verbs: ['test', 't', 'tst', 'run', 'run-script', 'rum', 'urn', 'start', 'stop', 'restart', 'ls', 'list', '--version', '-v'],
    commandStringVerbs: String.raw`ci|config${ARG}(?:get|list|ls)`,
    registryOptions: ['registry', 'userconfig', 'globalconfig', 'config'],
  },
  // `yarnpkg` is the same program under the name Debian gives it (attack-48 P).
  yarn: { name: 'yarn(?:pkg)?', verbs: ['test', 'run', 'lint', 'build', '--version', '-v'], verbRequired: true },
  // pnpm's verify-deps-before-run makes an allowed `pnpm run` install.
  // `pnpm exec` runs a local bin (never fetches, unlike dlx); `pnpm lint`/`pnpm build` run the script of that name.
  pnpm: { verbs: ['test', 't', 'run', 'exec', 'lint', 'build', '--version', '-v'], settingArguments: 'verify.deps' },
  bun: { verbs: ['--version'] },
  // `cargo metadata`/`tree` resolve as `build` does and run nothing; `doc` and `bench` build as `build`/`test` (attack-48 false refusals).
  cargo: { verbs: ['test', 'build', 'check', 'clippy', 'fmt', 'run', 'metadata', 'tree', 'doc', 'bench', '--version', '-V'] },
  pip: {
    verbs: ['--version', '-V', 'list', 'show', 'check', 'freeze'],
    // `-mpip` is `-m pip` to Python, and `pip.__main__` is pip (attack-48 A).
    // Fedora's `pip-3` too (attack-48 P).
    name: String.raw`pip(?:-?[\d.]+)?(?:__main__)?`,
    runBy: String.raw`python[\d.]*\s+-m\s*`,
    registryOptions: ['index-url', 'extra-index-url', 'find-links'],
    // `-i` and `-f`, pip's short `--index-url` and `--find-links`.
    settingArguments: '^-[if]$',
  },
  uv: { verbs: ['--version'] },
  gem: { verbs: ['--version'] },
  // Composer as a phar, its usual CI spelling (attack-48 P).
  composer: { name: String.raw`composer(?:\.phar)?`, verbs: ['--version'] },
  go: {
    // `go list` reads the module graph (fetching as `go build` does, running nothing), `go fmt` runs gofmt; `go tool`
    // runs a tool go.mod declares (Go 1.24), fetched as `go build` fetches what go.mod requires (attack-52 false refusals).
    verbs: ['test', 'build', 'vet', 'version', 'run', 'env', 'list', 'fmt', 'tool'],
    valueOptions: ['-C'],
    // `go run mod@version` fetches a module and runs it; `go env -w` changes every later call's settings.
    refusedForms: String.raw`run\b[^\n)]*@|env${ARG}--?w\b`,
    fetchingOptions: [String.raw`--?mod(?:=|\s+)mod`],
  },
  poetry: { verbs: ['run', 'check', 'show', '--version'] },
  pipx: { verbs: ['list', '--version'] },
  // mise runs the repository's tasks and prints; `exec`/`x`/`use`/`install` fetch a tool of any backend (`npm:`, `ubi:`) and run it (attack-48 D).
  mise: { verbs: ['run', 'r', 'tasks', 'ls', 'list', 'current', 'which', 'where', 'doctor', 'version', '--version'] },
};
/** Where a verb ends. */
const VERB_END = String.raw`(?![\w.:@/-])`;
/** A program's Windows shim or binary (`npm.cmd`, `pip.exe`), read as the program (attack-48 N). */
const WINDOWS_SHIM = String.raw`(?:\.(?:cmd|exe|ps1|bat))?`;
/** A package manager's name as a command names it, with what runs it and its options that take a value (`go -C backend test`). */
const commandWord = (manager: string, { name = manager, runBy, valueOptions }: PackageManagerRules): string =>
  `${runBy === undefined ? '' : `(?:${runBy})?`}(?:${name})${WINDOWS_SHIM}${valueOptions === undefined ? '' : `(?:${ARG}(?:${valueOptions.join('|')})${ARG}[\\w./-]+)?`}`;
/**
 * A package manager of {@link PACKAGE_MANAGERS} given a verb not on its list, past quiet options, in a command string or
 * an argument list (the verb's first character is not a separator, so the words between cannot be skipped; a quiet
 * option, or an option that takes a value, is not read as the verb); or given one of its refused forms.
 */
const NOT_ALLOWED_VERB = /* @__PURE__ */ (() =>
  Object.entries(PACKAGE_MANAGERS)
    .flatMap(([manager, rules]) => {
      const word = commandWord(manager, rules);
      const verbs = [...rules.verbs, ...(rules.commandStringVerbs === undefined ? [] : [rules.commandStringVerbs])].join('|');
      const valueOptions = (rules.valueOptions ?? []).map((option) => `|${option} `).join('');
      return [
        String.raw`${word}${OPTIONS}${ARG}(?!(?:${verbs})${VERB_END}|${QUIET}${valueOptions})[^\s,\[+"'\x60)\]\\]`,
        ...(rules.refusedForms === undefined ? [] : [String.raw`${word}${ARG}(?:${rules.refusedForms})`]),
      ];
    })
    .join('|'))();
/** The rules of every package manager of {@link PACKAGE_MANAGERS}, of one kind, together. */
const allRules = <K extends keyof PackageManagerRules>(kind: K): Array<NonNullable<PackageManagerRules[K]>> =>
  Object.values(PACKAGE_MANAGERS).flatMap((rules) => (rules[kind] === undefined ? [] : [rules[kind]!]));
/**
 * Where a manager named by a common word (`stack`, `proto`, `snap`, `mix`, `dart`, `zig`) is read: as a command's first
 * word only, at a quote (a command string's or a list element's start), after a shell's `;`, `&`, `|` or `sudo`, or
 * after a directory (`/usr/bin/snap`); and not assigned to (`; zig -= 1` after a call in Python). A bare identifier
 * in code (`handler.call(this, stack, i)`) is none (review of D/P's fix, M1: those were refused as installs after any call). * A command that runs the next word as a program (`timeout 60`, `nice -n 10`, `env CI=1`, `xargs -n1`, `nohup`) or a
 * variable set for it (`CI=1 stack install x`) counts as a command's start too (session 46).
 */
/** A wrapper's options, numbers and assignments (`-k 5 60`, `CI=1`): each token told apart by its first character. */
const WRAPPER_ARGUMENTS = String.raw`(?:\s+(?:-\S+|\d[^\s=]*|[A-Za-z_]\w*=\S*))*`;
const COMMAND_WORD = String.raw`(?<=["'\x60]|[;&|]\s*|\w\/|\b(?:sudo|nohup|exec|command|time|xargs|nice|timeout|env)${WRAPPER_ARGUMENTS}\s+|\b[A-Za-z_]\w*=\S*\s+)`;
/**
 * Package managers without a list of allowed verbs: their fetching verbs and options are refused instead. Since
 * attack-48 D/P also the system's, which install packages from a URL with their scriptlets (zypper, flatpak, snap;
 * rpm's and pacman's installing modes are read apart: their queries are ordinary), and the language managers that
 * build what they install (cabal's and stack's Setup.hs, opam's and nimble's build scripts, conan's and spack's
 * recipes in Python, raco, mix, dart, flutter, vcpkg, guix, zig's `fetch`, volta, proto, ansible-galaxy's roles).
 * Those named by common words only as a command's first word ({@link COMMAND_WORD}).
 */
const OTHER_MANAGERS = String.raw`(?:pipenv|pdm|rye|pixi|hatch|apt(?:-get)?|apk|dnf|yum|deno|bundler?|dotnet|nuget|conda|mamba|micromamba|brew|luarocks|zypper|flatpak|cabal|opam|nimble|raco|vcpkg|guix|flutter|ansible-galaxy|choco|winget|scoop|${COMMAND_WORD}(?:snap|stack|conan|spack|mix|dart|zig|volta|proto)(?!\s*[-+*/%&|^]?=))`;
/**
 * What {@link OTHER_MANAGERS} are refused: a verb that installs or fetches, directly or under a sub-command that
 * installs elsewhere (`pixi global install`, `pdm self add`, `rye tools install`, `dotnet tool exec`, `dotnet new install`,
 * `conda env create -f <url>`, `raco pkg install`, `dart pub global activate`, `mix archive.install hex x`; attack-48
 * D/P; cabal's `v2-install`/`new-install`, ansible-galaxy's `collection install`/`role install`, review M4). Not
 * `pub get`, which fetches what the manifest declares, as `npm ci` does. zypper's `in` is read on its own line of
 * {@link PACKAGE_COMMAND}: as every manager's verb it refused `for stack in stacks` (review of D/P's fix, M1).
 */
const OTHER_MANAGER_VERBS = String.raw`(?:(?:v\d-|new-|old-)?install|add|i|get|create|binstall|require|set|fetch|(?:archive|escript)\.install)\b|(?:(?:global|self|tools?|new|pkg|pub|env|collection|role|bucket)${ARG})+(?:install|add|i|create|update|exec|activate|require)\b`;
/** Package managers, as a command names them (`python -m pip`, `pip3.11`). */
const MANAGERS = /* @__PURE__ */ (() => `(?:${Object.entries(PACKAGE_MANAGERS).map(([manager, rules]) => commandWord(manager, rules)).join('|')}|${OTHER_MANAGERS})`)();
/**
 * The long options of {@link PackageManagerRules.registryOptions}, any manager's, by any prefix of two letters or more,
 * read after any manager's name: a manager passes them on to another (`pnpm` reads npm's).
 */
const DANGEROUS_LONG_OPTION = /* @__PURE__ */ (() =>
  String.raw`--(?:${allRules('registryOptions').flat()
    .map((name) => name.slice(0, 2) + [...name.slice(2)].reduceRight((rest, char) => `(?:${char}${rest})?`, ''))
    .join('|')})(?![\w-])`)();
/** The options of {@link PackageManagerRules.fetchingOptions}, any manager's. */
const FETCHING_OPTION = /* @__PURE__ */ (() => `(?:${allRules('fetchingOptions').flat().join('|')})`)();
/** A {@link FETCHING_OPTION} among a list's arguments joined by spaces (`"-mod", "mod"`). */
const FETCHING_ARGUMENTS = /* @__PURE__ */ (() => new RegExp(String.raw`(?:^|\s)${FETCHING_OPTION}(?!\S)`))();

/**
 * rpm and pacman told to install, their mode wherever it stands among their options (review of D/P's fix, M4:
 * `rpm --nosignature -i`, `rpm -vih`, `pacman --noconfirm -S`, `pacman -yS`). The command reading ignores case, so
 * letters are told apart by what else the cluster holds: rpm's cluster holding i, u or f, unless a query's or an
 * erase's (`-qi`, `-qf`, `-e`); pacman's holding S or U but no other s or i (`-Ss` searches, `-Si` and `-Qi` print).
 */
const RPM_INSTALL = String.raw`rpm\b[^\n;&|]{0,200}?[\s"'\x60,\[](?:-(?![qe])[a-z]*[iuf][a-z]*|--(?:install|upgrade|freshen|reinstall))(?![\w-])`;
const PACMAN_INSTALL = String.raw`pacman\b[^\n;&|]{0,200}?[\s"'\x60,\[](?:-[a-hj-rt-z]*[su][a-hj-rt-z]*|--(?:sync|upgrade))(?![\w-])`;
/**
 * The verbs a computed program is refused given: npm's `install` in every spelling npm takes (`isntall`, `ins`), `dlx`,
 * words no other tool's verb is read as, after any options, each maybe given a value (`--registry`, `https://…`;
 * attack-52), in a Python string's prefix too (`f'install'`).
 */
const COMPUTED_PROGRAM_VERB = String.raw`(?:ins(?:t(?:a(?:l(?:l)?)?)?)?|isnt(?:a(?:l(?:l)?)?)?|dlx)`;
/**
 * npm's and bun's shorter verbs that fetch (`i`, `in`, `exec`, `x`, `it`: attack-52), words other tools' verbs and
 * options' values are too (Mercurial's `hg in`, `--mode in`): refused given a program that may be npm (not one named
 * {@link NOT_NPM_PROGRAM}), first or after options that take no value (`-g`, `--yes`, not `--mode`).
 */
const COMPUTED_PROGRAM_SHORT_VERB = String.raw`(?:in?|exec|x|it)`;
/** Names of computed programs that are other tools (a version control system's, a build tool's), never npm. */
const NOT_NPM_PROGRAM = String.raw`(?:hg|git|svn|fossil|bzr|darcs|p4|cmake|make|ninja|meson|docker|podman|kubectl|helm|terraform|ansible)(?![\w$])`;
/** A computed program: a name, its properties, subscripts or a call's result (`os.environ['NPM']`), not a string. */
const COMPUTED_NAME = String.raw`(?![\w$]*\s*["'\x60])[A-Za-z_$][\w$]*(?:\s*(?:\.\s*[\w$]+|\[[^\]\n]{0,80}\]|\([^()\n]{0,80}\))){0,8}`;
/** A computed program that may be npm (see {@link COMPUTED_NAME}, {@link NOT_NPM_PROGRAM}). */
const COMPUTED_PROGRAM = String.raw`(?!${NOT_NPM_PROGRAM})${COMPUTED_NAME}`;
/** Between a computed program and its first argument, and between two arguments: a comma, or Rust's `).arg(` (attack-52). */
const PROGRAM_SEPARATOR = String.raw`(?:,|\]\s*\+|\)\s*\.\s*args?\s*\(\s*&?)`;
const LISTED_SEPARATOR = String.raw`\s*(?:,|\)\s*\.\s*arg\s*\()\s*`;
/** An argument list's string element that is an option (group-free), and one that is not. */
const LISTED_OPTION = String.raw`["'\x60]-[^"'\x60\n]{0,80}["'\x60]${LISTED_SEPARATOR}`;
const LISTED_VALUE = String.raw`["'\x60][^-"'\x60\n][^"'\x60\n]{0,80}["'\x60]${LISTED_SEPARATOR}`;
/** Options that take no value, as they stand before a verb: a short cluster (`-g`, `-yq`) or npm's own flags. */
const LISTED_FLAG = String.raw`["'\x60](?:-[a-z]{1,8}|--(?:yes|global|silent|quiet|force|no-[\w-]{1,40}|[\w-]{1,40}=[^"'\x60\n]{0,80}))["'\x60]\s*,\s*`;
/**
 * A package manager fetching and installing a package, or a package runner fetching one and running it at once
 * (`npx x`, `pnpm dlx x`, `uvx x`, `pipx run x`, `go run mod@version`, `deno run <url>`: `curl | sh` with a registry in
 * the middle), as a word of the call's command wherever it stands: after a `cd … &&`, an assignment, `timeout 60`,
 * `xargs` or a path (`/usr/bin/npx`), with options before its verb.
 */
const PACKAGE_COMMAND = String.raw`(?<=[\s"'\x60;&|(/,\[])(?:sudo\s+)?(?:` + [
  // Also its own configuration changed, where every later call reads it (`npm config set registry …`, `go env -w`).
  NOT_ALLOWED_VERB,
  String.raw`${OTHER_MANAGERS}${OPTIONS}${ARG}(?:${OTHER_MANAGER_VERBS}|config\b(?!${ARG}(?:get|list|ls)\b)|${UNKNOWN_OPTION})`,
  // Runners that fetch a package and run it, whatever follows: .NET 10's dnx (as npx), pkgx, cpan, nix-env; the AUR
  // helpers given any option (their `-S` is no quiet `-s`), rpm and pacman told to install (attack-48 D/P).
  // Windows' (attack-48 N): PowerShell Gallery's installs (the module's code is the attacker's), mshta (runs any script
  // it is given), and an installer, a scriptlet or an HTML application run from a URL.
  String.raw`Install-(?:Module|Package|Script|PSResource)\b|mshta\b|(?:msiexec|regsvr32|rundll32)\b[^\n;&|]{0,200}?(?:https?|ftp):\/\/`,
  String.raw`(?:npx|bunx|pnpx|uvx|dnx|pkgx|pip-run|easy_install|cpanm?|nix-env|corepack|rustup)\b|(?:yay|paru)${ARG}-|zypper${OPTIONS}${ARG}in\b|${RPM_INSTALL}|${PACMAN_INSTALL}|install\.packages\s*\(|Pkg\s*\.\s*add\s*\(`,
  // A command word the reading cannot name: a `\N{…}` in it (not one alone, `'\N{CHECK MARK} done'`), or a variable
  // nothing on the line sets given a verb that fetches in every manager having it (`$pm install x`): read as the worst
  // it can be (attack-48 E0, A).
  String.raw`[\w./-]*(?:\w${UNNAMED}|${UNNAMED}[\w${UNNAMED}])|\$\{?\w+\}?${ARG}(?:install|add|i|exec|dlx)${VERB_END}`,
  // The same in an argument list (attack-48 S): a program computed (a variable, `os.environ['npm_execpath']`,
  // `exec.LookPath("npm")`'s result) given `install` (or one of npm's spellings of it, `isntall`: attack-51), options
  // before it (`[tool, '--yes', 'install', x]`: attack-51), or a literal one replaced by Python's `executable=`. Not
  // `add`, git's verb too (`exec.Command(git, "add", f)`).
  // Also after `/usr/bin/env`, and with the rest of the list spread or joined in (`[tool, *['install', x]]`,
  // `[tool] + ['install', x]`, `[...['install', x]]`: attack-52), and given by Rust's `Command::new(tool).arg(…)`.
  String.raw`(?<=[(\[]\s*(?:["'](?:[\w./-]*\/)?env["']\s*,\s*)?)(?:${COMPUTED_NAME}|["'][^"'\n]{0,80}["'](?=\s*,\s*["'](?:${COMPUTED_PROGRAM_VERB}|${COMPUTED_PROGRAM_SHORT_VERB})["'][^\n]{0,300}\bexecutable\s*=))\s*${PROGRAM_SEPARATOR}\s*\[?\s*(?:(?:\.\.\.|\*)\s*\[\s*)?(?:${LISTED_OPTION}(?:${LISTED_VALUE})?){0,8}(?:[rfbu]{1,2}(?=["']))?["'\x60]${COMPUTED_PROGRAM_VERB}["'\x60]`,
  // The shorter verbs in an argument list only (`[tool, 'i', x]`, `spawn(tool, ['x', …])`), not a call's own
  // arguments (`compile(src, 'x', 'exec')`).
  String.raw`(?:(?<=\[\s*)${COMPUTED_PROGRAM}\s*,|(?<=\(\s*)${COMPUTED_PROGRAM}\s*,\s*\[)\s*(?:${LISTED_FLAG}){0,8}["'\x60]${COMPUTED_PROGRAM_SHORT_VERB}["'\x60]`,
  // A registry or a setting given after the verb (`pnpm run build --config.registry=…`, `--reg=…`, `cargo build --config
  // …`, `go test -mod=mod`), up to a bare `--`, past which options are the test runner's.
  // Also a scope's registry (`--@acme:registry=`: the company's scope resolved on another registry) and pnpm's
  // verify-deps-before-run (the allowed `pnpm run` installs first), as the argument-list reading refuses them (attack-48 M).
  String.raw`${MANAGERS}${ARG}(?:(?!\s--\s)[^\n"'\x60;&|]){0,200}?\s(?:${DANGEROUS_LONG_OPTION}|${FETCHING_OPTION}\b|--@[\w.-]{1,100}:registry\b|--verify.deps\b)`,
  // Deno's verbs that import and run a module, given one from a URL or a registry, and its package runner (attack-48 C).
  String.raw`deno${ARG}(?:(?:run|test|bench|serve|repl|eval)\b[^\n)]*(?:https?|npm|jsr):|x\b)`,
  String.raw`gh${ARG}ext(?:ensions?)?${ARG}install\b`,
  // guix shell given a package (it fetches and runs it); given only the repository's manifest or file it reads that.
  String.raw`guix${OPTIONS}${ARG}(?:shell|environment)\b(?!${ARG}(?:-m|--manifest|-f|--file|--)(?![\w-]))${ARG}[^\s"'\x60,\])]`,
  String.raw`nix${OPTIONS}${ARG}(?:(?:run|shell)\b|${UNKNOWN_OPTION})`,
  // Attack-48 D/P, each told what to fetch: a package named to nix-shell, a pixi package run, a NuGet feed, a Maven
  // plugin by its coordinates (`group:artifact:version:goal`), Coursier's launch, a Scala CLI script from a URL or
  // with a dependency, a container image an Apptainer or Singularity runs, a Clojure dependency given on the command line.
  // (`dotnet test -s` is its settings file, not a feed.)
  String.raw`nix-shell\b[^\n;&|]{0,200}?\s(?:-p|--packages|-E|--expr|-I)(?![\w-])|pixi${ARG}exec\b|dotnet${ARG}(?!v?test\b)[^\n;&|]{0,200}?\s(?:-s|--source|--add-source|--configfile)(?![\w-])`,
  String.raw`mvnw?\b[^\n;&|]{0,200}?\s\w[\w.-]*(?::[\w.$\{\}-]+){2,}|(?:cs|coursier)${ARG}(?:launch|install|bootstrap)\b|scala-cli\b[^\n;&|]{0,200}?(?:\w:\/\/|\s--(?:dep|dependency|repo|repository)\b)`,
  String.raw`(?:apptainer|singularity)\b[^\n;&|]{0,200}?\b(?:docker|library|oras|shub|https?):\/\/|(?:clojure|clj)\b[^\n;&|]{0,200}?\s-Sdeps\b`,
  // A container image pulled and run: whatever the registry serves under its name runs (`docker run evil/img`).
  String.raw`(?:docker|podman|nerdctl|finch)${OPTIONS}${ARG}(?:(?:(?:container|image)${ARG})?(?:run|pull|create)\b|${UNKNOWN_OPTION})`,
].join('|') + ')';
/** The most characters between a process call's opening and the package command it is read with. */
const CALL_REACH = 200;
/** Read where a call opens (sticky), so that only the calls opening on a line are read with the lines after it. */
const PROCESS_PACKAGE = new RegExp(String.raw`${PROCESS_CALL}[^\n]{0,${CALL_REACH}}?${PACKAGE_COMMAND}`, 'iy');
const PROCESS_CALL_OPENING = new RegExp(PROCESS_CALL, 'gi');
/** {@link PACKAGE_COMMAND} wherever it stands, read once over a call's lines (attack-51 1). */
const PACKAGE_COMMAND_ANYWHERE = new RegExp(PACKAGE_COMMAND, 'gi');
/**
 * Where {@link PACKAGE_COMMAND_ANYWHERE} matches in a call's lines; read once a text within a check
 * ({@link keptWithinCheck}): a line repeated in a patch opens the same call's lines again.
 */
const packageCommandsAt = keptWithinCheck((text: string): readonly number[] => [...text.matchAll(PACKAGE_COMMAND_ANYWHERE)].map((match) => match.index));
const PROCESS_CALL_OPENING_ONCE = new RegExp(PROCESS_CALL, 'i');
/**
 * A package manager named as a program, its arguments to follow (`spawn('npm', …)`, `['/usr/bin/pip', …]`), by its
 * name, a path to it or its Windows shim (`npm.cmd`; session 43, attack-45c C8: the shim was read by no rule).
 */
const ARGUMENT_PROGRAM = /* @__PURE__ */ (() =>
  new RegExp(String.raw`(?<=[\s"'\x60;&|(/,\[\\])(${Object.entries(PACKAGE_MANAGERS).map(([manager, { name = manager }]) => name).join('|')})(?:\.(?:cmd|exe|ps1|bat))?["'\x60]`, 'gi'))();
/** A program's name, as {@link ARGUMENT_PROGRAM} reads it, with its package manager's rules. */
const PROGRAM_RULES = /* @__PURE__ */ (() =>
  Object.entries(PACKAGE_MANAGERS).map(([manager, rules]) => ({ name: new RegExp(`^(?:${rules.name ?? manager})$`), rules })))();
/** Options a package manager may be given before its verb: only ones that quiet it. */
const QUIET_OPTIONS = new Set(['--silent', '-s', '--quiet', '-q', '--no-color', '--no-progress']);
/**
 * An argument that points a package manager at a registry or an index of its choosing, wherever it stands, or sets its
 * configuration (`--config.verify-deps-before-run=install`, cargo's `--config`; session 44, review-43 R7).
 */
const NAMES_A_REGISTRY = /* @__PURE__ */ (() =>
  new RegExp(String.raw`registry|index[-_]?url|find[-_]?links|userconfig|globalconfig|^--?config\b|${allRules('settingArguments').join('|')}|^${DANGEROUS_LONG_OPTION}|^${FETCHING_OPTION}$`, 'i'))();
/**
 * Between a package manager's name and its first argument: a comma (with a list opening, Node's `('npm', [`), or
 * Rust's `Command::new("cargo").arg(`, or its `.args([` / `.args(&[`, a list read as the other languages' lists are
 * (attack-48 false refusals: `cargo metadata` given so was refused whatever its verb).
 */
const FIRST_SEPARATOR = /\s*(?:,\s*(\[)?|\)\s*\.\s*arg(?:\s*\(|s\s*\(\s*&?\s*(\[)))\s*/y;
/** Between one argument and the next: a comma, or Rust's next `.arg(`. */
const NEXT_SEPARATOR = /\s*(?:,|\)\s*\.\s*arg\s*\()\s*/y;
/**
 * An argument shown whole: a plain string literal (no prefix, no escape, no template value), nothing joined to it,
 * not even an adjacent literal.
 */
const SHOWN_ARGUMENT = /(?:"([^"\\\n]*)"|'([^'\\\n]*)'|\x60([^\x60\\$\n]*)\x60)(?=\s*[,\])])/y;
/** A keyword argument or an options object after the argument list (`check=True`, `{ stdio: 'inherit' }`). */
const OPTIONS_START = /\s*(?:[A-Za-z_]\w*\s*=(?!=)|\{)/y;
/** In the call's other arguments: what could change the program run or where it fetches from. */
const UNSAFE_OPTIONS = /\b(?:env|shell|executable|preexec_fn|extendEnv|argv0)\b|registry|index.?url|find.?links|userconfig|\.\.\.|\*\*|[{,]\s*\[/i;
/** What may follow a process call whose package manager's arguments are read: no method, or one that runs it or reads its result (duct's `.run()`/`.read()`). */
const AFTER_CALL = /(?!\s*\??\.)|\s*\??\.\s*(?:Run|run|read|Output|CombinedOutput|Start|Wait|status|output|spawn|wait|returncode|stdout|stderr|communicate|check_returncode|pid|then|catch|toString|trim|exitCode|unwrap|expect|await)\b/y;
/** Arguments read after a package manager's name; past them, the rest is not read (fail closed). */
const MAX_ARGUMENTS_READ = 16;
/** Characters of a call's other arguments read after its argument list; a call going on past them is refused. */
const OPTIONS_REACH = 300;

/**
 * Whether a package manager named in a process call, its name ending at `at` and `depth` brackets inside the call, is
 * given arguments shown to run only the project's own scripts (an allow-list, failing closed; session 43 after
 * attack-45c): the list is read whole (at most {@link MAX_ARGUMENTS_READ} plain literals), its first argument past
 * {@link QUIET_OPTIONS} is one of its manager's {@link PackageManagerRules.verbs}, no argument names a registry, and the
 * list is followed only by the call's end or by keyword arguments / an options object that set no environment, shell
 * or registry. A list joined to more (`+`, `*`, a slice, `.concat`, an unpacking, `if … else`) is refused, on the lines
 * read or on the next ones; so is a list that does not close before `shownTo`, the end of the lines read.
 * Each step reads a bounded stretch, so the whole is linear in the text.
 */
function argumentsShownSafe(text: string, at: number, manager: string, depth: number, shownTo: number): boolean {
  const rules = PROGRAM_RULES.find(({ name }) => name.test(manager))?.rules;
  if (rules === undefined) return false;
  const args: string[] = [];
  FIRST_SEPARATOR.lastIndex = at;
  const first = FIRST_SEPARATOR.exec(text);
  if (first !== null) {
    if (first[1] !== undefined || first[2] !== undefined) depth++;
    at = FIRST_SEPARATOR.lastIndex;
    for (;;) {
      SHOWN_ARGUMENT.lastIndex = at;
      const shown = SHOWN_ARGUMENT.exec(text);
      if (shown === null || args.length === MAX_ARGUMENTS_READ) return false;
      args.push(shown[1] ?? shown[2] ?? shown[3] ?? '');
      at = SHOWN_ARGUMENT.lastIndex;
      NEXT_SEPARATOR.lastIndex = at;
      if (!NEXT_SEPARATOR.test(text) || /[\])]/.test(text.charAt(NEXT_SEPARATOR.lastIndex))) break;
      at = NEXT_SEPARATOR.lastIndex;
    }
    // A call's one string after the program, outside a list, is .NET's command line (`Process.Start("npm", "run
    // build")`), split into its words at blanks; elsewhere one argument holding blanks is no verb a program knows.
    if (first[1] === undefined && first[2] === undefined && args.length === 1) args.splice(0, 1, ...args[0]!.split(/\s+/).filter((word) => word !== ''));
    // A trailing comma before the list's end.
    const trailing = /\s*,?/y;
    trailing.lastIndex = at;
    trailing.test(text);
    at = trailing.lastIndex;
  } else if (depth <= 0) {
    // The name stands alone, outside the call's brackets (`const pm = 'npm';`): no argument is given it here.
    return true;
  }
  // Past a bare `--`, the options are the test runner's (`npm test -- --config vitest.ci.config.ts`).
  const managers = args.indexOf('--');
  const own = args.slice(0, managers < 0 ? undefined : managers);
  if (own.some((arg) => NAMES_A_REGISTRY.test(arg)) || FETCHING_ARGUMENTS.test(own.join(' '))) return false;
  const verb = args.find((arg) => !QUIET_OPTIONS.has(arg));
  if (verb === undefined ? rules.verbRequired === true || args.length > 0 : !rules.verbs.includes(verb)) return false;
  if (depth <= 0) return false;
  // The list closes within the lines read (a list going on past them is refused, as before session 43's change).
  if (at >= shownTo) return false;
  // The list's closing brackets: past them the call has ended, or its other arguments follow.
  let closers = 0;
  for (;;) {
    const skip = /\s*/y;
    skip.lastIndex = at;
    skip.test(text);
    at = skip.lastIndex;
    const char = text.charAt(at);
    if (char !== ')' && char !== ']') break;
    if (++closers > 4) return false;
    at++;
    if (--depth <= 0) {
      // The call has ended; a builder's call goes on (Rust's `Command::new("cargo").args([…])`, `.env(…)`): only
      // methods that run it or read its result may follow.
      AFTER_CALL.lastIndex = at;
      return AFTER_CALL.test(text);
    }
  }
  if (closers === 0 || text.charAt(at) !== ',') return false;
  at++;
  OPTIONS_START.lastIndex = at;
  if (!OPTIONS_START.test(text)) return false;
  const end = bracketDepth(text, at, Math.min(text.length, at + OPTIONS_REACH), depth, true);
  return end.depth <= 0 && !UNSAFE_OPTIONS.test(text.slice(at, end.at).replace(INHERITED_ENVIRONMENT, harmlessAdditions));
}

/**
 * An `env` option passing the environment on whole with plain literals added (`env={**os.environ, 'CI': 'true'}`,
 * `env: { ...process.env, CI: 'true' }`), its added keys in group 2 (attack-48 false refusals: any `env` refused the call).
 * Python's keys must be quoted (a bare one is a variable); JavaScript's may be bare. Anything else joined in stays unsafe.
 */
const INHERITED_ENVIRONMENT = /\benv\s*[=:]\s*\{\s*(\*\*\s*os\s*\.\s*environ|\.\.\.\s*process\s*\.\s*env)((?:\s*,\s*(?:(["'])\w+\3|\w+)\s*:\s*(?:"[^"\\\n]*"|'[^'\\\n]*'))*)\s*,?\s*\}(?=\s*[,)}])/g;
/** An {@link INHERITED_ENVIRONMENT} match read as safe (`inherited`) when every key it adds is {@link HARMLESS_ADDED_NAME}, else kept. */
function harmlessAdditions(match: string, inherited: string, added: string): string {
  const keys = [...added.matchAll(/,\s*(?:(["'])(\w+)\1|(\w+))\s*:/g)];
  const harmless = keys.every(([, , quoted, bare]) => (bare === undefined || inherited.startsWith('...')) && HARMLESS_ADDED_NAME.test(quoted ?? bare!));
  return harmless ? 'inherited' : match;
}

/**
 * Where the first process call opens whose package manager is given arguments not shown safe
 * ({@link argumentsShownSafe}), as {@link PROCESS_PACKAGE} reads a call: the package manager named in `text` at most
 * {@link CALL_REACH} characters after the call's opening; its arguments are read in `reading`, the same lines and the
 * ones after them, so a list joined to more on the next line is seen. Null when none is.
 */
function packageArgumentsCall(text: string, reading: string, opensBefore: number): number | null {
  const calls = [...text.matchAll(PROCESS_CALL_OPENING)].map((call) => ({ start: call.index, end: call.index + call[0].length }));
  let next = 0;
  for (const program of text.matchAll(ARGUMENT_PROGRAM)) {
    if (program.index > opensBefore + CALL_REACH) break;
    // The nearest opening before the program: an earlier one closed before it (a decoy `/* system "x")) */`) would
    // make the depth of the program's own call read as closed, and its options go unread (review of session 47, H2).
    while (next + 1 < calls.length && calls[next + 1]!.start <= program.index) next++;
    const call = calls[next];
    if (call === undefined || call.start > program.index) continue;
    if (call.end < program.index - CALL_REACH || call.end > program.index) continue;
    const { depth } = bracketDepth(text, call.end, program.index, 1, false);
    if (!argumentsShownSafe(reading, program.index + program[0].length, program[1]!.toLowerCase(), depth, text.length)) return call.start;
  }
  return null;
}

/**
 * pip's own API told to install (`pip.main(['install', …])`), in the process, or pip run by runpy on whatever
 * `sys.argv` holds (attack-48 L: the arguments are set apart from the call, so any is refused), by position or keyword.
 */
const PIP_MAIN = /\bpip(?:\s*\.\s*_internal(?:\s*\.\s*cli\s*\.\s*main)?)?\s*\.\s*main\s*\(\s*\[\s*["']install|\brun_module\s*\(\s*(?:mod_name\s*=\s*)?["']pip(?:\.[\w.]*)?["']/;
/** Lines read together, so a call whose arguments start on the next lines (`subprocess.run(\n  ["npx", …]`) is read whole. */
const CALL_LINES = 3;
/** Lines after the ones read where a process call's argument list is still followed (joined to more, or not). */
const READ_ON_LINES = 3;
/**
 * The most characters a call whose first line leaves its arguments open is read on while its brackets stay open; a call
 * going on past them is refused ({@link callTooLongToRead}), not accepted unread (attack-51 2: a line cap let arguments
 * closing one line past it go unread).
 */
const OPEN_CALL_CHARS = 3000;
/**
 * A line that leaves its arguments to the next ones: ending in `(`, `[`, `,` or a backtick, a comment after it or not
 * (attack-51 2: `subprocess.run(  # run`, `execSync( /* run *\/`).
 */
const ENDS_OPEN = /[(\[,\x60]\s*(?:(?:\/\/|#)[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\/\s*)?$/;

/**
 * Where the lines a call opening on `lines[index]` is read on end: {@link CALL_LINES}, and more while a bracket or a
 * string opened on them is open (attack-48 R: implicitly joined literals, a template literal, comment or blank lines
 * before the arguments), up to {@link OPEN_CALL_CHARS}; `unread` when its brackets were still open there. Each line's
 * brackets are counted once.
 */
function callLinesEnd(lines: readonly string[], index: number): { end: number; unread: boolean } {
  let depth = 0;
  let end = index;
  let read = 0;
  // Only for a line that leaves its arguments to the next ones (ENDS_OPEN): a method's body (npm's `async exec (args) {`)
  // or prose whose apostrophe holds a bracket open (perl's diagnostics.pm) is none.
  const open = ENDS_OPEN.test(lines[index] ?? '');
  while (end < lines.length && (end < index + CALL_LINES || (open && depth > 0 && read < OPEN_CALL_CHARS))) {
    const line = lines[end++]!;
    read += line.length + 1;
    depth = bracketDepth(line, 0, line.length, depth, false).depth;
  }
  return { end, unread: open && depth > 0 && end < lines.length };
}

/**
 * The first added line a process call opens on whose arguments go on past {@link OPEN_CALL_CHARS}, or null: what is
 * not read is refused (attack-51 2).
 */
function callTooLongToRead(added: readonly string[]): string | null {
  for (let index = 0; index < added.length; index++) {
    if (PROCESS_CALL_OPENING_ONCE.test(added[index]!) && callLinesEnd(added, index).unread) return added[index]!;
  }
  return null;
}

/**
 * Whether a process call opening in `text` before `end` (on its first line) is given a package command
 * ({@link PACKAGE_COMMAND}): on its line within {@link CALL_REACH} of its opening ({@link PROCESS_PACKAGE}), or inside
 * its brackets however far from its opening (attack-51 1: a command string padded past {@link CALL_REACH}). The
 * commands are found in one pass; each call's close is found by {@link bracketDepth}, within the lines read.
 */
function packageCommandInCall(text: string, end: number): boolean {
  let commands: readonly number[] | null = null;
  return opensOn(text, end, (call) => {
    commands ??= packageCommandsAt(text);
    // What PROCESS_PACKAGE reads after a call is a PACKAGE_COMMAND of the same text: none anywhere, none after a call
    // (most lines hold none, and PROCESS_PACKAGE tries PACKAGE_COMMAND at each of CALL_REACH places after each call).
    if (commands.length === 0) return false;
    PROCESS_PACKAGE.lastIndex = call;
    if (PROCESS_PACKAGE.test(text)) return true;
    const close = bracketDepth(text, call, text.length, 0, true).at;
    return commands.some((at) => at > call && at < close);
  });
}

/** A line's string escapes decoded, a line break read as the `;` it is to a shell (so the line stays one). */
const decoded = (line: string): string => decodeEscapes(line).replace(/\n/g, ';');

/** Whether `read` answers true for a process call opening in `text` before `end` (on its first line). */
function opensOn(text: string, end: number, read: (call: number) => boolean): boolean {
  for (const call of text.matchAll(PROCESS_CALL_OPENING)) {
    if (call.index >= end) return false;
    if (read(call.index)) return true;
  }
  return false;
}

/** For each index of `lines`, how many lines before it differ from `other`'s (as long): equal counts at two indices, none between. */
function linesDifferingBefore(other: readonly string[], lines: readonly string[]): number[] {
  const counts = [0];
  for (let index = 0; index < lines.length; index++) counts.push(counts[index]! + (lines[index] === other[index] ? 0 : 1));
  return counts;
}

/**
 * The first added line that adds a dependency (for a process call, the line it opens on), or null; read in `spelled`,
 * the same lines with other languages' process calls spelled out ({@link ShownFile.read}), where given.
 */
function addedDependency(added: readonly string[], spelled = added): string | null {
  const raw = spelled.map((line) => line.normalize('NFKC'));
  // Read as written, then as the program receives it (attack-48 E0, A): the string's escapes decoded, a line break a
  // `;` (`'echo ok\nnpm install x'`, `'\x6epm'`), and as the shell builds its words (the reading `curl | sh` is read
  // in: quotes removed, `n""pm`, `n\pm`, `$IFS`, `x=npm; $x`, Python's `'n' 'pm'`). Each only adds refusals.
  // And with the literals names were given in their calls' places.
  const readings = [raw, raw.map(decoded), raw.map((line) => decoded(shellReading(line) ?? line)), ...[literalsInPlace(raw, PROCESS_CALL_OPENING_ONCE) ?? []]];
  // Where each reading's lines read from each index end (callLinesEnd).
  const ends: number[][] = [];
  for (const [at, lines] of readings.entries()) {
    // Most lines read the same in every reading (no escape, no word the shell builds, no name given a literal), and an
    // earlier reading found nothing in them: lines read as an earlier reading read them are not read again, the same
    // answer for several times the cost (a call left open is read on for OPEN_CALL_CHARS from each of its lines). The
    // same lines end where they ended there.
    const earlier = [...readings.entries()]
      .slice(0, at)
      .filter(([, reading]) => reading.length === lines.length)
      .map(([before, reading]) => ({ differing: linesDifferingBefore(reading, lines), ends: ends[before]! }));
    const readingEnds: number[] = [];
    ends.push(readingEnds);
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index] as string;
      const same = earlier.find(({ differing, ends: endsThere }) => differing[Math.min(lines.length, Math.max(endsThere[index]!, index + CALL_LINES + READ_ON_LINES))] === differing[index]);
      if (same !== undefined) {
        readingEnds.push(same.ends[index]!);
        continue;
      }
      const end = callLinesEnd(lines, index).end;
      readingEnds.push(end);
      if (URL_IMPORT.test(line) || PIP_MAIN.test(line)) return added[index]!;
      // A call that opens on a later line is found again, and quoted, from its own line (session 43: the first line read
      // was quoted, `import subprocess` for the call under it).
      // The command reading reads on while the call's brackets are open; an argument list must close within CALL_LINES
      // (fail closed, attack-45c's control).
      const open = lines.slice(index, end).join(' ');
      const text = lines.slice(index, index + CALL_LINES).join(' ');
      // The same lines and a few more, joined so each character stands where it does in `text`: an argument list read
      // from the lines read may be joined to more on the next ones (session 43, attack-45c C7).
      const reading = lines.slice(index, index + CALL_LINES + READ_ON_LINES).join('\n');
      if (packageCommandInCall(open, line.length) || (packageArgumentsCall(text, reading, line.length) ?? Infinity) < line.length) return added[index]!;
    }
  }
  return null;
}

/**
 * Where a path names a place outside the checked-out repository, as a command or a load reads it (session 45,
 * attack-48 G): absolute, `~`, the home, temp or runner directories (another job, step or fork run may have left
 * code there on a self-hosted runner), or `..` climbing above `depth` directories (the repository's root for a
 * command, the file's own directory for a load). The null device, the process's own files and the system's programs
 * (`/usr/bin/env`, `/bin/sh`) load nothing a run left behind.
 */
const OUTSIDE_START = /^(?:~|\$\{?(?:HOME|USERPROFILE|TE?MP(?:DIR)?|RUNNER_\w+)\b|%(?:USERPROFILE|TE?MP|\w*APPDATA)%|\/(?!dev\/(?:null|std)|proc\/self\/|(?:usr\/(?:local\/)?)?bin\/))/i;
const outsidePath = (path: string, depth = 0): boolean =>
  OUTSIDE_START.test(path) ||
  // A variable counts as the root (`$GITHUB_WORKSPACE/..`, `$PWD/..` climb from it).
  path.split(/[\\/]/).some((part) => !/^(?:\.|\$.*)?$/.test(part) && (depth += part === '..' ? -1 : 1) < 0);
/**
 * A program the check knows, with the rest of its command (up to the next command or the call's end): its options
 * and arguments name what it runs, builds, or reads its project, settings or manifest from (npm `--prefix`, cargo
 * `--manifest-path`, go's package path or `-C`/`-modfile`/`-toolexec`, make `-f`, mvn `-s`, gradle `--init-script`).
 */
const OUTSIDE_PROGRAM = /* @__PURE__ */ (() =>
  new RegExp(String.raw`(?<=[\s"'\x60;&|(/,\[])(?:${MANAGERS}|make|mvnw?|gradlew?|docker|podman|pre-commit|tox|nox|julia)(?![\w./-])[^;&|)\]\n]*`, 'gi'))();
/**
 * A word that may be a path, as a separate argument or an option's value; not a redirection's target nor an output
 * option's (`> /tmp/log`, `go build -o /tmp/bin`: a write outside loads nothing).
 */
const PATH_WORD = /(?<!(?:[<>]|[\s"'\x60,]-o|--(?:out|junit|report|log|coverage)[\w-]*)[\s"'\x60,=]*)(?<=[\s"'\x60=,\[(])[~/$%.][^\s"'\x60,\])=;&|<>]*/g;
/**
 * The directory such a command runs in, on the lines read with it: `cd /tmp/x && npm test`, `cwd=`, `cwd:`, Go's
 * `cmd.Dir =`, `os.chdir(`, Rust's `current_dir(` (only with a program above: `git status` run in /tmp is harmless).
 */
const CHANGED_DIRECTORY = /(?:\bcd\s+|\bcwd\s*[:=]\s*|\.Dir\s*=\s*|\b(?:chdir|current_dir)\()["'\x60]?([^\s;&|"'\x60)]+)/g;
/**
 * Code loaded by its path (Rust's `#[path]` and `include!`, C's quoted `#include`, `sys.path`, `require`, `import`,
 * Ruby's `load`, Go's `plugin.Open`), given a string literal; JSON is data (`require('/tmp/d.json')`, session 40).
 * The home directory, however the code asks for it, reads as `$HOME`. Each run of blanks is read by one quantifier (the
 * one after `(` or `File.expand_path(`, not a second after it): `from` and 4K spaces took 38 s with three adjacent.
 */
export const LOADED_PATH = /(?:#\[path\s*=\s*|\binclude!\((?:concat!\()?\s*|#include\s*|\b(?:require(?:_relative)?|import|from|load(?=\s)|sys\.path\.(?:insert\(\d+,|append)|plugin\.Open)\s*(?:\(\s*)?(?:File\.expand_path\(\s*)?)(["'\x60])([^"'\x60\n]*)(?<!\.json)\1/g;
/** Between a Rust `Command`'s program and its arguments, or one argument and the next: `).arg(`, `).args([`, `).args(&[`. */
const RUST_ARGUMENTS = /\)\s*\.\s*args?\s*\(\s*&?\s*\[?/g;
const HOME = /(?:require\(["']os["']\)|\bos)\.homedir\(\)|env!\("HOME"\)|\b(?:Path\.home\(\)|Dir\.home|process\.env\.HOME)\b/g;

/** The first added line of code that runs, builds or loads something from outside the repository (see above), or null. */
function outsideRepository(files: readonly ShownFile[]): string | null {
  for (const file of files) {
    const { path, added } = file;
    if (DOCUMENTATION.test(path)) continue;
    for (const read of readingsOf(file)) {
      const lines = read.map((line) => line.normalize('NFKC').replace(HOME, "'$HOME'"));
      for (let index = 0; index < lines.length; index++) {
        const line = lines[index]!;
        if ([...line.matchAll(LOADED_PATH)].some((load) => outsidePath(load[2]!, path.split('/').length - 1))) return added[index]!;
        // Rust's `Command::new("cargo").args(["test", "--manifest-path", …])` read as one list, as the argument reading
        // reads it (attack-48 false refusals accepted that form: its paths must be read too).
        const text = lines.slice(index, index + CALL_LINES).join(' ').replace(RUST_ARGUMENTS, ', ');
        const programs = [...text.matchAll(PROCESS_CALL_OPENING)].flatMap((call) => [...text.slice(call.index + call[0].length, call.index + call[0].length + CALL_REACH).matchAll(OUTSIDE_PROGRAM)]);
        const words = programs.length === 0 ? '' : [...programs, ...text.matchAll(CHANGED_DIRECTORY)].map((match) => ` ${match[1] ?? match[0]}`).join('');
        if (words.match(PATH_WORD)?.some((word) => outsidePath(word))) return added[index]!;
      }
    }
  }
  return null;
}

/**
 * Environment variables that configure a package manager, a toolchain or the runtime a later allowed call starts, by
 * family (session 44, attack-46c C3/C4/C9: a list of names missed hyphenated spellings, proxies, Corepack's registry,
 * RUSTC_WRAPPER, NODE_OPTIONS…): case-insensitively, `-` and `_` alike. Read only where a name is set, so `uv_index`
 * in ordinary code is not one.
 */
/**
 * Managers' settings that only change how they print or how hard they work, excepted from {@link REFUSED_ENVIRONMENT}'s
 * families by their whole name (attack-48 false refusals: CI fixes set them to quiet a log). None changes what is fetched,
 * from where, or what runs: CARGO_TERM_COLOR/VERBOSE/QUIET/PROGRESS_WHEN and PIP_NO_COLOR, PIP_PROGRESS_BAR,
 * NPM_CONFIG_COLOR, NPM_CONFIG_LOGLEVEL, NPM_CONFIG_PROGRESS, YARN_ENABLE_PROGRESS_BARS only style the output;
 * PIP_DISABLE_PIP_VERSION_CHECK skips pip's look for a newer pip (one fetch fewer); CARGO_INCREMENTAL only turns the
 * compiler's cache of the same sources on or off. .NET's (session 46): DOTNET_CLI_TELEMETRY_OPTOUT, DOTNET_NOLOGO and
 * DOTNET_SKIP_FIRST_TIME_EXPERIENCE quiet the CLI, DOTNET_ENVIRONMENT names which of the repository's appsettings files
 * an app reads, NUGET_XMLDOC_MODE skips unpacking packages' documentation.
 */
const COSMETIC_NAMES = String.raw`cargo[-_](?:term[-_](?:color|verbose|quiet|progress[-_]when)|incremental)|pip[-_](?:disable[-_]pip[-_]version[-_]check|no[-_]color|progress[-_]bar)|npm[-_]config[-_](?:color|loglevel|progress)|yarn[-_]enable[-_]progress[-_]bars|dotnet[-_](?:cli[-_]telemetry[-_]optout|nologo|skip[-_]first[-_]time[-_]experience|environment)|nuget[-_]xmldoc[-_]mode`;
const COSMETIC_ENVIRONMENT = String.raw`(?!(?:${COSMETIC_NAMES})(?![\w-]))`;
/**
 * Names a process call may add to the environment it passes on whole (`env={**os.environ, 'CI': 'true'}`; attack-48 false
 * refusals): an allow-list, not the families' complement, since PATH, HOME, LD_PRELOAD, PYTHONPATH, RUBYOPT and the like
 * change what runs without being a manager's. These only say "in CI", style or encode output, or set the time zone.
 */
const HARMLESS_ADDED_NAME = /* @__PURE__ */ (() =>
  new RegExp(String.raw`^(?:ci|force_color|no_color|term|columns|lang|lc_all|tz|pythonunbuffered|pythonioencoding|rust_backtrace|${COSMETIC_NAMES})$`, 'i'))();
const MANAGER_ENVIRONMENT = String.raw`(?:(?:npm|pnpm|bun)[-_]config|yarn|pip|uv|poetry|pdm|pixi|hatch|cargo|rustup|composer|bundle|gem|conda|pub|nvm|corepack|nuget|mise)[-_][\w-]{0,60}|rustc[-_]wrapper|go(?:proxy|sumdb|nosumdb|nosumcheck|noproxy|private|insecure|toolchain|flags)|node[-_](?:options|tls[-_][\w-]{0,40}|extra[-_]ca[-_]certs)|_?java[-_](?:tool[-_])?options|(?:maven|gradle)[-_]opts|(?:https?|all|no)[-_]proxy|ssl[-_]cert[-_](?:file|dir)|requests[-_]ca[-_]bundle`;
/**
 * Environment variables that make a later allowed program load or run code they name (attack-48 I), refused where set
 * as the managers' are: an interpreter's startup options and module paths (RUBYOPT, PERL5OPT, PYTHONPATH…), the dynamic
 * loader's (LD_PRELOAD, DYLD_*), the file every non-interactive bash sources (BASH_ENV; sh's ENV is left out: only an
 * interactive sh reads it, and `ENV=production` is ordinary), git's configuration and the programs git runs
 * (GIT_CONFIG_COUNT/KEY_n/VALUE_n set core.fsmonitor or core.hooksPath for every later git call; GIT_SSH_COMMAND runs
 * at every fetch), Node's module path; .NET's host settings (session 46: DOTNET_STARTUP_HOOKS and DOTNET_ADDITIONAL_DEPS
 * load assemblies into every later `dotnet test`, DOTNET_ROOT picks the runtime that runs it).
 */
const LOADER_ENVIRONMENT = String.raw`ruby(?:opt|lib)|perl(?:5opt|5lib|lib)|python(?:path|startup|home)|ld[-_](?:preload|library[-_]path|audit)|dyld[-_][\w-]{0,40}|bash[-_]env|git[-_](?:config(?:[-_](?:count|(?:key|value)[-_]\w{1,10}|global|system|parameters))?|ssh(?:[-_]command)?|exec[-_]path|askpass|editor|pager|proxy[-_]command|external[-_]diff|template[-_]dir)|node[-_]path|dotnet[-_][\w-]{1,60}`;
/**
 * The environment families refused where set: the managers' and the loaders', but their cosmetic names. The lookahead
 * stands before the whole alternation (session 46: written at MANAGER_ENVIRONMENT's head, it bound to its first
 * alternative only, and a cosmetic name of any later family, .NET's DOTNET_NOLOGO, was refused).
 */
const REFUSED_ENVIRONMENT = `${COSMETIC_ENVIRONMENT}(?:${MANAGER_ENVIRONMENT}|${LOADER_ENVIRONMENT})`;
/**
 * A key in a dict or an object on a line that names an environment (`env={'PIP_INDEX_URL': …}`, `env: { NODE_OPTIONS: … }`):
 * an environment name when written in capitals or as `*_config_*` (`'uv_index': …` in a weather reading is not; nor are
 * constants' keys, `UV_DIRENT_UNKNOWN: …`, on a line about no environment).
 */
const ENVIRONMENT_KEY = /* @__PURE__ */ (() => new RegExp(String.raw`\b(?:${REFUSED_ENVIRONMENT})["'\x60]?\s*:(?!:)`, 'gi'))();

/** A word boundary between git's words in a command string or an argument list (`'git', 'config'`, `'git', ['clone'`). */
const GIT_SEPARATOR = String.raw`["'\x60]?(?:\s*,\s*\[?\s*|\s+)["'\x60]?`;
/**
 * git settings whose value is a command git runs, a hooks directory, a file of more configuration, or where it fetches
 * (attack-48 J): core.fsmonitor at every `git status`, core.hooksPath at every commit, core.sshCommand at every fetch,
 * an editor or pager, a diff or merge driver, a clean/smudge filter, an alias (`!cmd`), a credential helper.
 */
const GIT_RUNNING_KEY = String.raw`(?:core\.(?:fsmonitor|sshcommand|hookspath|editor|pager|askpass|gitproxy|worktree)|(?:diff|merge)\.[^\s"'\x60=]*\.(?:textconv|command|driver)|filter\.[^\s"'\x60=]*\.(?:clean|smudge|process)|alias\.[^\s"'\x60=]+|url\.[^\s"'\x60=]*\.(?:push)?insteadof|include(?:if\.[^\s"'\x60=]*)?\.path|credential\.[^\s"'\x60=]*helper|sequence\.editor|gpg\.[^\s"'\x60=]*program|pager\.[\w-]+|uploadpack\.packobjectshook)`;
/**
 * A git call that sets one of {@link GIT_RUNNING_KEY} (`git config [--global] <key>`, `git -c <key>=…`), clones or adds
 * as a submodule a URL, or code naming git's configuration files (`.gitconfig`, `.git/config`, `.git/hooks/…`).
 * `git config user.name …`, `git status` and `git clone` of a local path stay accepted.
 */
const GIT_CONFIGURATION = /* @__PURE__ */ (() => new RegExp(String.raw`\bgit${GIT_SEPARATOR}(?:-[^\s"'\x60,]+${GIT_SEPARATOR})*?(?:-c${GIT_SEPARATOR}?${GIT_RUNNING_KEY}=|config${GIT_SEPARATOR}(?:-[^\s"'\x60,]+${GIT_SEPARATOR}){0,4}${GIT_RUNNING_KEY}(?![\w.-])|(?:clone|submodule${GIT_SEPARATOR}add)${GIT_SEPARATOR}(?:-[^\s"'\x60,]+${GIT_SEPARATOR}(?:\w[\w.-]*${GIT_SEPARATOR})?){0,6}(?:[a-z][\w+.-]*://|[\w.-]+@[\w.-]+:))|["'\x60](?:[^"'\x60\n]*/)?(?:\.gitconfig|\.git/(?:config|hooks/[^"'\x60\n]*))["'\x60]`, 'i'))();

/**
 * What an added line of code sets for a package manager or toolchain the job runs later (session 44, review-43 R1, R2,
 * R4): one of their configuration files named as a string (code writing `.npmrc` or `rust-toolchain.toml`), or an
 * environment variable saying where they fetch from, what they install before a run or which toolchain rustup downloads
 * (`npm_config_registry`, `RUSTUP_DIST_SERVER`, `GOPROXY`). An allowed `pnpm run` or `cargo build` inherits either. So
 * does `npm test` a package.json (or `make` a Makefile) the code writes, on the line that writes it.
 * A name's middle is read for 40 characters at most, so a line of `-npm_config_` runs is read in linear time.
 */
const MANAGER_SETTING = [
  /* @__PURE__ */ (() => new RegExp(String.raw`["'\x60](?:[^"'\x60\n]*/)?(?:${MANAGER_CONFIGURATION_NAMES}|\.cargo/config(?:\.toml)?)["'\x60]`, 'i'))(),
  // An environment variable of the managers' families set: `os.environ['X'] =`, `process.env.X =`, `os.Setenv("X"`,
  // `X=… cmd` in a command, `export X=`.
  // Also (attack-48 H) Perl's `$ENV{X} =`, Ruby's `ENV.store`, Java's `environment().put`, .NET's
  // `SetEnvironmentVariable`, Elixir's `System.put_env`.
  /* @__PURE__ */ (() => new RegExp(String.raw`\b(?:env(?:iron)?\s*(?:\[\s*["'\x60]|\{\s*["']?|[.:])(?:${REFUSED_ENVIRONMENT})["'\x60]?\s*[\]}]?\s*[|&?+]{0,2}=(?!=)|(?:putenv|setenv|set_?var|setdefault|store|put|put_?env|set_?environment_?variable)\s*\(\s*["'\x60](?:${REFUSED_ENVIRONMENT}))(?![\w-])|(?:^|["'\x60;&|]\s*|\b(?:export|env|set)\s+)(?:${REFUSED_ENVIRONMENT})=`, 'i'))(),
  // Several names set by one call (attack-48 H): `os.environ.update(X=…)`/`({'X': …})`, `dict(os.environ, X=…)`,
  // Ruby's `ENV.update('X' => …)` and `system({'X' => …}, …)`, R's `Sys.setenv(X = …)`.
  /* @__PURE__ */ (() => new RegExp(String.raw`(?:\benviron\s*\.\s*update|\bENV\s*\.\s*(?:update|merge!?|replace)|\bdict\s*\(\s*(?:\*\*)?os\s*\.\s*environ\s*,|\bSys\s*\.\s*setenv|\bSystem\s*\.\s*put_env|\b(?:system|spawn|popen\w*|capture\w*)\s*\(\s*\{)[^\n]{0,200}?\b(?:${REFUSED_ENVIRONMENT})["'\x60]?\s*(?:=(?![=>])|=>|:(?!:))`, 'i'))(),
  // git configuration that runs a command or loads hooks (attack-48 J), by `git config` (any scope), `git -c`, or a
  // file: every later `git status`/`fetch`/`commit` in the job runs it. And a clone or submodule of a URL: code fetched.
  GIT_CONFIGURATION,
  // A manifest or build file written by the code, on the line that writes it: the next `npm test` or `make` runs its scripts.
  // So does every later call a configuration the code writes outside the repository, in the home directory's dot folders
  // (`~/.config/pnpm/rc`, `~/.bundle/config`, `~/.rustup/settings.toml`) or npm's global `etc/npmrc` (attack-46c C5).
  /^(?=.*(?:\b(?:write_?file(?:sync)?|append_?file(?:sync)?|write_text|write_bytes|file_put_contents|output_?file(?:sync)?|write_?json(?:sync)?|copy_?file(?:sync)?|copy2?)\s*\(|\bopen\s*\([^)\n]{0,200}?["'][wax]\+?b?["']|\.write\s*\()).*["'\x60](?:(?:[^"'\x60\n]*\/)?(?:package\.json5?|package\.ya?ml|(?:gnu)?makefile|justfile)["'\x60]|(?:~|\$\{?HOME\}?)?\/\.\w|[^"'\x60\n]*\/etc\/npmrc["'\x60])/i,
];
/** Files that only document: what they name is not run. */
const DOCUMENTATION = /\.(?:md|mdx|rst|txt|adoc)$/i;
/**
 * A documentation's tested code that may write a file: a call whose name writes, copies, moves, links or opens (read
 * broadly, failing closed), a redirection or a shell's writing command.
 */
const DOCUMENTATION_CODE_WRITES = /(?:write|append|copy|create|rename|symlink|link|move|replace|save|dump|put|set|touch|tee|install|mkdir|open|persist|store|emit|patch|update|insert)\w{0,40}\s*[(!]|>|\b(?:cp|mv|echo|printf|ln|sed)\b/i;

/**
 * NODE_OPTIONS set to a plain literal of heap and stack sizes only (`'--max-old-space-size=4096'`), the commonest fix for
 * "JavaScript heap out of memory" (attack-48 false refusals): a size loads nothing. Anything else in the value
 * (`--require`, `--import`, `--loader`, `-r`, `--env-file`), a value built or joined to more, is still read as setting it.
 */
const NODE_SIZES_ONLY = /\bnode_options(?=["'\x60]?\s*\]?\s*[=:,]\s*(["'])(?:\s*--(?:max[-_](?:old|semi)[-_]space[-_]size|stack[-_]size)=\d{1,6})+\s*\1\s*(?:[;,)}\]]|$))/gi;

/**
 * Whether a line of code sets a package manager's configuration ({@link MANAGER_SETTING}); with `namingCounts` false,
 * a configuration file only named (its first rule) does not count.
 */
export const setsManagerConfiguration = (line: string, namingCounts = true): boolean => {
  const written = line.normalize('NFKC').replace(NODE_SIZES_ONLY, 'node_sizes');
  const settings = namingCounts ? MANAGER_SETTING : MANAGER_SETTING.slice(1);
  // As written and with its escapes decoded: a name spelled `'\x47OFLAGS'` or `'package.js\x6fn'` (attack-48 E1).
  return [written, decoded(written)].some((text) =>
    settings.some((setting) => setting.test(text)) || (/env/i.test(text) && [...text.matchAll(ENVIRONMENT_KEY)].some(([key]) => key === key.toUpperCase() || /config/i.test(key))));
};

/** The first line the patch adds to a file of code (or a documentation file's tested code) that sets a package manager's configuration, or null. */
function managerSetting(files: readonly ShownFile[]): string | null {
  for (const file of files) {
    // In documentation, only the code its doctests and Rust blocks run (attack-48 O); prose may name a setting.
    // H1: `sh.environ[…] =` spelled as a call hid the setting when only the spelling was read.
    // There a configuration file named counts only where the tested code writes anything (attack-52 false refusals:
    // a doctest reading `.npmrc`, a Rust block printing where `.cargo/config.toml` is).
    const documentation = DOCUMENTATION.test(file.path);
    const readings = documentation ? [linesTestsRun(file.added)] : readingsOf(file);
    const namingCounts = !documentation || readings[0]!.some((line) => DOCUMENTATION_CODE_WRITES.test(line));
    const found = readings.map((lines) => lines.findIndex((line) => setsManagerConfiguration(line, namingCounts))).filter((at) => at >= 0);
    if (found.length > 0) return file.added[Math.min(...found)]!;
  }
  return null;
}

/**
 * A file's added lines as added and, where `process-calls.ts` spells a process call differently, as spelled out: the
 * rules read both, so a spelling only adds refusals and never takes one away (review of B's fix, H1: `import os as sh`
 * spelled `sh.chdir('/tmp/x')` and `sh.environ[…] =` as calls, and the path and the setting were lost).
 */
function readingsOf(file: ShownFile): ReadonlyArray<readonly string[]> {
  return file.read.every((line, at) => line === file.added[at]) ? [file.added] : [file.added, file.read];
}

/** What a diff shows of one file it writes ({@link FileShown}), with its process calls spelled out. */
interface ShownFile extends FileShown {
  /** The same lines with other languages' process calls spelled as the command reading reads them (attack-48 B, `process-calls.ts`). */
  read: readonly string[];
}

/** What the diff shows of each file it writes (see {@link ShownFile}). */
function shownByFile(diff: string): ShownFile[] {
  return filesShown(diff).map((shown) => ({ ...shown, read: callsSpelledOut(shown.path, shown.added, shown.after) }));
}

/**
 * The signals of what the diff shows of one file: its added lines', its language's, a declared source encoding on
 * line 1 or 2, and what its lines after the change hold that its lines before did not (context and added lines read
 * together: `$f = "sys";` shown as context makes `$g = $f . "tem"; $g($x);` a call by an assembled name).
 */
function shownFileSignals({ path, added, before, after, firstLines }: ShownFile): string[] {
  const encoding = declaredEncodingSignal(path, firstLines);
  return [...languageSignals(path, added), ...jobChangingSignals(path, added), ...newSignals(path, before, after), ...(encoding ? [encoding] : []), ...encodedThroughName(added)];
}

/**
 * PowerShell given its encoded command with the program named apart from its call (attack-52: `const ps = 'pwsh';`
 * then `spawnSync(ps, ['-enc', blob])`), read with the literals names were given in their calls' places.
 */
function encodedThroughName(added: readonly string[]): string[] {
  const inPlace = added.some((line) => /pwsh|powershell/i.test(line)) ? literalsInPlace(added, PROCESS_CALL_OPENING_ONCE) : null;
  return inPlace !== null && POWERSHELL_ENCODED.test(inPlace.join('\n')) ? ['decode-exec'] : [];
}

/**
 * Why a line a patch adds is refused for what the approval would show of it, or null: longer than
 * {@link PATCH_LIMITS}.maxLineChars, or with text a run of blanks pushes out of view ({@link pushedOutOfView}).
 */
function unseenLineReason(added: readonly string[]): string | null {
  const long = added.find((line) => line.length > PATCH_LIMITS.maxLineChars);
  if (long !== undefined) {
    return `the patch adds a line of ${long.length} characters, over the limit of ${PATCH_LIMITS.maxLineChars}: the approval shows lines unwrapped, so its end would not be seen`;
  }
  const pushed = added.find(pushedOutOfView);
  if (pushed !== undefined) {
    return `the patch adds a line whose text ${OUT_OF_VIEW.blankRun} or more blanks push out of view (to column ${OUT_OF_VIEW.column} or further): ${JSON.stringify(pushed.trim().slice(0, 60))}`;
  }
  return null;
}

/**
 * Reads the diff the way the fix PR will apply it (jsdiff's `parsePatch`, the parser `buildFixFiles` uses) and
 * says why that reading disagrees with this check's: a file it would write that the checks above did not pass,
 * or more changed lines than counted. The checks are only worth what the applier agrees with.
 */
function applierDisagreement(diff: string, checkedFiles: readonly string[], checkedChanges: number): string | null {
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(diff);
  } catch (error) {
    return `the patch cannot be parsed: ${(error as Error).message.slice(0, 120)}`;
  }
  let changed = 0;
  for (const filePatch of parsed) {
    for (const path of [appliedPath(filePatch.oldFileName, 'a/'), appliedPath(filePatch.newFileName, 'b/')]) {
      if (path !== null && !checkedFiles.includes(path)) return `the patch names a file its headers do not state plainly: ${JSON.stringify(path.slice(0, 120))}`;
    }
    for (const hunk of filePatch.hunks) for (const hunkLine of hunk.lines) if (hunkLine.startsWith('+') || hunkLine.startsWith('-')) changed += 1;
  }
  if (changed > checkedChanges) return `the patch changes ${changed} lines where its hunk headers account for ${checkedChanges}`;
  return null;
}

/**
 * The file a diff moves or copies, as `old → new`, or null: by git's `rename`/`copy` headers, or by file headers that
 * name two paths (`--- a/examples/x.py`, `+++ b/tests/test_x.py`), which the applier reads as a move. The diff shows
 * only what changes: a whole file, never read by this check, would arrive where CI runs it (attack pass 12).
 */
function movedFile(diff: string): string | null {
  const from = /^(?:rename|copy) from (.*)$/m.exec(diff)?.[1];
  if (from !== undefined) return `${unquote(from)} → ${unquote(/^(?:rename|copy) to (.*)$/m.exec(diff)?.[1] ?? '?')}`;
  for (const file of parsePatch(diff)) {
    const [oldPath, newPath] = [appliedPath(file.oldFileName, 'a/'), appliedPath(file.newFileName, 'b/')];
    if (oldPath !== null && newPath !== null && oldPath !== newPath) return `${oldPath} → ${newPath}`;
  }
  return null;
}

/** Why a pip requirements file by another name is refused, for the comment. */
export const PIP_REQUIREMENTS_WHY = 'a pip requirements file by its content: pip reads from it which packages to install and from where';

/**
 * Of the files pip could be told to read as requirements (`TEXT_EXTENSIONS`), only a `.txt` file is read for its
 * content: documentation about pip shows its lines (`git+https://…`, `-e .`).
 */
export const REQUIREMENTS_BY_CONTENT = /\.txt$/i;

/**
 * The first `.txt` file whose lines the diff shows (context, added and removed) read as pip requirements
 * ({@link looksLikePipRequirements}); null when none does. The fix PR reads the whole file as well.
 */
function pipRequirementsShown(diff: string): string | null {
  for (const filePatch of parsePatch(diff)) {
    const path = appliedPath(filePatch.newFileName, 'b/') ?? appliedPath(filePatch.oldFileName, 'a/');
    if (path === null || !REQUIREMENTS_BY_CONTENT.test(path)) continue;
    // `\ No newline at end of file` is git's note about the line above it, not a line of the file.
    const shown = filePatch.hunks.flatMap((hunk) => hunk.lines.filter((line) => !line.startsWith('\\')).map((line) => line.slice(1)));
    if (looksLikePipRequirements(shown)) return path;
  }
  return null;
}

/**
 * Validates a unified diff (`diff -u` or `git diff` format) and returns it with the paths it touches, or the
 * reason it was discarded. Paths come from every header that names one: `diff --git`, `---`/`+++`,
 * `rename from/to` and `copy from/to`. Discarded: empty or hunk-less diffs, binary patches, symlinks and
 * submodules (they point outside the tree), more than {@link PATCH_LIMITS} allow, hidden characters anywhere
 * in the diff, any path that {@link forbiddenPathReason} rejects, headers the applier would read differently, a file
 * moved or copied ({@link movedFile}), added lines that download or decode code and run it ({@link dangerousCodeSignals}),
 * alone or read with the context lines around them, a declared source encoding, writes to GitHub Actions' environment
 * files and downloads onto paths tools load ({@link jobChangingSignals}), added lines that bring in a dependency no
 * manifest declares ({@link addedDependency}) or set a package manager's configuration ({@link managerSetting}), and added
 * lines the approval would not show whole ({@link unseenLineReason}).
 */
export function checkPatch(raw: string): PatchCheck {
  return withinOneCheck(() => checkedPatch(raw));
}

/** {@link checkPatch}'s reading, within one check's scope: the readings it repeats are read once ({@link withinOneCheck}). */
function checkedPatch(raw: string): PatchCheck {
  const diff = raw.replace(/\r\n?/g, '\n');
  const bytes = Buffer.byteLength(diff, 'utf8');
  if (diff.trim() === '') return { ok: false, reason: 'the patch is empty' };
  if (bytes > PATCH_LIMITS.maxBytes) return { ok: false, reason: `the patch is ${bytes} bytes, over the ${PATCH_LIMITS.maxBytes}-byte limit` };
  if (hidesCode(diff)) {
    return { ok: false, reason: 'the patch contains control or invisible characters (bidi overrides, zero-width or tag characters)' };
  }

  const files: string[] = [];
  const add = (path: string | null): string | null => {
    if (path === null) return null;
    const reason = forbiddenPathReason(path);
    if (reason) return reason;
    if (!files.includes(path)) files.push(path);
    return null;
  };
  let hunks = 0;
  let changed = 0;
  const added: string[] = [];
  // Lines still expected in the current hunk. Inside a hunk a removed line "-- x" reads "--- x", so headers are
  // only recognised between hunks, exactly as `git apply` does.
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith(' ') || line === '') {
        oldLeft -= 1;
        newLeft -= 1;
      } else if (line.startsWith('-')) {
        oldLeft -= 1;
        changed += 1;
      } else if (line.startsWith('+')) {
        newLeft -= 1;
        changed += 1;
        added.push(line.slice(1));
      }
      else if (!line.startsWith('\\')) return { ok: false, reason: `malformed hunk line: ${line.slice(0, 80)}` };
      if (oldLeft < 0 || newLeft < 0) return { ok: false, reason: 'a hunk has more lines than its header says' };
      continue;
    }
    let reason: string | null = null;
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    const unreadable = unreadableHeader(line, hunk !== null);
    if (unreadable) return { ok: false, reason: unreadable };
    if (hunk) {
      hunks += 1;
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
    } else if (line.startsWith('GIT binary patch') || /^Binary files .* differ$/.test(line)) {
      return { ok: false, reason: 'binary patches are not accepted' };
    } else if (/^(new file mode|old mode|new mode|deleted file mode) (120000|160000)\b/.test(line) || /^index \S+ (120000|160000)\b/.test(line)) {
      return { ok: false, reason: 'the patch creates or changes a symlink or submodule' };
    } else if (/^(new file mode|new mode) 100755\b/.test(line) || /^index \S+ 100755\b/.test(line)) {
      return { ok: false, reason: 'the patch makes a file executable' };
    } else if (line.startsWith('diff --git ')) {
      const match = /^diff --git ("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(line);
      if (!match) return { ok: false, reason: `unreadable diff header: ${line.slice(0, 120)}` };
      reason = add(stripPrefix(unquote(match[1]!), 'a/')) ?? add(stripPrefix(unquote(match[2]!), 'b/'));
    } else if (line.startsWith('--- ') || line.startsWith('+++ ')) {
      const path = headerPath(line.slice(4));
      reason = add(path === null ? null : stripPrefix(path, line.startsWith('-') ? 'a/' : 'b/'));
    } else if (/^(rename|copy) (from|to) /.test(line)) {
      reason = add(unquote(line.replace(/^(rename|copy) (from|to) /, '')));
    }
    if (reason) return { ok: false, reason: `the patch touches ${reason}` };
  }
  if (oldLeft > 0 || newLeft > 0) return { ok: false, reason: 'the last hunk is cut off (fewer lines than its header says)' };
  if (files.length === 0) return { ok: false, reason: 'no file headers (---/+++ or diff --git) were found' };
  if (hunks === 0 && !/^(rename|copy) from /m.test(diff)) return { ok: false, reason: 'no hunks (@@ … @@) were found' };
  const disagreement = applierDisagreement(diff, files, changed);
  if (disagreement) return { ok: false, reason: disagreement };
  // Checked last so a structural problem (binary, symlink, protected directory) is reported as such.
  for (const file of files) {
    const notAllowed = notAllowListedReason(file);
    if (notAllowed) return { ok: false, reason: `the patch touches a file outside the fix-PR allow-list: ${notAllowed}` };
  }
  const requirements = pipRequirementsShown(diff);
  if (requirements !== null) return { ok: false, reason: `the patch touches a file outside the fix-PR allow-list: ${requirements} (${PIP_REQUIREMENTS_WHY})` };
  const moved = movedFile(diff);
  if (moved) return { ok: false, reason: `the patch moves or copies a file (${moved}): a fix for a failing run needs neither, and what is moved is never shown` };
  const shown = shownByFile(diff);
  const dangerous = [...new Set([...dangerousCodeSignals(added.join('\n')), ...shown.flatMap(shownFileSignals)])];
  if (dangerous.length > 0) {
    return { ok: false, reason: `the patch adds code that runs something nobody can review (${dangerous.join(', ')})` };
  }
  // Read again, file by file, where a file's process calls are spelled out differently (attack-48 B).
  // And in each file's own language, a dependency it declares or installs itself (attack-48 F).
  const dependency =
    addedDependency(added) ??
    shown.reduce<string | null>((found, file) => found ?? (readingsOf(file).length > 1 ? addedDependency(file.added, file.read) : null), null) ??
    shown.reduce<string | null>((found, file) => found ?? sourceDependency(file.path, file.added), null);
  if (dependency !== null) {
    return { ok: false, reason: `the patch adds a dependency no manifest declares: ${JSON.stringify(dependency.trim().slice(0, 120))}` };
  }
  const unread = callTooLongToRead(added);
  if (unread !== null) {
    return { ok: false, reason: `the patch adds a process call whose arguments are too long to read: ${JSON.stringify(unread.trim().slice(0, 120))}` };
  }
  const outside = outsideRepository(shown);
  if (outside !== null) {
    return { ok: false, reason: `the patch loads code from outside the repository (outside-repository): ${JSON.stringify(outside.trim().slice(0, 120))}` };
  }
  const setting = managerSetting(shown);
  if (setting !== null) {
    return { ok: false, reason: `the patch configures a package manager or toolchain (where it fetches from, what it installs, downloads or runs): ${JSON.stringify(setting.trim().slice(0, 120))}` };
  }
  // After the code's reading, whose reasons say more, and whose cost on long lines the attack tests measure.
  const unseen = unseenLineReason(added);
  if (unseen) return { ok: false, reason: unseen };
  if (changed > PATCH_LIMITS.maxChangedLines) {
    return { ok: false, reason: `the patch changes ${changed} lines, over the limit of ${PATCH_LIMITS.maxChangedLines}: fix PRs are small` };
  }
  if (files.length > PATCH_LIMITS.maxFiles) {
    return { ok: false, reason: `the patch touches ${files.length} files, over the limit of ${PATCH_LIMITS.maxFiles}` };
  }
  return { ok: true, patch: { diff, files } };
}
