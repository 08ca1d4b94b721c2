import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { marked } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatWebhook, webhookPayload, withChatWebhook } from '../../../shared/adapters/chat-webhook.js';
import { createOutbox } from '../../../shared/adapters/outbox.js';
import { createSnsPublisher } from '../../../shared/adapters/sns.js';
import { newIncident, type Incident } from '../../../shared/domain/incident.js';
import { alarmEventSchema } from '../../../shared/domain/trigger.js';
import type { EscalationMessage } from '../../../shared/ports.js';
import { renderDigest, renderDigestMessages, renderEscalation } from '../../../shared/notify/escalation.js';
import { alarmDetails } from '../../../shared/domain/alarm-incident.js';

const root = join(import.meta.dirname, '..', '..', '..');
const at = new Date('2026-11-24T16:16:00Z');

function alarmIncident(name: string): Incident {
  const event = alarmEventSchema.parse(JSON.parse(readFileSync(join(root, 'events', 'cloudwatch', `${name}.json`), 'utf8')));
  const alarm = alarmDetails({ source: 'cloudwatch', incidentId: 'cw-1', event });
  return newIncident({ id: 'cw-1', source: 'cloudwatch', alarm, category: 'infrastructure', decision: { action: 'escalate', reason: 'x', applied: true, result: null, dryRun: false, decidedAt: at.toISOString() } }, at);
}

/** A failure a check run of a third-party app reported: the app names itself and its details page, a fork its workflow. */
function checkRunIncident(checkRun: { detailsUrl: string; appName?: string }, workflowName = 'CI'): Incident {
  return newIncident({
    id: 'gh-1-2-1', source: 'github', repository: 'octo/app', branch: 'main', category: 'test_failure', workflowName, runId: 2, runAttempt: 1,
    runUrl: 'https://github.com/octo/app/actions/runs/2',
    checkRun: { id: 7, name: 'build', appSlug: 'ci', appName: checkRun.appName ?? 'CI', detailsUrl: checkRun.detailsUrl },
  }, at);
}

/** The Markdown that Mattermost and Teams are sent for `message`. */
function chatMarkdown(message: EscalationMessage): string[] {
  const teams = webhookPayload('teams', message) as { attachments: Array<{ content: { body: Array<{ text: string }> } }> };
  return [(webhookPayload('mattermost', message) as { text: string }).text, teams.attachments[0]!.content.body.map((block) => block.text).join('\n\n')];
}

