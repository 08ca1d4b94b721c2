import { applyPatch, parsePatch } from 'diff';
import { appliedPath } from '../analysis/diff-reading.js';
import { checkPatch, PIP_REQUIREMENTS_WHY, REQUIREMENTS_BY_CONTENT } from '../analysis/patch.js';
import { TEXT_EXTENSIONS } from '../analysis/text.js';
import {
  couldBePipRequirements,
  DOCKERFILE,
  dockerfilePipReads,
  looksLikePipRequirements,
  namesRequirementFile,
  pipReadsInImage,
  referencedRequirementFiles,
} from '../analysis/pip-requirements.js';
import { declaredEncodingSignal, newSignals } from '../analysis/smuggled-code.js';
import type { Incident } from '../domain/incident.js';
import type { GitHubPort, RepoRef } from '../ports.js';
import { codeBlock, escapeMarkdown, link } from '../notify/markdown.js';

/** A patch that cannot become a fix PR (unsafe path, does not apply). Not retried: the incident is escalated. */
export class PatchRefusedError extends Error {
  override name = 'PatchRefusedError';
  constructor(message: string) {
    super(message);
  }
}

/** The repository at the failing commit, as the fix PR reads it. */
export interface RepositoryFiles {
  /** A text file's content; null when it does not exist. */
  readFile(path: string): Promise<string | null>;
  /** Every file's path; `complete` is false when the listing was cut short. */
  listAllFiles(): Promise<{ paths: string[]; complete: boolean }>;
}

/** The repository `repo` at commit `ref`, read through GitHub. */
export function repositoryAt(github: Pick<GitHubPort, 'readFile' | 'listAllFiles'>, repo: RepoRef, ref: string): RepositoryFiles {
  return { readFile: (path) => github.readFile(repo, path, ref), listAllFiles: () => github.listAllFiles(repo, ref) };
}

/** One file of the fix commit: the new content, or null to delete it. */
export interface FixFile {
  path: string;
  content: string | null;
}

/** Labels every fix PR carries, so reviewers and branch protection can treat them differently. */
export const FIX_PR_LABELS = ['autofix', 'needs-review'] as const;

export function fixBranchName(incidentId: string): string {
  return `guard/fix-${incidentId}`;
}

/**
 * Turns a unified diff into the files of a commit, reading each file's current content at the failing commit.
 * The patch is checked again here (it was checked when stored), so nothing that touches workflows, secrets or
 * paths outside the repository can reach a commit even if a stored analysis was tampered with.
 */
export async function buildFixFiles(patch: string, repository: RepositoryFiles): Promise<FixFile[]> {
  const readFile = (path: string) => repository.readFile(path);
  const check = checkPatch(patch);
  if (!check.ok) throw new PatchRefusedError(`patch refused: ${check.reason}`);
  const files: FixFile[] = [];
  /** Files written that read, before or after, as pip's requirements: every line one pip accepts. */
  const nameLists = new Set<string>();
  for (const filePatch of parsePatch(check.patch.diff)) {
    const oldPath = appliedPath(filePatch.oldFileName, 'a/');
    const newPath = appliedPath(filePatch.newFileName, 'b/');
    for (const path of [oldPath, newPath]) {
      if (path !== null && !check.patch.files.includes(path)) throw new PatchRefusedError(`patch refused: it would write ${path}, which the check did not pass`);
    }
    const source = oldPath === null ? '' : await readFile(oldPath);
    if (source === null) throw new PatchRefusedError(`patch refused: ${oldPath} does not exist at the failing commit`);
    // A new file or a rename writes the whole of its target: a target that exists would be replaced by content the
    // diff never showed it losing.
    if (newPath !== null && newPath !== oldPath && (await readFile(newPath)) !== null) {
      throw new PatchRefusedError(`patch refused: ${newPath} already exists at the failing commit, and the diff would replace it whole`);
    }
    const result = applyPatch(source, filePatch);
    if (result === false) throw new PatchRefusedError(`patch refused: it does not apply cleanly to ${oldPath ?? newPath}`);
    // The diff shows only part of a file: the whole of it, before and after, says whether pip reads it.
    const textPath = [newPath, oldPath].find((path): path is string => path !== null && REQUIREMENTS_BY_CONTENT.test(path));
    if (textPath !== undefined && [source, result].some((content) => looksLikePipRequirements(content.split('\n')))) {
      throw new PatchRefusedError(`patch refused: ${textPath} is ${PIP_REQUIREMENTS_WHY}`);
    }
    if (newPath !== null && [source, result].some((content) => couldBePipRequirements(content.split('\n')))) nameLists.add(newPath);
    if (newPath === null) {
      // A deletion is committed whole: its hunks must show every line that goes, or the diff hides what is removed.
      if (result !== '') throw new PatchRefusedError(`patch refused: the deletion does not remove all of ${oldPath}: the diff shows only part of it`);
      files.push({ path: oldPath as string, content: null });
      continue;
    }
    const unread = wholeFileSignals(newPath, oldPath === newPath ? source : '', result);
    if (unread) throw new PatchRefusedError(`patch refused: ${unread}`);
    if (oldPath !== null && oldPath !== newPath) files.push({ path: oldPath, content: null });
    files.push({ path: newPath, content: result });
  }
  if (files.length === 0) throw new PatchRefusedError('patch refused: it changes no file');
  const textFiles = files.map((file) => file.path).filter((path) => TEXT_EXTENSIONS.test(path));
  if (textFiles.length > 0) {
    const named = await requirementsNaming(textFiles, readFile);
    if (named) throw new PatchRefusedError(`patch refused: ${named.path} is a pip requirements file: ${named.by} names it (-r/-c), and pip installs what it lists`);
    // A list of names alone reads as a word list: only what names it (a workflow's `pip install -r`, tox's deps,
    // setuptools' dynamic dependencies) says pip reads it. A file with a line pip refuses is nobody's requirements.
    const lists = textFiles.filter((path) => nameLists.has(path));
    const configured = lists.length > 0 ? await requirementsConfiguring(lists, repository) : null;
    if (configured) throw new PatchRefusedError(`patch refused: ${configured.path} is a pip requirements file: ${configured.by} names it, and pip installs what it lists`);
  }
  return files;
}

