/**
 * `npm run bundle:sizes [-- [--top N] [--files] [FUNCTION…]]`: each Lambda bundle's size against the bound
 * (MAX_BUNDLE_BYTES) and what fills it, largest first: by package and by project folder, or by file with `--files`.
 * Builds with the options synth uses (`esbuildOptionsFor`, infra/constructs/function-bundle.ts) plus esbuild's
 * metafile, in memory; the sizes are the `index.mjs` a deployment uploads. test/infra/bundling.test.ts enforces the
 * bound on the bundles synth itself writes; this is for finding what to take out when a bundle nears it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Metafile, build } from 'esbuild';
import { esbuildOptionsFor } from '../infra/constructs/function-bundle.js';
import { type FunctionName, MAX_BUNDLE_BYTES, PROJECT_ROOT } from '../infra/constructs/guard-function.js';

/** Where a bundle input's bytes are counted: its package under node_modules, else its folder (or the file itself). */
function contributorOf(input: string, byFile: boolean): string {
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return byFile ? input.slice(input.lastIndexOf('node_modules/') + 'node_modules/'.length) : (pkg[1] as string);
  return byFile ? input : input.replace(/[^/]+$/, '');
}

/** Bytes in `output` by contributor, largest first. */
function contributions(output: Metafile['outputs'][string], byFile: boolean): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const key = contributorOf(input, byFile);
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Builds one function as synth does and returns its `index.mjs` entry of the metafile. */
async function measureBundle(name: FunctionName): Promise<Metafile['outputs'][string]> {
  const result = await build({
    ...esbuildOptionsFor(name, join(PROJECT_ROOT, 'cdk.out', 'bundle-sizes', name, 'index.mjs')),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('index.mjs'));
  if (!output) throw new Error(`esbuild wrote no index.mjs for ${name}`);
  return output[1];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '12' }, files: { type: 'boolean', default: false } } });
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 0) throw new Error(`--top takes a whole number, not ${values.top}`);
  // One folder under functions/ per Lambda (FunctionName).
  const all = readdirSync(join(PROJECT_ROOT, 'functions'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name as FunctionName);
  const unknown = positionals.filter((name) => !all.includes(name as FunctionName));
  if (unknown.length > 0) throw new Error(`no such function: ${unknown.join(', ')} (one of ${all.join(', ')})`);
  const names = positionals.length > 0 ? (positionals as FunctionName[]) : all;

  const measured: Array<{ name: FunctionName; output: Metafile['outputs'][string] }> = [];
  for (const name of names) measured.push({ name, output: await measureBundle(name) });
  measured.sort((a, b) => b.output.bytes - a.output.bytes);

  console.log(`bound ${kb(MAX_BUNDLE_BYTES)} (MAX_BUNDLE_BYTES); room = bound - size\n`);
  for (const { name, output } of measured) {
    console.log(`${name.padEnd(17)} ${kb(output.bytes).padStart(9)}   room ${kb(MAX_BUNDLE_BYTES - output.bytes).padStart(8)}`);
    for (const [contributor, bytes] of contributions(output, values.files).slice(0, top)) {
      console.log(`  ${kb(bytes).padStart(9)}  ${contributor}`);
    }
    if (top > 0) console.log('');
  }
}

await main();
