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
const LEASE_MS = 60_000;
const slots = (clock?: () => Date, client = documents()) =>
  createDynamoCommentSlots({ client, tableName: 'incidents', leaseMs: LEASE_MS, ...(clock ? { clock } : {}) });

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

  it("two executions commenting on one run's commit at once create one comment; the other is told of it", async () => {
    // Each execution its own Lambda: its own client and store, sharing only GitHub and the table.
    const sha = 'c0ffee5a1e5d9f0b7d2a4c6e8f0a1b3c5d7e9f02';
    const marker = '<!-- pipeline-guard:commit-comment run 77 -->';
    const ports = [0, 1].map(() => withCommentSlot(clientFor(fake), slots(), { pollMs: 20 }));

    const results = await Promise.all(ports.map((port, i) => port.commentOnCommit(repo, sha, marker, `${marker}\nexecution ${i}`)));

    expect(fake.commitComments.get(sha)).toHaveLength(1);
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged']);
    expect(new Set(results.map((r) => r.commentId)).size).toBe(1);
  });

  it("keeps another run's comment on the same commit apart: each run has its own", async () => {
    const sha = 'c0ffee5a1e5d9f0b7d2a4c6e8f0a1b3c5d7e9f03';
    const port = withCommentSlot(clientFor(fake), slots());

    await port.commentOnCommit(repo, sha, '<!-- pipeline-guard:commit-comment run 78 -->', 'ci');
    await port.commentOnCommit(repo, sha, '<!-- pipeline-guard:commit-comment run 79 -->', 'lint');

    expect(fake.commitComments.get(sha)).toHaveLength(2);
  });
});

describe('comment slot store: one write per claim, and the lease', () => {
  /** The slot store over a client that counts its calls. */
  function countedSlots(clock?: () => Date) {
    const { client, calls } = store.countedDocuments();
    return { store: slots(clock, client), calls };
  }

  it('creating a pull request\'s first comment costs the slot two calls (claim, record); commenting again one', async () => {
    const { store, calls } = countedSlots();
    const port = withCommentSlot(clientFor(fake), store);

    const first = await port.upsertComment(repo, 21, MARKER, `${MARKER}\nfirst`);
    const firstCalls = [...calls];
    calls.length = 0;
    const second = await port.upsertComment(repo, 21, MARKER, `${MARKER}\nsecond`);

    expect(first.outcome).toBe('created');
    expect(firstCalls).toEqual(['UpdateCommand', 'UpdateCommand']);
    expect(second).toMatchObject({ outcome: 'updated', commentId: first.commentId });
    expect(calls).toEqual(['UpdateCommand']);
    expect(fake.comments.get(21)).toHaveLength(1);
  });

  it('a claim on a held slot loses and names the holder; once the comment is recorded a claim returns its id', async () => {
    const store = slots();
    const held = await store.claim('octo/app#22');
    const lost = await store.claim('octo/app#22');
    if (!held.won) throw new Error('the free slot was not won');
    await store.record('octo/app#22', held.holder, 777);
    const after = await store.claim('octo/app#22');

    expect(lost).toMatchObject({ won: false, slot: { holder: held.holder, commentId: null } });
    expect(after).toMatchObject({ won: false, slot: { holder: held.holder, commentId: 777 } });
  });

  it('honours a claim without a comment for the whole lease and lets the next writer take it over after it', async () => {
    const start = Date.parse('2026-03-01T10:00:00Z');
    let now = start;
    const store = slots(() => new Date(now));
    const held = await store.claim('octo/app#23');

    now = start + LEASE_MS - 1;
    const within = await store.claim('octo/app#23');
    now = start + LEASE_MS + 1;
    const after = await store.claim('octo/app#23');

    expect(held.won).toBe(true);
    expect(within.won).toBe(false);
    expect(after.won).toBe(true);
    if (!held.won || !after.won) return;
    // The crashed holder's late record or release does not undo the takeover's claim.
    await store.release('octo/app#23', held.holder);
    expect(await store.claim('octo/app#23')).toMatchObject({ won: false, slot: { holder: after.holder } });
  });

  it('a comment that exists is never taken over, however old its claim', async () => {
    const start = Date.parse('2026-03-01T10:00:00Z');
    let now = start;
    const store = slots(() => new Date(now));
    const held = await store.claim('octo/app#24');
    if (!held.won) throw new Error('the free slot was not won');
    await store.record('octo/app#24', held.holder, 888);

    now = start + 10 * LEASE_MS;
    expect(await store.claim('octo/app#24')).toMatchObject({ won: false, slot: { commentId: 888 } });
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

  it('creates a pull request\'s comment once when processes race on it, in one store write per comment', async () => {
    const { client: counted, calls } = store.countedDocuments();
    const ports = [1, 2, 3].map(() =>
      createRecordedGitHub({
        manifestPath: join(EVENTS_DIR, 'recorded-runs.json'),
        comments: { client: counted, tableName: 'incidents' },
        outbox: createOutbox(join(store.dir, 'outbox-race.jsonl')),
      }),
    );

    const raced = await Promise.all(ports.map((port, i) => port.upsertComment(repo, 7000, MARKER, `body ${i}`)));
    const again = await (ports[0] as (typeof ports)[number]).upsertComment(repo, 7000, MARKER, 'body 2');
    const commentWrites = calls.filter((name) => name === 'UpdateCommand').length - ports.length;

    expect(raced.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(new Set(raced.map((r) => r.commentId)).size).toBe(1);
    expect(again.commentId).toBe(raced[0]?.commentId);
    // Each process reserved its block of ids once; every upsert was one UpdateItem.
    expect(commentWrites).toBe(4);
    expect(calls.every((name) => name === 'UpdateCommand')).toBe(true);
  });

  it("creates a commit's comment once, racing or asked again with another body, and keeps it as first written", async () => {
    const outboxPath = join(store.dir, 'outbox-commit.jsonl');
    const ports = [1, 2, 3].map(() =>
      createRecordedGitHub({ manifestPath: join(EVENTS_DIR, 'recorded-runs.json'), comments: { client: documents(), tableName: 'incidents' }, outbox: createOutbox(outboxPath) }),
    );
    const sha = 'c0ffee5a1e5d9f0b7d2a4c6e8f0a1b3c5d7e9f01';
    const marker = '<!-- pipeline-guard:commit-comment run 42 -->';

    const raced = await Promise.all(ports.map((port, i) => port.commentOnCommit(repo, sha, marker, `body ${i}`)));
    const again = await (ports[0] as (typeof ports)[number]).commentOnCommit(repo, sha, marker, 'another body');

    expect(raced.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(again).toMatchObject({ outcome: 'unchanged', commentId: raced.find((r) => r.outcome === 'created')?.commentId });
    const written = (await readOutbox(outboxPath)).filter((e) => e.kind === 'github_commit_comment');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ target: `octo/app@${sha}`, marker });
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
