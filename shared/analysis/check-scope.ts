/**
 * Readings one patch check asks for more than once, kept while that check runs and dropped when it ends. The check
 * reads a text through several passes that each begin with the same reading: the added lines' shell reading in
 * `dangerousCodeSignals` and again in `jobChangingSignals`, every line's in `addedDependency` (a patch's repeated
 * lines read once). A reading kept is a pure function of its text, so what the check answers is what it answered
 * reading each again. Never kept between checks: each reads its patch afresh (and the attack files' cost rows
 * measure one check's whole reading of a text, check after check).
 */

/** The results kept by the check running now, by reading and text; null outside a check. */
let kept: Map<(text: string) => unknown, Map<string, unknown>> | null = null;

/** `read`, answering a text it already read within the running check ({@link withinOneCheck}) with what it answered then. */
export function keptWithinCheck<T>(read: (text: string) => T): (text: string) => T {
  return (text: string): T => {
    if (kept === null) return read(text);
    let results = kept.get(read) as Map<string, T> | undefined;
    if (results === undefined) {
      results = new Map();
      kept.set(read, results);
    }
    if (results.has(text)) return results.get(text) as T;
    const result = read(text);
    results.set(text, result);
    return result;
  };
}

/** Runs `check` with the readings it repeats kept until it returns (one scope: a check inside another shares it). */
export function withinOneCheck<T>(check: () => T): T {
  if (kept !== null) return check();
  kept = new Map();
  try {
    return check();
  } finally {
    kept = null;
  }
}
