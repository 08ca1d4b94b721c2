/**
 * Log intelligence: find the lines that explain a CI failure, classify them, fingerprint them, redact secrets.
 * See `types.ts` for the contract and `rules.ts` for the rule table.
 */
import { buildAnalysis, LogScanner } from './analyzer.js';
import { countLogRead, lineFilterFor } from './dispatch.js';
import { forEachLine, type LineGate } from './reader.js';
import { PrivateKeyLineFilter } from './redaction/private-key-filter.js';
import type { AnalyzeLogOptions, LogAnalysis, LogSource } from './types.js';

export * from './types.js';
export { refineCategory } from './categories.js';
export { fingerprintOf, normalizeLine } from './fingerprint.js';
export { cleanLine, forEachLine, LineSplitter, readLines, stripAnsi, type LineSink } from './reader.js';
export { redactDeep, redactLines, redactOrWithhold, redactSecrets, WITHHELD_TEXT } from './redact.js';
export { PrivateKeyLineFilter, PRIVATE_KEY_LINE } from './redaction/private-key-filter.js';
export { SECRET_FORMAT_COUNT, SECRET_PATTERNS, type SecretPattern } from './redaction/patterns.js';
export { looksLikeSecretValue, shannonEntropy } from './redaction/secret-values.js';
export { RULES, CASCADE_RULES, type Rule, type ExtendMode } from './rules.js';
export { LogScanner } from './analyzer.js';
export { LogBaseline, MAX_BASELINE_TEMPLATES, templateHash } from './baseline.js';
export { predictionLines } from './predict.js';
export { diagnose, DETERMINED_CONFIDENCE, type Diagnosis } from './diagnosis.js';
export { confidenceOf } from './confidence.js';

/**
 * Reads a CI job log (whole or streamed) and returns every distinct failure found, most likely root cause first,
 * with its category, fingerprint and redacted excerpt. Memory stays bounded whatever the log size.
 *
 * @param source the log: a string, bytes, or an async byte/string stream (fetch body, `fs.createReadStream`).
 * @param options `maxBytes` to stop early, `contextLines` around each block, `maxFailures` to return.
 */
export async function analyzeLog(source: LogSource, options: AnalyzeLogOptions = {}): Promise<LogAnalysis> {
  const scanner = new LogScanner(options);
  // The scanner keeps a window of lines, so an excerpt can start inside a private key far below its BEGIN line:
  // key bodies are blanked as they stream past, whatever the distance.
  const privateKeys = new PrivateKeyLineFilter();
  // Lines that neither the scanner nor the key filter would react to are only remembered, undecoded.
  const gate: LineGate = {
    filter: lineFilterFor(options.expectedBytes ?? 0),
    skip: (line, bytes, start, end) => !privateKeys.inside && scanner.skip(line, bytes, start, end),
    release: (memory) => scanner.release(memory),
  };
  const meta = await forEachLine(source, (line, text, raw) => scanner.push(line, privateKeys.filter(text), raw), options.maxBytes, gate);
  countLogRead(meta.bytesRead);
  return buildAnalysis(scanner.finish(), meta, options);
}