/**
 * Bytes of a file read whole by {@link wholeFileSignals}: the reading costs about 2 ms a kilobyte, and a source file
 * larger than this is generated or minified, nothing a fix changes.
 */
const MAX_WHOLE_FILE_BYTES = 512 * 1024;

/**
 * Why the file `path` would be refused read whole, before (`before`, empty for a new file) and after the change
 * (`after`), or null. The patch check reads what the diff shows; here the code the diff does not show is read with it:
 * a signal the file has after the change and not before (a name assembled from a line far above the hunk), and a
 * declared source encoding anywhere on lines 1 and 2 (the check cannot read a file Python decodes as UTF-7 at all).
 */
function wholeFileSignals(path: string, before: string, after: string): string | null {
  const bytes = Math.max(Buffer.byteLength(before), Buffer.byteLength(after));
  if (bytes > MAX_WHOLE_FILE_BYTES) return `${path} is ${bytes} bytes, over the ${MAX_WHOLE_FILE_BYTES} the check reads whole`;
  const lines = after.split('\n');
  const encoding = declaredEncodingSignal(path, lines);
  const signals = [...(encoding ? [encoding] : []), ...newSignals(path, before === '' ? [] : before.split('\n'), lines)];
  return signals.length > 0 ? `${path}, read whole, has code that runs something nobody can review (${signals.join(', ')})` : null;
}

/**
 * Files that can tell pip to install from a list, wherever they are in the repository: tox, setuptools and nox
 * configurations, Makefiles, shell scripts and composite actions (`action.yml`, whose steps' `run` a workflow runs),
 * Dockerfiles (`RUN pip install -r …`), Read the Docs' `python.install` `requirements:`, and conda's `environment.yml`
 * (its `pip:` list takes `-r`).
 */
const PIP_CALLER =
  /(?:^|\/)(?:tox\.(?:ini|toml)|setup\.cfg|pyproject\.toml|noxfile\.py|(?:gnu)?makefile|[^/]*\.(?:mk|sh|bash)|action\.ya?ml|\.readthedocs\.ya?ml|environment\.ya?ml)$/i;
/** What can tell pip to install from a list: the files above and Dockerfiles (also `Dockerfile.prod`). */
const callsPip = (path: string): boolean => PIP_CALLER.test(path) || DOCKERFILE.test(path);
/** Those read in all: each is a GitHub request. A repository with more cannot have a names-only list patched. */
const MAX_PIP_CALLER_READS = 48;
/** Workflow files read: each is a GitHub request. A repository with more cannot have a names-only list patched. */
const MAX_WORKFLOW_READS = 40;
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/i;

/**
 * One of `paths` (each a list of package names, as pip would read it) that a workflow (`pip install -r ci/deps.txt`),
 * tox (`deps = -r…`), setuptools (`dependencies = {file = […]}`), nox, a Makefile, a script or a composite action tells
 * pip to install from, and the file that says so; null when none does. When more files could say so than the reads
 * allow, or GitHub did not list them all, the first path is refused unread: what was not read could name it.
 */
