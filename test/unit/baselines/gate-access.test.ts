import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type GateCallers, gateAccess, gateCallerOf } from '../../../shared/baselines/gate-access.js';

/** Why `caller` may not use the gate for `repository`, or null when it may. */
function gateRefusal(configured: GateCallers, caller: string | null, repository: string): string | null {
  const access = gateAccess(configured, caller, repository);
  return access.allowed ? null : access.refusal;
}

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

  it("keeps an evaluate-only caller from reporting the default branch; the entry naming the repository wins over *", () => {
    const split: GateCallers = {
      'arn:aws:sts::123456789012:assumed-role/ci-acme-main/*': ['acme/app'],
      'arn:aws:sts::123456789012:assumed-role/ci-acme-pr/*': ['acme/app:evaluate'],
      'arn:aws:iam::123456789012:user/ops': ['*:evaluate', 'acme/app'],
    };
    expect(gateAccess(split, 'arn:aws:sts::123456789012:assumed-role/ci-acme-main/run-1', 'acme/app')).toEqual({ allowed: true, reportsDefaultBranch: true });
    expect(gateAccess(split, 'arn:aws:sts::123456789012:assumed-role/ci-acme-pr/run-2', 'ACME/app')).toEqual({ allowed: true, reportsDefaultBranch: false });
    expect(gateAccess(split, 'arn:aws:iam::123456789012:user/ops', 'acme/app')).toEqual({ allowed: true, reportsDefaultBranch: true });
    expect(gateAccess(split, 'arn:aws:iam::123456789012:user/ops', 'acme/payments')).toEqual({ allowed: true, reportsDefaultBranch: false });
    expect(gateAccess(split, 'arn:aws:sts::123456789012:assumed-role/ci-acme-pr/run-2', 'acme/payments')).toEqual({ allowed: false, refusal: 'this caller is not configured for acme/payments' });
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

  it("answers 403 to an evaluate-only caller that claims a run of the default branch, before reading or storing anything", async () => {
    // Prepare: a pull request's role, evaluate-only; the table name points nowhere, so any read or write would fail
    vi.stubEnv('BASELINES_TABLE', 'baselines');
    vi.stubEnv('GATE_CALLERS', JSON.stringify({ 'arn:aws:sts::123456789012:assumed-role/ci-acme-pr/*': ['acme/app:evaluate'] }));
    const { handler } = await import('../../../functions/evaluate-gate/handler.js');
    const event = {
      body: JSON.stringify({ repository: 'acme/app', branch: 'main', sha: 'abcdef1', metrics: { coverage_pct: 10 } }),
      isBase64Encoded: false,
      requestContext: { identity: { userArn: 'arn:aws:sts::123456789012:assumed-role/ci-acme-pr/build-7' } },
    } as unknown as APIGatewayProxyEvent;
    // Act
    const response = (await handler(event, {} as never)) as { statusCode: number; body: string };
    // Assert
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).message).toMatch(/may not report runs of acme\/app's default branch \(main\): its GATE_CALLERS entry is evaluate-only/);
  });
});
