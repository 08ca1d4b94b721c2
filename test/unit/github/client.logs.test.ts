import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { GitHubRequestError } from '../../../shared/github/client.js';
import type { GitHubPort } from '../../../shared/ports.js';
import { FAKE_TOKEN, FakeGitHub, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

const repo = { owner: 'octo', repo: 'app' };
const MiB = 1024 * 1024;

async function openLog(client: GitHubPort, jobId: number): Promise<AsyncIterable<Uint8Array>> {
  const log = await client.openJobLog(repo, jobId);
  if (!log) throw new Error(`expected a log for job ${jobId}`);
  return log;
}

async function readAll(log: AsyncIterable<Uint8Array>): Promise<{ text: string; chunks: number[] }> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of log) chunks.push(chunk);
  return { text: Buffer.concat(chunks).toString('utf8'), chunks: chunks.map((c) => c.byteLength) };
}

/** Resolves when the response can take more data or the client went away; leaves no listeners behind. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes `total` bytes of numbered log lines with backpressure; reports how much was written and whether it finished. */
function logWriter(total: number, hold?: { afterBytes: number; until: Promise<void> }) {
  const report = { written: 0, finished: false, closedEarly: false };
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const line = Buffer.from('2024-05-01T10:00:00.0000000Z npm ERR! code ELIFECYCLE (padding to make the line longer)\n');
  const block = Buffer.concat(Array.from({ length: Math.ceil((64 * 1024) / line.length) }, () => line)).subarray(0, 64 * 1024);
  const stream = async (res: ServerResponse): Promise<void> => {
    res.on('close', () => {
      if (!report.finished) report.closedEarly = true;
    });
    while (report.written < total && !res.destroyed) {
      if (hold && report.written >= hold.afterBytes) {
        await hold.until;
        hold = undefined;
      }
      const piece = block.subarray(0, Math.min(block.length, total - report.written));
      report.written += piece.length;
      if (!res.write(piece)) await drainedOrClosed(res);
    }
    if (!res.destroyed) {
      res.end();
      report.finished = true;
    }
    resolveDone();
  };
  return { report, stream, done };
}

