/**
 * pip reads a requirements file of any name (`pip install -r deps.txt`, `-r base.txt` inside another one), and from it
 * where to fetch packages: `--index-url`, `-e git+https://…`, `name @ https://…`. The fix-PR allow-list refuses the
 * usual names (`requirements*.txt`, `constraints*.txt`, `requirements/`); a file by another name is known by what it
 * holds, or by a requirements file that names it.
 */

/** An option of a requirements file. */
const PIP_OPTION_LINE = new RegExp(
  [
    // An option with its value, spelled as pip spells it (its options are case-sensitive): `-r base.txt`, `--index-url
    // https://…`, `-e git+https://…`, `-e .`. Not a tool's help text (`-f, --force   overwrite`, `-c --coerce`), where
    // a comma, another option or a description follows the option.
    String.raw`^\s*(?:-[rcief]|--(?:requirement|constraint|editable|index-url|extra-index-url|find-links|trusted-host|only-binary|no-binary|use-feature|hash|config-settings|global-option))(?:\s*=\s*|\s+)[\w.~/:+@][^\s]*\s*(?:\s#.*)?$`,
    String.raw`^\s*--(?:no-index|pre|prefer-binary|require-hashes)\s*(?:\s#.*)?$`,
  ].join('|'),
);
/** A direct reference, a VCS or archive URL. */
const PIP_REFERENCE_LINE = new RegExp(
  [
    // `name @ https://…`, `name[extra] @ git+ssh://…`.
    String.raw`^\s*[a-z0-9][\w.-]*\s*(?:\[[\w\s,.-]*\]\s*)?@\s*(?:(?:git|hg|svn|bzr)\+)?(?:https?|ssh|git|file|ftp):\/\/\S+\s*(?:;[^#]*)?(?:\s#.*)?$`,
    // A VCS URL or a package archive on a line of its own, from its first column (a document indents the links it lists).
    String.raw`^(?:git|hg|svn|bzr)\+(?:https?|ssh|git|file):\/\/\S+\s*$`,
    String.raw`^(?:https?|file|ftp):\/\/\S+\.(?:whl|tar\.gz|tgz|tar\.bz2|zip)(?:#\S*)?\s*$`,
  ].join('|'),
  'i',
);

/** A line only pip reads. */
const isPipOnlyLine = (line: string): boolean => PIP_OPTION_LINE.test(line) || PIP_REFERENCE_LINE.test(line);

