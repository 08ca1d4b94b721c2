/**
 * Reads of the local runtime the chaos runs poll (an incident's state, every few hundred milliseconds), retried when
 * the connection is reset under them. A poll reuses a kept-alive socket the runtime may close at the same moment (its
 * keep-alive timeout, a runtime loaded by the crash's restart on a busy machine): undici then fails the request with
 * ECONNRESET or "other side closed", and one such poll failed a whole crash run whose incidents all ended. A read
 * changes nothing, so it is sent again, a bounded number of times; any other failure (the runtime refusing
 * connections: it died) is thrown at once, as is a reset that outlasts the tries.
 */

/** The socket errors after which a read is sent again: the connection went away, not the runtime. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export const POLL_TRIES = 5;
const BACKOFF_MS = 100;

/** Whether `error` is fetch's failure on a connection reset (its cause, or the cause's cause, carries the code). */
export function isConnectionReset(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 3 && cause instanceof Error; depth++) {
    const code = (cause as Error & { code?: unknown }).code;
    if (typeof code === 'string' && RESET_CODES.has(code)) return true;
    cause = cause.cause;
  }
  return false;
}

/** GETs `url` and parses its JSON body; a connection reset is retried up to {@link POLL_TRIES} tries in all. */
export async function pollJson<T>(url: string, options: { tries?: number; backoffMs?: number } = {}): Promise<T> {
  const tries = options.tries ?? POLL_TRIES;
  const backoffMs = options.backoffMs ?? BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url);
      return (await response.json()) as T;
    } catch (error) {
      if (attempt >= tries || !isConnectionReset(error)) throw error;
      await new Promise((resolveWait) => setTimeout(resolveWait, backoffMs * attempt));
    }
  }
}
