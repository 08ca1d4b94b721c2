import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../../shared/adapters/outbox.js';
import { createOutboxRunbookRunner } from '../../../shared/remediation/runbook-runner.js';

describe('the local outbox', () => {
  it('reads past a line a crash cut short, so the runbook runner still finds the run it started', async () => {
    // Prepare: a runbook started, then a line cut short by a kill while it was written, then an escalation.
    const outbox = createOutbox(join(mkdtempSync(join(tmpdir(), 'guard-outbox-')), 'outbox.jsonl'));
    const runner = createOutboxRunbookRunner(outbox);
    const request = { document: 'Restart-Checkout-Api', parameters: { Alarm: ['checkout-api-5xx'] }, clientToken: 'cw-1' };
    const first = await runner.start(request);
    appendFileSync(outbox.path, '{"id":"cut","kind":"escal');
    appendFileSync(outbox.path, '\n');
    await outbox.write({ kind: 'escalation', subject: 'later', message: 'after the cut line' });

    // Act
    const again = await runner.start(request);
    const entries = await outbox.entries();

    // Assert
    expect(again).toEqual(first);
    expect(entries.map((entry) => entry.kind)).toEqual(['runbook', 'escalation']);
  });

  it('starts one run for starts of one client token made at the same moment, by several runners of one outbox', async () => {
    // Prepare: an episode's later incident repeats its holder's start while the holder makes it (session 41), each
    // execution with the runner its own deps built.
    const outbox = createOutbox(join(mkdtempSync(join(tmpdir(), 'guard-outbox-')), 'outbox.jsonl'));
    const request = { document: 'Restart-Checkout-Api', parameters: { Alarm: ['checkout-api-5xx'] }, clientToken: 'cw-1' };

    // Act
    const answers = await Promise.all([createOutboxRunbookRunner(outbox), createOutboxRunbookRunner(outbox), createOutboxRunbookRunner(outbox)].map((runner) => runner.start(request)));

    // Assert
    expect(new Set(answers.map((answer) => answer.executionId)).size).toBe(1);
    expect((await outbox.entries()).filter((entry) => entry.kind === 'runbook')).toHaveLength(1);
  });

  it('records an escalation with its attributes as SNS takes them, as the SNS publisher sends them', async () => {
    // Prepare: values SNS refuses (an emoji, an empty value), from a publisher's caller that did not clean them.
    const outbox = createOutbox(join(mkdtempSync(join(tmpdir(), 'guard-outbox-')), 'outbox.jsonl'));

    // Act
    await outbox.publisher.publish({ subject: 'CI failed', message: 'body', attributes: { severity: 'high', branch: 'fix/\u{1F525}', account: '' } });

    // Assert: what `npm start` shows is what AWS would publish (the SNS adapter cleans with the same function).
    expect((await outbox.entries())[0]?.attributes).toEqual({ severity: 'high', branch: 'fix/?' });
  });
});
