import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor } from '../../infra/constructs/function-bundle.js';
import { PROJECT_ROOT, MANGLED_PROPERTY_NAMES, RULE_PROPERTY_READERS } from '../../infra/constructs/guard-function.js';
import * as sources from '../../shared/logs/index.js';
import { datasetsLocation } from '../../scripts/datasets.js';

const { analyzeLog } = sources;
import { FUNCTION_NAMES, functionBundle } from './support.js';

/**
 * The bundles rename the rule table's own properties and the log scanner's (`mangleProps`, MANGLED_PROPERTY_NAMES).
 * The renaming is the same throughout a bundle, so what can go wrong is a name read by a string or carried by data
 * from outside: these build with the options synth uses (`esbuildOptionsFor`) and check both.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-mangled-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/**
 * The extractor (shared/logs/index.ts) bundled with the options synth bundles classify with (`esbuildOptionsFor`),
 * built and imported once for the file, as Lambda loads its bundle once a process: both tests ask the one module. A
 * second import under another name was a second module of the same code, whose compiling and warming up (its rule
 * table, its expressions) the dev-set comparison paid again (~1.5 s of CPU with Vite's transform of the bundle).
 */
let extractor: Promise<{ code: string; module: unknown }> | undefined;
async function bundledExtractor<Module>(): Promise<Module> {
  const outfile = join(outdir, 'extractor.mjs');
  extractor ??= build({ ...esbuildOptionsFor('classify', outfile), entryPoints: [join(PROJECT_ROOT, 'shared', 'logs', 'index.ts')], logLevel: 'error', write: false }).then(
    async (result) => {
      // Its source map too, which the code names (`extractor.mjs.map`) and Vite reads when it imports it.
      for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
      const code = result.outputFiles.find((file) => file.path === outfile)?.text ?? '';
      return { code, module: (await import(pathToFileURL(outfile).href)) as unknown };
    },
  );
  const { code, module } = await extractor;
  for (const name of MANGLED_PROPERTY_NAMES) expect(code, name).not.toMatch(new RegExp(String.raw`[{,.]${name}\b`));
  return module as Module;
}

/** Every `.log` under test/fixtures: logs of many toolchains, so most rules' properties are read. */
function fixtureLogs(): string[] {
  const root = join(PROJECT_ROOT, 'test', 'fixtures');
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((path) => path.endsWith('.log')).sort().map((path) => join(root, path));
}

describe('the rule table’s properties renamed in the bundles', () => {
  it('a bundled extractor carries none of their names and answers every fixture log as the sources do', async () => {
    const bundled = await bundledExtractor<{ analyzeLog: typeof analyzeLog }>();

    const logs = fixtureLogs();
    expect(logs.length).toBeGreaterThan(100);
    for (const path of logs) {
      const text = readFileSync(path);
      expect(JSON.stringify(await bundled.analyzeLog(text)), path).toBe(JSON.stringify(await analyzeLog(text)));
    }
  });

  it('no bundled file outside the rules and the extractor names one of them', async () => {
    const named = new RegExp(String.raw`\b(?:${MANGLED_PROPERTY_NAMES.join('|')})\b`);
    const strangers = new Set<string>();
    for (const name of FUNCTION_NAMES) {
      const { metafile } = await functionBundle(name);
      for (const [path, output] of Object.entries(metafile.outputs)) {
        if (!path.endsWith('index.mjs')) continue;
        for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
          if (bytesInOutput === 0 || RULE_PROPERTY_READERS.includes(input) || strangers.has(input)) continue;
          if (named.test(readFileSync(join(PROJECT_ROOT, input), 'utf8'))) strangers.add(input);
        }
      }
    }
    expect([...strangers]).toEqual([]);
  });

  // The development sets (../shared/datasets, not in this repository) are the logs the predictions are scored on:
  // with the green run's baseline, as `guard extract` reads them, and the predicted lines (predict.ts reads four of the
  // renamed properties, which the fixture comparison above does not reach).
  const devSets = ['ci-logs-dev', 'ci-logs-gha-dev'].map((set) => join(datasetsLocation().dir, set)).filter((dir) => existsSync(join(dir, 'labels.jsonl')));
  it.skipIf(devSets.length === 0)('a bundled extractor answers the development sets as the sources do: analyses with baselines, and predictions', async () => {
    const bundled = await bundledExtractor<typeof sources>();
    let compared = 0;
    for (const dir of devSets) {
      for (const line of readFileSync(join(dir, 'labels.jsonl'), 'utf8').split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as { id: string; log_file: string; pass_log_file?: string | null };
        const text = readFileSync(join(dir, row.log_file));
        const pass = row.pass_log_file && existsSync(join(dir, row.pass_log_file)) ? readFileSync(join(dir, row.pass_log_file)) : null;
        const fromSources = await analyzeLog(text, pass === null ? {} : { baseline: await sources.LogBaseline.fromLog(pass) });
        const fromBundle = await bundled.analyzeLog(text, pass === null ? {} : { baseline: await bundled.LogBaseline.fromLog(pass) });
        expect(JSON.stringify(fromBundle), row.id).toBe(JSON.stringify(fromSources));
        expect(bundled.predictionLines(fromBundle), row.id).toEqual(sources.predictionLines(fromSources));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  }, 300_000);
});
