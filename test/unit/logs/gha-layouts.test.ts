import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCANNER_TRIGGERS } from '../../../shared/logs/dispatch.js';
import { analyzeLog, LogScanner, predictionLines } from '../../../shared/logs/index.js';
import { LineFilter } from '../../../shared/logs/line-filter.js';
import { forEachLine, type LineGate } from '../../../shared/logs/reader.js';
import { analyzedBothWays, restoreFastPaths } from '../../support/fast-paths.js';

/*
 * The corpus's failures in the other layouts they reach the analyzer in. Each labelled log of
 * `test/fixtures/gha-real-tools/` (a GitHub Actions job log as the REST API's download gives it) and of
 * `test/fixtures/jenkins-real-tools/` is re-laid, its labels mapped through the same transform, and the analyzer
 * must still put a gold line first and list the block lines (the fixtures' README's section "Session 60: the same failures in
 * other layouts" gives the sources of each layout and the counts).
 */

const FIXTURE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

interface LabelledLog {
  file: string;
  gold: number[];
  block: number[];
  extent: Array<[number, number]>;
  open?: string;
}

/** A log re-laid: its text, and where each of the original's lines went (null: the layout leaves it out). */
interface Relaid {
  text: string;
  lineOf: (original: number) => number | null;
}

interface Layout {
  name: string;
  /** Which folder's logs it re-lays. */
  folder: 'gha-real-tools' | 'jenkins-real-tools';
  relay: (lines: readonly string[]) => Relaid;
}

const SAME_LINE = (original: number): number => original;
const BOM = '\uFEFF';
const GHA_TIMESTAMP_RE = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
/** A matrix job's name, as the jobs API and `gh` give it. */
const JOB_NAME = 'build (ubuntu-latest, 22)';

/** A step of a job log, with the name the jobs API gives it and its lines (0-based, inclusive). */
interface Step {
  name: string;
  from: number;
  to: number;
}

/**
 * Where the runner's steps start in a job log: `Set up job` up to the first `##[group]Run …` header, one step per
 * header (named `Run <what the header shows>`, as GitHub names a step without `name:`), `Post job cleanup.` opening
 * a post step (named after the last action run, `Post Run actions/checkout@v4`) and `Cleaning up orphan processes`
 * opening `Complete job`. `lines` holds the file's lines, without the empty one after its last line break.
 */
function stepsOf(lines: readonly string[]): Step[] {
  const starts: Array<{ name: string; from: number }> = [{ name: 'Set up job', from: 0 }];
  let lastAction = 'actions/checkout@v4';
  lines.forEach((raw, i) => {
    const text = raw.replace(GHA_TIMESTAMP_RE, '');
    if (text.startsWith('##[group]Run ')) {
      const what = text.slice('##[group]Run '.length).trimEnd();
      if (/^[\w.-]+\/[\w./-]+@\S+$/.test(what)) lastAction = what;
      starts.push({ name: `Run ${what}`, from: i });
    } else if (text.startsWith('Post job cleanup.')) starts.push({ name: `Post Run ${lastAction}`, from: i });
    else if (text.startsWith('Cleaning up orphan processes')) starts.push({ name: 'Complete job', from: i });
  });
  const distinct = starts.filter((step, i) => i === 0 || step.from > starts[i - 1]!.from);
  return distinct.map((step, i) => ({ ...step, to: (distinct[i + 1]?.from ?? lines.length) - 1 }));
}

/**
 * The step that failed the job: the one holding the runner's last `##[error]Process completed with exit code N.` (a
 * step before it that failed under `continue-on-error: true` concluded `success`, and `--log-failed` leaves it out),
 * or, in a job with none (a step the runner cancelled or timed out, an action's core.setFailed), the last
 * `##[error]` line's.
 */
function failedStep(lines: readonly string[], steps: readonly Step[]): Step | null {
  const bodies = lines.map((raw) => raw.replace(GHA_TIMESTAMP_RE, ''));
  const exit = bodies.findLastIndex((body) => body.startsWith('##[error]Process completed with exit code'));
  const at = exit !== -1 ? exit : bodies.findLastIndex((body) => body.startsWith('##[error]'));
  return at === -1 ? null : (steps.find((step) => at >= step.from && at <= step.to) ?? null);
}

/** A file's lines as a line-by-line reader (Go's `bufio.Scanner`, `cat | while read`) sees them: no empty last one. */
function fileLines(lines: readonly string[]): readonly string[] {
  return lines.length > 0 && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
}

