import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * Session 60's JavaScript framework builds and Node tooling, each excerpt cut from a real run on this machine other
 * than the one in test/fixtures/gha-real-tools (another project or fault, the same tool and version): the lines each
 * format's rule must list, the first line it shows and the category.
 */
describe("session 60's JavaScript framework builds and Node tooling", () => {
  it("reads Jest 30's `Jest: Coverage for … does not meet \"global\" threshold` verdicts under the coverage table", async () => {
    // Prepare
    const log = [
      'PASS __tests__/cart.test.js',
      '  ✓ totals items (6 ms)',
      '',
      '----------|---------|----------|---------|---------|-------------------',
      'File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ',
      '----------|---------|----------|---------|---------|-------------------',
      'All files |   58.82 |     37.5 |      60 |   56.25 |                   ',
      ' price.js |   45.45 |     37.5 |      50 |   45.45 | 6,12-18           ',
      '----------|---------|----------|---------|---------|-------------------',
      'Jest: Coverage for statements (58.82%) does not meet "global" threshold (90%)',
      'Jest: Coverage for branches (37.5%) does not meet "global" threshold (90%)',
      'Test Suites: 1 passed, 1 total',
      'Tests:       2 passed, 2 total',
      'Snapshots:   0 total',
      'Time:        0.18 s, estimated 1 s',
      'Ran all test suites.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(10);
    expect(analysis.category).toBe('test_failure');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([10, 11]));
    expect(predictionLines(analysis)).not.toContain(12);
  });

  it("reads aws-cdk-lib's `«Code» message` error (no keyword on the line) with the app's frame, not the minified source line above it", async () => {
    // Prepare
    const log = [
      '/home/runner/work/infra/infra/node_modules/aws-cdk-lib/aws-sqs/lib/queue.js:2',
      '`)),encryption=queue_base_1().QueueEncryption.KMS),!encryption)return{encryptionProps:{},encryptionType:encryption};',
      '',
      "«NonFifoQueueName» Non-FIFO queue name may not end in '.fifo'",
      '    ...new Queue2 in aws-cdk-lib...',
      '    at <anonymous> (/home/runner/work/infra/infra/bin/app.js:5:1)',
      '    ...node internals...',
      'Relates to construct:',
      '    <.> (aws-cdk-lib.App)',
      '     └─ QueueStack (aws-cdk-lib.Stack)',
      '         └─ Jobs (aws-cdk-lib.aws_sqs.Queue)',
      '',
      'Node.js v22.23.3',
      'node bin/app.js: Subprocess exited with error 1',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 6]));
  });

  it("reads VitePress's `(!) Found dead link` lines and its `[vitepress] N dead link(s) found.` verdict", async () => {
    // Prepare
    const log = [
      '  vitepress v1.6.4',
      '',
      '- building client + server bundles...',
      '',
      '',
      '(!) Found dead link /changelog in file index.md',
      '',
      'If this is expected, you can disable this check via config. Refer: https://vitepress.dev/reference/site-config#ignoredeadlinks',
      '',
      'x Build failed in 2.17s',
      '✖ building client + server bundles...',
      'build error:',
      '[vitepress] 1 dead link(s) found.',
      '[vitepress] 1 dead link(s) found.',
      '    at Object.renderStart (file:///home/runner/work/docs/docs/node_modules/vitepress/dist/node/chunk-D3CUZ4fa.js:45027:15)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 13]));
  });

  it("reads license-checker's `--onlyAllow` refusal as a dependency's failure", async () => {
    // Prepare
    const log = [
      '##[group]Run npx license-checker --production --excludePrivatePackages --onlyAllow "MIT;ISC"',
      'npx license-checker --production --excludePrivatePackages --onlyAllow "MIT;ISC"',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'Package "typescript@7.0.2" is licensed under "Apache-2.0" which is not permitted by the --onlyAllow flag. Exiting.',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(analysis.category).toBe('dependency');
  });

  it("reads a CLI's `Node.js vX is not supported by …!` refusal with its `upgrade` line as a dependency's failure", async () => {
    // Prepare
    const log = [
      '> build',
      '> astro build',
      '',
      'Node.js v20.20.2 is not supported by Astro!',
      'Please upgrade Node.js to a supported version: ">=22.12.0"',
      '',
      'null CI Environment Detected!',
      'Additional steps may be needed to set your Node.js version:',
      'Documentation: https://docs.astro.build/en/guides/deploy/',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(analysis.category).toBe('dependency');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5]));
  });

  it("reads bun test's report above its `(fail) name [time]` line, back to the file's heading, the `error:` line first", async () => {
    // Prepare
    const log = [
      'bun test v1.4.5 (a7733435c)',
      '',
      'test/tags.test.ts:',
      "1 | import { expect, test } from 'bun:test';",
      "2 | import { parseTags } from '../src/slug';",
      '3 | ',
      "4 | test('keeps order', () => {",
      `5 |   expect(parseTags('{"tags":["b","a"]}')).toEqual(['a', 'b']);`,
      '                                              ^',
      'error: expect(received).toEqual(expected)',
      '',
      '  [',
      '-   "a",',
      '    "b",',
      '+   "a",',
      '  ]',
      '',
      '- Expected  - 1',
      '+ Received  + 1',
      '',
      '      at <anonymous> (/home/runner/work/slugs/slugs/test/tags.test.ts:5:43)',
      '(fail) keeps order [2.04ms]',
      '',
      ' 0 pass',
      ' 1 fail',
      ' 1 expect() calls',
      'Ran 1 test across 1 file. [20.00ms]',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(10);
    expect(analysis.category).toBe('test_failure');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([8, 10, 13, 15, 21, 22]));
    expect(predictionLines(analysis)).not.toContain(3);
  });

  it("reads ajv-cli's `<file> invalid` with the errors it prints as objects under it (instancePath, message)", async () => {
    // Prepare
    const log = [
      'config/dev.yaml invalid',
      '[',
      '  {',
      "    instancePath: '/replicas',",
      "    schemaPath: '#/properties/replicas/type',",
      "    keyword: 'type',",
      "    params: { type: 'integer' },",
      "    message: 'must be integer'",
      '  }',
      ']',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(analysis.category).toBe('lint');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 4, 8]));
  });

  it("reads ajv-cli's `--errors=text` line under `<file> invalid`, not the valid files above it", async () => {
    // Prepare
    const log = ['config/prod.json valid', 'config/dev.yaml invalid', 'data/replicas must be integer', '##[error]Process completed with exit code 1.'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(analysis.category).toBe('lint');
    expect(predictionLines(analysis)).toEqual([2, 3]);
  });

  it("lists the erring line of Svelte's code frame (no `>` marker, a caret under it) under Rolldown's `[plugin vite-plugin-svelte:compile]`", async () => {
    // Prepare
    const log = [
      '✗ Build failed in 219ms',
      'error during build:',
      'Build failed with 1 error:',
      '',
      '[plugin vite-plugin-svelte:compile] /home/runner/work/site/site/src/lib/List.svelte:8:0',
      'RolldownError: /home/runner/work/site/site/src/lib/List.svelte:8:0 `</ul>` attempted to close an element that was not open',
      'https://svelte.dev/e/element_invalid_closing_tag',
      '  6 |    {#each items as item}',
      '  7 |      <li>{item}</li>',
      '  8 |  </ul>',
      '       ^',
      '  9 |  ',
      '    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/site/site/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)',
      '    at unwrapBindingResult (file:///home/runner/work/site/site/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:78:128)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 10]));
    expect(predictionLines(analysis)).not.toContain(13);
  });

  it("shows SvelteKit's `SvelteKit error: code` first under a `[plugin …]` line that names no file", async () => {
    // Prepare
    const log = [
      'error during build:',
      'Build failed with 1 error:',
      '',
      '[plugin vite-plugin-sveltekit-setup]',
      'SvelteKit error: module_removed_lib',
      "`$lib` has been removed. Use `#lib` instead: https://svelte.dev/docs/kit/$lib.",
      'https://svelte.dev/e/kit/module_removed_lib',
      '    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/site/site/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(analysis.category).toBe('compilation');
  });

  it("lists Next.js's `Failed to type check.` under the type errors of its `Running TypeScript` step", async () => {
    // Prepare
    const log = [
      '  Creating an optimized production build ...',
      '✓ Compiled successfully in 19.3s',
      '  Running TypeScript ...',
      "app/page.tsx(4,25): error TS2322: Type 'null' is not assignable to type 'number'.",
      'Failed to type check.',
      '',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual([4, 5]);
  });

  it("reads Next.js's `Error occurred prerendering page` with the page's error and code frame, down to `Export encountered an error`", async () => {
    // Prepare
    const log = [
      '  Generating static pages using 1 worker (1/5) ',
      'Error occurred prerendering page "/team". Read more: https://nextjs.org/docs/messages/prerender-error',
      "TypeError: Cannot read properties of undefined (reading 'name')",
      '    at <unknown> (app/team/page.tsx:4:25)',
      '  2 |',
      '  3 | export default function Team() {',
      '> 4 |   return <p>{team.owner.name}</p>;',
      '    |                         ^',
      '  5 | }',
      '  6 | {',
      "  digest: '2617455274'",
      '}',
      'Export encountered an error on /team/page: /team, exiting the build.',
      '⨯ Next.js build worker exited with code: 1 and signal: null',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4, 7]));
    expect(predictionLines(analysis)).not.toContain(1);
  });

  it("reads Angular's budget error (`✘ [ERROR] … exceeded maximum budget.`) as a size check's failure, not the code's", async () => {
    // Prepare
    const log = [
      'Application bundle generation failed. [6.211 seconds] - 2026-11-28T18:39:01.139Z',
      '',
      '▲ [WARNING] angular:styles/component:css;445f71740cafa584;/home/runner/work/shop/shop/src/app/app.component.ts exceeded maximum budget. Budget 2.00 kB was not met by 3.28 kB with a total of 5.28 kB.',
      '',
      '',
      '✘ [ERROR] angular:styles/component:css;445f71740cafa584;/home/runner/work/shop/shop/src/app/app.component.ts exceeded maximum budget. Budget 4.00 kB was not met by 1.28 kB with a total of 5.28 kB.',
      '',
      '',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(analysis.category).toBe('lint');
  });
});
