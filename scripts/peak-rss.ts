/**
 * Peak memory for `npm run bench`, written once for the two ways the bench reads it: {@link peakRssKb} called in
 * a process of its own (the analyzer-alone child), and {@link EXIT_REPORTER}, a module preloaded into a process
 * the bench does not write (`node bin/guard.js analyze`), made from the same functions' source text.
 */

/**
 * The process's own peak RSS in KB. Not `process.resourceUsage().maxRSS`: on Linux a child's ru_maxrss starts at
 * its parent's RSS when it was forked (the kernel keeps the high-water mark across exec), so a child of the bench,
 * which holds the sample logs, reported the bench's own ~145 MB whatever it used. VmHWM is the peak of the
 * process's memory since exec; other systems fall back to maxRSS.
 *
 * Self-contained (no imports, nothing from this module): {@link EXIT_REPORTER} is built from its text.
 */
export function peakRssKb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(process.getBuiltinModule('node:fs').readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

/** Reports the process's peak RSS and CPU seconds on stderr when it exits; uses nothing but {@link peakRssKb}. */
function reportAtExit(): void {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    process.stderr.write(`\nbench-exit ${JSON.stringify({ maxRssKb: peakRssKb(), cpu: (cpu.user + cpu.system) / 1e6 })}\n`);
  });
}

/** What a process preloaded with {@link EXIT_REPORTER} reports at exit. */
export interface ExitReport {
  maxRssKb: number;
  cpu: number;
}

/** A module to preload (`node --import`): the two functions above as compiled here, then the hook installed. */
export const EXIT_REPORTER = `${peakRssKb.toString()}\n(${reportAtExit.toString()})();\n`;

/** The reports in the stderr of a preloaded process, one per process (a launcher and its child each report). */
export function exitReports(stderr: string): ExitReport[] {
  return [...stderr.matchAll(/bench-exit (\{.*\})/g)].map((m) => JSON.parse(m[1] as string) as ExitReport);
}
