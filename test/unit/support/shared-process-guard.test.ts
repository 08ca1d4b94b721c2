import { expect, it } from 'vitest';
import '../../support/shared-process-guard.js';

// This file runs in a process of its own, so nothing has loaded Powertools before the guard: the product's Lambda
// wrapper loads it below for the first time, the way a file of a shared worker may, after the guard's snapshot.
it('the environment a file of a shared worker starts from already holds what Powertools writes as it loads', async () => {
  const before = { ...process.env };
  await import('../../../shared/runtime/lambda.js');
  expect(process.env.AWS_SDK_UA_APP_ID).toContain('/PTEnv/');
  expect({ ...process.env }).toEqual(before);
});
