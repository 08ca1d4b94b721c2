/**
 * Settings that are credentials and so, in AWS, live in Secrets Manager rather than in a function's configuration:
 * the chat webhook's URL and the OpenAI-compatible endpoint's key. The composition root reads them through the real
 * Secrets Manager adapter, pointed at a stand-in Secrets Manager on loopback (`AWS_ENDPOINT_URL_SECRETS_MANAGER`), so
 * what is checked is what the functions do: read when needed, a missing value fails only that message or call.
 */
import { mkdtempSync } from 'node:fs';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { AnalyzerConfigurationError } from '../../../shared/errors.js';
import { createAnalyzers, createEscalations, useLocalAdapters } from '../../../shared/runtime/deps.js';
import { LOCAL_ADAPTERS } from '../../../shared/runtime/local-adapters.js';
import { goodModelAnswer, testFailureInput } from '../analysis/fixtures.js';
import { toolCallReply } from '../analysis/fetch-mock.js';

const secrets = new Map<string, string>();
const chatPosts: unknown[] = [];
const modelAuthorizations: Array<string | undefined> = [];
const servers: Array<ReturnType<typeof createServer>> = [];
const saved = { ...process.env };
const outboxPath = join(mkdtempSync(join(tmpdir(), 'guard-secret-settings-')), 'outbox.jsonl');

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(handler: (request: IncomingMessage, text: string) => { status: number; body: string; type?: string }): Promise<string> {
  const server = createServer((request, response) => {
    void body(request).then((text) => {
      const answer = handler(request, text);
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' }).end(answer.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let chatUrl = '';
let modelUrl = '';
let stopLocalAdapters = () => {};

beforeAll(async () => {
  // Secrets Manager's JSON 1.1 protocol: GetSecretValue, or the error a secret created without a value gives.
  const secretsUrl = await listen((request, text) => {
    const { SecretId, VersionStage } = JSON.parse(text) as { SecretId: string; VersionStage?: string };
    const value = secrets.get(SecretId);
    if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined || (VersionStage ?? 'AWSCURRENT') !== 'AWSCURRENT') {
      return { status: 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" }) };
    }
    return { status: 200, type: 'application/x-amz-json-1.1', body: JSON.stringify({ ARN: SecretId, Name: 'x', SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'] }) };
  });
  chatUrl = `${await listen((_request, text) => {
    chatPosts.push(JSON.parse(text));
    return { status: 200, body: 'ok', type: 'text/plain' };
  })}/hooks/T000/B000/secret-part`;
  const completion = await toolCallReply(goodModelAnswer).text();
  modelUrl = await listen((request) => {
    modelAuthorizations.push(request.headers.authorization);
    return { status: 200, body: completion };
  });
  // The outbox (handed over as the local runtime does) is the primary publisher: it echoes each escalation to the
  // console; the chat posts are what is checked here.
  stopLocalAdapters = useLocalAdapters(LOCAL_ADAPTERS);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
  });
});

afterAll(() => {
  stopLocalAdapters();
  for (const server of servers) server.close();
  process.env = saved;
  vi.restoreAllMocks();
});

const logger = {
  warnings: [] as string[],
  info() {},
  warn(message: string, extra?: { error?: string }) {
    this.warnings.push(`${message}: ${extra?.error ?? ''}`);
  },
  error() {},
};

function arn(name: string): string {
  return `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;
}

const message = { subject: '[CI failed] CI in octo/app on main', message: 'Tests failed.', attributes: {} };

describe('the chat webhook URL kept in a secret (CHAT_WEBHOOK_URL_SECRET_ARN)', () => {
  it('posts each escalation to the URL the secret holds, beside the primary publisher', async () => {
    // Prepare
    secrets.set(arn('chat-filled'), chatUrl);
    const config = loadConfig({ OUTBOX_PATH: outboxPath, CHAT_WEBHOOK_URL_SECRET_ARN: arn('chat-filled'), CHAT_WEBHOOK_FORMAT: 'slack' });
    const before = chatPosts.length;

    // Act
    await createEscalations(config, logger).publish(message);

    // Assert
    expect(chatPosts.length - before).toBe(1);
    expect(JSON.stringify(chatPosts.at(-1))).toContain('CI in octo/app');
  });

  it('sends the escalation and logs why when the secret has no value yet or holds no https URL, never the value', async () => {
    // Prepare
    secrets.set(arn('chat-plain-http'), 'http://chat.example.com/hooks/leaked-part');
    const empty = loadConfig({ OUTBOX_PATH: outboxPath, CHAT_WEBHOOK_URL_SECRET_ARN: arn('chat-empty') });
    const plainHttp = loadConfig({ OUTBOX_PATH: outboxPath, CHAT_WEBHOOK_URL_SECRET_ARN: arn('chat-plain-http') });
    logger.warnings = [];
    const before = chatPosts.length;

    // Act
    const results = [await createEscalations(empty, logger).publish(message), await createEscalations(plainHttp, logger).publish(message)];

    // Assert
    expect(results.every((result) => typeof result.messageId === 'string')).toBe(true);
    expect(chatPosts.length).toBe(before);
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toContain('CHAT_WEBHOOK_URL_SECRET_ARN has no value yet');
    expect(logger.warnings[1]).toContain('does not hold an https URL');
    expect(logger.warnings.join('\n')).not.toContain('leaked-part');
  });
});

describe('the OpenAI-compatible endpoint key kept in a secret (LLM_API_KEY_SECRET_ARN)', () => {
  it('sends the key the secret holds as the bearer token', async () => {
    // Prepare
    secrets.set(arn('llm-key'), 'sk-from-secrets-manager\n');
    const config = loadConfig({ LLM_BASE_URL: `${modelUrl}/v1`, LLM_MODEL: 'llama3.1', LLM_API_KEY_SECRET_ARN: arn('llm-key') });

    // Act
    await createAnalyzers(config).analyzer.analyze(testFailureInput());

    // Assert
    expect(modelAuthorizations.at(-1)).toBe('Bearer sk-from-secrets-manager');
  });

  it('fails the call as a configuration error, naming the secret, while the secret has no value, and calls no model', async () => {
    // Prepare
    const config = loadConfig({ LLM_BASE_URL: `${modelUrl}/v1`, LLM_MODEL: 'llama3.1', LLM_API_KEY_SECRET_ARN: arn('llm-key-empty') });
    const calls = modelAuthorizations.length;

    // Act
    const error = await createAnalyzers(config).analyzer.analyze(testFailureInput()).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(AnalyzerConfigurationError);
    expect((error as Error).message).toContain('LLM_API_KEY_SECRET_ARN has no value yet');
    expect(modelAuthorizations.length).toBe(calls);
  });
});
