import { afterEach, beforeEach } from 'vitest';
import { FakeGitHub } from '../../support/fake-github.js';

/**
 * A fresh fake GitHub for every test of the calling `describe`: started before each test and handed to `prepare`
 * (which keeps it and sets it up), closed after each. The fake itself (test/support/fake-github.ts) stays free of
 * vitest, since the chaos scripts use it too.
 */
export function eachTestWithFakeGitHub(prepare: (fake: FakeGitHub) => void, options: { prefix?: string } = {}): void {
  let fake: FakeGitHub | undefined;
  beforeEach(async () => {
    fake = await FakeGitHub.start(options);
    prepare(fake);
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
}
