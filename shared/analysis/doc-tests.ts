/**
 * The lines of a documentation file that a project's tests run (attack-48 O): Python's doctest prompts (`>>> `, `... `;
 * pytest's `--doctest-glob='*.md'`, Sybil) and Rust's code blocks (`#![doc = include_str!("../README.md")]` makes
 * rustdoc compile and run each ```rust block); also (attack-52) Python's blocks whole (pytest-codeblocks, Sybil,
 * mktestdocs run them without prompts) and Sphinx's `testcode`, `testsetup` and `testcleanup` blocks. The rest of a
 * page is prose, and its other blocks are shown, not run.
 */

/** A doctest's prompt, the code after it in group 1. */
const DOCTEST_PROMPT = /^\s*(?:>>>|\.\.\.)(?:[ \t](.*))?$/;
/** A fence opening or closing a Markdown code block; group 1 the fence, group 2 its language. */
const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/;
/**
 * The languages rustdoc runs a block of: Rust's, its test attributes (`should_panic`, `standalone_crate`,
 * `test_harness`; `no_run` is compiled only), and none (rustdoc reads an unlabelled block as Rust: attack-52).
 */
const RUST_BLOCK = /^(?:rust|rs|should_panic|edition\d+|standalone_crate|test_harness|)$/i;
/** Python's blocks, run whole by pytest-codeblocks, Sybil and mktestdocs without a prompt (attack-52). */
const PYTHON_BLOCK = /^(?:python3?|py|pycon)$/i;
/** Sphinx's doctest directives whose indented block is code it runs (attack-52); group 1 the directive's indent. */
const SPHINX_CODE = /^(\s*)\.\.\s+(?:testcode|testsetup|testcleanup)::/;

/**
 * `lines` (added to a documentation file) with the code its doctests and Rust blocks run in place, prompts taken off,
 * and every other line empty, so a refusal finds the line it quotes at the same index. A fence opened before the
 * patch's lines is not seen: its block is read as prose.
 */
export function linesTestsRun(lines: readonly string[]): string[] {
  let fence: string | null = null;
  let rust = false;
  let python = false;
  // The indent of the Sphinx directive whose block the lines are in, or -1.
  let sphinx = -1;
  // The prompt line a `... ` line continues (doctest joins them into one statement: attack-52), in `read`.
  let statement = -1;
  const continued: Array<[at: number, code: string]> = [];
  const read = lines.map((line, at) => {
    const indent = /^\s*/.exec(line)![0].length;
    if (sphinx >= 0 && (line.trim() === '' || indent > sphinx)) return line;
    sphinx = SPHINX_CODE.exec(line)?.[1]!.length ?? -1;
    if (sphinx >= 0) return '';
    const marker = FENCE.exec(line);
    if (marker && (fence === null || marker[1]!.startsWith(fence))) {
      if (fence === null) {
        fence = marker[1]!;
        rust = RUST_BLOCK.test(marker[2]!);
        python = PYTHON_BLOCK.test(marker[2]!);
      } else fence = null;
      return '';
    }
    if (fence !== null && rust) return line;
    const prompt = DOCTEST_PROMPT.exec(line);
    if (fence !== null && python && prompt === null) {
      statement = -1;
      return line;
    }
    if (prompt === null) statement = -1;
    else if (/^\s*>>>/.test(line)) statement = at;
    else if (statement >= 0) continued.push([statement, prompt[1] ?? '']);
    return prompt?.[1] ?? '';
  });
  for (const [at, more] of continued) read[at] += ` ${more}`;
  return read;
}