/**
 * The step's file in the log archive (`<job>/<N>_<step>.txt`): its lines of the job log, the first one behind the
 * BOM the job log opens with (assumed of every file: a reader must cope with it anywhere a file starts).
 */
function stepFile(lines: readonly string[], step: Step): string[] {
  return lines.slice(step.from, step.to + 1).map((raw, k) => (k === 0 && !raw.startsWith(BOM) ? BOM + raw : raw));
}

/** What `gh` prints of a log file's line: `job<TAB>step<TAB>` and the line, whose `\r` Go's `bufio.Scanner` drops. */
function ghLine(job: string, step: string, raw: string): string {
  return `${job}\t${step}\t${raw.endsWith('\r') ? raw.slice(0, -1) : raw}`;
}

/** `gh run view --log` of a job whose archive holds per-step files: each step's file, behind its name, in step order. */
function ghStepFiles(job: string, lines: readonly string[], steps: readonly Step[]): string[] {
  return steps.flatMap((step) => stepFile(lines, step).map((raw) => ghLine(job, step.name, raw)));
}

/** Every line ended by `\r\n`. */
function withCrlf(lines: readonly string[]): Relaid {
  return { text: lines.map((raw, i) => (i === lines.length - 1 ? raw : `${raw}\r`)).join('\n'), lineOf: SAME_LINE };
}

/** The lines of the file, one per line, each ended by a line break. */
function joined(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

const LAYOUTS: Layout[] = [
  {
    // gh 2.70+ when the run's log archive holds no per-step files (cli/cli#10551, #10740): the job's whole log,
    // every line behind `job<TAB>UNKNOWN STEP<TAB>`. `--log-failed` prints the same for a failed job.
    name: 'gh run view --log, no step logs (UNKNOWN STEP)',
    folder: 'gha-real-tools',
    relay: (lines) => ({ text: joined(fileLines(lines).map((raw) => ghLine(JOB_NAME, 'UNKNOWN STEP', raw))), lineOf: SAME_LINE }),
  },
  {
    // The archive's per-step files, each line behind `job<TAB>step<TAB>`, in step order.
    name: 'gh run view --log, per-step logs',
    folder: 'gha-real-tools',
    relay: (lines) => {
      const file = fileLines(lines);
      return { text: joined(ghStepFiles(JOB_NAME, file, stepsOf(file))), lineOf: SAME_LINE };
    },
  },
  {
    // `--log-failed` with per-step files: only the failed steps of the failed jobs.
    name: 'gh run view --log-failed, per-step logs',
    folder: 'gha-real-tools',
    relay: (lines) => {
      const file = fileLines(lines);
      const step = failedStep(file, stepsOf(file));
      if (step === null) return { text: '', lineOf: () => null };
      return {
        text: joined(ghStepFiles(JOB_NAME, file, [step])),
        lineOf: (original) => (original - 1 >= step.from && original - 1 <= step.to ? original - step.from : null),
      };
    },
  },
  {
    // `gh run view <run> --log` prints every job of the run, one after the other: here a job that passed (the same
    // runner's set-up, checkout and toolchain steps, then its post steps), its archive holding per-step files, before
    // the one that failed, whose archive does not (gh decides per job).
    name: 'gh run view --log of a run, a passed job first',
    folder: 'gha-real-tools',
    relay: (lines) => {
      const file = fileLines(lines);
      const steps = stepsOf(file);
      const failed = failedStep(file, steps);
      if (failed === null) return { text: '', lineOf: () => null };
      const passedJob = ghStepFiles('lint', file, steps.filter((step) => step !== failed));
      const failedJob = file.map((raw) => ghLine(JOB_NAME, 'UNKNOWN STEP', raw));
      return { text: joined([...passedJob, ...failedJob]), lineOf: (original) => original + passedJob.length };
    },
  },
  {
    // The same run with the jobs the other way round: the failed job (without per-step files) first.
    name: 'gh run view --log of a run, a passed job after',
    folder: 'gha-real-tools',
    relay: (lines) => {
      const file = fileLines(lines);
      const steps = stepsOf(file);
      const failed = failedStep(file, steps);
      if (failed === null) return { text: '', lineOf: () => null };
      const failedJob = file.map((raw) => ghLine(JOB_NAME, 'UNKNOWN STEP', raw));
      const passedJob = ghStepFiles('lint', file, steps.filter((step) => step !== failed));
      return { text: joined([...failedJob, ...passedJob]), lineOf: SAME_LINE };
    },
  },
  {
    // What a reader copies from the job's page: the text without the timestamps (and without the BOM).
    name: 'no timestamps (copied from the web UI)',
    folder: 'gha-real-tools',
    relay: (lines) => ({ text: lines.map((raw) => raw.replace(GHA_TIMESTAMP_RE, '')).join('\n'), lineOf: SAME_LINE }),
  },
  { name: 'CRLF line ends', folder: 'gha-real-tools', relay: withCrlf },
  {
    // `cat <job>/*.txt` over the "Download log archive" zip: each step's file opens with the BOM the job log opens with.
    name: "log archive's per-step files concatenated",
    folder: 'gha-real-tools',
    relay: (lines) => {
      const file = fileLines(lines);
      return { text: joined(stepsOf(file).flatMap((step) => stepFile(file, step))), lineOf: SAME_LINE };
    },
  },
  {
    // Timestamper's Pipeline prefix (`[2024-05-01T10:11:12.345Z] `) added to a log without it, removed from one with
    // it (or with the console page's `12:34:56  `).
    name: "Jenkins with Timestamper's prefix toggled",
    folder: 'jenkins-real-tools',
    relay: (lines) => {
      const stamped = lines.some((raw) => /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\](?: |$)|^\d\d:\d\d:\d\d {2}/.test(raw));
      const out = lines.map((raw, i) => {
        if (stamped) return raw.replace(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\](?: |$)|^\d\d:\d\d:\d\d(?: {2}|\s*$)/, '');
        if (i === lines.length - 1 && raw === '') return raw;
        const ms = String(i % 1000).padStart(3, '0');
        return `[2026-11-28T13:52:${String(10 + Math.floor(i / 1000)).padStart(2, '0')}.${ms}Z] ${raw}`;
      });
      return { text: out.join('\n'), lineOf: SAME_LINE };
    },
  },
  {
    // A copy of the console page with Timestamper's system clock format: `12:34:56  ` before each line.
    name: "Jenkins with the console page's clock prefix",
    folder: 'jenkins-real-tools',
    relay: (lines) => {
      const out = lines.map((raw, i) => {
        const bare = raw.replace(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\](?: |$)|^\d\d:\d\d:\d\d(?: {2}|\s*$)/, '');
        return i === lines.length - 1 && bare === '' ? bare : `13:52:${String(10 + Math.floor(i / 100)).padStart(2, '0')}  ${bare}`;
      });
      return { text: out.join('\n'), lineOf: SAME_LINE };
    },
  },
  // A Windows agent's `bat` steps print CRLF line ends, and Jenkins keeps them.
  { name: 'Jenkins with CRLF line ends', folder: 'jenkins-real-tools', relay: withCrlf },
];