describe('GitHub client: job logs', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('follows the redirect to storage without sending the token there', async () => {
    // Prepare
    fake.logs.set(11, { content: 'line 1\nError: build failed\n' });
    const client = clientFor(fake);

    // Act
    const { text } = await readAll(await openLog(client, 11));

    // Assert
    expect(text).toBe('line 1\nError: build failed\n');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo/app/actions/jobs/11/logs',
      'GET /storage/job-logs/11?sig=presigned-secret',
    ]);
    const [api, storage] = fake.requests;
    expect(api?.headers.authorization).toBe(`token ${FAKE_TOKEN}`);
    expect(storage?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(storage?.headers)).not.toContain(FAKE_TOKEN);
  });

  it("announces the log's size when storage sends its Content-Length, and none when it streams in chunks", async () => {
    // Prepare
    const content = 'line 1\nError: build failed ✗\n';
    fake.logs.set(31, { content });
    const writer = logWriter(200 * 1024);
    fake.logs.set(32, { stream: writer.stream });
    const client = clientFor(fake);

    // Act
    const whole = await client.openJobLog(repo, 31);
    const streamed = await client.openJobLog(repo, 32);

    // Assert
    if (!whole || !streamed) throw new Error('expected both logs');
    expect(whole.bytes).toBe(Buffer.byteLength(content));
    expect((await readAll(whole)).text).toBe(content);
    expect(streamed.bytes).toBeUndefined();
    expect((await readAll(streamed)).text.length).toBe(200 * 1024);
  });

  it.each([404, 410] as const)('answers null when the log is gone (%i)', async (status) => {
    // Prepare
    fake.logs.set(12, { status });
    const client = clientFor(fake);

    // Act
    const log = await client.openJobLog(repo, 12);

    // Assert
    expect(log).toBeNull();
    expect(fake.apiCalls()).toEqual(['GET /repos/octo/app/actions/jobs/12/logs']);
  });

  it('answers null when storage no longer has the blob', async () => {
    // Prepare
    fake.logs.set(13, { content: 'irrelevant' });
    fake.fail({ method: 'GET', route: /^\/storage\//, reply: { status: 404, body: '<Error>BlobNotFound</Error>' } });
    const client = clientFor(fake);

    // Act
    const log = await client.openJobLog(repo, 13);

    // Assert
    expect(log).toBeNull();
  });

  it('retries a 5xx from the logs endpoint, then streams', async () => {
    // Prepare
    fake.logs.set(14, { content: 'ok\n' });
    fake.fail({ method: 'GET', route: /\/logs$/, reply: { status: 500, body: { message: 'Server Error' } } });
    const client = clientFor(fake);

    // Act
    const { text } = await readAll(await openLog(client, 14));

    // Assert
    expect(text).toBe('ok\n');
    expect(fake.apiCalls()).toEqual(['GET /repos/octo/app/actions/jobs/14/logs', 'GET /repos/octo/app/actions/jobs/14/logs']);
  });

  it('reports a persistent 5xx from the logs endpoint as GitHubUnavailableError', async () => {
    // Prepare
    fake.logs.set(15, { content: 'never served' });
    fake.fail({ method: 'GET', route: /\/logs$/, times: Infinity, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    const client = clientFor(fake, { retries: 1 });

    // Act
    const error = await rejection(client.openJobLog(repo, 15));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(fake.apiCalls()).toHaveLength(2);
  });

  it('reports a storage failure as GitHubUnavailableError without the pre-signed URL', async () => {
    // Prepare
    fake.logs.set(16, { content: 'never served' });
    fake.fail({ method: 'GET', route: /^\/storage\//, reply: { status: 503, body: 'busy' } });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.openJobLog(repo, 16));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.message).toContain('download log of job 16 in octo/app');
    expect(error.message).not.toContain('presigned-secret');
  });

  it('reports a dropped storage connection as GitHubUnavailableError', async () => {
    // Prepare
    fake.logs.set(17, { content: 'never served' });
    fake.fail({ method: 'GET', route: /^\/storage\//, kind: 'drop' });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.openJobLog(repo, 17));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
  });

  it('refuses a log download it has no permission for, as GitHubRequestError', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/logs$/, reply: { status: 403, body: { message: 'Must have admin rights to Repository.' } } });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.openJobLog(repo, 18));

    // Assert
    expect(error).toMatchObject({ name: 'GitHubRequestError', status: 403 });
    expect(error).toBeInstanceOf(GitHubRequestError);
  });

  it('hands a multi-MB log on chunk by chunk as it arrives, without buffering it', async () => {
    // Prepare: the server sends 1 MiB, then holds the rest back until the test has read a first chunk.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const total = 8 * MiB;
    const writer = logWriter(total, { afterBytes: MiB, until: held });
    fake.logs.set(20, { stream: writer.stream });
    const client = clientFor(fake);

    // Act
    const iterator = (await openLog(client, 20))[Symbol.asyncIterator]();
    const first = await iterator.next();
    const writtenBeforeRelease = writer.report.written;
    release();
    const sizes = [first.value?.byteLength ?? 0];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) sizes.push(next.value.byteLength);

    // Assert
    expect(first.done).toBe(false);
    expect(writtenBeforeRelease).toBeLessThan(total);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(total);
  });

  it('stops after maxLogBytes and abandons the rest of the download', async () => {
    // Prepare
    const total = 32 * MiB;
    const maxLogBytes = MiB + 123;
    const writer = logWriter(total);
    fake.logs.set(21, { stream: writer.stream });
    const client = clientFor(fake, { maxLogBytes });

    // Act
    const { text, chunks } = await readAll(await openLog(client, 21));
    await writer.done;

    // Assert
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(maxLogBytes);
    expect(chunks.length).toBeGreaterThan(1);
    expect(text.startsWith('2024-05-01T10:00:00.0000000Z npm ERR! code ELIFECYCLE')).toBe(true);
    expect(writer.report.closedEarly).toBe(true);
    expect(writer.report.finished).toBe(false);
    expect(writer.report.written).toBeLessThan(total);
  });

  it('abandons the download when the consumer stops early', async () => {
    // Prepare
    const writer = logWriter(32 * MiB);
    fake.logs.set(22, { stream: writer.stream });
    const client = clientFor(fake);

    // Act
    let seen = 0;
    for await (const chunk of await openLog(client, 22)) {
      seen += chunk.byteLength;
      if (seen > 256 * 1024) break;
    }
    await writer.done;

    // Assert
    expect(writer.report.closedEarly).toBe(true);
    expect(writer.report.written).toBeLessThan(32 * MiB);
  });

  it('uses the injected fetch for both the API and the storage download', async () => {
    // Prepare
    fake.logs.set(23, { content: 'via injected fetch\n' });
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    };
    const client = clientFor(fake, { fetch: countingFetch });

    // Act
    const { text } = await readAll(await openLog(client, 23));

    // Assert
    expect(text).toBe('via injected fetch\n');
    expect(seen).toEqual(['/repos/octo/app/actions/jobs/23/logs', '/storage/job-logs/23']);
  });

  it('gives up on an unanswered logs request after per-attempt timeouts', async () => {
    // Prepare
    fake.logs.set(24, { content: 'never served' });
    fake.fail({ method: 'GET', route: /\/logs$/, times: Infinity, kind: 'hang' });
    const client = clientFor(fake, { retries: 1, requestTimeoutMs: 20 });

    // Act
    const error = await rejection(client.openJobLog(repo, 24));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(fake.apiCalls()).toHaveLength(2);
  });

  it('fails the stream with GitHubUnavailableError when log data stops flowing', async () => {
    // Prepare: some bytes, then silence without closing the connection.
    fake.logs.set(25, {
      stream: async (res) => {
        res.write('first line\n');
        await new Promise<void>((resolve) => res.on('close', resolve));
      },
    });
    const client = clientFor(fake, { requestTimeoutMs: 250 });
    const received: string[] = [];

    // Act
    const error = await rejection(
      (async () => {
        for await (const chunk of await openLog(client, 25)) received.push(Buffer.from(chunk).toString('utf8'));
      })(),
    );

    // Assert
    expect(received.join('')).toBe('first line\n');
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.message).toContain('log download interrupted');
  });

  it('streams logs from GitHub Enterprise Server the same way', async () => {
    // Prepare
    await fake.close();
    fake = await FakeGitHub.start({ prefix: '/api/v3' });
    fake.logs.set(30, { content: 'ghes log\n' });
    const client = clientFor(fake);

    // Act
    const { text } = await readAll(await openLog(client, 30));

    // Assert
    expect(text).toBe('ghes log\n');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/octo/app/actions/jobs/30/logs',
      'GET /storage/job-logs/30?sig=presigned-secret',
    ]);
    expect(fake.requests[1]?.headers.authorization).toBeUndefined();
  });
});
