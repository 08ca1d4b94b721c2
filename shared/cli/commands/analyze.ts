import { open } from 'node:fs/promises';
import { analyzeLog, diagnose, LogBaseline, type Diagnosis, type LogAnalysis, type LogSource } from '../../logs/index.js';
import { intOption, parseArgs, UsageError } from '../args.js';
import { withKeptIndex } from '../index-cache.js';
import { type CliIO, fileChunks, nonTextKind, regularFile, textOf, type Utf16Encoding, utf16Encoding, utf8FromUtf16 } from '../io.js';
import { ANALYZE_META } from './meta.js';
import type { Command } from './types.js';

/**
 * Why a file is not a text log, from its first bytes ({@link nonTextKind}); null for text. `gunzip` is the command
 * that decompresses it into what was asked for: the default fits a log named on the command line; standard input and
 * a `--baseline` are read differently, and a hint to run `gunzip -c stdin` or to analyse the green run as the
 * failure would mislead.
 */
export function notATextLog(head: Uint8Array, path: string, gunzip = `gunzip -c ${path} | guard analyze -`): string | null {
  switch (nonTextKind(head)) {
    case 'gzip':
      return `${path} is a gzip archive: decompress it first (${gunzip})`;
    case 'zip':
      return `${path} is a zip archive (GitHub's "Download log archive" gives one): unzip it and analyse a job's .txt log`;
    case 'binary':
      return `${path} looks binary (NUL bytes), not a text log: give it the job's log as text (GitHub: the job's raw log, or gh run view <run> --log-failed)`;
    case null:
      return null;
  }
}

/**
 * Logs up to this size are read whole, not streamed: Node loads a file stream's modules on first use (~12M
 * instructions, 5 % of `guard analyze`'s start-up on a small log), and one job's log is usually far smaller.
 */
const READ_WHOLE_BYTES = 1024 * 1024;

/** A log to analyse, and its size when known before reading it (a file's; not stdin's). */
export interface OpenedLog {
  source: LogSource;
  size: number | undefined;
}

/**
 * Opens `path` (`-` is stdin) after checking it is a readable text file, with a one-line reason if not: its bytes
 * when it is small, else its chunks. A UTF-16 log (PowerShell's `>` writes one) is read as UTF-8; its size is then
 * not known ahead.
 */
export async function openLog(path: string, io: CliIO, gunzip?: string): Promise<OpenedLog> {
  if (path === '-') return { source: checkedStdin(io.stdin, gunzip), size: undefined };
  await regularFile(path);
  const file = await open(path, 'r');
  let size: number;
  let encoding: Utf16Encoding | null;
  try {
    const head = new Uint8Array(8192);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const reason = notATextLog(head.subarray(0, bytesRead), path, gunzip);
    if (reason) throw new Error(reason);
    encoding = utf16Encoding(head.subarray(0, bytesRead));
    size = (await file.stat()).size;
    if (size <= READ_WHOLE_BYTES) {
      const bytes = await file.readFile();
      return encoding ? { source: textOf(bytes), size: undefined } : { source: bytes, size };
    }
  } finally {
    await file.close();
  }
  return encoding ? { source: utf8FromUtf16(fileChunks(path), encoding), size: undefined } : { source: fileChunks(path), size };
}