/** `markdown` as a CommonMark/GFM renderer makes it, and every link and image target it found. */
function rendered(markdown: string): { html: string; targets: string[] } {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return { html, targets: [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((match) => match[1]!) };
}

describe('the escalation e-mail', () => {
  it('says what and where in the subject, each fact once, with console links and filterable attributes', () => {
    const { subject, message, attributes } = renderEscalation(alarmIncident('alarm-state-alarm'), 'an alarm needs a human', { send: true, windowCount: 1, total: 4, firstSeen: '2026-11-20T09:12:00.000Z', windowStart: at.toISOString(), previousSentAt: '2026-11-21T09:12:00.000Z' });

    expect(subject).toBe('[Pipeline Guard] [ALARM] checkout-api-5xx-rate in us-east-1 (123456789012)');
    expect(message.match(/Threshold Crossed/g) ?? []).toHaveLength(0);
    expect(message).toContain('Evaluates: AWS/ApiGateway 5XXError ApiName=checkout-api Sum/60s, threshold 25');
    expect(message).toContain('Datapoints: 41, 57, 63');
    expect(message).toContain('Seen 4 times since 2026-11-20T09:12:00.000Z');
    expect(message).toContain('Alarm: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/checkout-api-5xx-rate');
    expect(message).toMatch(/Metric graph: https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#metricsV2:graph=~\(metrics~\(~\(~'AWS\*2fApiGateway~'5XXError~'ApiName~'checkout-api\)\)/);
    expect(message).toMatch(/What it needs from you: /);
    expect(attributes).toEqual({ severity: 'high', source: 'cloudwatch', category: 'infrastructure', alarm: 'checkout-api-5xx-rate', account: '123456789012', region: 'us-east-1' });
  });

  it("links the execution in the Step Functions console when the state carries its ARN, and nothing for a malformed one", () => {
    // Prepare
    const arn = 'arn:aws:states:eu-west-1:123456789012:execution:IncidentPipeline:cw-1';
    // Act
    const { message } = renderEscalation(alarmIncident('alarm-state-alarm'), 'an alarm needs a human', undefined, arn);
    const forged = renderEscalation(alarmIncident('alarm-state-alarm'), 'an alarm needs a human', undefined, 'javascript:alert(1)//arn:aws:states');
    // Assert
    expect(message).toContain(`Execution: https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${arn}`);
    expect(forged.message).not.toContain('Execution:');
  });

  it('describes a metric-math alarm by its expression and inputs, and a composite by its rule and children', () => {
    const math = renderEscalation(alarmIncident('alarm-metric-math'), 'x').message;
    expect(math).toContain('Evaluates: e1 = SUM(METRICS()), threshold 10000');
    expect(math).toContain('input: AWS/EC2 NetworkIn InstanceId=i-0a1b2c3d4e5f60718 Maximum/300s');
    const composite = renderEscalation(alarmIncident('alarm-composite'), 'x').message;
    expect(composite).toContain('Rule: ALARM(orders-api-5xx) OR ALARM(orders-db-cpu)');
    expect(composite).toContain('Fired because of: orders-api-5xx');
    const anomaly = renderEscalation(alarmIncident('alarm-anomaly'), 'x').message;
    expect(anomaly).toContain('Expected band at the breach: 0.020599444741798756 to 0.3006915352732461');
  });

  it('defangs the subject as the body, and cuts a long one before a word, not inside a host', () => {
    // Prepare: a fork names its pull_request workflow; a zero-width space is dropped from a subject (ASCII only).
    const named = (workflowName: string) => newIncident({ id: 'gh-1-2-1', source: 'github', repository: 'octo/app', branch: 'main', category: 'test_failure', workflowName }, at);

    // Act
    const { subject } = renderEscalation(named('https://x.co www\u200b.evil.com'), 'x');
    const digestOf = (label: string) => renderDigest({ problemKey: 'p', windowStart: 'w', dueAt: 'd', label, repeats: 2, total: 3, firstSeen: 'f', lastSeen: 'l', lastIncidentId: null, claim: 'c' }, null).subject;
    const digest = digestOf('CI www\u200b.evil.com');
    const long = digestOf(`${'x'.repeat(45)} evil.comxyz`);

    // Assert
    expect(subject).toBe('[Pipeline Guard] [CI failed] hxxps://x[.]co www[.]evil[.]com in octo/app on main: a test failed');
    expect(long).toBe(`[Pipeline Guard] Still happening, 2 more times: ${'x'.repeat(45)}`);
    expect(digest).toBe('[Pipeline Guard] Still happening, 2 more times: CI www[.]evil[.]com');
  });

  it('keeps what failed in a subject too long for 100 characters: the workflow goes first, then the branch', () => {
    // Prepare: names as long as real ones often are.
    const failed = (workflowName: string, branch: string, category: 'network' | 'compilation') =>
      newIncident({ id: 'gh-1-2-1', source: 'github', repository: 'acme-shop/checkout-service', branch, category, workflowName }, at);

    // Act
    const withoutWorkflow = renderEscalation(failed('Release build and publish', 'release/2.4', 'network'), 'x');
    const withoutBranch = renderEscalation(failed('CI', 'feature/tax-rounding-before-discounts-and-coupons-on-the-checkout-page', 'compilation'), 'x');

    // Assert
    expect(withoutWorkflow.subject).toBe('[Pipeline Guard] [CI failed] acme-shop/checkout-service on release/2.4: a network request failed');
    expect(withoutWorkflow.chat?.content.title).toBe('[CI failed] acme-shop/checkout-service on release/2.4: a network request failed');
    expect(withoutWorkflow.message).toContain('Release build and publish failed in acme-shop/checkout-service on release/2.4: a network request failed.');
    expect(withoutBranch.subject).toBe('[Pipeline Guard] [CI failed] acme-shop/checkout-service: the code does not build');
    expect(withoutBranch.chat?.content.title).toBe('[CI failed] acme-shop/checkout-service: the code does not build');
  });

  it('names the same thing in the chat title as in the e-mail subject, whichever text fits', () => {
    // Prepare: workflow names whose full text fits the chat title's room (its prefix is shorter) but not the subject's,
    // and a repository name defang lengthens (`.com` → `[.]com`) past the subject's room.
    const failed = (workflowName: string, repository = 'acme-shop/checkout-service') =>
      newIncident({ id: 'gh-1-2-1', source: 'github', repository, branch: 'release/2.4', category: 'network', workflowName }, at);
    const incidents = [failed('Nightly CI'), failed('Nightly integration'), failed('CI', 'acme-shop/shop.example.com-web'), failed('Release build and publish')];
    // The chat's look-alikes for what chat would render (`［.］` for defang's `[.]`) mean the same characters.
    const plain = (text: string) => text.replace(/［/g, '[').replace(/］/g, ']').replace(/‹/g, '<').replace(/›/g, '>').replace(/＠/g, '@');

    for (const incident of incidents) {
      // Act
      const { subject, chat } = renderEscalation(incident, 'x');

      // Assert
      expect(subject.length).toBeLessThanOrEqual(100);
      expect(plain(chat!.content.title), incident.workflowName ?? '').toBe(subject.replace(/^\[Pipeline Guard\] /, ''));
    }
  });

  it('says what failed in the chat message as in the e-mail: the test, where, and why', () => {
    // Prepare: a job whose log the rules explained.
    const rootCause = 'Test `invoice › total` failed in `src/invoice.test.ts:43`: `Expected: 107.1 Received: 108` (step 4 "Unit tests" of job "test").';
    const incident = newIncident({
      id: 'gh-1-2-1', source: 'github', repository: 'acme-shop/checkout-service', branch: 'main', workflowName: 'CI', category: 'test_failure', runId: 2, runAttempt: 1,
      jobs: [{
        jobId: 77, jobName: 'test', url: null, category: 'test_failure', fingerprint: 'f', logSource: 'job_log',
        failures: [{ rule: 'jest.failed', category: 'test_failure', startLine: 120, endLine: 126, lines: [{ line: 121, text: '● invoice › total' }] }],
        diagnosis: { determined: true, rootCause, fix: ['Run the failing test locally.'] },
      }],
    }, at);

    // Act
    const { message, chat } = renderEscalation(incident, 'a failure on a watched branch');

    // Assert
    const said = 'Test invoice › total failed in src/invoice.test.ts:43: Expected: 107.1 Received: 108 (step 4 "Unit tests" of job "test").';
    expect(message).toContain(`What failed: ${said}`);
    expect(chat?.content.description.split('\n')[1]).toBe(`*What failed:* ${said}`);
  });

  it('does not call the cause "not determined" when a job\'s diagnosis names it, though its category is unknown', () => {
    // Prepare: a script's NameError, which no rule gives a category.
    const job = (determined: boolean) => ({
      jobId: 77, jobName: 'deploy', url: null, category: 'unknown' as const, fingerprint: 'f', logSource: 'job_log' as const,
      failures: [{ rule: 'python.traceback', category: 'unknown' as const, startLine: 40, endLine: 44, lines: [{ line: 44, text: "NameError: name 'Github' is not defined" }] }],
      diagnosis: determined
        ? { determined, rootCause: "`NameError: name 'Github' is not defined` was raised in `scripts/notify.py:23` (job \"deploy\").", fix: [] }
        : { determined, rootCause: 'Root cause not determined (job "deploy"): the evidence is weak; the most likely line is 44: `x`.', fix: [] },
    });
    const incidentWith = (determined: boolean) => newIncident({ id: 'gh-1-2-1', source: 'github', repository: 'octo/app', branch: 'main', workflowName: 'Deploy', category: 'unknown', jobs: [job(determined)] }, at);

    // Act
    const explained = renderEscalation(incidentWith(true), 'x');
    const unexplained = renderEscalation(incidentWith(false), 'x');

    // Assert
    expect(explained.subject).toBe('[Pipeline Guard] [CI failed] Deploy in octo/app on main: a job failed');
    expect(explained.message).toMatch(/^Deploy failed in octo\/app on main: a job failed\.\n/);
    expect(explained.message).not.toContain('not determined');
    expect(unexplained.subject).toBe('[Pipeline Guard] [CI failed] Deploy in octo/app on main: the cause is not determined');
  });

  it('links a CI failure to its pull request and run, and sets repository (not an alarm name) as attribute', () => {
    const incident = newIncident({
      id: 'gh-1-2-1', source: 'github', repository: 'acme-shop/checkout-service', branch: 'main', workflowName: 'Nightly', runEvent: 'schedule', runId: 2, runAttempt: 1,
      runUrl: 'https://github.com/acme-shop/checkout-service/actions/runs/2', category: 'network', failureLines: [{ line: 7, text: 'npm ERR! network ETIMEDOUT' }],
    }, at);
    const { subject, message, attributes } = renderEscalation(incident, 'a scheduled run failed');

    expect(subject).toBe('[Pipeline Guard] [CI failed] Nightly in acme-shop/checkout-service on main: a network request failed');
    expect(message).toContain('Run: https://github.com/acme-shop/checkout-service/actions/runs/2');
    expect(message).toContain('(scheduled run)');
    expect(attributes).toEqual({ severity: 'low', source: 'github', category: 'network', repository: 'acme-shop/checkout-service', branch: 'main' });
  });

  it('publishes filter attributes SNS accepts whatever the branch and alarm are named, and ordinary names as they are', async () => {
    // Prepare: git allows emoji and quotes in a branch name (a fork's pull request names its own), CloudWatch emoji in
    // an alarm's name; SNS refuses a String attribute with a character outside the Basic Multilingual Plane ("Invalid
    // attribute value was passed in for message attribute") and an empty one, so the whole page would not go out.
    const ci = (branch: string) => newIncident({ id: 'gh-1-4-1', source: 'github', repository: 'octo/app', branch, workflowName: 'CI', runId: 4, runAttempt: 1, category: 'test_failure' }, at);
    const odd = `fix/\u{1F525}-"quoted"\u0007-caf\u00e9-${'x'.repeat(300)}`;
    const alarm = alarmIncident('alarm-state-alarm');
    const oddAlarm: Incident = { ...alarm, alarm: { ...alarm.alarm!, name: 'checkout \u{1F6A8} 5xx', account: '' } };

    // Act: rendered, then published as each runtime publishes it.
    const branches = await publishedAttributes(renderEscalation(ci(odd), 'a run failed'));
    const ordinary: Array<Awaited<ReturnType<typeof publishedAttributes>>> = [];
    for (const name of ['main', 'release/1.2', 'feature/x']) ordinary.push(await publishedAttributes(renderEscalation(ci(name), 'a run failed')));
    const alarms = await publishedAttributes(renderEscalation(oddAlarm, 'an alarm needs a human'));

    // Assert: the same values from both publishers.
    const acceptable = (value: string | undefined) => typeof value === 'string' && value !== '' && value.length <= 256 && !/[\uD800-\uDFFF\u0000-\u001F\u007F-\u009F"\\]/.test(value);
    for (const [publisher, index] of [['SNS', 0], ['outbox', 1]] as const) {
      const branch = branches[index].branch;
      expect(acceptable(branch), publisher).toBe(true);
      expect(branch, publisher).toBe(`fix/?-?quoted??-caf\u00e9-${'x'.repeat(256 - 'fix/?-?quoted??-caf\u00e9-'.length)}`);
      expect(ordinary.map((sent) => sent[index].branch), publisher).toEqual(['main', 'release/1.2', 'feature/x']);
      expect(alarms[index].alarm, publisher).toBe('checkout ? 5xx');
      expect(alarms[index], publisher).not.toHaveProperty('account');
      expect(Object.values(alarms[index]).every(acceptable), publisher).toBe(true);
    }
  });

  it("sends a list attribute (a grouped approval e-mail's `alarm`) as a String.Array to SNS, and the outbox records the same values", async () => {
    const message = { ...renderEscalation(alarmIncident('alarm-state-alarm'), 'x'), attributes: { severity: 'high', alarm: ['payments-5xx', 'search \u{1F6A8} 5xx'] } };

    const [sns, outbox] = await publishedAttributes(message);

    expect(sns.alarm).toBe('["payments-5xx","search ? 5xx"]');
    expect(outbox.alarm).toEqual(['payments-5xx', 'search ? 5xx']);
  });

  it('reads as urgent when a stage that decides what to do failed, not when only the knowledge lookup did', () => {
    const failed = (stage: string): Incident => ({
      ...newIncident({ id: `gh-1-3-${stage}`, source: 'github', repository: 'octo/app', branch: 'main', workflowName: 'CI', runId: 3, runAttempt: 1, category: 'test_failure' }, at),
      stageErrors: [{ stage, error: 'States.Timeout: timed out', at: at.toISOString() }],
    });

    expect(renderEscalation(failed('knowledge'), 'a run failed').attributes.severity).toBe('low');
    expect(renderEscalation(failed('analyze'), 'a run failed').attributes.severity).toBe('high');
  });
});

describe('chat text from branch, workflow and log', () => {
  it('cannot notify a channel, a group or a user in Slack, Mattermost or Chatbot', async () => {
    // Prepare
    const incident = newIncident({
      id: 'gh-1-2-1', source: 'github', repository: 'acme/app', branch: 'fix/<!channel>-@all', workflowName: 'CI <!here> <@U024BE7LH> <!subteam^S012AB3CD>',
      runId: 2, runAttempt: 1, category: 'test_failure', failureLines: [{ line: 1, text: 'x' }],
      runUrl: 'https://github.com/acme/app/actions/runs/2',
      checkRun: { id: 7, name: 'build', appSlug: 'ci', appName: 'CI <!here>', detailsUrl: 'https://ci.example/x><!channel><' },
    }, at);

    // Act
    const message = renderEscalation(incident, 'a failure on a watched branch @channel');
    const texts = [JSON.stringify(message.chat), JSON.stringify(webhookPayload('slack', message)), JSON.stringify(webhookPayload('mattermost', message))];

    // Assert
    for (const text of texts) {
      expect(text).not.toMatch(/<[!@#]/);
      expect(text).not.toMatch(/@(?:channel|here|all|U024)/);
      expect(text).toContain('fix/‹!channel›-＠all');
    }
  });

  it('carries no Markdown link from a workflow name or a model rationale to Mattermost, Teams or the e-mail', async () => {
    // Prepare: a fork PR names its pull_request workflow; a steered model writes the rationale.
    const workflowName = 'CI [Re-authenticate the deploy bot](//evil.example/login) [logs](https:\\\\logs.evil.sh\\run)';
    const incident = newIncident({ id: 'gh-1-2-1', source: 'github', repository: 'octo/app', branch: 'main', category: 'test_failure', workflowName }, at);

    // Act
    const message = renderEscalation(incident, 'the analysis asks for a human: [Rotate the leaked key here](//evil.example/rotate)');
    const texts = [message.message, JSON.stringify(webhookPayload('mattermost', message)), JSON.stringify(webhookPayload('teams', message))];

    // Assert: the e-mail is plain text, with its brackets; chat has look-alikes (see 'renders no link but ours').
    for (const text of texts) {
      expect(text).not.toMatch(/evil\.(?:example|sh)/);
      if (text === message.message) expect(text).toContain('[Rotate the leaked key here](//evil[.]example/rotate)');
      else {
        expect(text).not.toMatch(/\]\(/);
        expect(text).toContain('［Rotate the leaked key here］(//evil［.］example/rotate)');
      }
    }
  });

  it("cannot write a line of the guard's own into the e-mail, the chat message or the digest", () => {
    // Prepare: a fork's pull_request workflow named over several lines (YAML's `name: "CI\n…"`), a steered model's root
    // cause, and log lines holding the other breaks a mail client or a chat renderer may honour.
    const forged = '\n\nWhat the guard tried: re-ran the failed jobs.\nWhat it needs from you: Nothing: it has recovered.\n';
    const breaks = ['\r', '\v', '\f', '\u0085', '\u2028', '\u2029', '\r\n'];
    const incident = newIncident({
      id: 'gh-1-2-1', source: 'github', repository: 'octo/app', branch: 'main', category: 'test_failure', workflowName: `CI${forged}`, runId: 2, runAttempt: 1,
      failureLines: breaks.map((linebreak, i) => ({ line: i + 1, text: `FAIL src/a.test.ts${linebreak}What it needs from you: Nothing: it has recovered.` })),
      analysis: {
        rootCause: `The snapshot is stale.${forged}`, fix: [], confidence: 0.4, proposedAction: 'escalate', rationale: '', evidence: [], provider: 'openai', model: 'm', latencyMs: 1,
      },
      decision: { action: 'escalate', reason: 'x', applied: true, result: null, dryRun: false, decidedAt: at.toISOString() },
    }, at);
    const ours = (text: string) => text.split('\n').filter((line) => /^\s*(?:\*?What (?:the guard tried|it needs from you):|\*Tried:\*)/.test(line));

    // Act
    const message = renderEscalation(incident, `a failure nobody was told of${forged}`);
    const digest = renderDigest({
      problemKey: 'gh:octo/app:outside:fork:degraded', windowStart: '2026-11-24T16:16:00.000Z', dueAt: '2026-11-25T16:16:00.000Z', label: `CI${forged} in octo/app`,
      repeats: 2, total: 3, firstSeen: '2026-11-24T16:16:00.000Z', lastSeen: '2026-11-24T18:00:00.000Z', lastIncidentId: incident.id, claim: '2026-11-25T16:17:00.000Z',
    }, incident);

    // Assert: each of the guard's lines once, and every text from outside on the line it started on.
    expect(ours(message.message)).toEqual([
      'What the guard tried: nothing automatic: it could not act safely.',
      'What it needs from you: Look at the run: nobody else was told (there is no pull request). A green run on the same branch resolves this.',
    ]);
    expect(message.message.split('\n').filter((line) => /^\s+\d+ \| /.test(line))).toHaveLength(breaks.length);
    expect(message.message).not.toMatch(/[\r\v\f\u0085\u2028\u2029]/);
    expect(ours(message.chat?.content.description ?? '')).toEqual(['*Tried:* nothing automatic: it could not act safely.']);
    expect(ours(digest.message)).toEqual(['What it needs from you: Look at the run: nobody else was told (there is no pull request). A green run on the same branch resolves this.']);
    expect(digest.message.split('\n')[0]).toMatch(/^Still happening: CI .* in octo\/app, seen 2 more times since the escalation at 2026-11-24T16:16:00\.000Z\. No page went out for these repeats\.$/);
  });

  it('renders no link but ours in Mattermost, Teams or Chatbot, whatever the spelling of the target', async () => {
    // Prepare: a fork names its workflow, a steered model writes the rationale, a third-party app names itself.
    const workflowName = 'CI [Re-authenticate][k] www<>.evil.com';
    const incident = checkRunIncident({ appName: 'CI](//evil.example/app) [x', detailsUrl: 'https://ci.example/builds/7' }, workflowName);
    const why = [
      'the analysis asks for a human: [Rotate the leaked key here][k]',
      '',
      '[k]: //evil%2Eexample/rotate',
      '[Re-authenticate]: https:login.evil.sh/x',
      '',
      '[the runbook](//ＥＶＩＬ．com/x) ![](//2130706433/p.png) <a href="//evil%2Eexample">here</a>',
    ].join('\n');

    // Act
    const message = renderEscalation(incident, why);
    const documents = [...chatMarkdown(message), `${message.chat!.content.title}\n\n${message.chat!.content.description}`];

    // Assert: a CommonMark/GFM renderer finds no link target of the attacker's, and the words stay readable.
    for (const markdown of documents) {
      const { html, targets } = rendered(markdown);
      expect(targets.filter((target) => !/^https:\/\/(?:github\.com\/octo\/app\/|ci\.example\/builds\/7$)/.test(target!))).toEqual([]);
      expect(html).not.toMatch(/www\.evil/);
      expect(markdown).toContain('Rotate the leaked key here');
    }
  });

  it("renders the check run's details link as one link to its own target in Mattermost and Teams", async () => {
    // Prepare: a third-party app reports the details URL; Mattermost and Teams get the link as [label](url).
    const detailsUrl = 'https://ci.example/builds/7)[Sign-in-to-GitHub](https://evil.example/login)![](https://evil.example/pixel.png';
    const incident = checkRunIncident({ detailsUrl });

    // Act
    const documents = chatMarkdown(renderEscalation(incident, 'a failure on a watched branch'));

    // Assert: every link and image target is one of ours or the details page itself, and no label is the attacker's.
    for (const markdown of documents) {
      const { html, targets } = rendered(markdown);
      expect(targets.filter((target) => !target.startsWith('https://github.com/octo/app/') && !target.startsWith('https://ci.example/builds/7'))).toEqual([]);
      expect(html).not.toMatch(/<img/);
      expect(html).not.toMatch(/>Sign-in-to-GitHub</);
    }
  });

  it("keeps a check run's details URL on its own line of the e-mail, in one piece", () => {
    // Prepare
    const detailsUrl = 'https://ci.example/builds/7\n\nWhat it needs from you: sign in again at https://evil.example/login now';
    const incident = checkRunIncident({ detailsUrl });

    // Act
    const { message } = renderEscalation(incident, 'a failure on a watched branch');

    // Assert: the link's line holds the whole target; no line of the e-mail starts with the app's words.
    const line = message.split('\n').find((l) => l.startsWith('Build in CI: '));
    expect(line).toBe('Build in CI: https://ci.example/builds/7%0A%0AWhat%20it%20needs%20from%20you:%20sign%20in%20again%20at%20https://evil.example/login%20now');
    expect(message.split('\n').filter((l) => l.startsWith('What it needs from you:'))).toHaveLength(1);
  });
});


const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

/**
 * The attributes each publisher sends for `message`: the SNS publisher's MessageAttributes (AWS), then the outbox
 * entry's (`npm start`).
 */
async function publishedAttributes(message: EscalationMessage): Promise<[Record<string, string>, Record<string, string>]> {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  await createSnsPublisher(new SNSClient({}), 'arn:aws:sns:us-east-1:1:t').publish(message);
  const sent = sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes ?? {};
  const outbox = createOutbox(join(mkdtempSync(join(tmpdir(), 'guard-outbox-')), 'outbox.jsonl'));
  await outbox.publisher.publish(message);
  const recorded = (await outbox.entries())[0]?.attributes as Record<string, string>;
  return [Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, String(value.StringValue)])), recorded];
}

describe('chat delivery', () => {
  it('publishes per protocol to SNS: text for e-mail, the custom notification for Chatbot', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const message = renderEscalation(alarmIncident('alarm-state-alarm'), 'x');

    await createSnsPublisher(new SNSClient({}), 'arn:aws:sns:us-east-1:1:t').publish(message);

    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.MessageStructure).toBe('json');
    const body = JSON.parse(String(input?.Message)) as { default: string; email: string };
    expect(body.email).toBe(message.message);
    expect(JSON.parse(body.default)).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: expect.stringContaining('checkout-api-5xx-rate') } });
  });

  it.each(['slack', 'mattermost', 'teams'] as const)('posts a %s incoming-webhook message to a local HTTP server', async (format) => {
    const received: Array<{ headers: IncomingMessage['headers']; body: any }> = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/abc`;
    try {
      await createChatWebhook({ url, format }).publish(renderEscalation(alarmIncident('alarm-state-alarm'), 'x'));
    } finally {
      server.close();
    }

    expect(received).toHaveLength(1);
    expect(received[0]?.headers['content-type']).toBe('application/json');
    const text = JSON.stringify(received[0]?.body);
    expect(text).toContain('checkout-api-5xx-rate');
    if (format === 'teams') expect(received[0]?.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    else expect(received[0]?.body.text).toMatch(format === 'slack' ? /<https:\/\/us-east-1\.console[^|]+\|Alarm>/ : /\[Alarm\]\(https:\/\/us-east-1\.console/);
  });

  it('does not follow a redirect: the escalation goes only to the URL that was configured and checked', async () => {
    // Prepare: the configured webhook answers 307 (which keeps the method and body) to another address. The setting
    // is checked to be https (chatWebhookUrlSchema); a redirect is not, and could send the escalation, with what it
    // quotes of logs, anywhere, over plain http, to an address inside the network.
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url}`);
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/internal`;
    const webhook = createServer((_req, res) => res.writeHead(307, { location: target }).end());
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/abc`;

    // Act
    let failure: unknown = null;
    try {
      await createChatWebhook({ url, format: 'slack' }).publish(renderEscalation(alarmIncident('alarm-state-alarm'), 'x'));
    } catch (error) {
      failure = error;
    } finally {
      webhook.close();
      other.close();
    }

    // Assert: nothing reached the other address, and the publish failed (withChatWebhook logs it).
    expect(elsewhere).toEqual([]);
    expect(failure).not.toBeNull();
  });

  it('never fails the escalation when the webhook is down', async () => {
    const primary = { sent: 0, async publish() { this.sent += 1; return { messageId: 'p' }; } };
    const failures: unknown[] = [];
    const down = createChatWebhook({ url: 'http://127.0.0.1:9/none', format: 'slack', timeoutMs: 500 });

    const result = await withChatWebhook(primary, down, (error) => failures.push(error)).publish(renderEscalation(alarmIncident('alarm-state-alarm'), 'x'));

    expect(result.messageId).toBe('p');
    expect(primary.sent).toBe(1);
    expect(failures).toHaveLength(1);
  });
});

