/**
 * Which files a download command line saves, for the patch check to follow them to where they are run: `curl -o f`,
 * `curl -O …/i.sh` (the URL's own name), `wget -O f` or the URL's name under `-P dir`, `aria2c -o f -d dir`,
 * `gh release download -O f` or `-p 'glob'`, PowerShell's `-OutFile f`, the cloud CLIs' copy to a local path, a
 * redirection (`curl … > f`), what a program the download is piped through writes (`| tee f`, `| gunzip > f`), and the
 * directory a clone or a copy from another host writes a tree into (`git clone URL d`, `scp host:i.sh /tmp/`). Where
 * the name is the server's to choose (`curl -OJ`, `wget --content-disposition`, `wget -i list`, `gh run download`, every
 * asset of a release), or the URL's is not in the text (`curl -O "$u"`), any file may be the download (fail closed).
 */

import { COPIES_FROM_HOSTS, OPTIONS_BEFORE_VERB, WEB_CMDLETS } from './downloaders.js';
import { shellWord } from './shell-reading.js';

/** The downloaders that take PowerShell's `-OutFile`: its web cmdlets, and `curl` and `wget`, Windows PowerShell's aliases of them. */
const OUT_FILE_TOOLS = new RegExp(`^(?:curl|wget|${WEB_CMDLETS})$`);
/** {@link COPIES_FROM_HOSTS}, as {@link savedBy} is given their names: lowercased, one space between words. */
const COPY_TOOL = new RegExp(`^(?:${COPIES_FROM_HOSTS.split(OPTIONS_BEFORE_VERB).join('').replace(/\\s\+/g, ' ')})$`);

/** The files one download saves. */
export interface Saved {
  /** Paths as written, normalized ({@link normalizedPaths}). */
  names: string[];
  /** Globs the saved files' names match (`gh release download -p 'tool-*.tar.gz'`). */
  globs: string[];
  /** Whether the names are the server's to choose, or otherwise unknown: any file may be one. */
  any: boolean;
  /** The words that named where to save, one per time a word named it (`-o f`, `-OutFile f`, a copy's destination). */
  outputs?: string[];
  /**
   * Directories the copy writes a tree into whose files the text need not name (a clone, `rsync -a`): any path under one
   * may be a file it saved; `.` is the directory it ran in.
   */
  directories?: string[];
}

/** A word that names where to download from: a URL, or a host and a path (`x.example/i`). */
const URL_LIKE = /^(?:[a-z][\w+.-]*:\/\/|[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:\/|$))/i;