interface Outcome {
  file: string;
  /** Whether the layout keeps any gold line (a `--log-failed` leaves out the steps that passed). */
  applies: boolean;
  goldFirst: boolean;
  blockListed: number;
  blockTotal: number;
  outsideExtents: number;
  first: number | null;
  missing: number[];
  /** The step the first failure is put in. */
  step: string | null;
}

/** The log of `log` in `layout`. */
function relaid(layout: Layout, log: LabelledLog): Relaid {
  return layout.relay(readFileSync(resolve(FIXTURE_ROOT, layout.folder, log.file), 'utf8').split('\n'));
}

async function outcomeOf(layout: Layout, log: LabelledLog): Promise<Outcome> {
  const { text, lineOf } = relaid(layout, log);
  const mapped = (list: readonly number[]): number[] => list.map(lineOf).filter((l): l is number => l !== null);
  const gold = mapped(log.gold);
  const block = mapped(log.block);
  const extents = log.extent.map(([from, to]) => mapped(Array.from({ length: to - from + 1 }, (_, k) => from + k)));
  if (gold.length === 0) return { file: log.file, applies: false, goldFirst: false, blockListed: 0, blockTotal: 0, outsideExtents: 0, first: null, missing: [], step: null };
  const analysis = await analyzeLog(Buffer.from(text, 'utf8'));
  const predicted = predictionLines(analysis);
  const first = analysis.failures[0]?.lines[0]?.line ?? null;
  const missing = block.filter((l) => !predicted.includes(l));
  const outside = predicted.filter((l) => !extents.some((range) => range.includes(l)));
  return {
    file: log.file,
    applies: true,
    goldFirst: first !== null && gold.includes(first),
    blockListed: block.length - missing.length,
    blockTotal: block.length,
    outsideExtents: outside.length,
    first,
    missing,
    step: analysis.failures[0]?.step?.name ?? null,
  };
}

