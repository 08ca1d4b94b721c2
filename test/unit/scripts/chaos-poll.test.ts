import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { POLL_TRIES, pollJson } from '../../../scripts/chaos-poll.js';

/**
 * The chaos runs' polls of the local runtime (scripts/chaos-poll.ts): a runtime that resets the connection under a
 * poll (as one restarting, or closing a kept-alive socket, does under load) fails the poll only when it keeps doing so.
 */
let server: Server | undefined;

/** A runtime that resets the first `resets` connections it is asked on, then answers `{ status: 'notified' }`. */
async function resettingRuntime(resets: number): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  server = createServer((request, response) => {
    asked += 1;
    if (asked <= resets) return void request.socket.resetAndDestroy();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ status: 'notified' }));
  });
  await new Promise<void>((resolveListen) => server?.listen(0, '127.0.0.1', resolveListen));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/incidents/inc-1`, asked: () => asked };
}

afterEach(async () => {
  await new Promise((resolveClose) => server?.close(resolveClose) ?? resolveClose(null));
  server = undefined;
});

describe('a chaos poll of the local runtime', () => {
  it('reads the incident when the runtime reset the connection under the first tries', async () => {
    // Prepare
    const runtime = await resettingRuntime(POLL_TRIES - 1);

    // Act
    const incident = await pollJson<{ status: string }>(runtime.url, { backoffMs: 1 });

    // Assert
    expect(incident).toEqual({ status: 'notified' });
    expect(runtime.asked()).toBe(POLL_TRIES);
  });

  it('fails once the resets outlast its tries, without asking again', async () => {
    // Prepare
    const runtime = await resettingRuntime(Number.POSITIVE_INFINITY);

    // Act
    const poll = pollJson(runtime.url, { backoffMs: 1 });

    // Assert
    await expect(poll).rejects.toThrow(/fetch failed/);
    expect(runtime.asked()).toBe(POLL_TRIES);
  });

  it('fails at once when the runtime refuses the connection: it is not there to answer', async () => {
    // Prepare: a port nothing listens on any more.
    const runtime = await resettingRuntime(0);
    await new Promise((resolveClose) => server?.close(resolveClose));
    server = undefined;

    // Act
    const started = Date.now();
    const poll = pollJson(runtime.url, { backoffMs: 5_000 });

    // Assert
    await expect(poll).rejects.toThrow(/fetch failed/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