/** The name a URL's file is saved by when none is given: its path's last segment, with its query and without. */
export function remoteNames(url: string): string[] {
  const path = url
    .replace(/^[a-z][\w+.-]*:\/\/[^/?#]*/i, '')
    .replace(/^[\w-]+(?:\.[\w-]+)+(?::\d+)?/, '')
    .replace(/#.*/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  const bare = last.replace(/\?.*/, '');
  return [...new Set([last, bare === '' ? 'index.html' : bare])].filter((name) => name !== '');
}

/** The directory the shell runs in, as a path's first component: `$PWD`, `${PWD}`, `$(pwd)`, `` `pwd` ``, `~+`. */
const WORKING_DIRECTORY = /^(?:\$\{?PWD\}?|\$\(pwd\)|\x60pwd\x60|~\+)(?=\/|$)/;

/**
 * `path` with its `.` and `..` components resolved as written, not through the file system (`/tmp/y/../x/.` is `/tmp/x`,
 * `x/./i` is `x/i`); a relative path keeps the `..` it starts with (`../i`), and the root its own (`/..` is `/`). Repeated
 * and trailing slashes dropped, but not a lone `/` or `.`.
 */
export function lexicalPath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/**
 * A path as the check compares it: quotes and escapes removed as the shell removes them, and (for PowerShell's `.\i.ps1`)
 * with backslashes read as slashes instead; the directory it runs in (`./`, `$PWD/`, `` `pwd`/ ``, `~+/`) dropped from its
 * start, `.` and `..` resolved ({@link lexicalPath}). Both readings, when they differ. The one normalisation of a path:
 * saved paths and the paths run are both read through it.
 */
export function normalizedPaths(raw: string): string[] {
  const tidy = (path: string) => {
    const here = path.replace(WORKING_DIRECTORY, '.');
    if (here === '.' || !/(?:^|\/)\.{1,2}(?:\/|$)|\/\/|\/$/.test(here)) return here.replace(/^(?:\.\/)+/, '');
    const resolved = lexicalPath(here);
    return resolved === '.' ? '' : resolved;
  };
  return [...new Set([tidy(shellWord(raw)), tidy(raw.replace(/["']/g, '').replace(/\\/g, '/'))])].filter((path) => path !== '');
}

/** A command line's options (with their values) and operands, as getopt reads them. */
interface Parsed {
  options: Array<{ name: string; value?: string }>;
  operands: string[];
}

/**
 * `words` (unquoted) read as options and operands: `--name=value`, `--name value` where `long` says the option takes a
 * value, and bundles of short ones (`-fsSLo f`, `-qO-`), where a letter in `short` takes the rest of its word or the next
 * word; `pairs`, letters that take the next letter with them (wget's `-nc`, `-nv`). An option nobody listed is a flag:
 * read as one, a value it takes is an operand, never a name taken for a saved file's.
 */
function parsed(words: readonly string[], short: string, long: ReadonlySet<string>, pairs = ''): Parsed {
  const result: Parsed = { options: [], operands: [] };
  for (let k = 0; k < words.length; k += 1) {
    const word = words[k]!;
    const next = () => (k + 1 < words.length ? words[++k] : undefined);
    const longOption = /^--([\w-]+)(?:=([\s\S]*))?$/.exec(word);
    if (word === '--') {
      result.operands.push(...words.slice(k + 1));
      break;
    } else if (longOption) {
      const name = longOption[1]!.toLowerCase();
      result.options.push({ name, value: longOption[2] ?? (long.has(name) ? next() : undefined) });
    } else if (/^-[^-]/.test(word)) {
      for (let c = 1; c < word.length; c += 1) {
        const letter = word[c]!;
        if (pairs.includes(letter)) {
          result.options.push({ name: word.slice(c, c + 2) });
          c += 1;
        } else if (short.includes(letter)) {
          result.options.push({ name: letter, value: c + 1 < word.length ? word.slice(c + 1) : next() });
          break;
        } else result.options.push({ name: letter });
      }
    } else result.operands.push(word);
  }
  return result;
}

/** The values given to the options named `names`. */
const valuesOf = (options: Parsed['options'], ...names: string[]) =>
  options.filter((option) => names.includes(option.name) && option.value !== undefined).map((option) => option.value!);
const has = (options: Parsed['options'], ...names: string[]) => options.some((option) => names.includes(option.name));
/** Whether an option named `names`, one that takes a value, is given none: the command line ends before it. */
const unnamed = (options: Parsed['options'], ...names: string[]) => options.some((option) => names.includes(option.name) && option.value === undefined);

/** `name` under `directory`, and the name alone (the directory is the one it runs in, or matches by the file's name). */
const under = (directory: string | undefined, name: string) => (directory === undefined ? [name] : [name, `${directory.replace(/\/+$/, '')}/${name}`]);

/**
 * The remote names of `urls`, as the text writes them (`openssl-$v.tar.gz` is compared as written), or `undefined` when
 * one is not in the text at all (`"$u"`, `$(cat url)`): the name is then unknown.
 */
function remoteNamesOf(urls: readonly string[]): string[] | undefined {
  const names = urls.flatMap(remoteNames);
  return names.some((name) => /^(?:\$\{?\w+\}?|\$\(.*\)|\x60.*\x60)$/.test(name) || /\$\(|\x60/.test(name)) ? undefined : names;
}

/**
 * Long options read as taking a value: those whose value names where to save, or from where. Any other is read as a
 * flag, which at worst reads its value as an operand (a URL-like one adds a name), never an option after it as a value.
 */
const CURL_VALUES = new Set(['output', 'output-dir', 'config', 'url']);
const WGET_VALUES = new Set(['output-document', 'directory-prefix', 'input-file', 'output-file', 'execute']);
const ARIA2_VALUES = new Set(['out', 'dir', 'input-file']);
const GH_VALUES = new Set(['output', 'pattern', 'dir', 'archive', 'repo', 'name']);

/** A copy's source on another host: a URL, scp's and rsync's `[user@]host:path`, rsync's `host::module`, rclone's `remote:path`. */
const REMOTE_SOURCE = /^(?:[a-z][\w+.-]*:\/\/|[\w.@-]{2,}::?(?!\/\/))/i;

/** The last segment of a remote source's path, without a repository's `.git` or `.hg`: `x.example:o/tools.git` is `tools`. */
const remoteLeaf = (source: string) => source.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/^.*[/:]/, '').replace(/\.(?:git|hg)$/i, '');

/**
 * What the download command `tool` (its name, lowercased, words separated by one space) saves, given its `raw` words as
 * written after the name; `written`, the targets of its output redirections, are saved whatever the tool.
 */
export function savedBy(tool: string, raw: readonly string[], written: readonly string[]): Saved {
  const words = raw.map((word) => shellWord(word));
  const saved: Saved = { names: written.flatMap(normalizedPaths), globs: [], any: false, outputs: [] };
  const output = (...names: string[]) => {
    saved.outputs!.push(...names.map((name) => shellWord(name)));
    return names;
  };
  // A glob the shell or the tool expands (`gs://b/*.txt` copied to `.`) is kept as one; `-` is standard output. A brace
  // names each of its words (`-o /tmp/{a,b}`), and curl's `#1` the part of the URL its glob matched (`-o '/tmp/#1.sh'`).
  const add = (...names: string[]) => {
    for (const name of names.filter((one) => one !== '-').flatMap(braceWords).flatMap(normalizedPaths)) {
      const glob = name.replace(/#\d+/g, '*');
      // A glob is matched by a file's name, its directory aside.
      if (/[*?[]/.test(glob)) saved.globs.push(glob.slice(glob.lastIndexOf('/') + 1));
      else saved.names.push(glob);
    }
  };
  // PowerShell's `-OutFile`, where curl and wget are Windows PowerShell's names for Invoke-WebRequest too; PowerShell takes
  // any unambiguous start of a parameter's name, `-OutFile:f` too. Windows' paths are read as written (`C:\t\a.exe`).
  if (OUT_FILE_TOOLS.test(tool)) {
    for (let k = 0; k < raw.length; k += 1) {
      const parameter = /^-outf(?:i(?:le?)?)?(?::([\s\S]+))?$/i.exec(words[k]!);
      if (parameter) add(...output(parameter[1] === undefined ? (raw[k + 1] ?? '-') : raw[k]!.replace(/^[^:]*:/, '')));
    }
  }
  /** The remote names of `urls` (curl's `{a,b}` each), under `directory`; any file where a URL's name is not in the text. */
  const remote = (urls: readonly string[], directory?: string) => {
    const names = remoteNamesOf(urls.flatMap(braceWords));
    if (names === undefined) saved.any = true;
    else add(...names.flatMap((name) => under(directory, name)));
  };
  if (tool === 'curl') {
    const { options, operands } = parsed(words, 'AbcCdDeEFHKmoPQrtTuUwxXyYz', CURL_VALUES);
    const directory = valuesOf(options, 'output-dir').at(-1);
    for (const name of output(...valuesOf(options, 'o', 'output'))) add(...under(directory, name));
    // An output whose name the command line leaves out (`'curl … -o ' + f`) is any file.
    if (has(options, 'J', 'remote-header-name', 'K', 'config') || unnamed(options, 'o', 'output')) saved.any = true;
    else if (has(options, 'O', 'remote-name', 'remote-name-all')) {
      remote([...operands.filter((word) => URL_LIKE.test(word) || /[$\x60]/.test(word)), ...valuesOf(options, 'url')], directory);
    }
  } else if (tool === 'wget') {
    const { options, operands } = parsed(words, 'OoaiBtTwQPUelARDXI', WGET_VALUES, 'n');
    const documents = valuesOf(options, 'O', 'output-document');
    const directory = valuesOf(options, 'P', 'directory-prefix').at(-1);
    if (has(options, 'i', 'input-file', 'content-disposition', 'trust-server-names', 'r', 'recursive', 'm', 'mirror', 'p', 'page-requisites', 'e', 'execute') || unnamed(options, 'O', 'output-document')) saved.any = true;
    else if (documents.length > 0) add(...documents);
    else remote(operands.filter((word) => URL_LIKE.test(word) || /[$\x60]/.test(word)), directory);
  } else if (tool === 'aria2c') {
    const { options } = parsed(words, 'odisxjkltmU', ARIA2_VALUES);
    const directory = valuesOf(options, 'd', 'dir').at(-1);
    const outs = valuesOf(options, 'o', 'out');
    // Without `-o`, aria2c takes the server's Content-Disposition name where one is sent.
    if (outs.length === 0 || has(options, 'i', 'input-file')) saved.any = true;
    for (const name of outs) add(...under(directory, name));
  } else if (tool === 'gh release download') {
    const { options } = parsed(words, 'ORpDA', GH_VALUES);
    const directory = valuesOf(options, 'D', 'dir').at(-1);
    const outputs = valuesOf(options, 'O', 'output');
    const patterns = valuesOf(options, 'p', 'pattern');
    for (const name of output(...outputs)) add(...under(directory, name));
    saved.globs.push(...patterns);
    if ((outputs.length === 0 && patterns.length === 0) || has(options, 'A', 'archive')) saved.any = true;
  } else if (tool === 'gh run download') {
    saved.any = true;
  } else if (tool === 'certutil') {
    // `certutil -urlcache -split -f URL [file]`: options start with `-` or `/`, as a Windows path may not.
    const operands = raw.filter((_, k) => !/^[-/][a-z]+$/i.test(words[k]!));
    const source = operands.findIndex((word) => URL_LIKE.test(shellWord(word)));
    if (source < 0) saved.any = true;
    else if (source + 1 < operands.length) add(...output(operands[source + 1]!));
    else remote([shellWord(operands[source]!)]);
  } else if (tool === 'bitsadmin') {
    // `bitsadmin /transfer job [/download] [/priority p] URL file [URL file …]`, `/addfile job URL file`: each URL's file after it.
    const files = raw.filter((_, k) => k > 0 && URL_LIKE.test(words[k - 1]!));
    if (files.length === 0) saved.any = true;
    add(...output(...files));
  } else if (tool === 'start-bitstransfer') {
    const { sources, destinations } = bitsTransferParameters(raw, words);
    // A destination may be a directory, where the file keeps its remote name.
    for (const destination of output(...destinations)) remote(sources, destination.replace(/[\\/]+$/, ''));
    if (destinations.length === 0) remote(sources);
  } else if (/^(?:aws s3 cp|gsutil cp|gcloud storage cp)$/.test(tool)) {
    // The copy's destination follows its source: a local path, or a directory (`.`, `dir/`) that keeps the source's name.
    const source = words.findIndex((word) => /^(?:s3|gs):\/\//i.test(word));
    const destination = source < 0 ? undefined : words[source + 1];
    if (destination !== undefined && destination !== '-' && !/^[a-z][\w+.-]*:\/\//i.test(destination)) {
      output(destination);
      if (destination === '.' || destination.endsWith('/')) add(...remoteNames(words[source]!).flatMap((name) => under(destination === '.' ? undefined : destination, name)));
      else add(destination);
    }
  } else if (COPY_TOOL.test(tool)) {
    // A copy from another host ({@link COPIES_FROM_HOSTS}), its options left out (their values are never a remote source):
    // a clone or checkout writes a tree into the word after its source and into the source's own name, both taken (an
    // option's value may stand between); a pull or a fetch into the directory it runs in; a copy into each local word
    // after its first remote source (its destination, an option's value too), each remote source's name under it.
    // Nothing when no source is on another host or the last word is (`rsync -a build/ dist/`, an upload).
    const operands = words.filter((word) => !word.startsWith('-'));
    // The file-transfer programs save what a script or a session names, oras what the artifact does: any file, here.
    if (/^(?:s?ftp|lftp|tftp|oras pull)$/.test(tool)) {
      if (tool === 'oras pull' || words.some((word) => /:\/\/|@|^[\w.-]{2,}:[\w/~.]/.test(word))) Object.assign(saved, { any: true, directories: ['.'] });
      return saved;
    }
    // GitHub's CLI names a repository by `owner/name`; a container's files are `container:path`.
    const container = /^(?:docker|podman|kubectl) cp$/.test(tool);
    const isRemote = (word: string, k: number) => (tool.startsWith('gh repo') && k === 0) || REMOTE_SOURCE.test(word) || (container && word.includes(':') && !/^[a-z]:[\\/]/i.test(word));
    const first = operands.findIndex(isRemote);
    const remote = operands.filter(isRemote);
    if (first < 0) return saved;
    if (/^(?:git (?:pull|fetch)|hg pull|bzr (?:pull|merge)|fossil pull)$/.test(tool)) saved.directories = ['.'];
    else if (/^(?:git (?:clone|submodule add)|gh repo|hg clone|svn|bzr|fossil)/.test(tool)) saved.directories = [remoteLeaf(operands[first]!), ...operands.slice(first + 1, first + 2)];
    else if (!isRemote(operands.at(-1)!, operands.length - 1)) saved.directories = operands.slice(first + 1).filter((word) => !remote.includes(word));
    // A sync writes the source's contents, not the source, into its target (`gsutil rsync gs://b/data d`); a source whose
    // name is all wildcards (`gs://b/*`) names its files, which the target holds, not one more glob that every word matches.
    const leaves = / r?sync$/.test(tool) ? [] : remote.map(remoteLeaf).filter((leaf) => /[^*?]/.test(leaf));
    for (const target of saved.directories ?? []) if (target !== '.') add(target, ...leaves.map((leaf) => `${target}/${leaf}`));
  } else if (tool === 'az storage blob download') {
    add(...output(...valuesOf(parsed(words, 'f', new Set(['file'])).options, 'f', 'file')));
  }
  return saved;
}

/** Start-BitsTransfer's parameters that take no value; any other takes the word after it. */
const BITS_SWITCHES = /^-(?:asynchronous|suspended|dynamic|usestoredcredential|whatif|confirm|verbose|debug)$/i;

/**
 * Start-BitsTransfer's sources and destinations, as written: by name (any start of it PowerShell can tell apart: `-Sou`,
 * `-Dest`, `-Destination:f`), or by position (source, then destination); a list of them is split at its commas.
 */
function bitsTransferParameters(raw: readonly string[], words: readonly string[]): { sources: string[]; destinations: string[] } {
  const named = { sources: [] as string[], destinations: [] as string[] };
  const positional: string[] = [];
  for (let k = 0; k < raw.length; k += 1) {
    const parameter = /^-([a-z]+)(?::([\s\S]*))?$/i.exec(words[k]!);
    if (parameter === null) {
      positional.push(raw[k]!);
      continue;
    }
    const name = parameter[1]!.toLowerCase();
    if (BITS_SWITCHES.test(words[k]!)) continue;
    const value = parameter[2] === undefined ? raw[++k] : raw[k]!.replace(/^[^:]*:/, '');
    if (value === undefined) break;
    if (name.length >= 2 && 'source'.startsWith(name)) named.sources.push(value);
    else if (name.length >= 4 && 'destination'.startsWith(name)) named.destinations.push(value);
  }
  const list = (values: string[]) => values.flatMap((value) => value.split(',')).filter((value) => value !== '');
  return {
    sources: list([...named.sources, ...positional.slice(0, named.sources.length > 0 ? 0 : 1)]).map((source) => shellWord(source)),
    destinations: list([...named.destinations, ...positional.slice(named.sources.length > 0 ? 0 : 1, named.sources.length > 0 ? 1 : 2)]),
  };
}

/**
 * What a program a download is piped through writes, given its name (lowercased) and its words as written: `tee f`,
 * `sponge f`, `dd of=f`, `gpg -o f`, `openssl … -out f`, `sort -o f`, PowerShell's `Out-File f`, `Set-Content f`.
 */
export function writtenBy(program: string, raw: readonly string[]): string[] {
  const words = raw.map((word) => shellWord(word));
  const name = program.replace(/^.*\//, '');
  if (name === 'tee' || name === 'sponge') return words.filter((word) => !word.startsWith('-')).flatMap(normalizedPaths);
  if (name === 'dd') return words.filter((word) => word.startsWith('of=')).flatMap((word) => normalizedPaths(word.slice(3)));
  if (/^(?:out-file|set-content|add-content)$/.test(name)) {
    const named = words.findIndex((word) => /^-(?:filepath|path|literalpath)$/i.test(word));
    const target = named >= 0 ? words[named + 1] : words.find((word) => !word.startsWith('-'));
    return target === undefined ? [] : normalizedPaths(target);
  }
  if (/^(?:gpg2?|openssl|sort|base64)$/.test(name)) {
    const out: string[] = [];
    for (let k = 0; k < words.length; k += 1) {
      const word = words[k]!;
      const glued = /^--output=([\s\S]+)$/.exec(word);
      if (glued) out.push(glued[1]!);
      else if (/^(?:-o|--output|-out)$/.test(word) && k + 1 < words.length) out.push(words[k + 1]!);
    }
    return out.flatMap(normalizedPaths);
  }
  return [];
}

/** At most this many words a brace makes of one name; a larger one is kept as written. */
const MAX_BRACE_WORDS = 16;

/** The words the shell's brace expansion makes of `name` (`/tmp/{a,b}` is `/tmp/a` and `/tmp/b`), braces not nested. */
export function braceWords(name: string): string[] {
  let words = [name];
  for (const brace of name.matchAll(/\{([^{},]*(?:,[^{},]*)+)\}/g)) {
    const alternatives = brace[1]!.split(',');
    if (words.length * alternatives.length > MAX_BRACE_WORDS) return [name];
    words = words.flatMap((word) => alternatives.map((alternative) => word.replace(brace[0], alternative)));
  }
  return words;
}

/**
 * Where `program` (lowercased, its path dropped), given its `words` as written, extracts an archive's files: `{}` for the
 * directory it runs in, `{ directory }` for the one it is told, or null where it extracts nothing to files (`tar t`,
 * `unzip -l`, `tar xO`). tar, bsdtar, unzip, 7-Zip, cpio and PowerShell's Expand-Archive.
 */
export function extraction(program: string, words: readonly string[]): { directory?: string } | null {
  const valueAfter = (re: RegExp) => {
    const at = words.findIndex((word) => re.test(word));
    return at < 0 ? undefined : words[at + 1];
  };
  const glued = (re: RegExp) => words.map((word) => re.exec(word)?.[1]).find((value) => value !== undefined);
  if (/^(?:tar|bsdtar|gtar)$/.test(program)) {
    const mode = words.find((word) => !word.startsWith('-')) ?? '';
    const extracts = words.some((word) => /^-[a-zA-Z]*x|^--(?:extract|get)$/.test(word)) || (/^[a-zA-Z]+$/.test(mode) && mode === words[0] && mode.includes('x'));
    if (!extracts || words.some((word) => /^-[a-zA-Z]*O|^--to-stdout$/.test(word))) return null;
    return { directory: glued(/^--directory=([\s\S]+)$/) ?? valueAfter(/^(?:-[a-zA-Z]*C|--directory)$/) };
  }
  if (program === 'unzip') {
    if (words.some((word) => /^-[a-zA-Z]*[lptcvzZ]/.test(word))) return null;
    return { directory: valueAfter(/^-d$/) };
  }
  if (/^7za?$/.test(program)) return words[0] === 'x' || words[0] === 'e' ? { directory: glued(/^-o([\s\S]+)$/) } : null;
  if (program === 'cpio') return words.some((word) => /^-[a-zA-Z]*i|^--extract$/.test(word)) ? { directory: valueAfter(/^-D$/) } : null;
  if (program === 'expand-archive') {
    const named = words.findIndex((word) => /^-d(?:e(?:s(?:t(?:i(?:n(?:a(?:t(?:i(?:o(?:n(?:p(?:a(?:th?)?)?)?)?)?)?)?)?)?)?)?)?)?$/i.test(word));
    return { directory: named >= 0 ? words[named + 1] : words.filter((word) => !word.startsWith('-'))[1] };
  }
  return null;
}

/** The files a decompressor given `words` (as written) writes (`gunzip tool.gz` writes `tool`); none where it writes to standard output. */
export function decompressed(program: string, words: readonly string[]): string[] {
  const decompresses = /^(?:gunzip|unxz|bunzip2|unzstd|unlzma|unlz4)$/.test(program) || (/^(?:gzip|xz|bzip2|zstd|lzma|lz4)$/.test(program) && words.some((word) => /^-[a-zA-Z]*d|^--decompress$/.test(word)));
  if (!decompresses || words.some((word) => /^-[a-zA-Z]*c|^--(?:stdout|to-stdout)$/.test(word))) return [];
  return words.filter((word) => !word.startsWith('-')).map((word) => word.replace(/\.tgz$/i, '.tar').replace(/\.(?:gz|z|xz|bz2|zst|lzma|lz4)$/i, ''));
}

/** At most this many globs are followed; past them, any file may be a download. */
const MAX_GLOBS = 16;
/** A word longer than this is no glob of a path; past this many saved paths tried, a glob is taken to name one. */
const MAX_GLOB_WORD = 128;
const MAX_GLOBBED = 64;
/** The glob matches' steps in one text's reading, name length times glob length summed: a few milliseconds. */
const MAX_GLOB_WORK = 1 << 22;

/**
 * The files saved by the downloads read so far, each with where in the text its download ends: a file named after that
 * is one of them where its name or path is one saved (`/tmp/a`, or `a` for `/tmp/a`, or `/tmp/a` for `a` saved where the
 * command ran), or its name matches a glob saved.
 */
export class SavedFiles {
  private readonly paths = new Map<string, number>();
  /** The directories the saved paths are in, each of their parents too (`.` for a path without one, `/` for the root). */
  private readonly parents = new Map<string, number>();
  /** The saved paths with parents of {@link DEEP_PARENT} characters or more, which {@link parents} leaves out. */
  private readonly deep: Array<{ path: string; end: number }> = [];
  private readonly names = new Map<string, number>();
  private readonly bare = new Map<string, number>();
  /** The relative paths saved with a directory (`x/i`): in a directory nobody can name, the end of any path may be one. */
  private readonly relative = new Map<string, number>();
  /** The saved paths' ends of two or more of their last components (`x/i` of `/tmp/x/i`): what a `cd` may reach them by. */
  private readonly tails = new Map<string, number>();
  private readonly globs: Array<{ glob: GlobToken[]; end: number }> = [];
  private anyFrom = Infinity;
  /** Archives extracted: where to (`undefined`: the directory it ran in), and from where in the text. */
  private readonly extracted: Array<{ directories: string[] | undefined; end: number }> = [];
  /** Where the text changes directory (`cd`), after which a relative path may name any directory's file. */
  private readonly moves: number[] = [];
  /** Where the shell's commands change directory, and the directory each leaves it in (`undefined`: one the text does not say), in order. */
  private directories: Array<{ at: number; to: string | undefined }> = [];
  /** Where the first download ends: nothing before it is a saved file. */
  first = Infinity;
  /** The steps the glob matches have taken ({@link MAX_GLOB_WORK}). */
  private globWork = 0;

  /**
   * Whether `name` matches the glob `tokens`, charged at the most the walk can take; past the budget every glob matches:
   * a text that makes the check this costly is refused, not read in part.
   */
  private globbed(tokens: readonly GlobToken[], name: string): boolean {
    this.globWork += (tokens.length + 1) * (name.length + 1);
    return this.globWork > MAX_GLOB_WORK || globMatches(tokens, name);
  }

  /** The text's changes of directory (`cd /tmp`, `cd x`, `cd "$d"`), read before its downloads are added. */
  changesDirectory(changes: ReadonlyArray<{ at: number; to: string | undefined }>): void {
    // Each change's directory folded once from the ones before it: looked up by halving, not refolded at each path read.
    let directory: string | undefined;
    this.directories = [...changes]
      .sort((a, b) => a.at - b.at)
      .map(({ at, to }) => {
        directory = to === undefined ? undefined : to.startsWith('/') ? lexicalPath(to) : directory === undefined ? undefined : lexicalPath(`${directory}/${to}`);
        return { at, to: directory };
      });
  }

  /**
   * The absolute directory the text runs in at `at`, where its `cd`s before it say it (the last absolute one, and the
   * relative ones after it); undefined where none does, or one goes where the text does not say.
   */
  private directoryAt(at: number): string | undefined {
    let low = 0;
    let high = this.directories.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.directories[middle]!.at < at) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? undefined : this.directories[low - 1]!.to;
  }

  /** A relative `path` read at `at` as the absolute one it names, where the directory the text runs in there is known. */
  private absolute(path: string, at: number): string | undefined {
    if (path.startsWith('/') || this.directories.length === 0 || /^(?:[~$%\\]|[A-Za-z]:)/.test(path)) return undefined;
    const directory = this.directoryAt(at);
    return directory === undefined ? undefined : lexicalPath(`${directory}/${path}`);
  }

  add(saved: Saved, end: number): void {
    // A relative path saved where a `cd` said where the text runs is that directory's file too (`cd /tmp`, `curl -o x/i`).
    saved = { ...saved, names: [...saved.names, ...saved.names.flatMap((name) => this.absolute(name, end) ?? [])] };
    const earliest = (map: Map<string, number>, key: string) => map.set(key, Math.min(map.get(key) ?? Infinity, end));
    // A name that is one variable of the source language (`-o ${f}`, `-o {f}`, `-o #{f}`) is where the code that holds
    // it names the file too: `import(f)`.
    const variables = saved.names.flatMap((path) => /^(?:\$\{|#\{|\{)([A-Za-z_]\w*)\}$/.exec(path)?.slice(1) ?? []);
    for (const path of [...saved.names, ...variables]) {
      earliest(this.paths, path);
      earliest(this.parents, path.startsWith('/') ? '/' : '.');
      // Each parent is a key hashed whole, so a path's parents cost the square of its length: 9,000 characters of `a/`
      // took 110 ms. Those past DEEP_PARENT are found by the path instead ({@link deepParentBefore}).
      for (let slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
        if (slash >= DEEP_PARENT) {
          this.deep.push({ path, end });
          break;
        }
        earliest(this.parents, path.slice(0, slash));
      }
      const name = path.slice(path.lastIndexOf('/') + 1);
      earliest(this.names, name);
      if (!path.includes('/')) earliest(this.bare, path);
      else if (!/^(?:[/~$%\\]|[A-Za-z]:)/.test(path)) earliest(this.relative, path.replace(/^(?:\.\/)+/, ''));
      // From the second-last slash back, at most MAX_TAIL components: a path of thousands of them is no command's.
      for (let slash = path.lastIndexOf('/', path.lastIndexOf('/') - 1), parts = 2; slash >= 0 && parts <= MAX_TAIL; slash = path.lastIndexOf('/', slash - 1), parts += 1) {
        earliest(this.tails, path.slice(slash + 1));
        if (slash === 0) break;
      }
    }
    for (const glob of saved.globs) {
      if (this.globs.length >= MAX_GLOBS) saved.any = true;
      else this.globs.push({ glob: globTokens(glob), end });
    }
    if (saved.any) this.anyFrom = Math.min(this.anyFrom, end);
    if (saved.names.length > 0 || saved.globs.length > 0 || saved.any) this.first = Math.min(this.first, end);
  }

  /**
   * An archive a download saved, extracted at `end`: into `directory`, or the directory it ran in. Its files' names are
   * the archive's, not in the text: any path under the directory may be one, and any relative one after a `cd`.
   */
  addExtracted(directory: string | undefined, end: number): void {
    this.first = Math.min(this.first, end);
    if (this.extracted.length >= MAX_GLOBS) this.anyFrom = Math.min(this.anyFrom, end);
    else this.extracted.push({ directories: directory === undefined ? undefined : normalizedPaths(directory).map((path) => path.replace(/\/+$/, '')), end });
  }

  /** The text changes directory at `at`. */
  changedDirectory(at: number): void {
    if (this.moves.length === 0 || this.moves.at(-1)! < at) this.moves.push(at);
  }

  /**
   * Whether `path` (the word `raw`, read at `at`) may be a file `archive` extracted: a path under its directory, or a
   * relative path written as one (`./configure`, `x/install.sh`, `setup.py`) where it extracted into the directory it ran
   * in or a `cd` came after it.
   */
  private extractedHolds(archive: { directories: string[] | undefined; end: number }, raw: string, path: string, at: number): boolean {
    if (archive.directories?.some((directory) => path === directory || path.startsWith(`${directory}/`))) return true;
    const relative = !/^(?:[/~$%\\]|[A-Za-z]:)/.test(path) && /[./]/.test(raw) && !raw.startsWith('-');
    return relative && (archive.directories === undefined || this.moves.some((move) => move > archive.end && move <= at));
  }

  /** Whether the command at `at` runs inside a tree extracted or copied before it: one written where it ran, or a `cd` since. */
  entered(at: number): boolean {
    return this.extracted.some((archive) => archive.end <= at && (archive.directories === undefined || this.moves.some((move) => move > archive.end && move <= at)));
  }

  /** Whether a download before `at` saved a file nobody can name. */
  anyBefore(at: number): boolean {
    return this.anyFrom <= at;
  }

  /**
   * Whether the directory the word `raw` names, read at `at`, may hold a file a download before it saved: what a program
   * loads from it (`PATH=d`, `core.hooksPath=d`) may be one. A saved path under it, a tree copied into or under it, or
   * any file where a download's names are unknown; `.`, `./`, `$PWD` and `$PWD/` are the directory the text runs in. Not a glob's match,
   * which is a file's name in no known directory (`gsutil cp gs://b/*.txt .` then `TMPDIR=/x gsutil …` in its manual).
   */
  holdsIn(raw: string, at: number): boolean {
    if (this.anyFrom <= at) return true;
    // A directory's trailing slash first: `$PWD/` and `./` are the directory they name, not a path normalized to nothing.
    return normalizedPaths(raw.replace(/(?<=[^/])\/+(?=["']?$)/, '')).some((path) => {
      const directory = path.replace(/^(?:\$\{?PWD\}?|\$\(pwd\))$/, '.').replace(/(?<=.)\/+$/, '');
      const inside = (tree: string) => directory === '/' || tree === directory || tree.startsWith(`${directory}/`);
      return (this.parents.get(directory) ?? Infinity) <= at || this.deepParentBefore(directory, at) || this.extracted.some((archive) => archive.end <= at && (archive.directories === undefined ? directory === '.' : archive.directories.some(inside)));
    });
  }

  /** Whether a path saved before `at` is under `directory`, where that is too long for {@link parents}. */
  private deepParentBefore(directory: string, at: number): boolean {
    return directory.length >= DEEP_PARENT && this.deep.some(({ path, end }) => end <= at && path.startsWith(`${directory}/`));
  }

  /** Whether the word `raw` (as written), read at `at` in the text, names a file a download before it saved. */
  holds(raw: string, at: number): boolean {
    // A URL names a remote file, not one saved here (`gsutil cp gs://b/*.txt .`).
    if (/^["']?[a-z][\w+.-]*:\/\//i.test(raw)) return false;
    // A plain path is its own normalized form: the shell's reading of its word is not needed. A relative one is also the
    // absolute path it names where the text's `cd`s say where it runs (`cd /tmp/x/y`, `sh ../i`; `cd /tmp`, `sh x/i*`).
    const paths = PLAIN_PATH.test(raw) && !raw.startsWith('..') ? [raw] : normalizedPaths(raw);
    return [...paths, ...paths.flatMap((path) => this.absolute(path, at) ?? [])].some((path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const before = (map: Map<string, number>, key: string) => (map.get(key) ?? Infinity) <= at;
      if (before(this.paths, path)) return true;
      if (path.includes('/') ? before(this.bare, name) : before(this.names, path)) return true;
      // A relative path after a `cd` may be the end of a saved one (`curl -o /tmp/x/i …`, `cd /tmp`, `sh x/i`).
      if (this.moves.length > 0 && this.moves[0]! <= at && /^[\w.-]+\//.test(path) && before(this.tails, path)) return true;
      // Where a `cd` left the directory unknown (`cd "$d"`, `cd -`, `popd`), the `..`s that start a relative path may
      // reach any parent: what follows them may be the end of any saved path (`cd "$d"`, `sh ../x/i`), or a saved name.
      const climbed = /^(?:\.\.?\/)+/.exec(path)?.[0];
      if (climbed && this.moves.length > 0 && this.moves[0]! <= at && this.directoryAt(at) === undefined) {
        const rest = path.slice(climbed.length);
        if (rest.includes('/') ? before(this.tails, rest) || before(this.paths, rest) : before(this.names, rest)) return true;
      }
      // A relative path saved with a directory (`x/i`) is in one the text may not name: a path that ends with it may be it.
      for (let slash = path.indexOf('/'), parts = 0; slash >= 0 && parts < MAX_TAIL; slash = path.indexOf('/', slash + 1), parts += 1) {
        if (before(this.relative, path.slice(slash + 1))) return true;
      }
      if (this.globs.some((glob) => glob.end <= at && this.globbed(glob.glob, name))) return true;
      // A glob the shell expands to a saved file's path (`sh /tmp/*.sh`, `./i?`), not a lone `*` (a product, in code): the
      // first saved paths are tried.
      if (/[*?[]/.test(path) && /[^*?[\]/]/.test(path) && path.length <= MAX_GLOB_WORD) {
        const glob = globTokens(path);
        let tried = 0;
        for (const [saved, end] of this.paths) {
          if (tried++ >= MAX_GLOBBED) return true;
          if (end <= at && this.globbed(glob, saved)) return true;
        }
      }
      if (this.extracted.some((archive) => archive.end <= at && this.extractedHolds(archive, raw, path, at))) return true;
      // Any file: a word with a `.` or a `/` in it, not an option or a URL.
      return this.anyFrom <= at && /[./]/.test(path) && !path.startsWith('-') && !/:\/\//.test(path);
    });
  }
}

/**
 * How long a parent directory {@link SavedFiles} keeps by name: Linux's PATH_MAX, so that every directory a Linux program
 * can open is looked up by hashing, and only the deeper ones a Windows runner with long paths may reach are compared
 * with each path that holds them.
 */
const DEEP_PARENT = 4_096;

/** The most components of a saved path's end that a relative path after a `cd` is compared with ({@link SavedFiles}). */
const MAX_TAIL = 8;

/** A path {@link normalizedPaths} leaves as it is: no quote, escape, variable, `./` or `//`. */
const PLAIN_PATH = /^(?!\.\/)[\w.-]+(?:\/[\w.-]+)*$/;

/** One piece of a glob: `*`, or a test of one character (`?`, a class `[…]`, a literal). */
type GlobToken = '*' | ((char: string) => boolean);

/** A glob (`*`, `?`, `[…]`, `[!…]`) as its pieces. */
function globTokens(glob: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i]!;
    const close = char === '[' ? glob.indexOf(']', i + 2) : -1;
    if (char === '*') tokens.push('*');
    else if (char === '?') tokens.push(() => true);
    else if (close > 0) {
      const negated = glob[i + 1] === '!' || glob[i + 1] === '^';
      const set = glob.slice(negated ? i + 2 : i + 1, close);
      const ranges = [...set.matchAll(/(.)-(.)|(.)/gs)].map((m) => (m[3] !== undefined ? [m[3], m[3]] : [m[1]!, m[2]!]));
      tokens.push((c) => ranges.some(([low, high]) => c >= low! && c <= high!) !== negated);
      i = close;
    } else tokens.push((c) => c === char);
  }
  return tokens;
}

/**
 * Whether `name` matches the glob `tokens` whole: the usual wildcard walk that, at a mismatch, retries from the last `*`
 * one character further. At most the name's length times the glob's, whatever its stars: a regular expression of
 * `*a*a*a*b` tried every split of a long name (review of attack pass 9b).
 */
function globMatches(tokens: readonly GlobToken[], name: string): boolean {
  let t = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token !== undefined && token !== '*' && token(name[n]!)) {
      t += 1;
      n += 1;
    } else if (token === '*') {
      star = t;
      resume = n;
      t += 1;
    } else if (star >= 0) {
      t = star + 1;
      resume += 1;
      n = resume;
    } else return false;
  }
  while (tokens[t] === '*') t += 1;
  return t === tokens.length;
}