const LOGS: Record<Layout['folder'], LabelledLog[]> = {
  'gha-real-tools': JSON.parse(readFileSync(resolve(FIXTURE_ROOT, 'gha-real-tools/index.json'), 'utf8')),
  'jenkins-real-tools': JSON.parse(readFileSync(resolve(FIXTURE_ROOT, 'jenkins-real-tools/index.json'), 'utf8')),
};

/** Each layout's outcomes over the logs the job-log layout already gets right (an `open` row is a miss there too). */
const OUTCOMES = new Map<Layout, Outcome[]>();
for (const layout of LAYOUTS) {
  const outcomes: Outcome[] = [];
  for (const log of LOGS[layout.folder]) if (log.open === undefined) outcomes.push(await outcomeOf(layout, log));
  OUTCOMES.set(layout, outcomes);
}

/** The step the job log's first failure is put in, per GitHub Actions log: a layout must name the same. */
const JOB_LOG_STEPS = new Map<string, string | null>();
for (const log of LOGS['gha-real-tools']) {
  const analysis = await analyzeLog(readFileSync(resolve(FIXTURE_ROOT, 'gha-real-tools', log.file)));
  JOB_LOG_STEPS.set(log.file, analysis.failures[0]?.step?.name ?? null);
}

/** `name: gold first a/n, block lines b/m, lines outside the reports k` for the describe title and the README. */
function tally(layout: Layout): string {
  const applying = OUTCOMES.get(layout)!.filter((o) => o.applies);
  const sum = (f: (o: Outcome) => number): number => applying.reduce((s, o) => s + f(o), 0);
  return `${layout.name}: gold first ${applying.filter((o) => o.goldFirst).length}/${applying.length}, block lines ${sum((o) => o.blockListed)}/${sum((o) => o.blockTotal)}, outside the reports ${sum((o) => o.outsideExtents)}`;
}

/**
 * `log` in `layout` analysed both ways (see {@link analyzedBothWays}), for the layouts of gh's fast-path tests below
 * kept from the first test that asks: those tests compare the whole analyses of every fifth log, the tests over
 * every log compare their failures, and each analysed the same text the same two ways (~2.4 s of CPU a run).
 */
type BothWays = Awaited<ReturnType<typeof analyzedBothWays>>;
const bothWaysKept = new Map<string, BothWays>();
async function bothWays(layout: Layout, log: LabelledLog): Promise<BothWays> {
  const key = `${layout.name}\n${log.file}`;
  const known = bothWaysKept.get(key);
  if (known !== undefined) return known;
  const analyses = await analyzedBothWays(Buffer.from(relaid(layout, log).text, 'utf8'));
  if (isGhLayout(layout) && LOGS[layout.folder].indexOf(log) % 5 === 0) bothWaysKept.set(key, analyses);
  return analyses;
}

/** The layouts `gh run view` prints. */
function isGhLayout(layout: Layout): boolean {
  return layout.name.startsWith('gh run view');
}

describe("the corpus's failures in other layouts, with the fast paths forced on", () => {
  afterEach(restoreFastPaths);

  for (const layout of LAYOUTS) {
    it(`finds what reading every line with every rule finds: ${layout.name}`, async () => {
      for (const log of LOGS[layout.folder]) {
        // Act: each failure, as failuresBothWays compares them (everything a failure says but the analysis's timing).
        const { everyLine, fast } = await bothWays(layout, log);
        // Assert
        expect(fast.failures, log.file).toEqual(everyLine.failures);
      }
    }, 60_000);
  }
});

describe(`the corpus's failures in other layouts (${LAYOUTS.map(tally).join('; ')})`, () => {
  for (const layout of LAYOUTS) {
    describe(layout.name, () => {
      it('re-lays every log of the folder the job log gets right, each changed, each keeping a gold line', () => {
        const outcomes = OUTCOMES.get(layout)!;
        expect(outcomes.length).toBe(LOGS[layout.folder].filter((log) => log.open === undefined).length);
        expect(outcomes.length).toBeGreaterThanOrEqual(layout.folder === 'gha-real-tools' ? 200 : 10);
        expect(outcomes.filter((o) => !o.applies).map((o) => o.file)).toEqual([]);
        for (const log of LOGS[layout.folder]) {
          expect(relaid(layout, log).text, log.file).not.toBe(readFileSync(resolve(FIXTURE_ROOT, layout.folder, log.file), 'utf8'));
        }
      });
      for (const outcome of OUTCOMES.get(layout)!) {
        it(outcome.file, () => {
          expect(outcome.goldFirst, `the first failure's first line, ${outcome.first}, is a gold line`).toBe(true);
          expect(outcome.missing, 'block lines the prediction leaves out').toEqual([]);
          if (layout.folder === 'gha-real-tools') expect(outcome.step, "the first failure's step").toBe(JOB_LOG_STEPS.get(outcome.file));
        });
      }
    });
  }
});

