import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createApprovalIndex } from '../../../shared/remediation/approvals.js';
import { scratchStoreForFile } from '../../support/harness.js';

/** The approvals index against dynalite: the same keys and conditional deletes DynamoDB evaluates. */
const TABLE = 'incidents';
const scratch = scratchStoreForFile('guard-approvals', { incidents: TABLE });
const index = () => createApprovalIndex({ client: scratch.store.documents(), tableName: TABLE });

let nextPullRequest = 1;
/** A pull request of its own for each test: the items live as long as the file's store. */
const freshPullRequest = () => nextPullRequest++;

describe('approvals index (DynamoDB)', () => {
  it("finds and takes a proposal under the repository's new name after a transfer: the id is the key", async () => {
    // Prepare
    const pullRequest = freshPullRequest();
    await index().add({ name: 'acme-shop/checkout-service', id: 714523861 }, pullRequest, 'gh-1');
    const moved = { name: 'acme-payments/checkout-service', id: 714523861 };

    // Act
    const pending = await index().pending(moved, pullRequest);
    const taken = await index().take(moved, pullRequest, 'gh-1');

    // Assert
    expect(pending).toEqual(['gh-1']);
    expect(taken).toBe(true);
    expect(await index().pending({ name: 'acme-shop/checkout-service', id: 714523861 }, pullRequest)).toEqual([]);
  });

  it('shows a repository that took over the old name (another id) nothing of the one that left it', async () => {
    // Prepare
    const pullRequest = freshPullRequest();
    await index().add({ name: 'acme-shop/checkout-service', id: 714523861 }, pullRequest, 'gh-1');
    const impostor = { name: 'acme-shop/checkout-service', id: 999_999_001 };

    // Act
    const pending = await index().pending(impostor, pullRequest);
    const taken = await index().take(impostor, pullRequest, 'gh-1');

    // Assert
    expect(pending).toEqual([]);
    expect(taken).toBe(false);
  });

  it('still reads and takes a proposal indexed by name (before ids were used, or an incident without one), in any case', async () => {
    // Prepare: the item as the index wrote it before, keyed by the lower-cased name.
    const pullRequest = freshPullRequest();
    await scratch.store.documents().send(
      new PutCommand({ TableName: TABLE, Item: { pk: `APPROVALS#acme-shop/checkout-service#${pullRequest}`, sk: 'PENDING', incidents: new Set(['gh-old']) } }),
    );
    await index().add({ name: 'Acme-Shop/Checkout-Service', id: 714523861 }, pullRequest, 'gh-new');
    const repository = { name: 'acme-shop/checkout-service', id: 714523861 };

    // Act
    const pending = await index().pending(repository, pullRequest);
    const takenOld = await index().take(repository, pullRequest, 'gh-old');
    const takenAgain = await index().take(repository, pullRequest, 'gh-old');

    // Assert
    expect(pending).toEqual(['gh-new', 'gh-old']);
    expect([takenOld, takenAgain]).toEqual([true, false]);
    expect(await index().pending(repository, pullRequest)).toEqual(['gh-new']);
  });

  it('lets one of two concurrent takes decide a proposal indexed by name and asked again by id (before and after the change)', async () => {
    // Prepare: the proposal as the index wrote it before, then asked again (a re-drive) under the repository's id.
    const pullRequest = freshPullRequest();
    await scratch.store.documents().send(
      new PutCommand({ TableName: TABLE, Item: { pk: `APPROVALS#acme-shop/checkout-service#${pullRequest}`, sk: 'PENDING', incidents: new Set(['gh-1']) } }),
    );
    const repository = { name: 'acme-shop/checkout-service', id: 714523861 };
    await index().add(repository, pullRequest, 'gh-1');

    // Act: two concurrent commands.
    const taken = await Promise.all([index().take(repository, pullRequest, 'gh-1'), index().take(repository, pullRequest, 'gh-1')]);

    // Assert
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(await index().pending(repository, pullRequest)).toEqual([]);
  });

  it('lets one of two concurrent takes of a proposal decide', async () => {
    // Prepare
    const pullRequest = freshPullRequest();
    const repository = { name: 'acme/app', id: 42 };
    await index().add(repository, pullRequest, 'gh-1');

    // Act
    const taken = await Promise.all([index().take(repository, pullRequest, 'gh-1'), index().take(repository, pullRequest, 'gh-1')]);

    // Assert
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});
