/**
 * How a function's code is bundled, as esbuild's own options: one definition for synth (through
 * scripts/bundle-function.ts, which {@link GuardFunction} runs for each function's asset), `npm run bundle:sizes` and
 * the tests that build a bundle. It runs esbuild's API, not its command line as aws-cdk-lib's NodejsFunction does,
 * so that a bundle can take esbuild plugins, which only the API takes.
 */
import type { BuildOptions } from 'esbuild';
import { BUNDLE_ALIASES, CHARSET, LEGAL_COMMENTS, MANGLED_PROPERTIES, PROJECT_ROOT, bundlingOptionsFor, functionEntry, type FunctionName } from './guard-function.js';

/** esbuild's options for function `name`'s bundle at `outfile` (its `index.mjs`), as deployed. */
export function esbuildOptionsFor(name: FunctionName, outfile: string) {
  const options = bundlingOptionsFor(name);
  return {
    entryPoints: [functionEntry(name)],
    absWorkingDir: PROJECT_ROOT,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: options.target,
    minify: options.minify,
    sourcemap: options.sourceMap,
    mainFields: options.mainFields,
    banner: { js: options.banner },
    define: options.define,
    charset: CHARSET,
    legalComments: LEGAL_COMMENTS,
    alias: { ...BUNDLE_ALIASES },
    mangleProps: MANGLED_PROPERTIES,
    external: options.externalModules,
    logLevel: 'warning',
  } satisfies BuildOptions;
}