describe('the digest of an ended escalation window', () => {
  const digest = {
    problemKey: 'alarm:arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-rate',
    windowStart: '2026-11-20T09:12:00.000Z',
    dueAt: '2026-11-21T09:12:00.000Z',
    label: 'alarm checkout-api-5xx-rate',
    repeats: 3,
    total: 4,
    firstSeen: '2026-11-20T09:12:00.000Z',
    lastSeen: '2026-11-20T17:40:00.000Z',
    lastIncidentId: 'cw-1',
    claim: '2026-11-21T09:13:00.000Z',
  };

  it('says what, how many more times, first and last seen, with the links of the latest occurrence, in the escalation\'s chat thread', () => {
    const incident = alarmIncident('alarm-state-alarm');
    const message = renderDigest(digest, incident);
    const escalation = renderEscalation(incident, 'an alarm needs a human');

    expect(message.subject).toBe('[Pipeline Guard] Still happening, 3 more times: alarm checkout-api-5xx-rate');
    expect(message.message).toContain('Still happening: alarm checkout-api-5xx-rate, seen 3 more times since the escalation at 2026-11-20T09:12:00.000Z. No page went out for these repeats.');
    expect(message.message).toContain('First seen: 2026-11-20T09:12:00.000Z (4 times in all).');
    expect(message.message).toContain('Last seen: 2026-11-20T17:40:00.000Z.');
    expect(message.message).toContain('Alarm: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/checkout-api-5xx-rate');
    expect(message.attributes).toEqual({ ...escalation.attributes, kind: 'digest' });
    expect(message.chat?.metadata?.threadId).toBe(escalation.chat?.metadata?.threadId);
  });

  it('still says what and how often when the latest incident is gone', () => {
    const message = renderDigest({ ...digest, repeats: 1, lastIncidentId: null }, null);

    expect(message.subject).toBe('[Pipeline Guard] Still happening, 1 more time: alarm checkout-api-5xx-rate');
    expect(message.message).not.toContain('https://');
    expect(message.attributes).toEqual({ severity: 'low', kind: 'digest' });
  });
});

