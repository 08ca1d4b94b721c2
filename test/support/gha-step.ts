/** The `shell:` line the runner logs for a Linux `run:` step with no `shell:` key. */
export const DEFAULT_SHELL = '/usr/bin/bash -e {0}';

/** The `shell:` line the runner logs for a Linux `run:` step with `shell: bash`. */
export const BASH_PIPEFAIL_SHELL = '/usr/bin/bash --noprofile --norc -eo pipefail {0}';

/** How {@link ghaStep} ends the step and which shell it names. */
export interface GhaStepOptions {
  /**
   * A number appends the runner's `##[error]Process completed with exit code N.` after the output; `null` appends
   * nothing (a step that passed, or whose `output` already holds its own ending). Always given: no default.
   */
  exitCode: number | null;
  /** The `shell:` line's value; {@link DEFAULT_SHELL} when left out. */
  shell?: string;
}

/**
 * One GitHub Actions `run:` step laid out as the runner logs it, a line an entry: `##[group]Run <first line>`, the
 * script's lines, `shell: <shell>`, `##[endgroup]`, the step's output, then the exit line when `exitCode` is a number.
 * `script` is its lines, or one string split on `\n`. Join with `'\n'` for the log as one string.
 */
export function ghaStep(script: string | readonly string[], output: readonly string[], options: GhaStepOptions): string[] {
  const lines = typeof script === 'string' ? script.split('\n') : script;
  return [
    `##[group]Run ${lines[0]}`,
    ...lines,
    `shell: ${options.shell ?? DEFAULT_SHELL}`,
    '##[endgroup]',
    ...output,
    ...(options.exitCode === null ? [] : [`##[error]Process completed with exit code ${options.exitCode}.`]),
  ];
}

/** The 1-based number of the first line of `log` that holds `text` (ANSI codes and all), after line `after`. */
export function lineOf(log: readonly string[], text: string, after = 0): number {
  const at = log.findIndex((line, i) => i >= after && line.includes(text));
  if (at < 0) throw new Error(`no line holds ${text}`);
  return at + 1;
}
