import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../shared/adapters/aws-json.js';
import { ConfigError, RetryableError } from '../../../shared/errors.js';
import { SECRET_MAX_AGE_SECONDS, type SecretReader, type SecretStage, createRotatingWebhookVerifier, readSecret, secretReadError } from '../../../shared/runtime/secrets.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:guard/webhook-AbCdEf';

/** A refusal as the Secrets Manager adapter hands it on: named by the service's error code. */
function sdkFailure(name: string, message = `${name} from Secrets Manager`): Error {
  return new AwsServiceError(name, message, 400);
}

/**
 * A secret with versions by stage; values can change (a rotation) and reads are counted. With `currentCreatedAt` it
 * dates its current version as the Secrets Manager adapter does; without, it is a reader that cannot.
 */
function fakeSecret(values: Partial<Record<SecretStage, string>>, currentCreatedAt?: number) {
  const state = { values: { ...values }, reads: 0, failWith: null as Error | null, currentCreatedAt };
  const read = async (arn: string, stage: SecretStage) => {
    expect(arn).toBe(ARN);
    state.reads += 1;
    if (state.failWith) throw state.failWith;
    const value = state.values[stage];
    if (value === undefined) throw sdkFailure('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`);
    return value;
  };
  const reader: SecretReader = { read: async (arn, stage) => ({ value: await read(arn, stage), createdAt: stage === 'AWSCURRENT' ? state.currentCreatedAt : undefined }) };
  return { state, reader };
}

const MINUTE_MS = 60_000;

describe('secret read errors', () => {
  // Secrets Manager's own messages: a secret created without a value, and an ARN it has no secret for (another
  // region or account, a typo, a deleted secret), which used to read "has no value yet" as well.
  it.each([
    ['ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", /has no value yet/],
    ['ResourceNotFoundException', "Secrets Manager can't find the specified secret.", /was not found.*region and account/],
  ] as const)('%s says which is missing: %s', (name, message, expected) => {
    const error = secretReadError('GITHUB_TOKEN_SECRET_ARN', sdkFailure(name, message));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(expected);
    expect(error.message).toContain(`(${name}`);
  });

  it.each([
    ['AccessDeniedException', ConfigError, /may not be read by this function.*GetSecretValue/],
    ['DecryptionFailure', ConfigError, /cannot be decrypted.*kms:Decrypt/],
    ['KMSDisabledException', ConfigError, /cannot be decrypted/],
    ['InvalidRequestException', ConfigError, /scheduled for deletion/],
    ['ThrottlingException', RetryableError, /could not be read right now/],
    ['InternalServiceError', RetryableError, /could not be read right now/],
    ['SomethingNew', ConfigError, /could not be read \(SomethingNew/],
  ] as const)('%s says what is wrong', (name, kind, message) => {
    const error = secretReadError('GITHUB_TOKEN_SECRET_ARN', sdkFailure(name));

    expect(error).toBeInstanceOf(kind);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`(${name}`);
    expect(error.message).toContain('GITHUB_TOKEN_SECRET_ARN');
  });

  it('reads the current value, trimmed, and refuses an empty one', async () => {
    expect(await readSecret('S', ARN, fakeSecret({ AWSCURRENT: ' ghp_value\n' }).reader)).toBe('ghp_value');
    await expect(readSecret('S', ARN, fakeSecret({ AWSCURRENT: '  ' }).reader)).rejects.toThrow(/is empty/);
    await expect(readSecret('S', ARN, fakeSecret({}).reader)).rejects.toThrow(/has no value yet/);
  });
});

describe('webhook secret rotation', () => {
  const body = '{"action":"completed"}';

  it('accepts deliveries signed with the previous version while a rotation is under way', async () => {
    const { reader } = fakeSecret({ AWSCURRENT: 'new-secret', AWSPREVIOUS: 'old-secret' }, Date.now());
    const verifier = await createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader });

    expect(await verifier.verify(body, await sign('new-secret', body))).toBe(true);
    expect(await verifier.verify(body, await sign('old-secret', body))).toBe(true);
    expect(await verifier.verify(body, await sign('other-secret', body))).toBe(false);
  });

  it('works before the first rotation, when there is no previous version', async () => {
    const { reader } = fakeSecret({ AWSCURRENT: 'only-secret' });
    const verifier = await createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader });

    expect(await verifier.verify(body, await sign('only-secret', body))).toBe(true);
  });

  it('picks up a rotated value within the cache age, without a cold start', async () => {
    let clock = 0;
    const { state, reader } = fakeSecret({ AWSCURRENT: 'first' }, clock);
    const verifier = await createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader, now: () => clock });
    state.values = { AWSCURRENT: 'second', AWSPREVIOUS: 'first' };
    state.currentCreatedAt = clock;

    const beforeRefresh = await verifier.verify(body, await sign('second', body));
    clock += SECRET_MAX_AGE_SECONDS * 1000;
    const afterRefresh = [await verifier.verify(body, await sign('second', body)), await verifier.verify(body, await sign('first', body))];

    expect(beforeRefresh).toBe(false);
    expect(afterRefresh).toEqual([true, true]);
  });

  it('keeps verifying with the values read before when a refresh fails, and retries later rather than per request', async () => {
    let clock = 0;
    const failures: unknown[] = [];
    const { state, reader } = fakeSecret({ AWSCURRENT: 'kept' });
    const verifier = await createRotatingWebhookVerifier({
      setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader, now: () => clock, onRefreshError: (e) => failures.push(e),
    });
    state.failWith = sdkFailure('ThrottlingException');
    clock += SECRET_MAX_AGE_SECONDS * 1000;

    const results = [await verifier.verify(body, await sign('kept', body)), await verifier.verify(body, await sign('kept', body))];
    const readsAfterTwoRequests = state.reads;

    expect(results).toEqual([true, true]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(RetryableError);
    // Two reads at cold start (current and previous), one failed refresh of the current value (the previous one's
    // failure is "no previous version"), and nothing for the second request.
    expect(readsAfterTwoRequests).toBe(4);
  });

  it('refuses the previous version once the grace period after the rotation has passed, judged at each delivery', async () => {
    const rotatedAt = Date.parse('2026-11-20T10:00:00Z');
    let clock = rotatedAt + 2 * MINUTE_MS;
    const { reader } = fakeSecret({ AWSCURRENT: 'new-secret', AWSPREVIOUS: 'old-secret' }, rotatedAt);
    const verifier = await createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader, now: () => clock, graceMinutes: 60 });
    const oldSigned = await sign('old-secret', body);

    clock = rotatedAt + 58 * MINUTE_MS;
    const nearTheEnd = await verifier.verify(body, oldSigned);
    // Less than the cache age after the read at 58 minutes: no re-read decides this, the clock does.
    clock = rotatedAt + 60 * MINUTE_MS;
    const atTheEnd = await verifier.verify(body, oldSigned);

    expect(nearTheEnd).toBe(true);
    expect(atTheEnd).toBe(false);
    expect(await verifier.verify(body, await sign('new-secret', body))).toBe(true);
  });

  it('takes the grace period from graceMinutes', async () => {
    const rotatedAt = Date.parse('2026-11-20T10:00:00Z');
    let clock = rotatedAt;
    const { reader } = fakeSecret({ AWSCURRENT: 'new-secret', AWSPREVIOUS: 'old-secret' }, rotatedAt);
    const verifier = await createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader, now: () => clock, graceMinutes: 10 });

    clock = rotatedAt + 11 * MINUTE_MS;

    expect(await verifier.verify(body, await sign('old-secret', body))).toBe(false);
  });

  it('fails closed when the current version is not dated: the previous one is refused, and that is said once', async () => {
    let clock = 0;
    const said: string[] = [];
    const { reader } = fakeSecret({ AWSCURRENT: 'new-secret', AWSPREVIOUS: 'old-secret' });
    const verifier = await createRotatingWebhookVerifier({
      setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader, now: () => clock, onUndatedRotation: (message) => said.push(message),
    });

    const results = [await verifier.verify(body, await sign('old-secret', body))];
    clock += SECRET_MAX_AGE_SECONDS * 1000;
    results.push(await verifier.verify(body, await sign('old-secret', body)), await verifier.verify(body, await sign('new-secret', body)));

    expect(results).toEqual([false, false, true]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/GITHUB_WEBHOOK_SECRET_ARN.*creation time is unknown/);
  });

  it('fails the cold start with the reason when the secret has no value', async () => {
    const { reader } = fakeSecret({});
    await expect(createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader })).rejects.toThrow(/GITHUB_WEBHOOK_SECRET_ARN has no value yet/);
  });
});
