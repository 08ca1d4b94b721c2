import { describe, expect, it } from 'vitest';
import { useLocalRuntime } from '../support/harness.js';

/**
 * Attack pass 47 (read API): the routes behind the dashboard and the CLI, through the local runtime (dynalite, the
 * read-api handler export). Each test fails on 93a5c5f and passes once the hole is closed.
 */
const harness = useLocalRuntime({ secret: 'attack-47-readapi', name: 'attack-47-readapi' });

/** A cursor as `encodeCursor` writes it, with any values: anyone can write one. */
const forgedCursor = (id: string, createdAt: string) => Buffer.from(JSON.stringify({ id, createdAt })).toString('base64url');

describe('R1: a forged list cursor dated in the years 0-99 is a 500, not a refused parameter', () => {
  // decodeCursor accepts any ISO date-time; the store's month walk builds its months with Date.UTC, which reads the
  // years 0-99 as 1900-1999: the walk queries month 1901-01 with a start key of month 0001-01, and DynamoDB refuses
  // that query. The read API answers 500 "internal error; retry the request" (retrying changes nothing), logs an
  // error, and in AWS the IAM read routes share the webhook API, whose 5XXError metric is the `webhook-5xx` alarm
  // ("GitHub deliveries are failing").
  it.each(['0001-01-01T00:00:00Z', '0099-12-31T23:59:59Z'])('GET /incidents?cursor=<createdAt %s> is answered 4xx (or an empty page), never 500', async (createdAt) => {
    const response = await fetch(`${harness.runtime.url}/incidents?cursor=${forgedCursor('gh-1-2-1', createdAt)}`);

    expect(response.status).toBeLessThan(500);
  });

  it('(control) the same cursor dated in the year 100 is answered', async () => {
    const response = await fetch(`${harness.runtime.url}/incidents?cursor=${forgedCursor('gh-1-2-1', '0100-01-01T00:00:00Z')}`);

    expect(response.status).toBe(200);
  });
});