async function requirementsConfiguring(paths: readonly string[], repository: RepositoryFiles): Promise<{ path: string; by: string } | null> {
  const listing = await repository.listAllFiles();
  const workflows = listing.paths.filter((path) => WORKFLOW.test(path));
  const callers = listing.paths.filter(callsPip);
  if (!listing.complete || callers.length > MAX_PIP_CALLER_READS || workflows.length > MAX_WORKFLOW_READS) {
    const counted = listing.complete ? `${callers.length} tool configurations, Makefiles, scripts and actions and ${workflows.length} workflows` : 'the files of a repository GitHub does not list whole';
    return { path: paths[0] as string, by: `one of ${counted}, more than are read,` };
  }
  let reads = callers.length;
  for (const source of [...callers, ...workflows]) {
    const content = await repository.readFile(source);
    const named = content === null ? undefined : paths.find((path) => namesRequirementFile(source, content, path));
    if (named) return { path: named, by: source };
    if (content === null || !DOCKERFILE.test(source)) continue;
    // A Dockerfile's pip reads paths in the image: mapped back through its COPY and ADD, and through the scripts it runs.
    const image = dockerfilePipReads(content);
    const reading: Array<{ by: string; read: { paths: string[]; unread: string[] } }> = [{ by: source, read: image }];
    for (const script of image.scripts) {
      if ((reads += 1) > MAX_PIP_CALLER_READS) return { path: paths[0] as string, by: `one of the scripts ${source} runs, more than are read,` };
      const text = await repository.readFile(script.path);
      if (text === null) continue;
      const read = pipReadsInImage(script.copies, script.workdir, text);
      reading.push({ by: `${script.path} (run by ${source})`, read: { ...read, paths: [...read.paths, ...paths.filter((path) => namesRequirementFile(script.path, text, path))] } });
    }
    for (const { by, read } of reading) {
      if (read.unread[0] !== undefined) return { path: paths[0] as string, by: `${by}, whose pip reads ${read.unread[0]} in the image (a file no COPY from the repository explains, so it may be this one),` };
      const inImage = paths.find((path) => read.paths.includes(path));
      if (inImage) return { path: inImage, by };
    }
  }
  return null;
}

/** The names a requirements file usually has, looked for at the repository's root and beside each file the patch touches. */
const REQUIREMENTS_ENTRY_NAMES = ['requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt', 'requirements-test.txt', 'test-requirements.txt', 'requirements.in', 'constraints.txt'];
/** Files read in all to follow `-r`/`-c`: each is a GitHub request, and a chain of requirements files is short. */
const MAX_REQUIREMENTS_READS = 24;

/**
 * One of `paths` that a requirements file names with `-r` or `-c`, directly or through others (`requirements.txt` →
 * `-r requirements/base.txt` → `-c ../pins.txt`), and the file that names it; null when none is. A file of package
 * names alone looks like a word list, so only what names it says pip reads it.
 */
async function requirementsNaming(paths: readonly string[], readFile: (path: string) => Promise<string | null>): Promise<{ path: string; by: string } | null> {
  const directories = new Set(['', ...paths.map((path) => (path.includes('/') ? `${path.slice(0, path.lastIndexOf('/'))}/` : ''))]);
  const queue = [...directories].flatMap((directory) => REQUIREMENTS_ENTRY_NAMES.map((name) => `${directory}${name}`));
  const read = new Set<string>();
  while (queue.length > 0 && read.size < MAX_REQUIREMENTS_READS) {
    const requirementsPath = queue.shift() as string;
    if (read.has(requirementsPath)) continue;
    read.add(requirementsPath);
    const content = await readFile(requirementsPath);
    if (content === null) continue;
    for (const referenced of referencedRequirementFiles(requirementsPath, content)) {
      if (paths.includes(referenced)) return { path: referenced, by: requirementsPath };
      // A file some requirements file names is read before the remaining guesses, which could spend every read.
      queue.unshift(referenced);
    }
  }
  return null;
}

/** The fix PR's description: what failed, why this should fix it, how sure we are, and that a human decides. */
export function fixPrBody(incident: Incident): string {
  const analysis = incident.analysis;
  const lines = [
    `Pipeline Guard proposes this change for the failure in ${link(`run ${incident.runId}`, incident.runUrl)}` +
      `${incident.pullRequest ? ` on #${incident.pullRequest}` : ''}.`,
    '',
    `**Root cause** (${escapeMarkdown(analysis?.provider ?? 'unknown')}, confidence ${(analysis?.confidence ?? 0).toFixed(2)}): ${escapeMarkdown(analysis?.rootCause ?? '')}`,
    '',
  ];
  if (analysis && analysis.evidence.length > 0) {
    lines.push('**Evidence from the job log**', '', codeBlock(analysis.evidence.slice(0, 10)), '');
  }
  if (analysis && analysis.fix.length > 0) {
    lines.push('**What the change does**', '', ...analysis.fix.slice(0, 10).map((step, i) => `${i + 1}. ${escapeMarkdown(step)}`), '');
  }
  lines.push(
    '> [!IMPORTANT]',
    '> Generated automatically and never merged by Pipeline Guard. Review it like any other change; close it if it is wrong.',
    '',
    `<sub>Incident \`${incident.id}\` · fingerprint \`${(incident.fingerprint ?? 'none').slice(0, 16)}\`</sub>`,
  );
  return lines.join('\n');
}
