import { describe, expect, it } from 'vitest';
import { analyzeLog, CASCADE_RULES, LogScanner, RULES, type Rule } from '../../shared/logs/index.js';
import { NOISE_RE, PREFILTER_START_RE, WARNING_RE } from '../../shared/logs/rules.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, superlinearOn } from '../support/growth.js';

// Session 57's review of sweep57a's rules (sanitizers, memcheck, Cppcheck, clang-tidy, webpack, jest, prettier,
// unittest, tox): real output of those tools in forms the change did not see, each read as the tool means it.
interface Row {
  name: string;
  /** The log's lines. */
  log: string[];
  /** The top failure: its rule, its most telling line and, where given, the line (1-based) its block ends on. */
  top: { rule: string; head: string; endLine?: number };
  /** A rule that must not report anything in this log. */
  absent?: string;
}

/** Valgrind 3.19's memcheck on a C program (gcc 12, `-g -O0`), `--leak-check=full --error-exitcode=1`. */
const MEMCHECK_START = ['$ valgrind --leak-check=full --error-exitcode=1 ./build/totals', '==4157== Memcheck, a memory error detector', '==4157== Command: ./build/totals', '==4157== '];
const MEMCHECK_END = ['==4157== ', '==4157== ERROR SUMMARY: 29 errors from 7 contexts (suppressed: 0 from 0)', 'The command "valgrind --leak-check=full --error-exitcode=1 ./build/totals" exited with 1.'];

