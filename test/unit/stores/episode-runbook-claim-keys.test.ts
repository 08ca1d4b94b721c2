import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type CheckPage, type RunbookClaimHolder, createEpisodeRunbookClaims } from '../../../shared/stores/runbook-checks.js';

/*
 * The claim store's keys, pinned (session 45): a run's follow claim and a check page's take have their own operations
 * now, but their items must stay where the callers' suffixed alarm ARNs put them before, so that a claim written before
 * the deploy (a run followed while it is in flight, a page taken) is still found. Each expected key is computed here
 * the old way: the suffixed ARN, hashed as the episode's claim hashes an alarm's.
 */

const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-5xx';

function keyBefore45(suffixedArn: string): { pk: string; sk: string } {
  return { pk: `RUNBOOKEPISODE#${createHash('sha256').update(suffixedArn).digest('hex').slice(0, 40)}`, sk: 'RUNBOOKCLAIM' };
}

/** A document client that grants every put and records the key it wrote. */
function keyRecordingClient(written: Array<{ pk: string; sk: string }>): DynamoDBDocumentClient {
  return {
    async send(command: { input: { Item?: { pk: string; sk: string } } }) {
      const item = command.input.Item;
      if (item) written.push({ pk: item.pk, sk: item.sk });
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
}

const holder = { id: 'inc-holder', alarm: { arn: ALARM_ARN, name: 'checkout-5xx' } } as RunbookClaimHolder;
const stands = async () => true;

describe('episode runbook claims: the keys of items written before session 45', () => {
  it("keeps the alarm's runbook claim under the hashed alarm ARN", async () => {
    const written: Array<{ pk: string; sk: string }> = [];
    await createEpisodeRunbookClaims({ client: keyRecordingClient(written), tableName: 'incidents' }).claim({ alarmArn: ALARM_ARN, incidentId: 'inc-1' }, stands);
    expect(written).toEqual([keyBefore45(ALARM_ARN)]);
  });

  it("keeps a run's follow claim under `<alarm ARN>#run-of:<holder>`, and `#run-of:<holder>` for a holder with no alarm", async () => {
    const written: Array<{ pk: string; sk: string }> = [];
    const claims = createEpisodeRunbookClaims({ client: keyRecordingClient(written), tableName: 'incidents' });
    expect(await claims.claimRunFollow(holder, 'inc-later', stands)).toEqual({ heldBy: 'inc-later' });
    await claims.claimRunFollow({ id: 'inc-bare', alarm: null }, 'inc-bare', stands);
    expect(written).toEqual([keyBefore45(`${ALARM_ARN}#run-of:inc-holder`), keyBefore45('#run-of:inc-bare')]);
  });

  it.each<[CheckPage, string, string]>([
    ['ended', 'exec-7', `${ALARM_ARN}#ended-page:exec-7`],
    ['not-ended', 'exec-7', `${ALARM_ARN}#not-ended-page:exec-7`],
    ['unverified', 'inc-holder', `${ALARM_ARN}#unverified-page:inc-holder`],
  ])("keeps the take of a check's %s page of %s under `%s`", async (page, subject, suffixedArn) => {
    const written: Array<{ pk: string; sk: string }> = [];
    const claims = createEpisodeRunbookClaims({ client: keyRecordingClient(written), tableName: 'incidents' });
    expect(await claims.takeCheckPage(holder, page, subject, '2026-11-20T14:30:00.000Z#taker', stands)).toBe(true);
    expect(written).toEqual([keyBefore45(suffixedArn)]);
  });
});
