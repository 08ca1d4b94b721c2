/**
 * `work`, or the signal's reason once it fires. A rate-limit wait inside the GitHub client does not watch the signal,
 * so the answer is raced against it rather than left to the requests alone.
 */
export async function beforeAbort<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
