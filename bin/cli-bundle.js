// The `guard` CLI as a prebuilt bundle. esbuild compiles shared/cli/main.ts into node_modules/.cache, with each
// command's modules split into chunks that load only when that command runs, so `guard` starts without the
// TypeScript loader (tsx's own start-up is ≈90 ms of the 150 ms that `guard analyze` on a small log may take).
// `npm ci` builds it (the `prepare` script runs this file); bin/guard.js rebuilds it when a file it was built
// from has changed, and runs the sources through tsx when it cannot be built (no esbuild in a production
// install, a read-only node_modules, a syntax error that tsx then reports).
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'shared/cli/main.ts';
/**
 * Not sources, but they change what a build produces: package.json's `sideEffects` (whether unused modules drop),
 * the dependency versions, the compiler settings, this file.
 */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'bin/cli-bundle.js', 'bin/ascii-source.js'];
/** Builds other processes may still be running from are removed only once they are this old. */
const STALE_BUILD_MS = 60 * 60 * 1000;

/** Where builds and their manifest live; GUARD_CLI_CACHE moves it (tests). */
export function cacheDir(env = process.env) {
  return env.GUARD_CLI_CACHE ? resolve(env.GUARD_CLI_CACHE) : join(ROOT, 'node_modules', '.cache', 'pipeline-guard-cli');
}

/**
 * Whether every file a build was made from is unchanged (same modification time and size). Only the project's own
 * files are listed: dependencies change with package-lock.json, which is listed.
 *
 * Every command of every run asks this of ~240 files. The paths are esbuild's, relative with `/` (which every
 * platform's file functions read), so each is joined by hand: `path.join` normalising each made the check ~9 ms of a
 * cold process against ~3 (docs/performance.md, session 81).
 */
export function isFresh(manifest, root = ROOT) {
  if (!manifest || typeof manifest.dir !== 'string' || typeof manifest.inputs !== 'object' || manifest.inputs === null) return false;
  const base = root.endsWith('/') ? root : `${root}/`;
  try {
    for (const [path, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
      const stats = statSync(base + path, { throwIfNoEntry: false });
      if (stats === undefined || stats.mtimeMs !== mtimeMs || stats.size !== size) return false;
    }
  } catch {
    // Not a missing file (or a file where a folder was), which answers undefined, but one that cannot be stat'ed (a
    // folder without permission, a name too long) or a manifest whose entry is not a pair.
    return false;
  }
  return true;
}

/** The file URL of a fresh build's entry, or null. */
export function freshBuild(cache = cacheDir()) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
  return isFresh(manifest) ? pathToFileURL(join(cache, manifest.dir, 'main.mjs')).href : null;
}

/**
 * Bundles the CLI into a new directory and then points the manifest at it (written to a temporary name and renamed,
 * so a concurrent run reads the old manifest or the new one, never half of one). Returns the entry's file URL.
 */
export async function buildCli(cache = cacheDir()) {
  const { build } = await import('esbuild');
  const dir = `build-${process.pid}-${Date.now().toString(36)}`;
  const outdir = join(cache, dir);
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: ENTRY },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // ESM builds first, as in the Lambda bundles: smaller after tree shaking.
    mainFields: ['module', 'main'],
    // Less to parse at start-up; identifiers stay, so a stack trace still names functions.
    minifyWhitespace: true,
    minifySyntax: true,
    outdir,
    // .mjs: Node then knows each chunk is ESM without looking for the nearest package.json.
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'silent',
    // The CLI's build keeps what it computes beside its chunks (shared/cli/index-cache.ts); the sources do not.
    define: { GUARD_CLI_BUILD: 'true' },
    // Bundled CommonJS dependencies call `require` for Node built-ins, which ESM output has not got.
    banner: { js: "import { createRequire as __guardCreateRequire } from 'node:module'; const require = __guardCreateRequire(import.meta.url);" },
  });
  await writeInAscii(Object.keys(result.metafile.outputs).map((output) => join(ROOT, output)));
  const inputs = {};
  for (const path of [...Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/')), ...BUILD_INPUTS]) {
    const stats = statSync(join(ROOT, path));
    inputs[path] = [stats.mtimeMs, stats.size];
  }
  const manifestPath = join(cache, 'manifest.json');
  const pending = `${manifestPath}.${process.pid}`;
  writeFileSync(pending, JSON.stringify({ dir, builtAt: new Date().toISOString(), inputs }));
  renameSync(pending, manifestPath);
  removeOldBuilds(cache, dir);
  return pathToFileURL(join(outdir, 'main.mjs')).href;
}

/**
 * Rewrites the chunks' regular expression literals and `String.raw` templates in ASCII (bin/ascii-source.js, in a
 * process of its own), so that Node reads each chunk as a one-byte string. A chunk it cannot rewrite stays as esbuild
 * wrote it, and means the same.
 */
async function writeInAscii(files) {
  const chunks = files.filter((file) => file.endsWith('.mjs'));
  if (chunks.length === 0) return;
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [join(ROOT, 'bin', 'ascii-source.js'), ...chunks], { stdio: 'ignore' });
}

function removeOldBuilds(cache, current) {
  for (const entry of readdirSync(cache, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('build-') || entry.name === current) continue;
    const path = join(cache, entry.name);
    if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** The entry of a fresh build, building one if needed; null when no build can be made (run the sources then). */
export async function bundledCli(cache = cacheDir()) {
  const fresh = freshBuild(cache);
  if (fresh) return fresh;
  try {
    return await buildCli(cache);
  } catch {
    return null;
  }
}

// `node bin/cli-bundle.js` (the `prepare` script): build now, and never fail an install over it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildCli();
  } catch (error) {
    console.warn(`guard: CLI bundle not built (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); guard runs through tsx`);
  }
}
