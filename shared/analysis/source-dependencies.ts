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
  // it names), and Pyodide's installer.
  { extension: /\.pyw?$/i, form: /^\s*#\s*\/\/\/\s*script\s*$|\bmicropip\s*\.\s*install\s*\(/ },
  // scala-cli's directives (in its Scala and Java files): a dependency, a repository, a jar, a compiler plugin, a JVM.
  {
    extension: /\.(?:scala|sc|java)$/i,
    form: /^\s*\/\/>\s*using\s+(?:(?:test|compileOnly)\.)?(?:deps?|dependency|dependencies|libs?|repository|repositories|repos?|jars?|plugins?|jvm|java-?home)\b/i,
  },
  // Groovy's Grape: `@Grab`, `@Grapes`, `@GrabResolver` (where from), `Grape.grab(…)`.
  { extension: /\.(?:groovy|gvy|gy|gsh)$/i, form: /@(?:groovy\.lang\.)?(?:Grab|Grapes|GrabResolver)\s*\(|\bGrape\s*\.\s*grab\s*\(/ },
  // Ruby: bundler's inline Gemfile (it installs what the block lists, from the source it names) and RubyGems' installer.
  { extension: /\.(?:rb|rake|ru)$/i, form: /\brequire\s*\(?\s*["']bundler\/inline["']|\bgemfile\s*(?:\(|\{|do\b)|\bGem\s*(?:\.|::)\s*install\b|\bGem::(?:Dependency)?Installer\b/ },
  // Julia's package manager, as a call or its `pkg"…"` string: a package added or developed.
  { extension: /\.jl$/i, form: /\bPkg\s*\.\s*(?:add|develop|dev)\s*\(|\bpkg"\s*(?:add|dev(?:elop)?|registry\s+add)\b/ },
  // R's installers: base R's, pak, remotes, devtools, BiocManager, pacman's and librarian's install-if-missing.
  {
    extension: /\.(?:r|rmd|qmd)$/i,
    form: /\binstall\.packages\s*\(|\b(?:pak|remotes|devtools|BiocManager|pacman|librarian|renv)\s*:::?\s*(?:pak|pkg_install|install(?!ed)\w*|p_load|p_install|shelf)\s*\(/,
  },
];

/** The first of `added` (lines a patch adds to `path`) that declares or installs a dependency in source, or null. */
export function sourceDependency(path: string, added: readonly string[]): string | null {
  const forms = SOURCE_DEPENDENCY_FORMS.filter(({ extension }) => extension.test(path));
  if (forms.length === 0) return null;
  return added.find((line) => forms.some(({ form }) => form.test(line))) ?? null;
}
