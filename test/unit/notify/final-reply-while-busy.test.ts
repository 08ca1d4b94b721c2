import { describe, expect, it } from 'vitest';
import { CommandReplyBusyError } from '../../../shared/errors.js';
import { commandAnswerMarker, writeCommandReply } from '../../../shared/notify/command-reply.js';
import { type CommandAnswerKey, createDynamoCommandAnswers } from '../../../shared/stores/command-answers.js';
import { createFakeGitHub } from '../../support/fakes.js';
import { scratchStoreForFile } from '../../support/harness.js';

/**
 * The final reply to a `/guard` command (the reconciler's "was not carried out: the wait timed out") claimed while a
 * refusal's delivery holds the reply's claim to create it, and that delivery then writes nothing: its post fails, or
 * it dies before posting. The claims are dynalite's conditional writes, as DynamoDB evaluates them.
 */
const TABLE = 'incidents';
const LEASE_MS = 8_000;
const scratch = scratchStoreForFile('guard-final-reply-busy', { incidents: TABLE });
const REPO = { owner: 'acme-shop', repo: 'checkout-service' };
const FINAL = 'The `/guard approve` from `maintainer` was not carried out: the approval wait timed out before the guard could resume its pipeline with it, and nothing was applied.';
const START = Date.parse('2026-11-20T10:00:00Z');

let nextComment = 1;
const freshKey = (): CommandAnswerKey => ({ repositoryId: 714523861, pullRequest: 12, commentId: nextComment++ });
/** Each writer is its own Lambda: its own client, sharing only the table. */
const answersAt = (at: number) => createDynamoCommandAnswers({ client: scratch.store.documents(), tableName: TABLE, leaseMs: LEASE_MS, clock: () => new Date(at) });

function replyOf(github: ReturnType<typeof createFakeGitHub>, key: CommandAnswerKey): string | undefined {
  return github.comments.get(`${REPO.owner}/${REPO.repo}#${key.pullRequest} ${commandAnswerMarker(key.commentId)}`);
}

describe('a final command reply that finds a refusal creating the reply', () => {
  it('is told so, and its retry writes the final text once the refusal failed to post and released the claim', async () => {
    // Prepare: a refusal's delivery claimed the reply and is about to post it.
    const github = createFakeGitHub();
    const key = freshKey();
    const refusal = await answersAt(START).claim(key);
    if (refusal.kind !== 'create') throw new Error(`expected the refusal to create, got ${refusal.kind}`);

    // Act: the reconciler writes the final reply meanwhile; the refusal's post then fails; the reconciler runs again.
    const first = writeCommandReply(github.port, REPO, key, FINAL, answersAt(START + 1_000), { final: true });
    await expect(first).rejects.toBeInstanceOf(CommandReplyBusyError);
    await answersAt(START + 2_000).release(key, refusal.holder);
    await writeCommandReply(github.port, REPO, key, FINAL, answersAt(START + 300_000), { final: true });

    // Assert
    expect(replyOf(github, key)).toBe(FINAL);
  });

  it('is told so, and its retry past the lease writes the final text when the refusal died before posting', async () => {
    // Prepare
    const github = createFakeGitHub();
    const key = freshKey();
    expect((await answersAt(START).claim(key)).kind).toBe('create');

    // Act: the refusal never posts nor releases (its Lambda died); the reconciler writes, then tries again later.
    await expect(writeCommandReply(github.port, REPO, key, FINAL, answersAt(START + 1_000), { final: true })).rejects.toBeInstanceOf(CommandReplyBusyError);
    await writeCommandReply(github.port, REPO, key, FINAL, answersAt(START + LEASE_MS + 60_000), { final: true });
    const again = await answersAt(START + LEASE_MS + 120_000).claim(key, { final: FINAL });

    // Assert: written, and recorded final (a later final writer finds nothing to do).
    expect(replyOf(github, key)).toBe(FINAL);
    expect(again.kind).toBe('done');
  });

  it('leaves a refusal that finds the reply being created as before: nothing to write, nothing thrown', async () => {
    // Prepare
    const github = createFakeGitHub();
    const key = freshKey();
    expect((await answersAt(START).claim(key)).kind).toBe('create');

    // Act
    const second = await writeCommandReply(github.port, REPO, key, 'refused again', answersAt(START + 1_000));

    // Assert
    expect(second).toEqual({ doneMeanwhile: false });
    expect(replyOf(github, key)).toBeUndefined();
  });
});
