import { StandardRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { type AwsJsonFetch, AwsEndpointSettingError } from '../../../shared/adapters/aws-json.js';
import { createSecretsManagerReader } from '../../../shared/adapters/secrets-manager.js';
import { ConfigError, RetryableError } from '../../../shared/errors.js';
import { SECRET_MAX_AGE_SECONDS, readSecret } from '../../../shared/runtime/secrets.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:guard/github-token-AbCdEf';

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { SecretId?: string; VersionStage?: string };
}

/** A fetch that records what it was sent and answers from `answers`, in order (the last one repeats). */
function fakeFetch(...answers: Array<{ status: number; body?: unknown } | Error>) {
  const sent: Sent[] = [];
  const fetch: AwsJsonFetch = async (url, init) => {
    sent.push({ url: String(url), headers: Object.fromEntries(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v])), body: JSON.parse(init.body) as Sent['body'] });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)] as (typeof answers)[number];
    if (answer instanceof Error) throw answer;
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), { status: answer.status });
  };
  return { fetch, sent };
}

/** The SDK's standard strategy with a backoff that does not wait. */
const noWait = () => new StandardRetryStrategy({ maxAttempts: 3, backoff: { setDelayBase: () => undefined, computeNextBackoffDelay: () => 0 } });

function reader(fetch: AwsJsonFetch, now = () => 0) {
  return createSecretsManagerReader({ region: 'eu-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), now, env: {} });
}

describe('Secrets Manager over its JSON API', () => {
  it('asks GetSecretValue for the version stage, signed with SigV4 for secretsmanager, and answers with the string', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { ARN, Name: 'guard/github-token', SecretString: 'ghp_value', VersionStages: ['AWSCURRENT'] } });

    expect((await reader(fetch).read(ARN, 'AWSCURRENT')).value).toBe('ghp_value');

    expect(sent).toHaveLength(1);
    const [request] = sent as [Sent];
    expect(request.url).toBe('https://secretsmanager.eu-west-1.amazonaws.com/');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request, /);
    expect(request.body).toEqual({ SecretId: ARN, VersionStage: 'AWSCURRENT' });
  });

  it('dates the version by its CreatedDate (epoch seconds, as the JSON protocol sends it), from the same call and cache entry', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { SecretString: 'whsec', CreatedDate: 1_763_632_800.25, VersionStages: ['AWSCURRENT'] } });
    const read = reader(fetch);

    expect(await read.read(ARN, 'AWSCURRENT')).toEqual({ value: 'whsec', createdAt: 1_763_632_800_250 });
    expect((await read.read(ARN, 'AWSCURRENT')).value).toBe('whsec');
    expect(sent).toHaveLength(1);
  });

  it('leaves a version without a CreatedDate undated', async () => {
    const { fetch } = fakeFetch({ status: 200, body: { SecretString: 'whsec', CreatedDate: 'yesterday' } });

    expect(await reader(fetch).read(ARN, 'AWSCURRENT')).toEqual({ value: 'whsec', createdAt: undefined });
  });

  it('goes where the SDK’s own endpoint setting points, as the SDK client did (AWS_ENDPOINT_URL_SECRETS_MANAGER)', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { SecretString: 'local' } });
    const read = createSecretsManagerReader({ region: 'eu-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:4566' } });

    expect((await read.read(ARN, 'AWSCURRENT')).value).toBe('local');
    expect(sent[0]?.url).toBe('http://127.0.0.1:4566/');
    expect(sent[0]?.headers.host).toBe('127.0.0.1:4566');
  });

  it('keeps a value for SECRET_MAX_AGE_SECONDS per version stage, then reads it again', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { SecretString: 'v1' } }, { status: 200, body: { SecretString: 'old' } }, { status: 200, body: { SecretString: 'v2' } });
    let clock = 0;
    const read = reader(fetch, () => clock);

    expect((await read.read(ARN, 'AWSCURRENT')).value).toBe('v1');
    expect((await read.read(ARN, 'AWSCURRENT')).value).toBe('v1');
    // The previous version is its own entry: never served from the current one's.
    expect((await read.read(ARN, 'AWSPREVIOUS')).value).toBe('old');
    expect(sent.map((request) => request.body.VersionStage)).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);

    clock = SECRET_MAX_AGE_SECONDS * 1000;
    expect((await read.read(ARN, 'AWSCURRENT')).value).toBe('v2');
    expect(sent).toHaveLength(3);
  });

  it('keeps no failure: the next read asks again', async () => {
    const { fetch, sent } = fakeFetch({ status: 400, body: { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret value" } }, { status: 200, body: { SecretString: 'now-set' } });
    const read = reader(fetch);

    await expect(readSecret('GITHUB_TOKEN_SECRET_ARN', ARN, read)).rejects.toThrow(/GITHUB_TOKEN_SECRET_ARN has no value yet \(ResourceNotFoundException\)/);
    expect(await readSecret('GITHUB_TOKEN_SECRET_ARN', ARN, read)).toBe('now-set');
    expect(sent).toHaveLength(2);
  });

  it('says what is wrong by the service’s error code, as the SDK’s exceptions named it', async () => {
    const refused = (type: string) => reader(fakeFetch({ status: 400, body: { __type: type, Message: 'no' } }).fetch);

    await expect(readSecret('S', ARN, refused('AccessDeniedException'))).rejects.toThrow(ConfigError);
    await expect(readSecret('S', ARN, refused('AccessDeniedException'))).rejects.toThrow(/may not be read by this function/);
    await expect(readSecret('S', ARN, refused('DecryptionFailure'))).rejects.toThrow(/cannot be decrypted/);
    await expect(readSecret('S', ARN, refused('ThrottlingException'))).rejects.toThrow(RetryableError);
  });

  it('a network that keeps failing is retryable, after the standard mode’s three attempts', async () => {
    const { fetch, sent } = fakeFetch(new TypeError('fetch failed'));

    const failure = await readSecret('S', ARN, reader(fetch)).catch((error: unknown) => error);

    expect(sent).toHaveLength(3);
    expect(failure).toBeInstanceOf(RetryableError);
  });

  it('a binary secret is no text value: refused as empty, as before', async () => {
    const { fetch } = fakeFetch({ status: 200, body: { SecretBinary: 'AAEC' } });

    await expect(readSecret('S', ARN, reader(fetch))).rejects.toThrow(/is empty/);
  });

  it('reads from the FIPS endpoint in the partition’s domain with AWS_USE_FIPS_ENDPOINT=true (session 42, attack-44c S8)', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { SecretString: 'v' } });
    const read = createSecretsManagerReader({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: { AWS_USE_FIPS_ENDPOINT: 'true' } });

    await read.read(ARN, 'AWSCURRENT');
    expect(sent[0]?.url).toBe('https://secretsmanager-fips.us-east-1.amazonaws.com/');
  });

  it('refuses FIPS with a custom endpoint, as the SDK does (session 42, attack-44c S8)', () => {
    const build = (region: string, env: Record<string, string>) => () => createSecretsManagerReader({ region, credentials: async () => credentials, env });
    expect(build('eu-west-1', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toThrow(AwsEndpointSettingError);
  });
});
