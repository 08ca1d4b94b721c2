/**
 * Streaming a job log with a byte cap and an idle timeout.
 *
 * Job logs reach hundreds of MB; a Lambda must not hold one in memory. The body is handed on chunk by chunk as it
 * arrives, and the download is cancelled (closing the connection) as soon as the cap is reached or the consumer
 * stops iterating.
 */
import { GitHubUnavailableError } from '../errors.js';

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

export interface CappedStreamOptions {
  /** Bytes handed on at most; the chunk that crosses the cap is cut so exactly this many are yielded. */
  maxBytes: number;
  /** Fails the read when no data arrives for this long (a stalled storage connection would otherwise hang the step). */
  idleTimeoutMs: number;
  /** Describes the download in errors, without the pre-signed URL (its query string is a credential). */
  what: string;
}

async function readWithIdleTimeout(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleTimeoutMs: number,
): Promise<ReadResult> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DOMException(`no data for ${idleTimeoutMs} ms`, 'TimeoutError')),
      idleTimeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

/** Yields the body's chunks until it ends or `maxBytes` have been yielded. Interruptions become GitHubUnavailableError. */
export async function* cappedStream(
  body: ReadableStream<Uint8Array>,
  options: CappedStreamOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = body.getReader();
  let total = 0;
  let finished = false;
  try {
    while (total < options.maxBytes) {
      let result: ReadResult;
      try {
        result = await readWithIdleTimeout(reader, options.idleTimeoutMs);
      } catch (error) {
        throw new GitHubUnavailableError(`GitHub log download interrupted: ${options.what}`, { cause: error });
      }
      if (result.done) {
        finished = true;
        return;
      }
      const chunk = result.value;
      const room = options.maxBytes - total;
      if (chunk.byteLength >= room) {
        total = options.maxBytes;
        yield chunk.subarray(0, room);
        return;
      }
      total += chunk.byteLength;
      yield chunk;
    }
  } finally {
    // Reached the cap, the consumer broke out early, or a read failed: stop the download instead of draining it.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
