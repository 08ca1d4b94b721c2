import { afterEach, describe, expect, it } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog } from '../../../shared/logs/index.js';
import { analyzedBothWays } from '../../support/fast-paths.js';

const lines = (...l: string[]): string => l.join('\n');

/**
 * npm 7+ prints a failed install script's captured output behind its own prefix (`npm ERR! ` up to npm 8, `npm error `
 * since npm 9), then its trailer. Here node-gyp building a native addon (node-gyp's `bin/node-gyp.js` prints
 * `<command> error`, `stack <err.stack>`, System/command/cwd/versions, `not ok`), a C++ compiler's error under it.
 */
function nativeBuild(npm: string): string {
  return lines(
    '$ npm ci',
    `${npm} code 1`,
    `${npm} path /home/runner/work/app/app/node_modules/bcrypt`,
    `${npm} command failed`,
    `${npm} command sh -c node-gyp rebuild`,
    `${npm} gyp info it worked if it ends with ok`,
    `${npm} gyp info using node-gyp@9.3.1`,
    `${npm} gyp info spawn make`,
    `${npm} make: Entering directory '/home/runner/work/app/app/node_modules/bcrypt/build'`,
    `${npm}   CXX(target) Release/obj.target/bcrypt_lib/src/bcrypt_node.o`,
    `${npm} ../src/bcrypt_node.cc:1:10: fatal error: nan.h: No such file or directory`,
    `${npm}     1 | #include <nan.h>`,
    `${npm}       |          ^~~~~~~`,
    `${npm} compilation terminated.`,
    `${npm} make: *** [bcrypt_lib.target.mk:122: Release/obj.target/bcrypt_lib/src/bcrypt_node.o] Error 1`,
    `${npm} make: Leaving directory '/home/runner/work/app/app/node_modules/bcrypt/build'`,
    `${npm} gyp ERR! build error`,
    `${npm} gyp ERR! stack Error: \`make\` failed with exit code: 2`,
    `${npm} gyp ERR! stack     at ChildProcess.onExit (/usr/lib/node_modules/npm/node_modules/node-gyp/lib/build.js:203:23)`,
    `${npm} gyp ERR! System Linux 6.5.0-1016-azure`,
    `${npm} gyp ERR! command "/usr/local/bin/node" "/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js" "rebuild"`,
    `${npm} gyp ERR! cwd /home/runner/work/app/app/node_modules/bcrypt`,
    `${npm} gyp ERR! node -v v18.19.0`,
    `${npm} gyp ERR! node-gyp -v v9.3.1`,
    `${npm} gyp ERR! not ok`,
    '',
    `${npm} A complete log of this run can be found in:`,
    `${npm}     /home/runner/.npm/_logs/2024-01-10T10_00_00_000Z-debug-0.log`,
    'The command "npm ci" exited with 1.',
  );
}

