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

/** Characters of one file read for the requirements files it names: a configuration, a Makefile, a script, a workflow. */
const MAX_CONFIG_CHARS = 200_000;

/**
 * A command that has pip install (or build, which runs a package's setup) from a file: `pip install`, `pip3 --quiet
 * wheel`, `$(PIP) install`, `pipenv install`, `pip-sync`, `pip-compile`, `uv pip`, `uv add`, tox's `deps =`, nox's
 * `session.install(`. Not a wrapper that runs a tool (`uv run codespell -I words.txt`).
 */
const PIP_COMMAND = /\bpip(?:\d[\d.]*|env)?[)}]?\s+(?:-\S+\s+)*(?:install|download|wheel)\b|\bpip-(?:sync|compile)\b|\buv\s+(?:pip|add)\b|\bdeps\s*=|\.install\s*\(/i;

/** A `-r`/`-c` option (`--requirement`, `--constraint`) anywhere in a command, and the path it names (group 1). */
const REQUIREMENT_OPTION = /(?:^|[\s'"=(\[,])(?:-[rc]|--(?:requirement|constraint))(?:\s*=\s*|\s*)['"]?([^\s'"`;&|)\],]+)/g;
/**
 * A command whose `-r`/`-c` is its own (copy recursively, check spelling, grep recursively…), after a YAML list's `-`,
 * `run:`, a recipe's `@`/`-`, `sudo` and variable assignments: the one kind of command whose option names no list pip reads.
 * Each run of blanks is read by one quantifier (`run:\s*(?:\|\s*)?`, not `run:\s*\|?\s*`): three adjacent ones split a
 * line of `run:` and spaces every way before failing, cubic (1K spaces took 1.8 s).
 */
export const NOT_PIP =
  /^\s*(?:-\s+)?(?:run:\s*(?:\|\s*)?)?(?:[@-]\s*)?(?:sudo\s+(?:-\S+\s+)*)?(?:\w+=\S*\s+)*(?:\S*\/)?(?:cp|mv|rsync|scp|aspell|hunspell|codespell|grep|egrep|fgrep|rg|ls|rm|tar|zip|unzip|chmod|chown|chgrp|find|ln|mkdir|diff|sort|du|cat|echo|printf|bash|sh|zsh)\s/;

/**
 * Paths a pip command or a tox `deps` list may install from, as written. Every word of a pip command counts, however
 * the file reaches pip: `pip install -r ci/deps.txt`, `--requirement=deps.txt`, `-rdeps.txt`, `pip-sync deps.txt`,
 * `pip install $(cat deps.txt)`, `xargs pip install < deps.txt`, `cat deps.txt | xargs pip install`,
 * `session.install("-r", "deps.txt")`; and the input of a `while read` loop (`done < deps.txt`) in a file that runs
 * pip. Another command's options (`cp -r words.txt site/`, `aspell -c`) name no requirements file, unless the option
 * starts a line (a line of tox's `deps`). A tool's root (`{toxinidir}/`, `${{ github.workspace }}/`, `$DIR/`) is dropped,
 * unless `keepRoot` (a path in an image, which {@link pipReadsInImage} maps back to the repository).
 */
function pathsPipReads(content: string, { keepRoot = false } = {}): string[] {
  const found = new Set<string>();
  // A shell line continued with `\` (`pip install -r \` then the path) is one command; `&&`, `||` and `;` end one.
  const text = content.slice(0, MAX_CONFIG_CHARS).replace(/\\\r?\n/g, ' ').replace(/\{toxinidir\}|\$\{\{\s*github\.\w+\s*\}\}/g, '');
  const runsPip = PIP_COMMAND.test(text);
  for (const command of text.split(/\n|&&|\|\||;/)) {
    const words = PIP_COMMAND.test(command)
      ? command.split(/[\s'"`()<>|=,]+/)
      : [
          // `-r` held for pip in a variable (`PIP_ARGS: -r ci/deps.txt`, `REQS := -r deps.txt`) is read wherever it
          // is written; only a command known not to be pip's (`cp -r`, `aspell -c`) names no requirements file.
          ...(NOT_PIP.test(command) ? [] : [...command.matchAll(REQUIREMENT_OPTION)].map((option) => option[1])),
          /^\s*(?:-[rc]|--(?:requirement|constraint))(?:\s*=\s*|\s*)['"]?([^\s'"]+)/.exec(command)?.[1],
          runsPip ? /^\s*done\s*<\s*['"]?([^\s'"]+)/.exec(command)?.[1] : undefined,
        ];
    for (const word of words) {
      const option = word?.replace(/^-[rc](?=[\w./$])/, '');
      // In an image (a Dockerfile's RUN) the root is the image's, read by the caller.
      const written = keepRoot ? option : option?.replace(/^(?:\$\{?\w+\}?)?\/+/, '');
      if (written && !written.startsWith('-')) found.add(written);
    }
  }
  return [...found];
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
  } else if (/(?:^|\/)\.readthedocs\.ya?ml$/i.test(configPath)) {
    // `python: install: - requirements: docs/requirements.txt`, read from the repository's root.
    for (const line of text.matchAll(/^[\s-]*requirements:\s*['"]?([^\s'"#]+)/gm)) found.push(line[1]!);
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
 * Whether the file at `sourcePath` (a tool configuration, a Makefile, a script, a composite action, a workflow) tells pip
 * or setuptools to install from `path`: `-r`/`-c` and the other forms {@link pathsPipReads} reads, tox's `deps`, and
 * setuptools' dynamic dependency files. A path is read from the file's own folder (tox, nox, make, an action's
 * `github.action_path`), from the repository's root (a workflow, a script run from there), or from a folder a step
 * sets as its `working-directory`, so also when `path` ends with what is written.
 */
export function namesRequirementFile(sourcePath: string, content: string, path: string): boolean {
  const folder = sourcePath.includes('/') ? sourcePath.slice(0, sourcePath.lastIndexOf('/')) : '';
  return [...pathsPipReads(content), ...dependencyFilesDeclared(sourcePath, content)].some((written) => {
    const named = joinRelative('', written);
    return joinRelative(folder, written) === path || (named !== null && (path === named || path.endsWith(`/${named}`)));
  });
}

/** A Dockerfile by its name, as the fix-PR check's list of files that can tell pip to install finds it. */
export const DOCKERFILE = /(?:^|\/)(?:(?:[^/]*\.)?dockerfile|containerfile)(?:\.(?!(?:md|mdx|rst|adoc|txt)$)[^/]*)?$/i;

/** Where a COPY, an ADD or a RUN's `--mount` puts files in the image: the repository paths, or null when they are not the repository's. */
export interface ImageCopy {
  destination: string;
  /** Null for `COPY --from` (another stage or image) and `ADD <url>`: what lands there is not a repository file. */
  sources: string[] | null;
}

/** `path` made absolute in the image from `workdir`, `.` and `..` resolved. */
function inImage(workdir: string, path: string): string {
  const segments: string[] = [];
  for (const segment of `${path.startsWith('/') ? '' : workdir}/${path}`.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/**
 * A Dockerfile's RUN commands with the WORKDIR each runs in, and where its COPY and ADD instructions and its RUNs'
 * bind mounts of the build context put files (every stage's: reading more of them only refuses more).
 */
function readDockerfile(content: string): { runs: Array<{ workdir: string; command: string }>; copies: ImageCopy[] } {
  const runs: Array<{ workdir: string; command: string }> = [];
  const copies: ImageCopy[] = [];
  let workdir = '/';
  for (const line of content.slice(0, MAX_CONFIG_CHARS).replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const [, keyword = '', flags = '', rest = ''] = /^\s*(FROM|WORKDIR|COPY|ADD|RUN)\s+((?:--\S+\s+)*)(.*)$/i.exec(line) ?? [];
    const sourceOf = (source: string) => inImage('/', source).slice(1);
    if (/^FROM$/i.test(keyword)) workdir = '/';
    else if (/^WORKDIR$/i.test(keyword)) workdir = inImage(workdir, rest.trim().replace(/^["']|["']$/g, ''));
    else if (/^RUN$/i.test(keyword)) {
      runs.push({ workdir, command: rest });
      for (const [, mount] of flags.matchAll(/--mount=(\S+)/g)) {
        const option = (key: string) => new RegExp(String.raw`(?:^|,)(?:${key})=([^,]*)`).exec(mount!)?.[1];
        const target = option('target|dst|destination');
        if (/^(?:bind)?$/.test(option('type') ?? '') && target) copies.push({ destination: inImage(workdir, target), sources: option('from') ? null : [sourceOf(option('source|src') ?? '.')] });
      }
    } else if (keyword) {
      // Shell form or exec form (`COPY ["a b", "/app/"]`) alike.
      const words = rest.replace(/[[\]",]/g, ' ').trim().split(/\s+/);
      const sources = words.slice(0, -1);
      copies.push({ destination: inImage(workdir, words.pop()!), sources: /--from\b/.test(flags) || sources.some((source) => /^\w+:\/\//.test(source)) ? null : sources.map(sourceOf) });
    }
  }
  return { runs, copies };
}

/**
 * The repository files a COPY or ADD put at `imagePath` (the latest that covers it): `COPY pkg/deps.txt /tmp/r.txt` puts
 * pkg/deps.txt at /tmp/r.txt, `COPY . /app` puts it at /app/pkg/deps.txt. `unread` when what is there came from another
 * stage, an image or a URL; null when no COPY or ADD covers it (a file of the base image).
 */
function imageSources(copies: readonly ImageCopy[], imagePath: string): string[] | 'unread' | null {
  for (const { destination, sources } of [...copies].reverse()) {
    const relative = imagePath === destination ? '' : imagePath.startsWith(`${destination}/`.replace('//', '/')) ? imagePath.slice(destination.length).replace(/^\//, '') : null;
    if (relative === null) continue;
    if (sources === null) return 'unread';
    // The file copied there, a folder's file under it, or a file copied into it by its own name.
    return relative === '' ? sources : sources.flatMap((source) => [`${source.replace(/\/?[^/]*[*?[][^/]*$/, '')}/${relative}`.replace(/^\//, ''), ...(source.split('/').pop() === relative ? [source] : [])]);
  }
  return null;
}

/** A repository file a Dockerfile's RUN runs, where it runs it, and what the image holds then. */
export interface DockerScript {
  path: string;
  workdir: string;
  copies: readonly ImageCopy[];
}

/**
 * What a Dockerfile has pip read, as repository files: each path a RUN's pip command names, made absolute in the image
 * from the RUN's WORKDIR and mapped back through the COPY and ADD that put it there (`COPY pkg/deps.txt /tmp/r.txt` …
 * `RUN pip install -r /tmp/r.txt` reads pkg/deps.txt). `unread` lists the paths pip reads that the check cannot map
 * back (see {@link pipReadsInImage}). `scripts` are the repository files a RUN runs from where COPY put them (`RUN
 * /usr/local/bin/setup-deps`, `RUN setup-deps` on the PATH): the caller reads them with {@link pipReadsInImage} too.
 */
export function dockerfilePipReads(content: string): { paths: string[]; unread: string[]; scripts: DockerScript[] } {
  const { runs, copies } = readDockerfile(content);
  const paths: string[] = [];
  const unread: string[] = [];
  const scripts: DockerScript[] = [];
  for (const { workdir, command } of runs) {
    const read = pipReadsInImage(copies, workdir, command);
    paths.push(...read.paths);
    unread.push(...read.unread);
    // The program of each command (`/opt/setup`, `./setup`, `setup-deps`, `sh /opt/setup.sh`, `python3 tools/deps.py`).
    for (const part of command.split(/&&|\|\||;|\|/)) {
      const program = /^\s*(?:(?:sudo|exec|env|\w+=\S*)\s+)*(?:\S*(?:sh|python[\d.]*|perl|ruby|node|source|\.)\s+(?:-\S+\s+)*)?['"]?([\w./-]+)/.exec(part)?.[1];
      for (const location of program ? [inImage(workdir, program), ...(program.includes('/') ? [] : ['/usr/local/bin', '/usr/bin', '/bin'].map((folder) => `${folder}/${program}`))] : []) {
        const sources = imageSources(copies, location);
        if (sources === 'unread') unread.push(location);
        else for (const path of sources ?? []) scripts.push({ path, workdir, copies });
      }
    }
  }
  return { paths, unread, scripts };
}

/**
 * The repository files pip reads by `command` (a RUN's, or that of a script it runs) in an image holding `copies`, and
 * the in-image paths it reads that the check cannot map back: a file another stage, an image or a URL put there, a
 * path under a variable (`$APP_HOME/deps.txt`), or an absolute `-r`/`-c` file no COPY put there (a RUN may have
 * copied or fetched it). A path no COPY covers otherwise is the base image's or a tool's (`/opt/venv/bin/pip`).
 */
export function pipReadsInImage(copies: readonly ImageCopy[], workdir: string, command: string): { paths: string[]; unread: string[] } {
  const paths: string[] = [];
  const unread: string[] = [];
  const options = [...command.matchAll(REQUIREMENT_OPTION)].map((option) => option[1]);
  for (const word of pathsPipReads(command, { keepRoot: true })) {
    const sources = imageSources(copies, inImage(workdir, word));
    if (/^\$\{?\w+\}?\//.test(word) || sources === 'unread' || (!sources && word.startsWith('/') && options.includes(word))) unread.push(word);
    else paths.push(...(sources ?? []));
  }
  return { paths, unread };
}
