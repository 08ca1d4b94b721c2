/**
 * `npm start`'s entry point (infra/local/main.ts) as the crash tests run it in a child process: bundled by esbuild once
 * in the test run, into global setup's directory for the run, and shared by the workers (./built-once-in-run.ts).
 * Through tsx each child paid ~2.5 s of CPU to start, nearly all of it in loading modules (tsx's hooks and transforms,
 * resolving and compiling ~2,000 modules, parsing CommonJS for its exports); the bundle starts in ~0.9 s (session 71,
 * the same period: see scripts/chaos-child.ts). It is the same code, transformed as tsx transforms it (esbuild, the
 * Node version's target, names kept), with three things said here:
 * - every module's `import.meta.url` is the URL of its source file, not of the chunk it ends up in, so the paths the
 *   runtime finds beside its sources (the state machine's ASL, the embedded store's worker thread, the dashboard's
 *   build, the validator's kept verdicts) are the ones `npm start` finds;
 * - the runtime imports each function's handler module by its source path (infra/local/runtime.ts, a fresh instance
 *   per runtime): the module hook that the child loads first (`hooks.mjs`) answers those imports with the handler's
 *   bundled entry, its query kept, and leaves every other import to Node;
 * - CommonJS code bundled into these ES modules gets a `require`, as in the Lambda bundles (CREATE_REQUIRE_BANNER in
 *   infra/constructs/bundle-settings.ts), here resolving from the sources as the modules' own `require` did.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { builtOnceInRun, stampsOf, unchangedSince } from './built-once-in-run.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = 'infra/local/main.ts';
/** Not sources of the bundle, but they change what a build makes: the dependencies, and how this file builds. */
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', fileURLToPath(import.meta.url)];

export interface LocalRuntimeBundle {
  /** The bundled main.ts, to run with `node --import <hooks> <entry>`. */
  entry: string;
  /** The module hook that gives the runtime's handler imports their bundled modules (a file URL, for `--import`). */
  hooks: string;
  /** What it was built from as it was then (the project's own files): kept only while they are the same. */
  stamps: Record<string, string | null>;
}

/** `require` for the CommonJS code in each chunk, resolving what it names from main.ts's place in the sources. */
const REQUIRE_BANNER = `import { createRequire as __guardCreateRequire } from 'node:module'; const require = __guardCreateRequire(${JSON.stringify(pathToFileURL(join(ROOT, MAIN)).href)});`;

/** Which expression stands for each module's `import.meta.url`: a constant the module declares (sourceFileUrls). */
const SOURCE_FILE_URL = '__guardSourceFileUrl';

/** Loaders of the files that may read `import.meta.url`, by extension. */
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js' } as const;

/** Every module that reads `import.meta.url` declares its own source file's URL, which `define` puts in its place. */
const sourceFileUrls: Plugin = {
  name: 'source-file-urls',
  setup(build) {
    build.onLoad({ filter: /\.m?[jt]s$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const loader = LOADERS[path.slice(path.lastIndexOf('.')) as keyof typeof LOADERS];
      return { contents: `const ${SOURCE_FILE_URL} = ${JSON.stringify(pathToFileURL(path).href)};\n${text}`, loader, resolveDir: dirname(path) };
    });
  },
};

/** The module hook: an import of `functions/NAME/handler.ts` under the project answered with its bundled entry. */
function hooksModule(): string {
  const sources = `${pathToFileURL(join(ROOT, 'functions')).href}/`;
  return [
    `import { registerHooks } from 'node:module';`,
    `const SOURCES = ${JSON.stringify(sources)};`,
    `const HANDLER = /^([\\w-]+)\\/handler\\.ts(\\?[^#]*)?$/;`,
    `registerHooks({`,
    `  resolve(specifier, context, nextResolve) {`,
    `    const handler = specifier.startsWith(SOURCES) ? HANDLER.exec(specifier.slice(SOURCES.length)) : null;`,
    `    if (handler === null) return nextResolve(specifier, context);`,
    `    return { url: new URL(\`functions/\${handler[1]}/handler.mjs\${handler[2] ?? ''}\`, import.meta.url).href, format: 'module', shortCircuit: true };`,
    `  },`,
    `});`,
    '',
  ].join('\n');
}

async function buildLocalRuntime(parent: string): Promise<LocalRuntimeBundle> {
  const { build } = await import('esbuild');
  // A directory of its own for each build: a child may still run from the one before (watch mode's rebuilds).
  const outdir = mkdtempSync(join(parent, 'build-'));
  const handlers = readdirSync(join(ROOT, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `functions/${entry.name}/handler.ts`);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [MAIN, ...handlers],
    outbase: '.',
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    keepNames: true,
    define: { 'import.meta.url': SOURCE_FILE_URL },
    banner: { js: REQUIRE_BANNER },
    plugins: [sourceFileUrls],
    metafile: true,
    logLevel: 'silent',
  });
  writeFileSync(join(outdir, 'hooks.mjs'), hooksModule());
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  // Stamped after the build: a file changed while it ran counts as changed, so it is built again, never kept stale.
  return {
    entry: join(outdir, MAIN.replace(/\.ts$/, '.mjs')),
    hooks: pathToFileURL(join(outdir, 'hooks.mjs')).href,
    stamps: stampsOf([...BUILD_INPUTS, ...sources]),
  };
}

/** This worker's bundle, kept while its sources are unchanged. */
let bundle: Promise<LocalRuntimeBundle> | undefined;

/** The run's bundle of `npm start`'s entry point, built once across the workers in `runDir` (global setup's directory). */
export async function localRuntimeBundle(runDir: string): Promise<LocalRuntimeBundle> {
  if (bundle !== undefined && !unchangedSince(await bundle)) bundle = undefined;
  if (bundle === undefined) {
    const dir = join(runDir, 'local-runtime');
    mkdirSync(dir, { recursive: true });
    const made = builtOnceInRun(dir, 'main', () => buildLocalRuntime(dir), unchangedSince);
    bundle = made;
    // A failed build is not remembered: the next start builds again, and fails in its own test.
    void made.catch(() => {
      if (bundle === made) bundle = undefined;
    });
  }
  return bundle;
}

/**
 * Node's arguments that start `npm start`'s entry point from this run's bundle, for scripts/chaos-child.ts's
 * `startChild`: ~0.9 s of CPU to listen against ~2.5 s through tsx (session 71, the same period), and the crash tests
 * start a dozen children.
 */
export async function localRuntimeEntry(): Promise<string[]> {
  const runDir = process.env.GUARD_TEST_RUN_DIR;
  if (runDir === undefined) throw new Error('GUARD_TEST_RUN_DIR is unset: the local runtime bundle is built in a vitest run (test/support/global-setup.ts)');
  const built = await localRuntimeBundle(runDir);
  return ['--import', built.hooks, built.entry];
}
