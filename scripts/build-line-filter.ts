/**
 * `npm run build:line-filter`: writes `shared/logs/line-filter.generated.ts`, so neither `npm ci` nor a Lambda
 * bundle needs a WebAssembly toolchain and no process compiles the filter's automata at run time:
 * - the pass, `shared/logs/line-filter.wat`, compiled with wabt (base64);
 * - the automata of the scanner's triggers (`SCANNER_TRIGGERS`), compiled and compressed (brotli, base64), with the key of
 *   the specs they were built from: a process whose triggers differ compiles its own instead;
 * - the passes of the literal index and the digit-shape comparison (`literal-index.wat`, `shape.wat`);
 * - the required literals of the literal index's expressions (`INDEX_EXPRESSIONS`), with their key, read the same
 *   way when the expressions differ;
 * - which of the digit-shape memo's expressions are digit-blind (`memoExpressions`), with their key, likewise;
 * - the automata that tell, from a line's bytes, that it neither ends the open block nor names it
 *   (`raw-continuation.ts`), with the key of their expressions;
 * - the required literals of the redaction's line patterns (`LINE_PATTERN_EXPRESSIONS`, redaction/pattern-gate.ts),
 *   with their key.
 * A unit test generates the module again and fails when the committed one is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileByteDfas, encodeByteDfaSet, type ByteDfaSet } from '../shared/logs/byte-dfa.js';
import { digitBlindFlags, INDEX_EXPRESSIONS, memoExpressions, memoExpressionsKey, SCANNER_TRIGGERS } from '../shared/logs/dispatch.js';
import { expressionsKey, LITERAL_PREFIX_CHARS, readLiterals } from '../shared/logs/literal-index.js';
import { lineFilterSpecs, specsKey } from '../shared/logs/line-filter.js';
import { blockQuestions, blockQuestionsKey, blockSpecs } from '../shared/logs/raw-continuation.js';
import { LINE_PATTERN_EXPRESSIONS } from '../shared/logs/redaction/pattern-gate.js';
import { storeData, storedData, type StoredData } from '../shared/logs/stored.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WAT_PATH = join(ROOT, 'shared', 'logs', 'line-filter.wat');
export const LITERAL_WAT_PATH = join(ROOT, 'shared', 'logs', 'literal-index.wat');
export const SHAPE_WAT_PATH = join(ROOT, 'shared', 'logs', 'shape.wat');
export const GENERATED_PATH = join(ROOT, 'shared', 'logs', 'line-filter.generated.ts');

async function compileWat(path: string): Promise<Uint8Array> {
  const { default: loadWabt } = await import('wabt');
  const wabt = await loadWabt();
  const parsed = wabt.parseWat(basename(path), readFileSync(path, 'utf8'));
  try {
    parsed.validate();
    return parsed.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    parsed.destroy();
  }
}

/** What a caller that checks the committed module may hand {@link generatedModule}. */
export interface GeneratedModuleInputs {
  /**
   * Stored data known to be `storeData`'s output for the bytes it decompresses to (the committed module's): where a
   * datum's key and bytes are those computed now, its compressed text is taken from here instead of compressing the
   * bytes again. Brotli at its densest took ~5 s of the ~7 s a generation costs, and gives the same text for the same
   * bytes, so the module's text is the same; a datum whose key or bytes differ is compressed afresh, and differs.
   */
  compressed?: readonly StoredData[];
  /** The automata of `lineFilterSpecs(SCANNER_TRIGGERS)`, when the caller compiled them already (~0.7 s). */
  triggerAutomata?: ByteDfaSet;
}

/** `storeData(key, bytes)`, or the datum of `compressed` that holds exactly those bytes under that key. */
function stored(key: string, bytes: Uint8Array, compressed: readonly StoredData[]): StoredData {
  const known = compressed.find((datum) => datum.key === key && datum.size === bytes.length && storedData(datum, key)?.equals(bytes));
  return known ?? storeData(key, bytes);
}

/** The generated module's text, from the WAT source and the current triggers. */
export async function generatedModule(inputs: GeneratedModuleInputs = {}): Promise<string> {
  const compressed = inputs.compressed ?? [];
  const wasm = Buffer.from(await compileWat(WAT_PATH)).toString('base64');
  const literalWasm = Buffer.from(await compileWat(LITERAL_WAT_PATH)).toString('base64');
  const shapeWasm = Buffer.from(await compileWat(SHAPE_WAT_PATH)).toString('base64');
  const specs = lineFilterSpecs(SCANNER_TRIGGERS);
  const tables = stored(specsKey(specs), encodeByteDfaSet(inputs.triggerAutomata ?? compileByteDfas(specs)), compressed);
  const literals = stored(expressionsKey(INDEX_EXPRESSIONS), Buffer.from(JSON.stringify(readLiterals(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS))), compressed);
  const redactionLiterals = stored(
    expressionsKey(LINE_PATTERN_EXPRESSIONS),
    Buffer.from(JSON.stringify(readLiterals(LINE_PATTERN_EXPRESSIONS, LITERAL_PREFIX_CHARS))),
    compressed,
  );
  const memo = memoExpressions();
  const blind = stored(memoExpressionsKey(memo), digitBlindFlags(memo), compressed);
  const questions = blockQuestions();
  const block = stored(blockQuestionsKey(questions), encodeByteDfaSet(compileByteDfas(blockSpecs(questions))), compressed);
  return [
    '/** Generated by `npm run build:line-filter` from line-filter.wat, literal-index.wat, shape.wat and the scanner\'s triggers; do not edit by hand. */',
    `export const LINE_FILTER_WASM = '${wasm}';`,
    '',
    `export const LITERAL_INDEX_WASM = '${literalWasm}';`,
    '',
    `export const SHAPE_WASM = '${shapeWasm}';`,
    '',
    '/** The automata of `SCANNER_TRIGGERS` (see `encodeByteDfaSet`), compressed, and the key of the specs they were built from. */',
    'export const LINE_FILTER_TABLES = {',
    `  key: '${tables.key}',`,
    `  size: ${tables.size},`,
    `  data: '${tables.data}',`,
    '};',
    '',
    '/** The required literals of the literal index\'s expressions as it keeps them (`readLiterals`, cut), compressed JSON, and the key of those expressions. */',
    'export const LITERAL_INDEX_LITERALS = {',
    `  key: '${literals.key}',`,
    `  size: ${literals.size},`,
    `  data: '${literals.data}',`,
    '};',
    '',
    '/** The required literals of the redaction\'s line patterns (`LINE_PATTERN_EXPRESSIONS`), compressed JSON, and their key. */',
    'export const REDACTION_PATTERN_LITERALS = {',
    `  key: '${redactionLiterals.key}',`,
    `  size: ${redactionLiterals.size},`,
    `  data: '${redactionLiterals.data}',`,
    '};',
    '',
    '/** 1 for each digit-blind expression of the digit-shape memo (`digitBlindFlags`), compressed, and the key of those expressions. */',
    'export const DIGIT_BLIND_SLOTS = {',
    `  key: '${blind.key}',`,
    `  size: ${blind.size},`,
    `  data: '${blind.data}',`,
    '};',
    '',
    '/** The automata of the open block\'s questions (`blockSpecs`), compressed, and the key of their expressions. */',
    'export const BLOCK_AUTOMATA = {',
    `  key: '${block.key}',`,
    `  size: ${block.size},`,
    `  data: '${block.data}',`,
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_PATH, await generatedModule());
  process.stdout.write(`wrote ${GENERATED_PATH}\n`);
}
