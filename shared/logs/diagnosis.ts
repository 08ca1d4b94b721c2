/**
 * The root cause in one sentence, written from the evidence alone (no model): what failed (the exception and
 * its message, the test, the command), where (file:line, step, job), and the likely reason the matched rule
 * stands for, with a fix specific to that rule. When the evidence is weak (confidence below 0.5), or the leading
 * line is of no kind a rule can explain, it says so — "not determined", why, and the best candidates — instead of
 * dressing a guess up.
 *
 * Input is an analysis whose lines are already redacted; every quote is cut to one short line.
 */
import { taskPrefixLength } from './task-prefix.js';
import type { Category, Failure, LogAnalysis, LogLine, StepRef } from './types.js';

export interface Diagnosis {
  /** False when the evidence is too weak to name a cause (low confidence, or no rule explains the leading line). */
  determined: boolean;
  rootCause: string;
  /**
   * What failed in a few words, for a title: the test, or the compiler's or linter's message, and where
   * (`test \`Invoice › total\` failed in \`src/invoice.test.ts:43\``), quoting the log between backticks as
   * {@link rootCause} does, without the reason, step or job. Null when not determined, or when the rule knows nothing
   * shorter to say than its category.
   */
  summary: string | null;
  fix: string[];
  /** The best candidate lines (first line of each of the top failures), for a reader to judge. */
  candidates: LogLine[];
  confidence: number;
  step: StepRef | null;
}

/** Below this calibrated confidence the first line is wrong often enough that naming it a cause misleads. */
export const DETERMINED_CONFIDENCE = 0.5;
const QUOTE_CHARS = 200;
/** A quote in a {@link Diagnosis.summary}: a title names the test or message, the sentence below quotes it whole. */
const SHORT_QUOTE_CHARS = 100;
const MAX_CANDIDATES = 3;

/** Of a quote cut short, the share of its characters kept from the start; the rest comes from the end. */
const QUOTE_HEAD_SHARE = 0.6;

/** Where `part` (a piece of a cut line) may be cut within `limit` characters: after a space, else after a `/`. */
function breakAt(part: string, limit: number, fromEnd: boolean): number {
  for (const separator of [' ', '/']) {
    const at = fromEnd ? part.lastIndexOf(separator) : part.indexOf(separator);
    if (at >= 0 && (fromEnd ? part.length - at : at) < limit) return fromEnd ? at + (separator === '/' ? 1 : 0) : at + 1;
  }
  return -1;
}

/**
 * `text` on one line, at most `max` characters, cut between words (or after a path's `/`) when it costs less than
 * half of the room. A longer line loses its middle: tools write the reason last (Maven's `Failed to execute goal …
 * on project app: … (No space left on device)`, git's `… returned status code 128`), and keeping only the start hid
 * it, or ended the quote inside a word or a number (`status code 1…` for 128). A name (`keep: 'start'`, a step's
 * command line) keeps its start, as GitHub shows it.
 */
