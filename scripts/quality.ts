/**
 * `npm run quality`: the extractor's scores on the development sets and the calibration table of its confidence.
 *
 * For each set in the datasets directory (`../shared/datasets/` beside the checkout, or `GUARD_DATASETS`; see
 * `datasets.ts`) (LogChunks `ci-logs-dev`, GitHub Actions/CiDiff `ci-logs-gha-dev`) it
 * writes predictions the way `guard extract` does, with and without the green-run baselines where a record has
 * one, scores them with the datasets' own `score.py` (python3) and prints the calibration table: confidence
 * bucket → logs, measured hit@1, mean confidence.
 *
 * `npm run quality -- --fit` refits the confidence model on the same logs and rewrites
 * `shared/logs/calibration.generated.ts`: a logistic model over the ranking signals plus a per-rule reliability
 * prior (hits and logs per rule, shrunk towards the base rate; evaluated leave-one-out while fitting so a rule is
 * not credited with its own log). Run it after changing rules, then check the table again.
 *
 * `npm run quality -- --keep DIR` keeps the prediction files in DIR, so two versions of the analyzer can be
 * compared line for line (`diff -r before/ after/`): a speed change must leave every prediction as it was.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeLog, LogBaseline, predictionLines, type RankingSignals } from '../shared/logs/index.js';
import { CALIBRATION } from '../shared/logs/calibration.generated.js';
import { confidenceFeatures, confidenceOf, FEATURE_NAMES } from '../shared/logs/confidence.js';
import { datasetsLocation, DATASETS_ENV, noDatasetsMessage } from './datasets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCATION = datasetsLocation();
const DATASETS = LOCATION.dir;
const SETS = ['ci-logs-dev', 'ci-logs-gha-dev'] as const;

interface Row {
  set: string;
  id: string;
  baseline: boolean;
  hit: boolean;
  rule: string;
  signals: RankingSignals | null;
  confidence: number;
}

interface Label {
  id: string;
  log_file: string;
  pass_log_file?: string | null;
  label_line_numbers: number[];
}

function readLabels(dir: string): Label[] {
  return readFileSync(join(dir, 'labels.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Label);
}

async function predict(dir: string, set: string, useBaseline: boolean, outFile: string): Promise<Row[]> {
  const rows: Row[] = [];
  const out: string[] = [];
  for (const label of readLabels(dir)) {
    const baseline =
      useBaseline && label.pass_log_file ? await LogBaseline.fromLog(createReadStream(resolve(dir, label.pass_log_file))) : undefined;
    const analysis = await analyzeLog(createReadStream(resolve(dir, label.log_file)), { maxFailures: 50, ...(baseline ? { baseline } : {}) });
    const lines = predictionLines(analysis);
    const confidence = analysis.confidence ?? 0;
    out.push(JSON.stringify({ id: label.id, lines, category: analysis.category, confidence }));
    rows.push({
      set,
      id: label.id,
      baseline: baseline !== undefined,
      hit: lines.length > 0 && label.label_line_numbers.includes(lines[0] as number),
      rule: analysis.failures[0]?.rule ?? '',
      signals: analysis.signals ?? null,
      confidence,
    });
  }
  writeFileSync(outFile, `${out.join('\n')}\n`);
  return rows;
}

function score(dir: string, predFile: string): string {
  const run = spawnSync('python3', [join(DATASETS, 'score.py'), dir, predFile], { encoding: 'utf8' });
  if (run.status !== 0) return `score.py failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`;
  return run.stdout.trim().split('\n').pop() ?? '';
}

const BUCKETS: ReadonlyArray<readonly [number, number]> = [
  [0, 0.3],
  [0.3, 0.45],
  [0.45, 0.6],
  [0.6, 0.75],
  [0.75, 0.9],
  [0.9, 1.01],
];

function calibrationTable(rows: readonly Row[], confidence: (row: Row) => number): string[] {
  const lines = ['| confidence | logs | hit@1 measured | mean confidence |', '|---|---|---|---|'];
  for (const [lo, hi] of BUCKETS) {
    const inBucket = rows.filter((r) => confidence(r) >= lo && confidence(r) < hi);
    if (inBucket.length === 0) continue;
    const hits = inBucket.filter((r) => r.hit).length;
    const mean = inBucket.reduce((sum, r) => sum + confidence(r), 0) / inBucket.length;
    lines.push(`| ${lo.toFixed(2)}–${Math.min(hi, 1).toFixed(2)} | ${inBucket.length} | ${(hits / inBucket.length).toFixed(3)} | ${mean.toFixed(3)} |`);
  }
  const confident = rows.filter((r) => confidence(r) >= 0.6);
  const confidentHits = confident.filter((r) => r.hit).length;
  lines.push(
    '',
    `confidence ≥ 0.6: ${confident.length} of ${rows.length} logs, hit@1 ${(confidentHits / Math.max(1, confident.length)).toFixed(3)}`,
  );
  return lines;
}

/** L2-regularised logistic regression by gradient descent: small data, no library needed. */
function fitLogistic(features: number[][], labels: number[], lambda = 2, steps = 8000, rate = 0.5): number[] {
  const width = features[0]?.length ?? 0;
  const weights = new Array<number>(width).fill(0);
  const n = features.length;
  for (let step = 0; step < steps; step++) {
    const gradient = new Array<number>(width).fill(0);
    for (let i = 0; i < n; i++) {
      const x = features[i] as number[];
      const z = x.reduce((sum, v, j) => sum + v * (weights[j] as number), 0);
      const error = 1 / (1 + Math.exp(-z)) - (labels[i] as number);
      for (let j = 0; j < width; j++) gradient[j] = (gradient[j] as number) + error * (x[j] as number);
    }
    for (let j = 0; j < width; j++) {
      const penalty = j === 0 ? 0 : lambda * (weights[j] as number);
      weights[j] = (weights[j] as number) - (rate * ((gradient[j] as number) + penalty)) / n;
    }
  }
  return weights.map((w) => Math.round(w * 1000) / 1000);
}

