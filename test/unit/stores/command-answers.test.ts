import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type CommandAnswerKey, createDynamoCommandAnswers } from '../../../shared/stores/command-answers.js';
import { scratchStoreForFile } from '../../support/harness.js';

/** The reply claims against dynalite: the same conditional writes DynamoDB evaluates. */
const TABLE = 'incidents';
const LEASE_MS = 8_000;
const scratch = scratchStoreForFile('guard-command-answers', { incidents: TABLE });

let nextComment = 1;
/** A command comment of its own for each test: the records live as long as the file's store. */
const freshKey = (): CommandAnswerKey => ({ repositoryId: 714523861, pullRequest: 12, commentId: nextComment++ });

/** Each delivery is its own Lambda: its own client, sharing only the table. */
const answers = (clock?: () => Date) =>
  createDynamoCommandAnswers({ client: scratch.store.documents(), tableName: TABLE, leaseMs: LEASE_MS, ...(clock ? { clock } : {}) });

describe('command answers (DynamoDB)', () => {
  it('lets one of many concurrent deliveries create the reply; the others find it being created', async () => {
    // Prepare
    const key = freshKey();

    // Act
    const claims = await Promise.all(Array.from({ length: 8 }, () => answers().claim(key)));

    // Assert
    expect(claims.filter((claim) => claim.kind === 'create')).toHaveLength(1);
    expect(claims.filter((claim) => claim.kind === 'busy')).toHaveLength(7);
  });

  it('sends every later delivery to the recorded reply', async () => {
    // Prepare
    const key = freshKey();
    const first = await answers().claim(key);
    expect(first.kind).toBe('create');

    // Act
    const recorded = await answers().record(key, 501);
    const later = await answers().claim(key);

    // Assert
    expect(recorded).toEqual({ done: false, final: null });
    expect(later).toEqual({ kind: 'update', replyId: 501 });
  });

  it('lets the next delivery create the reply once the holder released its claim, and not before', async () => {
    // Prepare
    const key = freshKey();
    const first = await answers().claim(key);
    if (first.kind !== 'create') throw new Error(`expected to create, got ${first.kind}`);

    // Act
    const whileHeld = await answers().claim(key);
    await answers().release(key, 'not-the-holder');
    const afterStranger = await answers().claim(key);
    await answers().release(key, first.holder);
    const afterRelease = await answers().claim(key);

    // Assert
    expect([whileHeld.kind, afterStranger.kind, afterRelease.kind]).toEqual(['busy', 'busy', 'create']);
  });

  it('takes over a claim whose holder created nothing within the lease', async () => {
    // Prepare
    const key = freshKey();
    const at = (iso: string) => () => new Date(iso);
    await answers(at('2026-11-20T10:00:00Z')).claim(key);

    // Act
    const within = await answers(at('2026-11-20T10:00:07Z')).claim(key);
    const after = await answers(at('2026-11-20T10:00:09Z')).claim(key);
    const again = await answers(at('2026-11-20T10:00:10Z')).claim(key);

    // Assert
    expect([within.kind, after.kind, again.kind]).toEqual(['busy', 'create', 'busy']);
  });

  it('claims nothing for a command carried out, and tells the reply to edit to whoever writes second', async () => {
    // Prepare: a refusal's reply is being created when another delivery carries the command out.
    const key = freshKey();
    await answers().claim(key);

    // Act
    const doneFirst = await answers().markDone(key);
    const recordedAfter = await answers().record(key, 502);
    const doneAgain = await answers().markDone(key);
    const claimAfter = await answers().claim(key);

    // Assert
    expect(doneFirst).toEqual({ replyId: null });
    expect(recordedAfter).toEqual({ done: true, final: null });
    expect(doneAgain).toEqual({ replyId: 502 });
    expect(claimAfter).toEqual({ kind: 'done' });
  });

  it('keeps commands of other pull requests and repositories apart', async () => {
    // Prepare: sample events reuse comment ids across pull requests.
    const key = freshKey();
    await answers().markDone(key);

    // Act
    const otherPull = await answers().claim({ ...key, pullRequest: 13 });
    const otherRepository = await answers().claim({ ...key, repositoryId: 714523862 });

    // Assert
    expect([otherPull.kind, otherRepository.kind]).toEqual(['create', 'create']);
  });

  it("keeps a final reply from a refusal's claim, and lets the final outcome be written once", async () => {
    // Prepare: the command's reply said "not carried out yet"; the reconciler claims it for the final outcome.
    const key = freshKey();
    await answers().claim(key);
    await answers().record(key, 601);

    // Act
    const finalClaim = await answers().claim(key, { final: 'not carried out: the wait timed out' });
    const refusalMeanwhile = await answers().claim(key);
    const recorded = await answers().record(key, 601, { final: true });
    const finalAgain = await answers().claim(key, { final: 'not carried out: the wait timed out' });

    // Assert
    expect(finalClaim).toEqual({ kind: 'update', replyId: 601 });
    expect(refusalMeanwhile).toEqual({ kind: 'done' });
    expect(recorded).toEqual({ done: false, final: 'not carried out: the wait timed out' });
    expect(finalAgain).toEqual({ kind: 'done' });
  });

  it('tells a refusal that claimed the reply before the final outcome what to write again', async () => {
    // Prepare: a redelivery claims the reply to refuse, then the reconciler claims it final before the refusal records.
    const key = freshKey();
    await answers().claim(key);
    await answers().record(key, 602);
    const refusal = await answers().claim(key);
    await answers().claim(key, { final: 'not carried out: overtaken' });

    // Act
    const recorded = await answers().record(key, 602);

    // Assert
    expect(refusal).toEqual({ kind: 'update', replyId: 602 });
    expect(recorded).toEqual({ done: false, final: 'not carried out: overtaken' });
  });

  it('keeps a final text before any claim, as pending until written, and not over a command carried out or a final reply written', async () => {
    // Prepare: a command never answered, one whose reply said "not carried out yet", one carried out, one told already.
    const [unanswered, answered, carried, told] = [freshKey(), freshKey(), freshKey(), freshKey()];
    await answers().claim(answered);
    await answers().record(answered, 603);
    await answers().markDone(carried);
    await answers().claim(told, { final: 'not carried out: spent' });
    await answers().record(told, 604, { final: true });

    // Act
    for (const key of [unanswered, answered, carried, told]) await answers().keepFinal(key, 'not carried out: overtaken');
    const pending = await Promise.all([unanswered, answered, carried, told].map((key) => answers().pendingFinal(key)));
    const unansweredClaim = await answers().claim(unanswered, { final: 'not carried out: overtaken' });
    const refusal = await answers().claim(answered);

    // Assert: the kept text is pending, takes no claim (its writer creates the reply), and refuses a refusal's claim.
    expect(pending).toEqual(['not carried out: overtaken', 'not carried out: overtaken', null, null]);
    expect(unansweredClaim).toEqual({ kind: 'create', holder: expect.any(String) });
    expect(refusal).toEqual({ kind: 'done' });
  });

  it('writes only the attributes each call owns: a field a newer version keeps on the record outlives every write', async () => {
    // Prepare: the record as a newer version wrote it (as `finalBody` was new to the version before it).
    const key = freshKey();
    const itemKey = { pk: `COMMANDANSWER#${key.repositoryId}#${key.pullRequest}#${key.commentId}`, sk: 'COMMANDANSWER' };
    await scratch.store.documents().send(new PutCommand({ TableName: TABLE, Item: { ...itemKey, laterField: 'kept' } }));

    // Act: every write this version makes to it.
    const claim = await answers().claim(key);
    if (claim.kind === 'create') await answers().release(key, claim.holder);
    await answers().claim(key);
    await answers().record(key, 701);
    await answers().claim(key, { final: 'not carried out: the wait timed out' });
    await answers().record(key, 701, { final: true });
    await answers().markDone(key);

    // Assert
    const { Item: item } = await scratch.store.documents().send(new GetCommand({ TableName: TABLE, Key: itemKey, ConsistentRead: true }));
    expect(item).toMatchObject({ laterField: 'kept', replyId: 701, done: true, finalWritten: true });
  });
});