function quote(text: string, max = QUOTE_CHARS, keep: 'ends' | 'start' = 'ends'): string {
  const flat = text.replace(/\s+/g, ' ').trim().replace(/`/g, "'");
  if (flat.length <= max) return flat;
  const headRoom = keep === 'start' ? max - 1 : Math.ceil((max - 3) * QUOTE_HEAD_SHARE);
  let head = flat.slice(0, headRoom);
  if (flat[headRoom] !== ' ') {
    const cut = breakAt(head, headRoom / 2, true);
    if (cut > 0) head = head.slice(0, cut);
  }
  if (keep === 'start') return `${head.trimEnd()}…`;
  const tailRoom = max - 3 - headRoom;
  let tail = flat.slice(flat.length - tailRoom);
  if (flat[flat.length - tailRoom - 1] !== ' ') {
    const cut = breakAt(tail, tailRoom / 2, false);
    if (cut > 0) tail = tail.slice(cut);
  }
  return `${head.trimEnd()} … ${tail.trimStart()}`;
}

/**
 * Strips the markers CI and test runners put in front of the telling text (`##[error]`, a task runner's prefix
 * such as `web:lint: ` or `packages/core build: `, pytest's `E   `): the sentence quotes the tool as the rules read it.
 */
function bare(text: string): string {
  const unannotated = text.replace(/^##\[error\]/, '');
  return unannotated.slice(taskPrefixLength(unannotated)).replace(/^\s*E {2,}/, '').trim();
}

/**
 * `failure` with its lines as the tool printed them: without the task runner's prefix the rules read past. A learnt
 * name's prefix (`web: `) cannot be told from a line's own `error: ` by its shape, so the failure says which it is.
 */
function asPrinted(failure: Failure | undefined): Failure | undefined {
  const prefix = failure?.taskPrefix;
  if (failure === undefined || prefix === undefined) return failure;
  const strip = (l: LogLine): LogLine => (l.text.startsWith(prefix) ? { line: l.line, text: l.text.slice(prefix.length) } : l);
  return { ...failure, lines: failure.lines.map(strip), context: failure.context.map(strip) };
}

interface Facts {
  /** Where it failed, relative to the workspace when the path is under GitHub's. */
  file: string | null;
  /** {@link file} as the log wrote it. */
  written: string | null;
  line: number | null;
  exception: { type: string; message: string } | null;
  test: string | null;
  module: string | null;
  conflictMarker: boolean;
}

const PY_FRAME_RE = /^\s*File "([^"]+)", line (\d+)/;

const isNameChar = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46 || code === 64 || code === 43 || code === 45;
const isSeparator = (code: number) => code === 47 || code === 92;
const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isDigit = (code: number) => code >= 48 && code <= 57;

/** The line number of a location written right after a file name at `at`: `:12`, `(39,16)`, Maven's `:[27,122]`. */
function lineAfter(text: string, at: number, work: { steps: number }): number | null {
  let i = at;
  const opener = text.charCodeAt(i);
  if (opener !== 58 && opener !== 40) return null;
  i += 1;
  if (opener === 58 && text.charCodeAt(i) === 91) i += 1;
  const digitsFrom = i;
  while (i < text.length && isDigit(text.charCodeAt(i))) {
    work.steps += 1;
    i += 1;
  }
  return i > digitsFrom ? Number(text.slice(digitsFrom, i)) : null;
}

/**
 * The first `path/name.ext` followed by a line number in `text` (`src/a.ts:12:5`, `Foo.cs(39,16)`, Maven's
 * `App.java:[12,9]`), with where its name starts: folders of name characters (`\w . @ + -`) and single `/` or `\`,
 * then a name whose extension is 1 to 6 letters. `//` starts the path after it (a URL's host is not a folder).
 *
 * One pass over the line: a name ends where its run of name characters and separators ends, so each run is looked
 * at once. The regular expression this replaces tried every start inside a run and scanned it to its end from each,
 * which took seconds on one long line of dots and letters. `work.steps` counts the characters looked at.
 */
export function fileLocation(text: string, work: { steps: number } = { steps: 0 }): { file: string; line: number; index: number } | null {
  let i = 0;
  while (i < text.length) {
    work.steps += 1;
    const code = text.charCodeAt(i);
    if (!isNameChar(code) && !isSeparator(code)) {
      i += 1;
      continue;
    }
    // One run of name characters and separators, [runStart, end); where the path may start, after the last `//`.
    const runStart = i;
    let start = i;
    let lastSeparator = -1;
    while (i < text.length && (isNameChar(text.charCodeAt(i)) || isSeparator(text.charCodeAt(i)))) {
      work.steps += 1;
      if (isSeparator(text.charCodeAt(i))) {
        if (i > runStart && isSeparator(text.charCodeAt(i - 1))) start = i + 1;
        lastSeparator = i;
      }
      i += 1;
    }
    const end = i;
    if (start < end && isSeparator(text.charCodeAt(start))) start += 1;
    const line = lineAfter(text, end, work);
    if (line === null || start >= end || isSeparator(text.charCodeAt(end - 1))) continue;
    // The name (after the last separator) is at least one character, a dot and 1 to 6 letters.
    let letters = 0;
    while (letters <= 6 && end - letters - 1 >= start && isLetter(text.charCodeAt(end - letters - 1))) {
      work.steps += 1;
      letters += 1;
    }
    const dot = end - letters - 1;
    if (letters < 1 || letters > 6 || text.charCodeAt(dot) !== 46 || dot - 1 < Math.max(start, lastSeparator + 1)) continue;
    return { file: text.slice(start, end), line, index: start };
  }
  return null;
}
const EXCEPTION_RE = /^(?:[A-Za-z_][\w]*\.)*([A-Z]\w*(?:Error|Exception|Exit|Interrupt|Iteration|Warning|Failure|Fault))(?:: (.*))?$/;
const CONFLICT_RE = /^\s*(?:[<>]{7}|={7})(?:\s|$)|conflict marker|diff marker/i;

function testName(failure: Failure): string | null {
  const texts = [...failure.lines, ...failure.context].map((l) => l.text);
  for (const text of texts) {
    const m =
      /^_{3,} (?:ERROR collecting )?(\S.*?) _{3,}$/.exec(text) ??
      /(?:^|\s)(?:FAILED|ERROR) (\S+::\S+)/.exec(text) ??
      /--- FAIL: (\S+)/.exec(text) ??
      /^\s*● (.*\S|.)\s*$/.exec(text) ??
      /^\s*FAIL\s+\S+ > (.*\S|.)\s*$/.exec(text) ??
      /^\s*(\S+ > .+?) (?:FAILED|\*\*\* FAILED \*\*\*)$/.exec(text) ??
      /^---- (\S+) stdout ----$/.exec(text) ??
      /^test (\S+) \.\.\. FAILED$/.exec(text) ??
      /^\s*(?:FAIL|SIGSEGV|SIGABRT|TIMEOUT) \[\s*[\d.]+m?s\] (?:\(\s*\d+\/\d+\) )?(.*\S|.)\s*$/.exec(text) ??
      /^\s*not ok \d+ (?:- )?(.+)$/.exec(text) ??
      /^\s*\d+\) (.+?):?$/.exec(text);
    if (m?.[1]) return quote(m[1], 160);
  }
  return null;
}

