import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { Webhooks } from '@octokit/webhooks';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { createPermissionCache } from '../../../shared/github/permission-cache.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { type IngestDeps, handleGithubWebhook } from '../../../shared/ingest/github-webhook.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createFakeGitHub, createMemoryApprovalIndex, createMemoryApprovalResumes, createMemoryCommandAnswers, createRecordingRecoveryQueue } from '../../support/fakes.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * Every payload in octokit's webhook examples (real deliveries GitHub documents, github.com and GHES): Pipeline
 * Guard accepts or ignores each one (2xx), never 400 or 5xx. A 400 for a real payload loses that failure (and its
 * recovery) for good: GitHub does not redeliver on its own.
 */
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: unknown[] }>;
const SECRET = 'examples-secret';

function deps(): IngestDeps {
  const started = new Set<string>();
  return {
    webhooks: new Webhooks({ secret: SECRET }),
    maxBodyBytes: 5 * 1024 * 1024,
    // The configured bound the handler passes (the config loader's default).
    maxRedrives: loadConfig({}).RECONCILE_MAX_ATTEMPTS,
    incidents: createMemoryStore(),
    github: staticGitHubClients(createFakeGitHub().port),
    clock: () => new Date('2026-11-20T10:00:00Z'),
    logger: silentLogger,
    recoveries: createRecordingRecoveryQueue(),
    workflow: {
      async start(name) {
        const alreadyStarted = started.has(name);
        started.add(name);
        return { executionId: name, alreadyStarted };
      },
      async describe(name) {
        return started.has(name) ? { status: 'RUNNING', input: null } : null;
      },
    },
  };
}

const cases = examples.flatMap(({ name, examples: payloads }) => payloads.map((payload, i) => [`${name} #${i}`, name, payload] as const));

describe("octokit's webhook examples", () => {
  it('has examples of the events Pipeline Guard acts on', () => {
    const names = new Set(examples.map((e) => e.name));
    for (const event of ['workflow_run', 'check_run', 'workflow_job', 'issue_comment', 'ping']) expect(names.has(event), event).toBe(true);
  });

  it.each(cases)('%s is accepted or ignored (2xx)', async (_label, event, payload) => {
    const body = JSON.stringify(payload);
    const request = {
      headers: {
        'x-github-event': event,
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
      isBase64Encoded: false,
    };
    const base = deps();
    const response =
      event === 'issue_comment'
        ? await handleIssueCommentWebhook(request, {
            ...base,
            learning: {} as Learning,
            approvals: createMemoryApprovalIndex(),
            approvalResumes: createMemoryApprovalResumes(),
            answers: createMemoryCommandAnswers(),
            permissions: createPermissionCache(),
            tasks: { async succeed() {}, async fail() {} },
          })
        : await handleGithubWebhook(request, base);
    expect(response.statusCode, JSON.stringify(response.body)).toBeGreaterThanOrEqual(200);
    expect(response.statusCode, JSON.stringify(response.body)).toBeLessThan(300);
  });
});
