import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as z from '../../zod.js';
import { analyzeLog, LogBaseline, predictionLines } from '../../logs/index.js';
import { intOption, parseArgs, UsageError } from '../args.js';
import { withKeptIndex } from '../index-cache.js';
import { fileChunks } from '../io.js';
import { EXTRACT_META } from './meta.js';
import type { Command } from './types.js';

const LabelSchema = z.object({
  id: z.string().check(z.minLength(1)),
  log_file: z.string().check(z.minLength(1)),
  pass_log_file: z.nullish(z.string().check(z.minLength(1))),
});
type CorpusRow = z.infer<typeof LabelSchema>;

/**
 * Reads `<corpus>/labels.jsonl`; only `id`, `log_file` and `pass_log_file` (a green run of the same job, used as
 * the baseline) are read, so labels cannot leak into predictions.
 */
async function readCorpus(dir: string): Promise<CorpusRow[]> {
  const path = resolve(dir, 'labels.jsonl');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  const rows: CorpusRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UsageError(`${path}:${i + 1}: not valid JSON`);
    }
    const result = LabelSchema.safeParse(parsed);
    if (!result.success) throw new UsageError(`${path}:${i + 1}: needs string fields "id" and "log_file"`);
    rows.push({ id: result.data.id, log_file: result.data.log_file, pass_log_file: result.data.pass_log_file ?? null });
  });
  return rows;
}

/** The green run's baseline, or none when its log cannot be read (the failure is still analysed). */
async function readBaseline(path: string): Promise<LogBaseline | null> {
  try {
    await stat(path);
    return await LogBaseline.fromLog(fileChunks(path));
  } catch {
    return null;
  }
}

export const extractCommand: Command = {
  ...EXTRACT_META,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['corpus', 'out', 'max-lines'], flags: ['no-baseline'] });
    const useBaseline = !args.flags.has('no-baseline');
    const corpus = args.values.get('corpus');
    const out = args.values.get('out');
    if (!corpus || !out) throw new UsageError('extract needs --corpus <dir> and --out <file>');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const maxLines = intOption(args, 'max-lines', 400);
    const rows = await readCorpus(corpus);
    await mkdir(dirname(resolve(out)), { recursive: true });
    const handle = await open(out, 'w');
    let missing = 0;
    const started = Date.now();
    try {
      await withKeptIndex(async () => {
        for (const row of rows) {
          const logPath = resolve(corpus, row.log_file);
          let record: { id: string; lines: number[]; category: string; confidence: number };
          try {
            const { size } = await stat(logPath);
            const baseline = useBaseline && row.pass_log_file ? await readBaseline(resolve(corpus, row.pass_log_file)) : null;
            const analysis = await analyzeLog(fileChunks(logPath), {
              expectedBytes: size,
              maxFailures: 50,
              ...(baseline ? { baseline } : {}),
            });
            record = { id: row.id, lines: predictionLines(analysis, maxLines), category: analysis.category, confidence: analysis.confidence ?? 0 };
          } catch {
            missing++;
            record = { id: row.id, lines: [], category: 'unknown', confidence: 0 };
          }
          await handle.write(`${JSON.stringify(record)}\n`);
        }
      });
    } finally {
      await handle.close();
    }
    io.err(`extract: ${rows.length} logs → ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s${missing ? ` (${missing} unreadable)` : ''}`);
    return 0;
  },
};