const VERSION_CLAUSE = String.raw`(?:===|==|~=|!=|>=|<=|>|<)\s*\d[\w.*+!-]*`;
/** A requirement with a version: `requests==2.31.0`, `django[bcrypt]>=4.2,<5 ; python_version >= "3.10"`. */
const VERSIONED_REQUIREMENT = new RegExp(
  String.raw`^\s*[a-z0-9](?:[\w.-]*[a-z0-9])?\s*(?:\[[\w\s,.-]*\]\s*)?${VERSION_CLAUSE}(?:\s*,\s*${VERSION_CLAUSE})*\s*(?:;[^#]*)?(?:\s#.*)?$`,
  'i',
);
/** A requirement by name alone (`requests`, `uvicorn[standard]`): a word list looks the same, so it proves nothing alone. */
const BARE_REQUIREMENT = /^\s*[a-z0-9](?:[\w.-]*[a-z0-9])?\s*(?:\[[\w\s,.-]*\]\s*)?(?:;[^#]*)?(?:\s#.*)?$/i;
/** Blank, a comment, or a local path pip installs (`.`, `./libs/core`): allowed among requirements, proving nothing. */
const NEUTRAL = /^\s*(?:#.*|\.{1,2}(?:\/\S*)?\s*(?:\s#.*)?)?$/;

/**
 * Whether `lines` (a file's, or those a diff shows of it) read as a pip requirements file: a line only pip reads, or
 * every line a requirement, a comment or blank with at least one requirement that names a version. Prose, a spelling
 * word list (names alone) or a test's expected output (`count == 3` among other lines) is not.
 */
export function looksLikePipRequirements(lines: readonly string[]): boolean {
  return lines.some(isPipOnlyLine) || readAsRequirements(lines, VERSIONED_REQUIREMENT);
}

/** Whether every line is a requirement, a comment or blank (or, with `options`, pip's own), and one matches `proof`. */
function readAsRequirements(lines: readonly string[], proof: RegExp, options = false): boolean {
  let proven = false;
  for (const line of lines) {
    if (NEUTRAL.test(line)) continue;
    const pip = options && isPipOnlyLine(line);
    if (!(pip || BARE_REQUIREMENT.test(line) || VERSIONED_REQUIREMENT.test(line))) return false;
    proven ||= pip || proof.test(line);
  }
  return proven;
}

/** The files a requirements file names with `-r`/`-c` (`--requirement`, `--constraint`), as paths from the repository root. */
export function referencedRequirementFiles(requirementsPath: string, content: string): string[] {
  const written = [...content.matchAll(/^\s*(?:-[rc]|--(?:requirement|constraint))(?:\s*=\s*|\s*)(\S+)/gim)].map((match) => match[1]!);
  return resolvedFrom(requirementsPath, written);
}

/** Paths written in the file at `referrer`, relative to its directory, as paths from the repository root: each once, none outside. */
function resolvedFrom(referrer: string, written: readonly string[]): string[] {
  const directory = referrer.includes('/') ? referrer.slice(0, referrer.lastIndexOf('/')) : '';
  const paths: string[] = [];
  for (const relative of written) {
    const path = joinRelative(directory, relative);
    if (path !== null && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** `relative` (as pip reads it, from the referencing file's directory) joined onto `directory`; null when it leaves the repository or is a URL. */
function joinRelative(directory: string, relative: string): string | null {
  if (/^[a-z][\w+.-]*:/i.test(relative) || relative.startsWith('/')) return null;
  const segments = directory === '' ? [] : directory.split('/');
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return null;
      segments.pop();
    } else segments.push(segment);
  }
  return segments.length === 0 ? null : segments.join('/');
}

/**
 * Whether every line of `lines` is one pip accepts in a requirements file (a requirement, an option, a comment, blank)
 * and one is a requirement: the only files whose naming elsewhere is worth reading for. pip refuses a file with any
 * other line before it installs anything, so prose or code never needs it.
 */
export function couldBePipRequirements(lines: readonly string[]): boolean {
  return readAsRequirements(lines, /\S/, true);
}

/** Characters of one configuration file read for the files it names: tox.ini, setup.cfg, pyproject.toml, a workflow. */
const MAX_CONFIG_CHARS = 200_000;

/** A command that has pip install from a file: pip and its wrappers (`pip3`, `pip-sync`, `pipenv`, `uv pip`), tox's `deps =`. */
const PIP_COMMAND = /\b(?:pip[\w.-]*|uv)\b|\bdeps\s*=/i;

/**
 * Paths `-r`/`-c` (`--requirement`, `--constraint`) name in a pip command or a tox `deps` list, as written: `pip
 * install -r ci/deps.txt`, `uv pip install --requirement=deps.txt`, `deps = -r{toxinidir}/deps.txt`, `-rdeps.txt`,
 * and the first file `pip-sync`/`uv pip sync` installs exactly. Not anchored at a line's start: a workflow's `run:`
 * and tox's `commands` hold them mid-line. The same option of another command (`cp -r words.txt site/`, `bash -c`)
 * names no requirements file: only a pip command's, or one that starts a line (a line of tox's `deps`), counts.
 */
function pathsAfterRequirementOptions(content: string): string[] {
  const found: string[] = [];
  // A shell line continued with `\` (`pip install -r \` then the path) is one command; `&&`, `||` and `;` end one.
  const commands = content.slice(0, MAX_CONFIG_CHARS).replace(/\\\r?\n/g, ' ').split(/\n|&&|\|\||;/);
  const pattern = /(?:(?:^|[\s'"=(\[,])(?:-[rc]|--(?:requirement|constraint))(?:\s*=\s*|\s*)|\b(?:pip-sync|uv\s+pip\s+sync)\s+)['"]?([^\s'"`;&|)\],]+)/g;
  for (const command of commands) {
    const pip = PIP_COMMAND.test(command);
    for (const match of command.matchAll(pattern)) {
      if (!pip && command.slice(0, match.index).trim() !== '') continue;
      const written = match[1]!.replace(/^(?:\{toxinidir\}|\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?)\/?/, '');
      if (written !== '' && !written.startsWith('-') && !found.includes(written)) found.push(written);
    }
  }
  return found;
}

/**
 * Files setuptools reads dependencies from, as written in pyproject.toml (`[tool.setuptools.dynamic]` `dependencies =
 * {file = ["deps.txt"]}`, `optional-dependencies.dev = {file = …}`, hatch-requirements-txt's `files = […]`) or
 * setup.cfg (`install_requires = file: deps.txt`, an extra's `file:` list).
 */
function dependencyFilesDeclared(configPath: string, content: string): string[] {
  const text = content.slice(0, MAX_CONFIG_CHARS);
  const found: string[] = [];
  if (/(?:^|\/)pyproject\.toml$/i.test(configPath)) {
    // A key `file`/`files` and its value up to the closing bracket or the line's end, in a section about dependencies
    // (`[tool.setuptools.dynamic]`, `[tool.hatch.metadata.hooks.requirements_txt]`) or an inline `dependencies = {file …`.
    for (const section of text.split(/^(?=\s*\[)/m)) {
      const header = /^\s*\[\[?([^\]\n]*)\]/.exec(section)?.[1] ?? '';
      if (!/dynamic|requirements|dependencies/i.test(header) && !/\bdependencies\b[^=\n]*=\s*\{[^}\n]*\bfile\b/i.test(section)) continue;
      for (const value of section.matchAll(/\bfiles?\s*=\s*(\[[^\]]{0,2000}\]|"[^"\n]*"|'[^'\n]*')/g)) {
        for (const quoted of value[1]!.matchAll(/["']([^"'\n]+)["']/g)) found.push(quoted[1]!);
      }
    }
  } else if (/(?:^|\/)setup\.cfg$/i.test(configPath)) {
    for (const line of text.matchAll(/^\s*([\w.-]+)\s*=\s*file:\s*(.+)$/gim)) {
      // `long_description = file: README.rst` and `version = file: VERSION` are read as text, not as requirements.
      if (/^(?:long_description|version|license_files?)$/i.test(line[1]!)) continue;
      found.push(...line[2]!.split(',').map((path) => path.trim()).filter((path) => path !== ''));
    }
  }
  return found;
}

/**
 * The files a tool configuration tells pip or setuptools to read as requirements, as paths from the repository root:
 * `-r`/`-c` in tox.ini's `deps`/`commands` (also setup.cfg's `[tox:tox]` and pyproject's `legacy_tox_ini`), and
 * setuptools' dynamic dependency files; each relative to the configuration's directory.
 */
export function requirementFilesConfigured(configPath: string, content: string): string[] {
  return resolvedFrom(configPath, [...pathsAfterRequirementOptions(content), ...dependencyFilesDeclared(configPath, content)]);
}

/**
 * Whether a workflow file names `path` with `-r`/`-c` (`pip install -r ci/deps.txt`): written from the repository root,
 * or from a `working-directory` the step sets, so also when `path` ends with what is written.
 */
export function workflowNamesRequirementFile(workflowContent: string, path: string): boolean {
  return pathsAfterRequirementOptions(workflowContent).some((written) => {
    const named = joinRelative('', written);
    return named !== null && (path === named || path.endsWith(`/${named}`));
  });
}