describe('the digest of an alarm group, however many alarms it names', () => {
  const group = {
    problemKey: 'alarm-group:2026-11-20T10:00:00.000Z:digest', windowStart: '2026-11-20T10:00:00.000Z', dueAt: '2026-11-20T10:05:00.000Z',
    label: 'alarms grouped with the alarm page at 2026-11-20T10:00:00.000Z', total: 1_000, firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:04:59.000Z',
    lastIncidentId: null, claim: '2026-11-20T10:06:00.000Z',
  };
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());
  /** What SNS counts against its 256 KB limit for one Publish: the message, the subject and the attributes. */
  const publishedBytes = async (message: EscalationMessage) => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await createSnsPublisher(new SNSClient({ region: 'us-east-1' }), 'arn:aws:sns:us-east-1:123456789012:guard').publish(message);
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    const attributes = Object.entries(input.MessageAttributes ?? {}).map(([key, value]) => `${key}${value.DataType}${value.StringValue}`).join('');
    return Buffer.byteLength(`${input.Message}${input.Subject}${attributes}`);
  };

  it('names 205 alarms in one message', () => {
    const members = Array.from({ length: 205 }, (_, i) => `big-${String(i).padStart(3, '0')}-5xx`);

    const messages = renderDigestMessages({ ...group, repeats: 204, members }, null);

    expect(messages).toHaveLength(1);
    expect(messages[0]?.subject).toBe('[Pipeline Guard] Still happening, 204 more times: alarms grouped with the alarm page at');
    for (const member of members) expect(messages[0]?.message).toContain(member);
    expect(messages[0]?.message).not.toContain('more.');
  });

  it('names every one of 1,000 alarms of the longest names, in as many messages as SNS takes, each saying which part it is', async () => {
    // Names of 200 characters (the most the ledger keeps) that JSON makes longest: quotes, backslashes, three-byte characters.
    const members = Array.from({ length: 1_000 }, (_, i) => `${String(i).padStart(4, '0')}-${'"\\€'.repeat(65)}`.slice(0, 200));

    const messages = renderDigestMessages({ ...group, repeats: 999, members }, null);

    expect(messages.length).toBeGreaterThan(1);
    const named = (member: string) => messages.filter((m) => m.message.includes(member.slice(0, 5))).length;
    for (const member of members) expect(named(member), member.slice(0, 4)).toBe(1);
    expect(messages.map((m) => m.subject)).toEqual(messages.map((_, i) => `[Pipeline Guard] Still happening, 999 more times (${i + 1} of ${messages.length}): alarms grouped with the alarm page at`));
    expect(new Set(messages.map((m) => m.chat?.id)).size).toBe(messages.length);
    for (const message of messages) expect(await publishedBytes(message)).toBeLessThan(256 * 1024);
  });
});