describe("gh's layouts on the line filter's fast path (session 62)", () => {
  afterEach(restoreFastPaths);
  const GH_LAYOUTS = LAYOUTS.filter(isGhLayout);

  for (const layout of GH_LAYOUTS) {
    it(`gives the whole analysis that reading every line gives, every fifth log: ${layout.name}`, async () => {
      const logs = LOGS[layout.folder].filter((_, k) => k % 5 === 0);
      for (const log of logs) {
        // Act
        const { everyLine, fast } = await bothWays(layout, log);
        // Assert
        expect(fast, log.file).toEqual(everyLine);
      }
      expect(logs.length).toBeGreaterThanOrEqual(40);
    }, 120_000);
  }

  it('gives what reading every line gives where columns change, lose their timestamp, or quote another step, mid-chunk', async () => {
    // Arrange: ordinary lines between failures, with every kind of line the scanner must read rather than take unread.
    const ts = '2024-05-01T10:11:12.1234567Z';
    const lines: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const step = k < 1000 ? 'Run tests' : k < 2000 ? 'Run lint' : 'UNKNOWN STEP';
      const job = k < 2500 ? 'build' : 'lint';
      const text = k % 97 === 5 ? `src/app.ts(${k},3): error TS2322: Type 'string' is not assignable to type 'number'.` : `ordinary output ${k}`;
      // Just above a failure's first line, where its text is the failure's context; a step between failures.
      if (k % 97 === 4) lines.push(`${job}\t${step}\tno timestamp here: ${text}`);
      else if (k % 291 === 50) lines.push(`${job}\tRun build\t${ts} quoted: ${text}`);
      else if (k % 97 === 3) lines.push(`${job}\t${step}\t\uFEFF${ts.slice(0, 19)}Z ${text}`);
      else lines.push(`${job}\t${step}\t${ts} ${text}`);
    }
    // Act
    const { everyLine, fast } = await analyzedBothWays(Buffer.from(lines.join('\n'), 'utf8'));
    // Assert
    expect(fast).toEqual(everyLine);
    expect(everyLine.failures.length).toBeGreaterThan(0);
  }, 60_000);

  it('takes most lines of a gh-layout log unread, behind their columns, and reads each line whose columns change', async () => {
    // Arrange: every fourth corpus log in gh's per-step layout, one after another under two jobs.
    const layout = GH_LAYOUTS.find((l) => l.name === 'gh run view --log, per-step logs')!;
    const logs = LOGS['gha-real-tools'].filter((_, k) => k % 4 === 0);
    const text = logs.map((log, k) => relaid(layout, log).text.replaceAll(`${JOB_NAME}\t`, `${k % 2 === 0 ? JOB_NAME : 'lint'}\t`)).join('\n');
    const bytes = Buffer.from(text, 'utf8');
    const lines = text.split('\n');
    const scanner = new LogScanner();
    const taken: number[] = [];
    // One filter for the read, as the analyzer keeps one a process: the reader asks for it at every chunk, and a new
    // one a chunk (~5.6 ms each, its automata and WebAssembly pass set up again) was most of this test's time.
    const lineFilter = new LineFilter(SCANNER_TRIGGERS);
    const gate: LineGate = {
      filter: () => lineFilter,
      skip: (line, chunk, start, end) => scanner.skip(line, chunk, start, end) && taken.push(line) > 0,
      release: (memory) => scanner.release(memory),
    };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 4096) yield bytes.subarray(at, at + 4096);
    }
    // Act
    await forEachLine(chunks(), (line, clean, raw) => scanner.push(line, clean, raw), Number.POSITIVE_INFINITY, gate);
    // Assert: a line whose job or step column differs from the line before's is never taken unread.
    const columns = (line: number): string => (lines[line - 1] ?? '').split('\t').slice(0, 2).join('\t');
    expect(taken.filter((line) => line > 1 && columns(line) !== columns(line - 1))).toEqual([]);
    // Before session 62 none was: the scanner read every line of gh's layout (3457 of 7519 here; corpus logs are failure-dense).
    expect(taken.length).toBeGreaterThan(lines.length / 4);
  }, 120_000);
});
