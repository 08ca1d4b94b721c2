/**
 * A job log with five toolchains' failures (Python, Jest, npm, Go, Rust), each of more lines than an incident keeps
 * of a failure, every line carrying `wide`: with `wide` a few hundred characters long, eight such jobs print more
 * failure lines than classify keeps of a run (its byte budget).
 */
export function longFailuresLog(wide: string): string {
  const failures = [
    ['Traceback (most recent call last):', ...Array.from({ length: 30 }, (_, i) => `  File "/srv/${wide}/a${i}.py", line ${i + 1}, in fa${i}`), `ValueError: ${wide} bad value`],
    [`FAIL src/${wide}.test.ts`, `  ● suite › case ${wide}`, ...Array.from({ length: 30 }, (_, i) => `    at Object.<anonymous> (src/${wide}/b${i}.ts:${i + 1}:5)`)],
    ['npm ERR! code ERESOLVE', `npm ERR! ERESOLVE unable to resolve dependency tree ${wide}`, ...Array.from({ length: 30 }, (_, i) => `npm ERR! ${wide} ${i}`)],
    [`--- FAIL: TestThing${wide} (0.00s)`, ...Array.from({ length: 30 }, (_, i) => `    thing_test.go:${i + 1}: ${wide} mismatch ${i}`)],
    [`error[E0308]: mismatched types ${wide}`, '  --> src/main.rs:1:1', ...Array.from({ length: 30 }, (_, i) => `   | ${wide} ${i}`)],
  ];
  return `${failures.map((lines) => [...lines, '', '$ next step', 'ok'].join('\n')).join('\n')}\n`;
}
