import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gateCallerOf, gateRefusal } from '../../../shared/baselines/gate-access.js';

const CI_ROLE = 'arn:aws:sts::123456789012:assumed-role/ci-acme-app/build-42';
const callers = { 'arn:aws:sts::123456789012:assumed-role/ci-acme-app/*': ['acme/app'], 'arn:aws:iam::123456789012:user/ops': ['*'] };

describe('gateRefusal', () => {
  it('lets a caller use the gate for its own repository only', () => {
    expect(gateRefusal(callers, CI_ROLE, 'acme/app')).toBeNull();
    expect(gateRefusal(callers, CI_ROLE, 'ACME/App')).toBeNull();
    expect(gateRefusal(callers, CI_ROLE, 'acme/payments')).toBe('this caller is not configured for acme/payments');
  });

  it('refuses unknown callers, missing identities, and everyone when nothing is configured', () => {
    expect(gateRefusal(callers, 'arn:aws:sts::123456789012:assumed-role/other/x', 'acme/app')).toMatch(/not configured for the quality gate/);
    expect(gateRefusal(callers, null, 'acme/app')).toMatch(/no caller identity/);
    expect(gateRefusal({}, CI_ROLE, 'acme/app')).toMatch(/not configured/);
  });

  it('lets a caller configured with * use any repository', () => {
    expect(gateRefusal(callers, 'arn:aws:iam::123456789012:user/ops', 'acme/payments')).toBeNull();
  });

  it('reads the caller API Gateway authenticated', () => {
    expect(gateCallerOf({ requestContext: { identity: { userArn: CI_ROLE } } })).toBe(CI_ROLE);
    expect(gateCallerOf({ requestContext: {} })).toBeNull();
  });
});

describe('evaluate-gate handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("answers 403 to a caller that names another repository, before touching any baseline", async () => {
    // Prepare
    vi.stubEnv('BASELINES_TABLE', 'baselines');
    vi.stubEnv('GATE_CALLERS', JSON.stringify(callers));
    const { handler } = await import('../../../functions/evaluate-gate/handler.js');
    const event = {
      body: JSON.stringify({ repository: 'acme/payments', branch: 'main', sha: 'abcdef1', metrics: { coverage_pct: 10 } }),
      isBase64Encoded: false,
      requestContext: { identity: { userArn: CI_ROLE } },
    } as unknown as APIGatewayProxyEvent;
    // Act
    const response = (await handler(event, {} as never)) as { statusCode: number; body: string };
    // Assert
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).message).toBe('forbidden: this caller is not configured for acme/payments');
  });
});