const ROWS: Row[] = [
  {
    // Cppcheck 2.10 under make, `--enable=all --error-exitcode=1`: the headers are found through the compiler's `-I`,
    // not Cppcheck's, and its closing advice says so on a `nofile:0:0: information:` line. It does not fail the run
    // (Cppcheck exits 0): the link after it does.
    name: 'Cppcheck passing with its missing-include advice, then the link failing',
    top: { rule: 'linker.error', head: "main.c:(.text+0x5): undefined reference to `rb_len'" },
    absent: 'cppcheck.finding',
    log: [
      '$ make build',
      'cppcheck --enable=all --error-exitcode=1 --suppress=missingIncludeSystem src',
      'Checking src/main.c ...',
      'nofile:0:0: information: Cppcheck cannot find all the include files (use --check-config for details) [missingInclude]',
      '',
      'gcc -Iinclude -o app src/main.c',
      "/usr/bin/ld: /tmp/cc81xq7F.o: in function `main':",
      "main.c:(.text+0x5): undefined reference to `rb_len'",
      'collect2: error: ld returned 1 exit status',
      'make: *** [Makefile:4: build] Error 1',
      'The command "make build" exited with 2.',
    ],
  },
  {
    // The same run with a suppression that matched nothing: Cppcheck reports it as a finding of its own, with no file
    // (`nofile:0:0:`), and that fails the run under `--error-exitcode`; the missing-include advice under it does not.
    name: 'Cppcheck failing on an unmatched suppression, its missing-include advice under it',
    top: { rule: 'cppcheck.finding', head: 'nofile:0:0: information: Unmatched suppression: unusedFunction [unmatchedSuppression]' },
    log: [
      '$ make build',
      'cppcheck --enable=all --error-exitcode=1 --suppress=missingIncludeSystem --suppress=unusedFunction src',
      'Checking src/main.c ...',
      'nofile:0:0: information: Unmatched suppression: unusedFunction [unmatchedSuppression]',
      '',
      'nofile:0:0: information: Cppcheck cannot find all the include files (use --check-config for details) [missingInclude]',
      '',
      'make: *** [Makefile:2: lint] Error 1',
      'The command "make build" exited with 2.',
    ],
  },
  {
    // GCC 12's AddressSanitizer on a null write: a SEGV report puts the signal's cause and a hint under the headline,
    // each under the process's id, before the frames; its SUMMARY follows the `can not provide additional info` line.
    name: 'AddressSanitizer SEGV report (gcc 12): the frames and the SUMMARY are the report\'s',
    top: { rule: 'sanitizer.error', head: '==344==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55fb096b21e8 bp 0x7fff664ee500 sp 0x7fff664ee4e0 T0)', endLine: 15 },
    log: [
      '$ make test',
      'gcc -g -fsanitize=address -o build/test_lookup tests/test_lookup.c',
      './build/test_lookup',
      'AddressSanitizer:DEADLYSIGNAL',
      '=================================================================',
      '==344==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55fb096b21e8 bp 0x7fff664ee500 sp 0x7fff664ee4e0 T0)',
      '==344==The signal is caused by a WRITE memory access.',
      '==344==Hint: address points to the zero page.',
      '    #0 0x55fb096b21e8 in main /home/runner/work/kv/kv/tests/test_lookup.c:6',
      '    #1 0x7fa49a645249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58',
      '    #2 0x7fa49a645304 in __libc_start_main_impl ../csu/libc-start.c:360',
      '    #3 0x55fb096b20a0 in _start (/home/runner/work/kv/kv/tests/test_lookup+0x10a0)',
      '',
      'AddressSanitizer can not provide additional info.',
      'SUMMARY: AddressSanitizer: SEGV /home/runner/work/kv/kv/tests/test_lookup.c:6 in main',
      '==344==ABORTING',
      'make: *** [Makefile:12: test] Error 1',
      'The command "make test" exited with 2.',
    ],
  },
  {
    // GCC 12's AddressSanitizer on a write past a local array: the frame's objects, then ASan's `HINT:` about stack
    // unwinding (and its line indented under it) above the SUMMARY. Shadow map cut to its first line.
    name: 'AddressSanitizer stack-buffer-overflow (gcc 12): the HINT does not end the report above its SUMMARY',
    top: { rule: 'sanitizer.error', head: '==1559==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd1af88010 at pc 0x562625f6225a bp 0x7ffd1af87fb0 sp 0x7ffd1af87fa8', endLine: 18 },
    log: [
      '$ make test',
      '=================================================================',
      '==1559==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd1af88010 at pc 0x562625f6225a bp 0x7ffd1af87fb0 sp 0x7ffd1af87fa8',
      'WRITE of size 4 at 0x7ffd1af88010 thread T0',
      '    #0 0x562625f62259 in sum /home/runner/work/stats/stats/src/sum.c:2',
      '    #1 0x562625f62316 in main /home/runner/work/stats/stats/src/sum.c:3',
      '    #2 0x7fbb8a0e0249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58',
      '    #3 0x7fbb8a0e0304 in __libc_start_main_impl ../csu/libc-start.c:360',
      '    #4 0x562625f620d0 in _start (/home/runner/work/stats/stats/build/sum+0x10d0)',
      '',
      'Address 0x7ffd1af88010 is located in stack of thread T0 at offset 48 in frame',
      '    #0 0x562625f621a8 in sum /home/runner/work/stats/stats/src/sum.c:2',
      '',
      '  This frame has 1 object(s):',
      "    [32, 48) 'v' (line 2) <== Memory access at offset 48 overflows this variable",
      'HINT: this may be a false positive if your program uses some custom stack unwind mechanism, swapcontext or vfork',
      '      (longjmp and C++ exceptions *are* supported)',
      'SUMMARY: AddressSanitizer: stack-buffer-overflow /home/runner/work/stats/stats/src/sum.c:2 in sum',
      'Shadow bytes around the buggy address:',
      '  0x1000235e8fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
      '==1559==ABORTING',
      'make: *** [Makefile:12: test] Error 1',
    ],
  },
  {
    // GCC 12's ThreadSanitizer on a data race: its report is a warning by name, yet the process exits 66 for it. The
    // accesses, the variable and the threads are indented under the headline, down to its SUMMARY.
    name: 'ThreadSanitizer data race report (gcc 12), the run failing on it',
    top: { rule: 'sanitizer.error', head: 'WARNING: ThreadSanitizer: data race (pid=11484)', endLine: 22 },
    log: [
      '$ make test',
      'gcc -g -fsanitize=thread -o build/test_counter tests/test_counter.c -lpthread',
      './build/test_counter',
      '==================',
      'WARNING: ThreadSanitizer: data race (pid=11484)',
      '  Read of size 4 at 0x559d31a7005c by thread T2:',
      '    #0 worker /home/runner/work/counter/counter/tests/test_counter.c:4 (test_counter+0x11e9)',
      '',
      '  Previous write of size 4 at 0x559d31a7005c by thread T1:',
      '    #0 worker /home/runner/work/counter/counter/tests/test_counter.c:4 (test_counter+0x1201)',
      '',
      "  Location is global 'hits' of size 4 at 0x559d31a7005c (test_counter+0x405c)",
      '',
      '  Thread T2 (tid=11487, running) created by main thread at:',
      '    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)',
      '    #1 main /home/runner/work/counter/counter/tests/test_counter.c:5 (test_counter+0x1275)',
      '',
      '  Thread T1 (tid=11486, finished) created by main thread at:',
      '    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)',
      '    #1 main /home/runner/work/counter/counter/tests/test_counter.c:5 (test_counter+0x1258)',
      '',
      'SUMMARY: ThreadSanitizer: data race /home/runner/work/counter/counter/tests/test_counter.c:4 in worker',
      '==================',
      'ThreadSanitizer: reported 1 warnings',
      '2000',
      'make: *** [Makefile:12: test] Error 66',
      'The command "make test" exited with 2.',
    ],
  },
  {
    // Clang 14's MemorySanitizer on a branch on an uninitialised sum: a warning under the process's id, its frames,
    // the SUMMARY; the process exits non-zero for it.
    name: 'MemorySanitizer use of an uninitialised value (clang 14)',
    top: { rule: 'sanitizer.error', head: '==24183==WARNING: MemorySanitizer: use-of-uninitialized-value', endLine: 10 },
    log: [
      '$ make test CC=clang SAN=-fsanitize=memory',
      'clang -g -O0 -fsanitize=memory -o build/test_scale tests/test_scale.c',
      './build/test_scale',
      '==24183==WARNING: MemorySanitizer: use-of-uninitialized-value',
      '    #0 0x5653f1ace4c7 in main /home/runner/work/scale/scale/tests/test_scale.c:7:7',
      '    #1 0x7fa344ee7249 in __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16',
      '    #2 0x7fa344ee7304 in __libc_start_main csu/../csu/libc-start.c:360:3',
      '    #3 0x5653f1a482a0 in _start (/home/runner/work/scale/scale/build/test_scale+0x212a0) (BuildId: af24d195fbff5602b436fc3a101355c41fcd8b12)',
      '',
      'SUMMARY: MemorySanitizer: use-of-uninitialized-value /home/runner/work/scale/scale/tests/test_scale.c:7:7 in main',
      'Exiting',
      'make: *** [Makefile:12: test] Error 1',
      'The command "make test CC=clang SAN=-fsanitize=memory" exited with 2.',
    ],
  },
  {
    // tox 3.28 over two environments, the first without pytest installed: CPython's `-m` runner says so on one line,
    // tox names the command, runs the next environment, and only then prints its summary, each failed environment
    // on an `ERROR:` line of it: tox's status, not the failure.
    name: 'tox 3 over two environments, `python -m pytest` without pytest in the first',
    top: { rule: 'python.module-missing', head: '/home/runner/work/invoicer/invoicer/.tox/py311/bin/python3: No module named pytest' },
    absent: 'generic.error',
    log: [
      '$ tox',
      'py311 create: /home/runner/work/invoicer/invoicer/.tox/py311',
      "py311 run-test-pre: PYTHONHASHSEED='3016885564'",
      'py311 run-test: commands[0] | python3 -m pytest -q tests',
      '/home/runner/work/invoicer/invoicer/.tox/py311/bin/python3: No module named pytest',
      'ERROR: InvocationError for command /home/runner/work/invoicer/invoicer/.tox/py311/bin/python3 -m pytest -q tests (exited with code 1)',
      'lint create: /home/runner/work/invoicer/invoicer/.tox/lint',
      "lint run-test-pre: PYTHONHASHSEED='3016885564'",
      "lint run-test: commands[0] | python3 -c 'print('\"'\"'lint ok'\"'\"')'",
      'lint ok',
      '___________________________________ summary ____________________________________',
      'ERROR:   py311: commands failed',
      '  lint: commands succeeded',
      'The command "tox" exited with 1.',
    ],
  },
  // Each of memcheck's errors that holds no failure word, alone in a run: its shape alone must open the report.
  {
    name: 'memcheck, a use of an uninitialised value',
    top: { rule: 'valgrind.error', head: '==4157== Use of uninitialised value of size 8', endLine: 9 },
    log: [
      ...MEMCHECK_START,
      '==4157== Use of uninitialised value of size 8',
      '==4157==    at 0x48AFAAB: _itoa_word (_itoa.c:177)',
      '==4157==    by 0x48BAE58: __vfprintf_internal (vfprintf-process-arg.c:164)',
      '==4157==    by 0x48B065A: printf (printf.c:33)',
      '==4157==    by 0x1091EF: main (uninit.c:9)',
      ...MEMCHECK_END,
    ],
  },
  {
    name: 'memcheck, a system call handed uninitialised bytes',
    top: { rule: 'valgrind.error', head: '==4157== Syscall param write(buf) points to uninitialised byte(s)', endLine: 10 },
    log: [
      ...MEMCHECK_START,
      '==4157== Syscall param write(buf) points to uninitialised byte(s)',
      '==4157==    at 0x4956350: write (write.c:26)',
      '==4157==    by 0x109213: main (uninit.c:11)',
      "==4157==  Address 0x4a440d0 is 0 bytes inside a block of size 8 alloc'd",
      '==4157==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)',
      '==4157==    by 0x1091F9: main (uninit.c:10)',
      ...MEMCHECK_END,
    ],
  },
  {
    name: 'memcheck, `new[]` freed with free()',
    top: { rule: 'valgrind.error', head: '==4157== Mismatched free() / delete / delete []', endLine: 10 },
    log: [
      ...MEMCHECK_START,
      '==4157== Mismatched free() / delete / delete []',
      '==4157==    at 0x484417B: free (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)',
      '==4157==    by 0x109181: main (mism.cpp:5)',
      "==4157==  Address 0x4d70c80 is 0 bytes inside a block of size 16 alloc'd",
      '==4157==    at 0x484320F: operator new[](unsigned long) (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)',
      '==4157==    by 0x109171: main (mism.cpp:4)',
      ...MEMCHECK_END,
    ],
  },
  {
    name: 'memcheck, a leak record',
    top: { rule: 'valgrind.error', head: '==4157== 8 bytes in 1 blocks are definitely lost in loss record 1 of 3', endLine: 7 },
    log: [
      ...MEMCHECK_START,
      '==4157== 8 bytes in 1 blocks are definitely lost in loss record 1 of 3',
      '==4157==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)',
      '==4157==    by 0x1091F9: main (uninit.c:10)',
      ...MEMCHECK_END,
    ],
  },
  {
    name: 'memcheck, a leak record of a block and the blocks it points to',
    top: { rule: 'valgrind.error', head: '==4157== 32 (16 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 3 of 3', endLine: 7 },
    log: [
      ...MEMCHECK_START,
      '==4157== 32 (16 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 3 of 3',
      '==4157==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)',
      '==4157==    by 0x109243: main (uninit.c:14)',
      ...MEMCHECK_END,
    ],
  },
];

