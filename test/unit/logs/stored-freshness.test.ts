import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleDefines, CHARSET, PROJECT_ROOT } from '../../../infra/constructs/guard-function.js';
import { assertStoredDataFresh, currentStoredDataKeys, GENERATED_STORED_DATA, STORED_DATA_FRESH_DEFINE, staleStoredData } from '../../../shared/logs/stored-freshness.js';
import { StoredDataStaleError } from '../../../shared/errors.js';

const outdir = mkdtempSync(join(tmpdir(), 'guard-stored-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** line-filter.ts bundled as a Lambda bundle is (minified, with `define`) or as the sources run (without), then loaded. */
async function bundledLineFilter(define: Record<string, string>, file: string): Promise<typeof import('../../../shared/logs/line-filter.js')> {
  const outfile = join(outdir, file);
  await build({ entryPoints: [join(PROJECT_ROOT, 'shared/logs/line-filter.ts')], bundle: true, platform: 'node', format: 'esm', minify: true, define, outfile, logLevel: 'error' });
  return (await import(pathToFileURL(outfile).href)) as typeof import('../../../shared/logs/line-filter.js');
}

describe('freshness of the stored data', () => {
  it('finds the committed generated module fresh (else run `npm run build:line-filter`)', () => {
    expect(staleStoredData()).toEqual([]);
    expect(() => assertStoredDataFresh()).not.toThrow();
  });

  it('names each datum stored under another key than its current inputs have', () => {
    // Prepare: the committed data, two of them as if stored before a rule changed
    const stale = { ...GENERATED_STORED_DATA, LINE_FILTER_TABLES: { ...GENERATED_STORED_DATA.LINE_FILTER_TABLES, key: 'old' }, BLOCK_AUTOMATA: { ...GENERATED_STORED_DATA.BLOCK_AUTOMATA, key: 'old' } };

    // Act / Assert
    expect(staleStoredData(stale)).toEqual(['LINE_FILTER_TABLES', 'BLOCK_AUTOMATA']);
    expect(() => assertStoredDataFresh(stale)).toThrow(/stale \(LINE_FILTER_TABLES, BLOCK_AUTOMATA\).*npm run build:line-filter/);
    expect(() => assertStoredDataFresh(stale)).toThrow(StoredDataStaleError);
  });

  it('keys every stored datum of the generated module', () => {
    expect(Object.keys(currentStoredDataKeys()).sort()).toEqual(Object.keys(GENERATED_STORED_DATA).sort());
  });

  it('defines the flag for the bundles only once the data is checked fresh', () => {
    expect(bundleDefines()).toEqual({ [STORED_DATA_FRESH_DEFINE]: 'true' });
  });

  it('finds the stored data fresh from inside a bundle too: esbuild writes the expressions the keys are read from as they are', async () => {
    // Prepare: built as the Lambda bundles are (minified, node22, UTF-8, the define)
    const outfile = join(outdir, 'freshness.mjs');
    await build({ entryPoints: [join(PROJECT_ROOT, 'shared/logs/stored-freshness.ts')], bundle: true, platform: 'node', format: 'esm', minify: true, target: 'node22', charset: CHARSET, define: bundleDefines(), outfile, logLevel: 'error' });

    // Act
    const bundled = (await import(pathToFileURL(outfile).href)) as typeof import('../../../shared/logs/stored-freshness.js');

    // Assert: the keys a bundle computes at run time are the ones the build checked, so it reads the stored data
    expect(bundled.currentStoredDataKeys()).toEqual(currentStoredDataKeys());
    expect(bundled.staleStoredData()).toEqual([]);
  });

  it('leaves the compiler out of a bundle built with the flag, which then refuses triggers it has no tables for', async () => {
    // Prepare
    const asBundled = await bundledLineFilter(bundleDefines(), 'bundled.mjs');
    const asSources = await bundledLineFilter({}, 'sources.mjs');
    const other = { anywhere: [/boom/], atStart: [/^Done/] };

    // Act / Assert: the sources compile automata for other triggers; the bundle says its stored data is stale
    expect(() => new asSources.LineFilter(other)).not.toThrow();
    expect(() => new asBundled.LineFilter(other)).toThrow(/the line filter: the stored data in line-filter\.generated\.ts is stale/);
    // Both build the filter of the scanner's triggers from the stored tables.
    const { SCANNER_TRIGGERS } = await import('../../../shared/logs/dispatch.js');
    const line = Buffer.from('npm ERR! code ELIFECYCLE\nall good\n');
    expect([...new asBundled.LineFilter(SCANNER_TRIGGERS).flagInJs(line, 0, line.length)]).toEqual([...new asSources.LineFilter(SCANNER_TRIGGERS).flagInJs(line, 0, line.length)]);
  });
});