function factsOf(failure: Failure): Facts {
  const head = bare(failure.lines[0]?.text ?? '');
  const all = failure.lines.map((l) => l.text);
  let file: string | null = null;
  let line: number | null = null;
  // The deepest Python frame names where the exception was raised.
  for (const text of all) {
    const frame = PY_FRAME_RE.exec(text);
    if (frame?.[1] && !/site-packages|dist-packages|^<|lib\/python\d/.test(frame[1])) {
      file = frame[1];
      line = Number(frame[2]);
    }
  }
  if (!file) {
    for (const text of [head, ...all]) {
      const cleaned = text.replace(/https?:\/\/\S+/g, '');
      const found = fileLocation(cleaned);
      if (found && !/^\d+\.\d+/.test(found.file)) {
        // The match starts at a name, without an absolute path's first slash: without it `/home/runner/work/app/app/`
        // was not taken off and read as a folder of the repository (`home/runner/work/app/app/src/a.ts`).
        file = cleaned[found.index - 1] === '/' ? `/${found.file}` : found.file;
        line = found.line;
        break;
      }
    }
  }
  const exceptionMatch = EXCEPTION_RE.exec(head);
  const module = /No module named ['"]?([\w.-]+)['"]?/.exec(head)?.[1] ?? /Cannot find (?:module|package) ['"]([^'"]+)['"]/.exec(head)?.[1] ?? null;
  return {
    written: file,
    file: file ? file.replace(/^(?:\/home\/runner\/work|\/__w|\/github\/workspace)\/[^/]+\/[^/]+\//, '') : null,
    line,
    exception: exceptionMatch?.[1] ? { type: exceptionMatch[1], message: quote(exceptionMatch[2] ?? '', 160) } : null,
    test: testName(failure),
    module,
    conflictMarker: all.some((text) => CONFLICT_RE.test(text)),
  };
}

function at(facts: Facts): string {
  return facts.file ? location(facts.file, facts.line) : '';
}

/** {@link at} for a summary: a path longer than a short quote keeps its end, where the file's name is. */
function shortAt(facts: Facts): string {
  if (!facts.file) return '';
  const file = facts.file.length > SHORT_QUOTE_CHARS ? `…${facts.file.slice(-(SHORT_QUOTE_CHARS - 1))}` : facts.file;
  return location(file, facts.line);
}

/** ` in \`file:line\``, the file's backticks read as quotes as {@link quote} reads them: the log names the file. */
function location(file: string, line: number | null): string {
  return ` in \`${file.replace(/`/g, "'")}${line ? `:${line}` : ''}\``;
}

function whereRun(step: StepRef | null, job: string | null): string {
  const parts: string[] = [];
  if (step) parts.push(`step ${step.number !== null ? `${step.number} ` : ''}"${quote(step.name, 80, 'start')}"`);
  if (job) parts.push(`job "${quote(job, 80, 'start')}"`);
  return parts.length ? ` (${parts.join(' of ')})` : '';
}

const FAMILY_FIX: Readonly<Record<Category, readonly string[]>> = {
  test_failure: ['Run the failing test locally and compare expected and actual values with the change under test.', 'Fix the code, or update the test if the new behaviour is intended.'],
  compilation: ['Fix the reported error at that location; check recent changes to the types, signatures or imports used there.'],
  lint: ["Fix the reported violation or run the linter's auto-fix, and commit the result."],
  dependency: ['Check that the package exists at the requested version and is reachable from CI; regenerate the lockfile if the manifest changed.'],
  infrastructure: ['Re-run the failed jobs; if it repeats, check the runner (disk, agent) and the service status page.'],
  timeout: ['Compare the step duration with earlier green runs to find what hung; look for waits without a timeout.'],
  out_of_memory: ['Lower parallelism or the working-set size, or raise the memory limit / use a larger runner.'],
  network: ['Re-run the failed jobs; if it repeats, check the remote service and add retries or a cache for the download.'],
  security_scan: ['Read the advisory, upgrade or replace the affected dependency, or record a reviewed suppression.'],
  configuration: ['Check the workflow, its inputs, secrets and permissions against the last green run.'],
  unknown: ['Read the candidate lines below in the log of the failed step and compare with the last green run.'],
};

/** With no candidate line to point at (an empty log, or one no rule read), "the candidate lines below" are none. */
const NO_CANDIDATE_FIX: readonly string[] = ['Read the end of the failed step\'s log, where a tool says why it stopped, and compare with the last green run.'];

/**
 * A test block's assertion (jest's `Expected:`, an `AssertionError`, go's `got … want …`) below its title line. The
 * got/want alternatives take the leading blanks, `E ` and the first `got`/`want` atomically (a lookahead group read
 * back), so a hostile line costs linear time; the leading `\s*` and `E\s+` still cross a line separator, as they did.
 */
const ASSERTION_RE = /^\s*(?:E\s+)?(?:expect\(|Expected\b|expected\b|AssertionError|assert\b|\w*(?:Error|Exception):|panicked at)|^(?=(\s*))\1(?:E(?=(\s+))\2)?(?=(.*?\bgot\b))\3.*\bwant\b|^(?=(\s*))\4(?:E(?=(\s+))\5)?(?=(.*?\bwant\b))\6.*\bgot\b/;

function assertionOf(failure: Failure): string | null {
  const body = failure.lines.slice(1);
  const expected = body.find((l) => /^\s*Expected\b[^\S\n\r\u2028\u2029]*\S.*:/.test(l.text) || /^\s*Expected: /.test(l.text));
  for (const l of expected ? [expected] : body) {
    if (!ASSERTION_RE.test(l.text)) continue;
    const received = failure.lines.find((r) => r.line > l.line && r.line <= l.line + 3 && /^\s*(?:Received|Actual|but was|got)\b/i.test(r.text));
    return quote(received ? `${bare(l.text)} ${bare(received.text)}` : bare(l.text), 160);
  }
  return null;
}

/** Words a runner's title line puts around a test's name (`FooTest > bar() FAILED`, `not ok 2 name`, `--- FAIL: Name`). */
const TITLE_WORDS = new Set(['fail', 'failed', 'failure', 'error', 'not', 'test', 'stdout']);

/** Whether `head` is only the title line of test `test`: quoted as the reason, it would repeat the test's name. */
function namesOnly(head: string, test: string): boolean {
  return (head.replace(test, ' ').match(/[A-Za-z]{3,}/g) ?? []).every((word) => TITLE_WORDS.has(word.toLowerCase()));
}

/**
 * The first line below a test's title line in its block: where runners print why it failed. Stack frames and a line
 * that is only the location the sentence names already (ExUnit's `test/x_test.exs:39` under the title) are passed.
 */
function lineAfterTitle(failure: Failure, facts: Facts): string | null {
  const title = failure.lines[0];
  if (!title) return null;
  const onlyLocation = (text: string) => facts.written !== null && text.startsWith(facts.written) && message(text, facts) === text;
  const next = [...failure.lines]
    .sort((a, b) => a.line - b.line)
    .find((l) => l.line > title.line && bare(l.text) !== '' && !/^\s*at\s/.test(l.text) && !onlyLocation(bare(l.text)));
  return next ? bare(next.text) : null;
}

/** A log level written before a message's location: `[error] ` (sbt), `[ERROR] ` (Maven), `ERROR: ` (tslint). */
const LEVEL_MARKER_RE = /^(?:\[(?:error|fatal)\]|(?:error|fatal):)$/i;

/**
 * The head without its own `file:line:col:` prefix (and a log level before it) when the sentence names the location
 * already: with the level, the location was said twice (`in \`/a/Hex.java:348\`: \`[ERROR] /a/Hex.java:348: …\``).
 */
function message(head: string, facts: Facts): string {
  if (!facts.written) return head;
  const at = head.indexOf(facts.written);
  if (at < 0 || (at > 3 && !LEVEL_MARKER_RE.test(head.slice(0, at).trim()))) return head;
  return head.slice(at + facts.written.length).replace(/^(?:[:(]\d+(?:[:,]\d+)?\)?|:\[\d+(?:,\d+)?\])+:?\s*/, '') || head;
}

/** Rule-specific sentence and fix; null when the rule has nothing more specific than its category. */
function specific(failure: Failure, facts: Facts): { what: string; fix: string[]; short?: string } | null {
  const line = bare(failure.lines[0]?.text ?? '');
  const full = quote(line);
  // The location comes off the whole line: a quote cut in its middle may have cut the path it starts with.
  const head = quote(message(line, facts));
  if (facts.conflictMarker) {
    return {
      what: `a merge-conflict marker was committed${at(facts)}`,
      short: `a merge-conflict marker was committed${shortAt(facts)}`,
      fix: [`Resolve the conflict${facts.file ? ` in \`${facts.file}\`` : ''}: remove the \`<<<<<<<\`, \`=======\` and \`>>>>>>>\` lines, keep the intended code, and commit.`],
    };
  }
  if (failure.category === 'out_of_memory') {
    if (/CUDA|GPU|cuBLAS|hipError|OOM when allocating|ResourceExhausted/i.test(head)) {
      return {
        what: `the GPU ran out of memory${at(facts)}: \`${head}\``,
        fix: ['Lower the batch size or model size for this runner, or free GPU memory between tests (e.g. `torch.cuda.empty_cache()`), or run on a GPU with more memory.'],
      };
    }
    if (/heap|JavaScript heap|OutOfMemoryError: Java heap/i.test(head)) {
      return {
        what: `the process ran out of heap memory: \`${head}\``,
        fix: ['Raise the heap limit (`NODE_OPTIONS=--max-old-space-size=…`, `-Xmx…`) or reduce what the step loads at once.'],
      };
    }
    return {
      what: /137|Killed|OOMKilled|signal: killed/i.test(head) ? `the process was killed by the out-of-memory killer (\`${head}\`)` : `the process ran out of memory: \`${head}\``,
      fix: ['Lower parallelism (test workers, build threads) or use a runner with more memory; check the change for unbounded memory use.'],
    };
  }
  if (facts.module && failure.category === 'dependency') {
    return {
      what: `the module \`${quote(facts.module, 100)}\` could not be imported${at(facts)}`,
      short: `the module \`${quote(facts.module, SHORT_QUOTE_CHARS)}\` could not be imported${shortAt(facts)}`,
      fix: [`Add \`${quote(facts.module, 100)}\` to the project's dependencies (and the lockfile), or fix the import if it was renamed.`],
    };
  }
  if (failure.rule === 'cloud.credentials' || (failure.category === 'configuration' && /credential|AccessDenied|not authorized|Bad credentials|Resource not accessible/i.test(head))) {
    return {
      what: `the job's credentials were refused: \`${head}\``,
      fix: [
        'Check the role or token the job uses: its permissions for this action, its trust policy (OIDC subject, audience) and whether it expired.',
        'For a pull request from a fork, secrets and write permissions are not available: run the step only on trusted events.',
      ],
    };
  }
  if (facts.exception && !['test_failure'].includes(failure.category)) {
    return {
      what: `\`${facts.exception.type}${facts.exception.message ? `: ${facts.exception.message}` : ''}\` was raised${at(facts)}`,
      short: `\`${quote(`${facts.exception.type}${facts.exception.message ? `: ${facts.exception.message}` : ''}`, SHORT_QUOTE_CHARS)}\` was raised${shortAt(facts)}`,
      fix: [...FAMILY_FIX[failure.category]],
    };
  }
  if (failure.category === 'test_failure') {
    // A title line that only names the test is no reason: the line below it may be, else the sentence names the test alone.
    const titleOnly = facts.test !== null && full.includes(facts.test) && namesOnly(full, facts.test);
    const reason = facts.exception
      ? `${facts.exception.type}${facts.exception.message ? `: ${facts.exception.message}` : ''}`
      : facts.test && full.includes(facts.test)
        ? (assertionOf(failure) ?? (titleOnly ? lineAfterTitle(failure, facts) : head))
        : head;
    const why = reason ? `: \`${quote(reason, 160)}\`` : '';
    const collecting = failure.lines.some((l) => /^_{3,} ERROR collecting /.test(l.text)) || /^_{3,} ERROR collecting /.test(failure.context[0]?.text ?? '');
    const test = facts.test ? quote(facts.test, SHORT_QUOTE_CHARS) : null;
    if (collecting && facts.test) {
      return { what: `collecting the tests of \`${facts.test}\` failed${at(facts)}${why}`, fix: [...FAMILY_FIX.test_failure], short: `collecting the tests of \`${test}\` failed${shortAt(facts)}` };
    }
    return {
      what: facts.test ? `test \`${facts.test}\` failed${at(facts)}${why}` : `a test failed${at(facts)}${why}`,
      fix: [...FAMILY_FIX.test_failure],
      ...(test || facts.file ? { short: test ? `test \`${test}\` failed${shortAt(facts)}` : `a test failed${shortAt(facts)}` } : {}),
    };
  }
  const shortHead = quote(message(line, facts), SHORT_QUOTE_CHARS);
  if (failure.category === 'compilation') {
    return { what: `the code does not compile${at(facts)}: \`${head}\``, fix: [...FAMILY_FIX.compilation], short: `the code does not compile${shortAt(facts)}: \`${shortHead}\`` };
  }
  if (failure.category === 'lint') return { what: `a lint check failed${at(facts)}: \`${head}\``, fix: [...FAMILY_FIX.lint], short: `a lint check failed${shortAt(facts)}: \`${shortHead}\`` };
  if (failure.category === 'dependency') return { what: `dependencies could not be installed: \`${head}\``, fix: [...FAMILY_FIX.dependency] };
  if (failure.category === 'network') return { what: `a network request failed: \`${head}\``, fix: [...FAMILY_FIX.network] };
  if (failure.category === 'timeout') return { what: `the job or a step hit its time limit or was cancelled: \`${head}\``, fix: [...FAMILY_FIX.timeout] };
  if (failure.category === 'infrastructure') return { what: `the runner or CI platform failed: \`${head}\``, fix: [...FAMILY_FIX.infrastructure] };
  if (failure.category === 'security_scan') return { what: `a security scan reported findings: \`${head}\``, fix: [...FAMILY_FIX.security_scan] };
  if (failure.category === 'configuration') return { what: `the pipeline configuration is wrong: \`${head}\``, fix: [...FAMILY_FIX.configuration] };
  return null;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The diagnosis of one job's analysis. `job` names the job for the sentence; the step comes from the analysis.
 */
export function diagnose(analysis: LogAnalysis, context: { job?: string | null } = {}): Diagnosis {
  const top = asPrinted(analysis.failures[0]);
  const step = top?.step ?? analysis.step ?? null;
  const job = context.job ?? null;
  const confidence = analysis.confidence ?? 0;
  const candidates = analysis.failures
    .slice(0, MAX_CANDIDATES)
    .map((f) => f.lines[0])
    .filter((l): l is LogLine => l !== undefined)
    .map((l) => ({ line: l.line, text: quote(l.text) }));
  if (!top) {
    return {
      determined: false,
      rootCause: `Root cause not determined: no line of the log${whereRun(step, job)} matched a known failure format.`,
      summary: null,
      fix: [...NO_CANDIDATE_FIX],
      candidates,
      confidence: 0,
      step,
    };
  }
  const facts = factsOf(top);
  const found = specific(top, facts);
  if (!found || confidence < DETERMINED_CONFIDENCE) {
    const best = candidates[0];
    // Two reasons, said apart: a confidence of 0.5 or more with a line of no known kind is not weak evidence.
    const why = confidence < DETERMINED_CONFIDENCE ? 'the evidence is weak' : 'no rule says what kind of failure its leading line is';
    return {
      determined: false,
      rootCause:
        `Root cause not determined${whereRun(step, job)}: ${why}` +
        (best ? `; the most likely line is ${best.line}: \`${best.text}\`.` : '.'),
      summary: null,
      fix: [...FAMILY_FIX.unknown],
      candidates,
      confidence,
      step,
    };
  }
  return {
    determined: true,
    rootCause: `${capitalised(found.what)}${whereRun(step, job)}.`,
    summary: found.short ? capitalised(found.short) : null,
    fix: found.fix,
    candidates,
    confidence,
    step,
  };
}
