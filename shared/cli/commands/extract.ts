import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { analyzeLog, predictionLines } from '../../logs/index.js';
import { intOption, parseArgs, UsageError } from '../args.js';
import type { Command } from './types.js';

const LabelSchema = z.object({ id: z.string().min(1), log_file: z.string().min(1) });

/** Reads `<corpus>/labels.jsonl`; only `id` and `log_file` are used (labels must not leak into predictions). */
async function readCorpus(dir: string): Promise<Array<z.infer<typeof LabelSchema>>> {
  const path = resolve(dir, 'labels.jsonl');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  const rows: Array<z.infer<typeof LabelSchema>> = [];
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
    rows.push({ id: result.data.id, log_file: result.data.log_file });
  });
  return rows;
}

export const extractCommand: Command = {
  name: 'extract',
  summary: 'predict failure lines for every log of a labelled corpus (scorer input)',
  usage: 'guard extract --corpus <dir> --out <predictions.jsonl> [--max-lines N]',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['corpus', 'out', 'max-lines'] });
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
      for (const row of rows) {
        const logPath = resolve(corpus, row.log_file);
        let record: { id: string; lines: number[]; category: string };
        try {
          await stat(logPath);
          const analysis = await analyzeLog(createReadStream(logPath, { highWaterMark: 1 << 20 }), { maxFailures: 50 });
          record = { id: row.id, lines: predictionLines(analysis, maxLines), category: analysis.category };
        } catch {
          missing++;
          record = { id: row.id, lines: [], category: 'unknown' };
        }
        await handle.write(`${JSON.stringify(record)}\n`);
      }
    } finally {
      await handle.close();
    }
    io.err(`extract: ${rows.length} logs → ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s${missing ? ` (${missing} unreadable)` : ''}`);
    return 0;
  },
};