/** Standard input, refused with the same reasons as a file (an archive, binary) once its first chunk arrives. */
async function* checkedStdin(stdin: AsyncIterable<Uint8Array | string>, gunzip = 'pipe it through gunzip -c into guard analyze -'): AsyncGenerator<Uint8Array | string> {
  const chunks = stdin[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const all = (async function* () {
    yield first.value;
    yield* { [Symbol.asyncIterator]: () => chunks };
  })();
  // A string chunk was decoded already (stdin set to an encoding): there are no bytes to look at.
  if (typeof first.value === 'string') {
    yield* all;
    return;
  }
  const head = first.value.subarray(0, 8192);
  const reason = notATextLog(head, 'stdin', gunzip);
  if (reason) throw new Error(reason);
  const encoding = utf16Encoding(head);
  yield* encoding ? utf8FromUtf16(all, encoding) : all;
}

/** What `guard analyze --json` prints and the classify stage stores: the analysis and its diagnosis. */
export function analysisReport(analysis: LogAnalysis, diagnosis: Diagnosis) {
  return {
    ...analysis,
    step: diagnosis.step,
    confidence: diagnosis.confidence,
    determined: diagnosis.determined,
    rootCause: diagnosis.rootCause,
    fix: diagnosis.fix,
  };
}

function render(analysis: LogAnalysis, diagnosis: Diagnosis, source: string): string {
  const out: string[] = [];
  const n = analysis.failures.length;
  out.push(
    `${source}: ${analysis.lineCount} lines, ${analysis.bytesRead} bytes${analysis.truncated ? ' (truncated)' : ''}`,
    `category: ${analysis.category}   confidence: ${diagnosis.confidence}   fingerprint: ${analysis.fingerprint}   ${n} failure${n === 1 ? '' : 's'}`,
  );
  if (diagnosis.step) out.push(`step: ${diagnosis.step.number !== null ? `${diagnosis.step.number} ` : ''}${diagnosis.step.name}`);
  // An undetermined diagnosis opens with "Root cause not determined": after the label it read "root cause: Root cause …".
  out.push(`root cause: ${diagnosis.determined ? diagnosis.rootCause : diagnosis.rootCause.replace(/^Root cause not determined/, 'not determined')}`);
  for (const step of diagnosis.fix) out.push(`fix: ${step}`);
  if (analysis.evidence) out.push(`evidence: line ${analysis.evidence.line}: ${analysis.evidence.text.trim()}`);
  analysis.failures.forEach((f, i) => {
    const range = f.startLine === f.endLine ? `line ${f.startLine}` : `lines ${f.startLine}-${f.endLine}`;
    const seen = f.occurrences ? `, seen ${f.occurrences}×` : '';
    out.push('', `#${i + 1} ${f.category} · ${f.rule} · ${range} · fingerprint ${f.fingerprint} · score ${f.score}${seen}`);
    // A failure's lines come most telling first: the first 20 of them, shown in log order. The 20 earliest hid the
    // line that explains a long block when it comes late (a traceback's exception, a test's compiler error).
    const shown = f.lines.slice(0, 20).sort((a, b) => a.line - b.line);
    const width = String(f.endLine).length;
    for (const l of shown) out.push(`  ${String(l.line).padStart(width)} | ${l.text}`);
    if (f.lines.length > shown.length) out.push(`  … ${f.lines.length - shown.length} more lines`);
  });
  if (n === 0) out.push('', analysis.bytesRead === 0 && !analysis.truncated ? 'the log is empty (0 bytes): nothing to analyse' : 'no failure lines recognised');
  return out.join('\n');
}

export const analyzeCommand: Command = {
  ...ANALYZE_META,
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json', 'explain'], values: ['max-failures', 'context', 'max-bytes', 'baseline'] });
    if (args.positionals.length !== 1) throw new UsageError('analyze needs exactly one log file (or - for stdin)');
    const path = args.positionals[0] ?? '-';
    const maxBytes = args.values.has('max-bytes') ? intOption(args, 'max-bytes', 0) : undefined;
    const baselinePath = args.values.get('baseline');
    if (baselinePath === '-' && path === '-') throw new UsageError('the log and --baseline cannot both be stdin');
    // A compressed green run is decompressed into --baseline, not into the failure's place (LOG: the failed log
    // came from standard input, so it has to be saved to a file for the baseline to be piped in).
    const failedLog = path === '-' ? 'LOG' : path;
    const baselineGunzip = baselinePath === '-'
      ? `pipe it through gunzip -c into guard analyze ${failedLog} --baseline -`
      : `gunzip -c ${baselinePath} | guard analyze ${failedLog} --baseline -`;
    const analysis = await withKeptIndex(async () => {
      const baseline = baselinePath ? await LogBaseline.fromLog((await openLog(baselinePath, io, baselineGunzip)).source) : undefined;
      const log = await openLog(path, io);
      return analyzeLog(log.source, {
        ...(baseline ? { baseline } : {}),
        ...(log.size === undefined ? {} : { expectedBytes: log.size }),
        maxFailures: intOption(args, 'max-failures', 10),
        contextLines: intOption(args, 'context', 3),
        ...(maxBytes === undefined ? {} : { maxBytes }),
      });
    });
    const diagnosis = diagnose(analysis);
    const sourceName = path === '-' ? 'stdin' : path;
    if (!args.flags.has('explain')) {
      io.out(args.flags.has('json') ? JSON.stringify(analysisReport(analysis, diagnosis), null, 2) : render(analysis, diagnosis, sourceName));
      return 0;
    }
    // Loaded only for --explain: the model clients are not needed to read a log.
    const [{ explainLog, formatExplanation }, { loadConfig }] = await Promise.all([import('../../analysis/index.js'), import('../../config.js')]);
    const explanation = await explainLog(analysis, { config: loadConfig(process.env) });
    io.out(
      args.flags.has('json')
        ? JSON.stringify({ analysis: analysisReport(analysis, diagnosis), explanation }, null, 2)
        : `${render(analysis, diagnosis, sourceName)}\n\n${formatExplanation(explanation)}`,
    );
    return 0;
  },
};
