import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

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
