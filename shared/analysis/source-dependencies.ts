/**
 * Dependencies a source file declares or installs itself (attack-48 F): no manifest lists them, and the tool that
 * runs the file fetches them first (`uv run x.py` reads its inline metadata, scala-cli its `//> using` directives,
 * Groovy its `@Grab`, Ruby's `bundler/inline` its `gemfile` block), or the code installs them as it runs (Julia's
 * `Pkg.add`, R's `install.packages` and its installers, Pyodide's `micropip.install`, RubyGems' `Gem.install`). The
 * patch check refuses them as it refuses an install a process call runs (`patch.ts`, addedDependency). Each form is
 * read in its own language's files only, where the form means what it says.
 */

/** One language's forms, by the file's extension. */
interface SourceDependencyForms {
  readonly extension: RegExp;
  readonly form: RegExp;
}

const SOURCE_DEPENDENCY_FORMS: readonly SourceDependencyForms[] = [
  // Python's inline script metadata (PEP 723: `uv run`, `pipx run`, `hatch run` install what it lists, from the index
  // it names), pip-run's `__requires__`, and Pyodide's installer, named at all (attack-52: `from micropip import
  // install`, `import micropip as mp`: it has no other use).
  { extension: /\.pyw?$/i, form: /^\s*#\s*\/\/\/\s*script\s*$|^\s*__requires__\s*=|\bmicropip\b/ },
  // A nix-shell shebang, in any file but documentation: nix fetches the packages it names before the script runs.
  { extension: /^(?!.*\.(?:md|mdx|rst|txt|adoc)$)/i, form: /^\s*#!.*\bnix-shell\b/ },
  // Pyodide's package loader, given a package or a wheel's URL, in a page's script.
  { extension: /\.(?:[cm]?[jt]sx?|html?)$/i, form: /\bloadPackage(?:sFromImports)?\s*\(/ },
  // Deno's npm: and jsr: specifiers as literals, named apart from the import that fetches them (attack-52).
  { extension: /\.[cm]?tsx?$/i, form: /["'\x60](?:npm|jsr):@?[\w.-]+(?:\/[\w.-]+)?(?:@[^\s"'\x60]*)?["'\x60]/ },
  // scala-cli's directives (in its Scala and Java files): a dependency, a repository, a jar, a compiler plugin, a JVM.
  {
    extension: /\.(?:scala|sc|java)$/i,
    form: /^\s*\/\/>\s*using\s+(?:(?:test|compileOnly)\.)?(?:deps?|dependency|dependencies|libs?|repository|repositories|repos?|jars?|plugins?|jvm|java-?home)\b/i,
  },
  // JBang's directives (attack-52): a dependency, a repository, an agent.
  { extension: /\.(?:java|jsh|kt|groovy)$/i, form: /^\s*\/\/(?:DEPS|REPOS|JAVAAGENT)\s/ },
  // .NET 10's file-based apps (attack-52): `#:package`, `#:sdk`, `#:project` are restored before the file runs.
  { extension: /\.csx?$/i, form: /^\s*#:\s*(?:package|sdk|project)\b/ },
  // cargo's script frontmatter and rust-script's manifest in a doc comment (attack-52).
  { extension: /\.rs$/i, form: /^---+\s*(?:cargo\b.*)?$|^\s*\/\/!\s*\x60{3,}\s*cargo\b|^\s*\/\/\s*cargo-deps\s*:/ },
  // stack's and cabal's script headers (attack-52): they install the resolver and packages they name.
  { extension: /\.l?hs$/i, form: /\{-#?\s*(?:stack\b|cabal\s*:)/ },
  // Groovy's Grape: `@Grab`, `@Grapes`, `@GrabResolver` (where from), `Grape.grab(…)`, `Grape.&grab`, `Grape."grab"`.
  { extension: /\.(?:groovy|gvy|gy|gsh)$/i, form: /@(?:groovy\.lang\.)?(?:Grab|Grapes|GrabResolver)\s*\(|\bGrape\s*\.\s*&?\s*["']?grab\b/ },
  // Ruby: bundler's inline Gemfile (it installs what the block lists, from the source it names) and RubyGems' installer,
  // called, sent or run as a command (attack-52).
  {
    extension: /\.(?:rb|rake|ru)$/i,
    form: /\brequire\s*\(?\s*["']bundler\/inline["']|^\s*gemfile(?:\s*[({]|\s+(?:true|false|do)\b)|\bGem\s*(?:\.|::)\s*(?:install\b|(?:public_|__)?send\s*\(\s*:install\b)|\bGem::(?:Dependency)?Installer\b|\bGem::Commands::(?:Install|Update|Fetch)Command\b/,
  },
  // Julia's package manager, as a call, a function named or imported (`(Pkg.add)(…)`, `using Pkg: add`), its REPL's
  // command or its `pkg"…"` string: a package or a registry added or developed. Pkg under another name is read as Pkg.
  {
    extension: /\.jl$/i,
    form: /\bPkg\s*\.\s*(?:Registry\s*\.\s*)?(?:add|dev)|\b(?:using|import)\s+Pkg\s*(?::[^\n]*\b(?:add|dev)|as\b)|\bpkg(?:str\s*\(\s*)?"\s*(?:add|dev|registry)/,
  },
  // R's installers: base R's (named at all: given to `do.call`, `lapply`, an alias), pak, remotes, devtools,
  // BiocManager, pacman's and librarian's install-if-missing, and their functions attached by `library` (attack-52).
  {
    extension: /\.(?:r|rmd|qmd)$/i,
    form: /\binstall\.packages\b|(?:\b(?:pak|remotes|devtools|BiocManager|pacman|librarian|renv)\s*:::?\s*(?:pak|install(?!ed)\w*|shelf)|(?<![\w.])(?:pkg_install|install_\w+|p_(?:load|install)\w*))\s*\(/,
  },
  // Perl's CPAN shell told to fetch or install and PHP's Composer driven from code (attack-52); not CPAN's own
  // lookups (`CPAN::Shell->expandany`, in CPAN's modules).
  { extension: /\.(?:pl|pm)$/i, form: /\bCPAN::(?:Shell\s*->\s*(?:install|force|notest|get|make|upgrade)|install)\b/ },
  { extension: /\.php$/i, form: /\bComposer\\+(?:Console\\+Application|Installer)\b/ },
];

/**
 * The first of `added` (lines a patch adds to `path`) that declares or installs a dependency in source, or null. A
 * line continued by the next one opening with `.` or `(` (`Gem⏎  .install(…)`, `install.packages⏎('x')`: attack-52)
 * is read with it.
 */
export function sourceDependency(path: string, added: readonly string[]): string | null {
  const forms = SOURCE_DEPENDENCY_FORMS.filter(({ extension }) => extension.test(path));
  if (forms.length === 0) return null;
  return added.find((line, at) => forms.some(({ form }) => form.test(line) || (/^\s*[.(]/.test(added[at + 1] ?? '') && form.test(line + added[at + 1]!.trim())))) ?? null;
}