describe('sweep 57 (sweep57a): the C checkers\' and runners\' new rules on their real output', () => {
  it.each(ROWS)('$name', async ({ log, top, absent }) => {
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const [first] = analysis.failures;
    expect({ rule: first?.rule, head: first?.lines[0]?.text.trim(), ...(top.endLine === undefined ? {} : { endLine: first?.endLine }) }).toEqual(top);
    if (absent !== undefined) expect(analysis.failures.map((f) => f.rule)).not.toContain(absent);
  });
});

const ruleOf = (id: string): Rule => {
  const rule = [...RULES, ...CASCADE_RULES].find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule ${id}`);
  return rule;
};

/**
 * What a long hostile line repeats: each of the characters and pieces the new expressions read in a loop (spaces,
 * digits, dashes, positions, ids in brackets, memcheck's counts and prefixes).
 */
const HOSTILE_UNITS = [' ', 'a', '1', '-', '_', ':1', 'a:1:1:', ' [a', '1,', '==1==', ' (', '#1 0x1 '];

/**
 * The rules the change added or changed, each with the texts that take its expressions (headline, continuation, end,
 * lines passed over, closing report) to the part they read on; and the shared expressions it changed.
 */
const HEADS_BY_RULE: Readonly<Record<string, readonly string[]>> = {
  'sanitizer.error': ['', '==1==ERROR: AddressSanitizer: ', '==1==WARNING: ', 'WARNING: ThreadSanitizer: ', 'A'],
  'valgrind.error': ['==1== ', '==1=='],
  'cppcheck.finding': ['', 'a.c:1:1: warning: '],
  'clang-tidy.error': [''],
  'webpack.error-in': ['ERROR in'],
  'unittest.failed': [''],
  'pytest.failed': ['___ '],
  'jest.failed': [''],
  'cascade.tox': ['', 'ERROR: InvocationError for command ', 'ERROR:  '],
  'python.module-missing': ['', 'python3'],
};
const SHARED: ReadonlyArray<readonly [string, RegExp, readonly string[]]> = [
  ['noise', NOISE_RE, ['Use -header-filter=']],
  ['prefilter start', PREFILTER_START_RE, ['', '[warn] ', '==1== ', 'python3']],
  ['warnings', WARNING_RE, ['WARNING:']],
];

const expressionsOf = (rule: Rule): RegExp[] =>
  [rule.re, rule.cont, rule.end, rule.interleaved?.re, rule.closing?.through].filter((re): re is RegExp => re !== undefined);

describe('sweep 57 (sweep57a): the new expressions cost a pass over a long line', () => {
  it.each(Object.keys(HEADS_BY_RULE))('%s', { timeout: 120_000 }, (id) => {
    expect(expressionsOf(ruleOf(id)).flatMap((re) => superlinearOn(re, HEADS_BY_RULE[id] ?? [], HOSTILE_UNITS))).toEqual([]);
  });

  it.each(SHARED)('%s', { timeout: 120_000 }, (_name, re, heads) => {
    expect(superlinearOn(re, heads, HOSTILE_UNITS)).toEqual([]);
  });
});

/** Log lengths in lines: up to 50K lines of a near miss. */
const LOG_COST_SIZES = [6_250, 12_500, 25_000, 50_000];

function scanAll(lines: readonly string[]): unknown {
  const scanner = new LogScanner();
  lines.forEach((text, i) => scanner.push(i + 1, text));
  return scanner.finish();
}

describe('sweep 57 (sweep57a): the new blocks cost a pass over a long log', () => {
  // Each a cycle of lines repeated to the log's length: a report the rule keeps reading, or a line that almost opens one.
  it.each<[string, string[]]>([
    ['an AddressSanitizer report of endless frames', ['==1==ERROR: AddressSanitizer: SEGV on unknown address 0x0', ...Array.from({ length: 9 }, (_, i) => `    #${i} 0x55fb096b21e8 in f src/a.c:${i}`)]],
    ['memcheck errors and frames, and near misses', ['==7== Invalid read of size 4', '==7==    at 0x1091E7: main (u.c:4)', '==7== Invalid reed of size 4', '==7== 8 bytes in 1 blocks are definitely found in loss record 1 of 1']],
    ['Cppcheck\'s shape with a flag for an id', ['src/a.c:1:1: warning: unused [a-b]', 'src/a.c:2:1: note: here']],
    ['webpack\'s ERROR in paragraphs without a blank line', ['ERROR in ./src/a.js 1:1-2', "Module not found: Error: Can't resolve './b' in '/w'"]],
    ['a unittest report of dashes and lines', ['FAIL: test_a (t.T.test_a)', '----------------------------------------------------------------------', 'AssertionError: 1 != 2']],
    ['tox\'s InvocationError without its code', ['ERROR: InvocationError for command /w/.tox/py/bin/python -m unittest (exited with code', '  lint: commands succeeded']],
  ])('%s', { timeout: 120_000 }, (_name, cycle) => {
    const textOf = (size: number) => Array.from({ length: size }, (_, i) => cycle[i % cycle.length] as string);
    expect(cpuGrowthExponent(LOG_COST_SIZES, textOf, scanAll)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
