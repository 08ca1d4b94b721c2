/**
 * How a function's code is bundled, as esbuild's own options: one definition for synth (through
 * scripts/bundle-function.ts, which {@link GuardFunction} runs for each function's asset), `npm run bundle:sizes` and
 * the tests that build a bundle. It runs esbuild's API, not its command line as aws-cdk-lib's NodejsFunction does,
 * because {@link packageVersionsOnly} is a plugin, which only the API takes.
 */
import { readFile } from 'node:fs/promises';
import type { BuildOptions, Plugin } from 'esbuild';
import { BUNDLE_ALIASES, CHARSET, LEGAL_COMMENTS, MANGLED_PROPERTIES, PROJECT_ROOT, bundlingOptionsFor, functionEntry, type FunctionName } from './guard-function.js';

/** A package manifest that bundled code imports: `@aws-sdk/client-*` reads its own for the version in its user agent. */
export const IMPORTED_PACKAGE_JSON = /[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+[\\/]package\.json$/;

/** The fields of a package manifest that the bundled code reads (test/infra/package-json.test.ts checks the readers). */
export const PACKAGE_JSON_FIELDS_READ = ['name', 'version'] as const;

/**
 * Each SDK client imports its `package.json` for its version (`packageInfo.version`, the user agent's
 * `aws-sdk-js/3.x`), and esbuild inlines the whole manifest: its dependencies, scripts and devDependencies, ≈2.3 KB
 * of a client. This gives such an import only {@link PACKAGE_JSON_FIELDS_READ}, with the manifest's own values.
 */
export const packageVersionsOnly: Plugin = {
  name: 'package-versions-only',
  setup(build) {
    build.onLoad({ filter: IMPORTED_PACKAGE_JSON }, async ({ path }) => {
      const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      const read = Object.fromEntries(PACKAGE_JSON_FIELDS_READ.filter((field) => field in manifest).map((field) => [field, manifest[field]]));
      return { contents: JSON.stringify(read), loader: 'json' };
    });
  },
};

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
    plugins: [packageVersionsOnly],
    logLevel: 'warning',
  } satisfies BuildOptions;
}
