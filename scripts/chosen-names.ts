/**
 * The names a script's command line chooses its parts by (`npm run bench -- --cases …`, `npm run chaos -- fuzz`).
 * A name that is none of them used to choose nothing: the script ran no part, printed an empty table or nothing,
 * and `chaos` exited 0, a pass for a typo.
 */

/** A chosen name that names no part of the script. */
export class UnknownPartError extends Error {
  override name = 'UnknownPartError';
}

/** Throws {@link UnknownPartError} listing the known names when `chosen` holds another; an empty choice is all of them. */
export function checkChosenNames(chosen: readonly string[], known: readonly string[], what: string): void {
  const unknown = chosen.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UnknownPartError(`no ${what} named ${unknown.join(', ')}: choose from ${known.join(', ')}`);
}

/** For a script's top level: the one-line reason on stderr and exit code 2 (a usage error), anything else thrown on. */
export function exitOnUnknownPart(error: unknown): never {
  if (!(error instanceof UnknownPartError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(2);
}
