import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutbox } from '../../shared/adapters/outbox.js';
import { withCommentSlot } from '../../shared/github/comment-slot.js';
import { createRecordedGitHub } from '../../shared/github/recorded.js';
import { createDynamoCommentSlots } from '../../shared/stores/comment-slots.js';
import { EVENTS_DIR, readOutbox } from '../../infra/local/replay.js';
import { FakeGitHub, clientFor } from '../support/fake-github.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/** One comment per pull request when executions race, with the real client, a real-HTTP fake GitHub and dynalite. */
let store: ScratchStore;
let fake: FakeGitHub;
const repo = { owner: 'octo', repo: 'app' };
const MARKER = '<!-- pipeline-guard:incident-comment -->';

beforeAll(async () => {
  store = await startScratchStore('guard-slot');
});

afterAll(async () => {
  await store?.close();
});

beforeEach(async () => {
  fake = await FakeGitHub.start();
});

afterEach(async () => {
  await fake.close();
});

const documents = () => store.documents();
const slots = () => createDynamoCommentSlots({ client: documents(), tableName: 'incidents' });

describe('comment slot: one comment per pull request under concurrency', () => {
  it('8 executions commenting on one PR at once create exactly one comment; the others update it', async () => {
    // Each execution is its own Lambda: its own client and store, sharing only GitHub and the table.
    const ports = Array.from({ length: 8 }, () => withCommentSlot(clientFor(fake), slots(), { pollMs: 20 }));

    const results = await Promise.all(ports.map((port, i) => port.upsertComment(repo, 11, MARKER, `${MARKER}\nexecution ${i}`)));

    expect(fake.comments.get(11)).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.commentId)).size).toBe(1);
  });

  it('lets the next writer create the comment when the holder\'s POST failed', async () => {
    fake.fail({ method: 'POST', route: /\/issues\/12\/comments$/, times: 1, reply: { status: 422, body: { message: 'Validation Failed' } } });
    const first = withCommentSlot(clientFor(fake), slots());
    await expect(first.upsertComment(repo, 12, MARKER, `${MARKER}\nfirst`)).rejects.toThrow();

    const second = await withCommentSlot(clientFor(fake), slots()).upsertComment(repo, 12, MARKER, `${MARKER}\nsecond`);

    expect(second.outcome).toBe('created');
    expect(fake.comments.get(12)).toHaveLength(1);
  });

  it('a loser that waits too long gets a retryable error instead of posting a second comment', async () => {
    const store = slots();
    const held = await store.claim('octo/app#13');
    expect(held.won).toBe(true);

    const error = await withCommentSlot(clientFor(fake), store, { waitMs: 50, pollMs: 10 }).upsertComment(repo, 13, MARKER, 'x').catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'GitHubUnavailableError' });
    expect(fake.comments.get(13) ?? []).toHaveLength(0);
  });
});

describe('recorded GitHub (local default mode): comment records in the embedded store', () => {
  it('keeps 200 pull requests commented on concurrently as 200 comments, each created once', async () => {
    const outboxPath = join(store.dir, 'outbox.jsonl');
    const port = createRecordedGitHub({
      manifestPath: join(EVENTS_DIR, 'recorded-runs.json'),
      comments: { client: documents(), tableName: 'incidents' },
      outbox: createOutbox(outboxPath),
    });

    await Promise.all(Array.from({ length: 200 }, (_, i) => port.upsertComment(repo, 1000 + i, MARKER, `first ${i}`)));
    const again = await Promise.all(Array.from({ length: 200 }, (_, i) => port.upsertComment(repo, 1000 + i, MARKER, `second ${i}`)));

    expect(again.every((r) => r.outcome === 'updated')).toBe(true);
    expect(new Set(again.map((r) => r.commentId)).size).toBe(200);
    const created = (await readOutbox(outboxPath)).filter((e) => e.kind === 'github_comment' && e.outcome === 'created');
    expect(created).toHaveLength(200);
  });

  it('gives comments unique ids across processes that share the store (each reserves its own block of ids)', async () => {
    const ports = [1, 2].map(() =>
      createRecordedGitHub({
        manifestPath: join(EVENTS_DIR, 'recorded-runs.json'),
        comments: { client: documents(), tableName: 'incidents' },
        outbox: createOutbox(join(store.dir, 'outbox-ids.jsonl')),
      }),
    );
    // 150 comments each: both processes go past their first block of ids.
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => (ports[i % 2] as (typeof ports)[number]).upsertComment(repo, 5000 + i, MARKER, `body ${i}`)),
    );

    expect(results.every((r) => r.outcome === 'created')).toBe(true);
    expect(new Set(results.map((r) => r.commentId)).size).toBe(300);
  });
});