function refit(rows: readonly Row[]): void {
  const usable = rows.filter((r) => r.signals !== null);
  const table: Record<string, [number, number]> = {};
  for (const r of usable) {
    const entry = table[r.rule] ?? [0, 0];
    entry[0] += r.hit ? 1 : 0;
    entry[1] += 1;
    table[r.rule] = entry;
  }
  const baseRate = usable.filter((r) => r.hit).length / Math.max(1, usable.length);
  const shrink = CALIBRATION.shrink;
  // Leave-one-out: a log's own outcome never feeds the prior it is fitted with.
  const features = usable.map((r) => {
    const [hits, n] = table[r.rule] ?? [0, 0];
    const prior = (hits - (r.hit ? 1 : 0) + shrink * baseRate) / (n - 1 + shrink);
    return confidenceFeatures(r.signals as RankingSignals, prior);
  });
  const weights = fitLogistic(
    features,
    usable.map((r) => (r.hit ? 1 : 0)),
  );
  const rules = Object.fromEntries(
    Object.entries(table)
      .filter(([, [, n]]) => n >= CALIBRATION.minLogsPerRule)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const file = resolve(ROOT, 'shared/logs/calibration.generated.ts');
  writeFileSync(
    file,
    `/**\n * Generated by \`npm run quality -- --fit\` from the development sets (${SETS.join(', ')}); do not edit by hand.\n` +
      ` * Features, in order: ${FEATURE_NAMES.join(', ')}.\n */\n` +
      'export const CALIBRATION = {\n' +
      `  weights: ${JSON.stringify(weights)},\n` +
      `  baseRate: ${Math.round(baseRate * 1000) / 1000},\n` +
      `  shrink: ${shrink},\n` +
      `  minLogsPerRule: ${CALIBRATION.minLogsPerRule},\n` +
      '  /** rule → [top-line hits, logs it led] on the development sets */\n' +
      `  rules: {\n${Object.entries(rules).map(([rule, [hits, n]]) => `    '${rule}': [${hits}, ${n}],`).join('\n')}\n  },\n` +
      `} as const satisfies {\n  weights: readonly number[];\n  baseRate: number;\n  shrink: number;\n  minLogsPerRule: number;\n  rules: Readonly<Record<string, readonly [number, number]>>;\n};\n`,
  );
  console.log(`refitted ${weights.length} weights on ${usable.length} analyses (${Object.keys(rules).length} rules with a prior) → ${file}`);
  const looTable = calibrationTable(usable, (r) => {
    const i = usable.indexOf(r);
    const x = features[i] as number[];
    return 1 / (1 + Math.exp(-x.reduce((sum, v, j) => sum + v * (weights[j] as number), 0)));
  });
  console.log('\nleave-one-out calibration (rule priors without the log itself):');
  console.log(looTable.join('\n'));
}

async function main(): Promise<void> {
  const present = SETS.filter((set) => existsSync(join(DATASETS, set, 'labels.jsonl')));
  if (present.length === 0) {
    // A checkout without the sets (CI, a fresh clone) is not an error: say so and exit 0. A GUARD_DATASETS that
    // names a directory without them is the caller's mistake: exit 1.
    console.error(`${LOCATION.fromEnv ? 'error' : 'warning'}: ${noDatasetsMessage(LOCATION)}`);
    if (LOCATION.fromEnv) process.exitCode = 1;
    return;
  }
  console.log(`datasets: ${DATASETS}${LOCATION.fromEnv ? ` (${DATASETS_ENV})` : ` (set ${DATASETS_ENV} to use another directory)`}`);
  const keepAt = process.argv.indexOf('--keep');
  const keep = keepAt >= 0 ? process.argv[keepAt + 1] : undefined;
  if (keep) mkdirSync(keep, { recursive: true });
  const tmp = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'guard-quality-'));
  const all: Row[] = [];
  try {
    for (const set of SETS) {
      const dir = join(DATASETS, set);
      if (!present.includes(set)) {
        console.log(`${set}: not found under ${DATASETS}, skipped`);
        continue;
      }
      const hasBaselines = readLabels(dir).some((l) => l.pass_log_file);
      for (const useBaseline of hasBaselines ? [true, false] : [false]) {
        const predFile = join(tmp, `${set}-${useBaseline ? 'baseline' : 'plain'}.jsonl`);
        const rows = await predict(dir, set, useBaseline, predFile);
        all.push(...rows);
        const label = hasBaselines ? (useBaseline ? ' (with green-run baselines)' : ' (--no-baseline)') : '';
        console.log(`${set}${label}: ${score(dir, predFile)}`);
      }
    }
    if (process.argv.includes('--fit')) {
      refit(all);
      return;
    }
    console.log('\ncalibration of the confidence (every analysis above, baselines both ways):');
    console.log(calibrationTable(all, (r) => r.confidence).join('\n'));
    const drift = all.filter((r) => r.signals && Math.abs(confidenceOf(r.signals, r.rule) - r.confidence) > 1e-9).length;
    if (drift > 0) console.log(`warning: ${drift} confidences differ from confidenceOf()`);
  } finally {
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
