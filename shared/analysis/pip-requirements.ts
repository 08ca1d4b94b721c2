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
  if (lines.some(isPipOnlyLine)) return true;
  let versioned = false;
  for (const line of lines) {
    if (NEUTRAL.test(line)) continue;
    if (VERSIONED_REQUIREMENT.test(line)) versioned = true;
    else if (!BARE_REQUIREMENT.test(line)) return false;
  }
  return versioned;
}

/** The files a requirements file names with `-r`/`-c` (`--requirement`, `--constraint`), as paths from the repository root. */
export function referencedRequirementFiles(requirementsPath: string, content: string): string[] {
  const directory = requirementsPath.includes('/') ? requirementsPath.slice(0, requirementsPath.lastIndexOf('/')) : '';
  const paths: string[] = [];
  for (const match of content.matchAll(/^\s*(?:-[rc]|--(?:requirement|constraint))(?:\s*=\s*|\s*)(\S+)/gim)) {
    const path = joinRelative(directory, match[1]!);
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