describe("output printed behind npm's prefix", () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
    setLineFilterUse(null);
  });

  for (const npm of ['npm ERR!', 'npm error']) {
    it(`reads a compiler's error behind \`${npm} \` with the compiler's rule, its code frame with it and not npm's trailer`, async () => {
      // Act
      const analysis = await analyzeLog(nativeBuild(npm));
      // Assert
      const top = analysis.failures[0];
      expect(top?.rule).toBe('cc.error');
      expect(top?.lines[0]?.text).toBe(`${npm} ../src/bcrypt_node.cc:1:10: fatal error: nan.h: No such file or directory`);
      expect(top?.startLine).toBe(11);
      expect(top?.endLine).toBe(13);
      expect(analysis.category).toBe('compilation');
    });
  }

  it("reads node-gyp's own error behind npm's prefix when nothing was compiled (no Python): its `stack Error:` line", async () => {
    // Prepare: node-gyp's configure step failing to find Python (its find-python.js), under npm 10.
    const log = lines(
      '$ npm install',
      'npm error code 1',
      'npm error path /home/runner/work/app/app/node_modules/re2',
      'npm error command failed',
      'npm error command sh -c node-gyp rebuild',
      'npm error gyp info it worked if it ends with ok',
      'npm error gyp ERR! find Python',
      'npm error gyp ERR! find Python Python is not set from command line or npm configuration',
      'npm error gyp ERR! find Python checking if "python3" can be used',
      'npm error gyp ERR! find Python - "python3" is not in PATH or produced an error',
      'npm error gyp ERR! find Python You need to install the latest version of Python.',
      'npm error gyp ERR! configure error',
      'npm error gyp ERR! stack Error: Could not find any Python installation to use',
      'npm error gyp ERR! stack     at PythonFinder.fail (/usr/lib/node_modules/npm/node_modules/node-gyp/lib/find-python.js:306:11)',
      'npm error gyp ERR! System Linux 6.5.0-1016-azure',
      'npm error gyp ERR! not ok',
      'npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2024-05-02T10_00_00_000Z-debug-0.log',
      'The command "npm install" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect(top?.lines[0]?.text).toBe('npm error gyp ERR! stack Error: Could not find any Python installation to use');
    expect(top?.rule).toBe('node-gyp.error');
    expect(top?.lines.length).toBeLessThanOrEqual(4);
  });

  it("reads a Node exception a script printed behind npm's prefix (an install script's SyntaxError)", async () => {
    // Prepare: a postinstall script's output, captured by npm 8 and printed behind its prefix.
    const log = lines(
      '$ npm ci',
      'npm ERR! code 1',
      'npm ERR! path /home/runner/work/app/app/node_modules/tool',
      'npm ERR! command failed',
      'npm ERR! command sh -c node scripts/postinstall.js',
      'npm ERR! /home/runner/work/app/app/node_modules/tool/scripts/postinstall.js:3',
      'npm ERR! const { x } = require(\'./x\')?.y;',
      'npm ERR!                                ^',
      'npm ERR! ',
      'npm ERR! SyntaxError: Unexpected token \'?\'',
      'npm ERR!     at wrapSafe (internal/modules/cjs/loader.js:915:16)',
      'npm ERR!     at Module._compile (internal/modules/cjs/loader.js:963:27)',
      'npm ERR! ',
      'npm ERR! A complete log of this run can be found in:',
      'npm ERR!     /home/runner/.npm/_logs/2024-01-10T10_00_00_000Z-debug-0.log',
      'The command "npm ci" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect(top?.lines[0]?.text).toBe("npm ERR! SyntaxError: Unexpected token '?'");
    expect(top?.rule).not.toBe('cascade.npm');
  });

  it("leaves npm's own trailer lines cascade: a failed script's `code ELIFECYCLE`, `errno`, `Exit status`", async () => {
    // Prepare: npm 6's trailer after a test script failed (the script's own output printed above it, unprefixed).
    const log = lines(
      '$ npm test',
      'Error: no test specified',
      'npm ERR! code ELIFECYCLE',
      'npm ERR! errno 1',
      'npm ERR! app@1.0.0 test: `echo "Error: no test specified" && exit 1`',
      'npm ERR! Exit status 1',
      'npm ERR! ',
      'npm ERR! Failed at the app@1.0.0 test script.',
      'npm ERR! This is probably not a problem with npm. There is likely additional logging output above.',
      '',
      'npm ERR! A complete log of this run can be found in:',
      'npm ERR!     /home/runner/.npm/_logs/2024-01-10T10_00_00_000Z-debug.log',
      'The command "npm test" exited with 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(analysis.failures.filter((f) => f.startLine > 2).every((f) => f.rule === 'cascade.npm')).toBe(true);
  });

  it('finds the same with the literal index, the shape memo and the line filter on', async () => {
    // Prepare: ordinary output first, so the filter is reading, and the log in small chunks.
    const filler = Array.from({ length: 400 }, (_, i) => `added package ${i}`).join('\n');
    const bytes = Buffer.from(`${filler}\n${nativeBuild('npm ERR!')}\n${filler}\n${nativeBuild('npm error')}\n`);
    // Act
    const { everyLine, fast } = await analyzedBothWays(bytes);
    // Assert
    expect(fast).toEqual(everyLine);
    expect(fast.failures[0]?.rule).toBe('cc.error');
  });

  it('reads the output behind the prefix alike with the shape memo, also lines of one digit shape only a literal digit tells apart', async () => {
    // Prepare: an addon's build warnings behind the prefix, lines of few digit shapes the memo answers for, and among
    // them a script's two lines of one digit shape that only infra.rate-limit's literal `429` tells apart.
    const warnings = Array.from({ length: 600 }, (_, i) => `npm ERR! ../src/binding.cc:${100 + i}:${10 + (i % 80)}: warning: unused variable 'x' [-Wunused-variable]`);
    const fetches = ['npm ERR! scripts/download.js:41: Fetch failed: 439 Too Many Requests', 'npm ERR! scripts/download.js:41: Fetch failed: 429 Too Many Requests'];
    const script = ['npm ERR! > addon@1.0.0 install', fetches[0], 'npm ERR! > addon@1.0.0 install', fetches[1]];
    const bytes = Buffer.from(`${['$ npm ci', ...warnings, ...script, ...warnings, ...script].join('\n')}\n`);
    // Act
    const { everyLine, fast } = await analyzedBothWays(bytes);
    // Assert
    expect(fast).toEqual(everyLine);
    const limited = fast.failures.filter((f) => f.rule === 'infra.rate-limit');
    expect(limited.map((f) => [f.lines[0]?.text, f.occurrences])).toEqual([[fetches[1], 2]]);
  });
});
