/**
 * `npm run build:web`: bundles the dashboard (infra/dashboard) with esbuild into infra/dashboard/dist — the files
 * `npm start` serves at `/` and the stack uploads to S3 with `-c dashboard=true`. Type-checks it first.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { publishBuild } from './publish-build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const site = join(root, 'infra', 'dashboard');
const dist = join(site, 'dist');

const started = Date.now();
if (!process.argv.includes('--no-check')) {
  // TypeScript 7's native compiler, as `npm test` type-checks the rest (package.json: 1.5 s of CPU here against 7.9 s).
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript-native', 'bin', 'tsc'), '-p', join(site, 'tsconfig.json')], { stdio: 'inherit' });
}
// Built beside dist, then put in its place file by file (publishBuild): a local runtime may be serving dist meanwhile.
const staging = mkdtempSync(join(site, '.dist-'));
let bytes: number;
try {
  const result = await build({
    entryPoints: { app: join(site, 'src', 'main.tsx'), 'app-style': join(site, 'src', 'app.css') },
    bundle: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: true,
    outdir: staging,
    metafile: true,
    logLevel: 'warning',
  });
  bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  copyFileSync(join(site, 'index.html'), join(staging, 'index.html'));
  publishBuild(staging, dist);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
console.log(`dashboard built in ${Date.now() - started} ms: ${dist} (${Math.round(bytes / 1024)} KB with source maps)`);
