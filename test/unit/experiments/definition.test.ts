import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors.js';
import { armSignature, storedParams } from '../../../shared/experiments/params.js';
import { parseExperimentInput } from '../../../shared/experiments/store.js';

const metric = { kind: 'recovered_within', minutes: 30 } as const;
const rerun = (name: string, params: Record<string, unknown> = {}) => ({ name, action: 'rerun_failed_jobs', weight: 1, params });

describe('experiment definition: parameters that act', () => {
  it('accepts every supported parameter with its type', () => {
    // Act
    const parsed = parseExperimentInput({
      id: 'all-params',
      variants: [
        rerun('slow-debug', { enableDebugLogging: true, delaySeconds: 300, maxReruns: 2 }),
        {
          name: 'cheap-model',
          action: 'comment_only',
          weight: 1,
          params: { model: 'us.amazon.nova-micro-v1:0', promptVersion: 'analysis-v2-brief', inputTokenBudget: 4000, commentDetail: 'short', escalateBelowConfidence: 0.2 },
        },
      ],
      metric,
    });

    // Assert
    expect(parsed.variants[0]?.params).toEqual({ enableDebugLogging: true, delaySeconds: 300, maxReruns: 2 });
    expect(parsed.variants[1]?.params.model).toBe('us.amazon.nova-micro-v1:0');
  });

  it.each([
    [{ debugLogging: 'true' }, /params: Unrecognized key: "debugLogging"|debugLogging/],
    [{ enableDebugLogging: 'true' }, /enableDebugLogging/],
    [{ delaySeconds: 3601 }, /delaySeconds/],
    [{ delaySeconds: 0 }, /delaySeconds/],
    [{ maxReruns: 6 }, /maxReruns/],
    [{ promptVersion: 'analysis-v9' }, /promptVersion/],
    [{ inputTokenBudget: 100 }, /inputTokenBudget/],
    [{ model: 'x y' }, /model/],
    [{ commentDetail: 'verbose' }, /commentDetail/],
    [{ escalateBelowConfidence: 2 }, /escalateBelowConfidence/],
  ])('refuses params %j, naming the parameter', (params, message) => {
    expect(() => parseExperimentInput({ id: 'bad', variants: [rerun('a'), rerun('b', params)], metric })).toThrow(message);
  });

  it('refuses re-run parameters on an arm that does not re-run (they would be ignored)', () => {
    const input = { id: 'bad', variants: [rerun('a'), { name: 'b', action: 'escalate', weight: 1, params: { enableDebugLogging: true } }], metric };

    expect(() => parseExperimentInput(input)).toThrow(/variants\.1\.params\.enableDebugLogging: only applies to rerun_failed_jobs variants, not escalate/);
  });
});

describe('experiment definition: arms must differ', () => {
  it.each([
    ['the same action without parameters', {}, {}],
    ['the same parameters in another order', { delaySeconds: 60, enableDebugLogging: true }, { enableDebugLogging: true, delaySeconds: 60 }],
    ['debug logging explicitly off against the default', { enableDebugLogging: false }, {}],
  ])('refuses two arms with %s', (_label, a, b) => {
    // Act
    const attempt = () => parseExperimentInput({ id: 'twins', variants: [rerun('first', a), rerun('second', b)], metric });

    // Assert
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/variants first and second are identical \(rerun_failed_jobs, .*\): the arms of an experiment must differ/);
  });

  it('accepts arms that differ in one parameter or in the action', () => {
    expect(() => parseExperimentInput({ id: 'ok', variants: [rerun('a'), rerun('b', { enableDebugLogging: true })], metric })).not.toThrow();
    expect(() =>
      parseExperimentInput({ id: 'ok', variants: [rerun('a'), { name: 'b', action: 'escalate', weight: 1 }], metric }),
    ).not.toThrow();
  });

  it('gives equal signatures only to equal treatments', () => {
    expect(armSignature({ action: 'rerun_failed_jobs', params: { commentDetail: 'full' } })).toBe(armSignature({ action: 'rerun_failed_jobs', params: {} }));
    expect(armSignature({ action: 'rerun_failed_jobs', params: { commentDetail: 'short' } })).not.toBe(armSignature({ action: 'rerun_failed_jobs', params: {} }));
  });
});

describe('stored parameters', () => {
  it('reads typed parameters and drops what was never supported', () => {
    expect(storedParams({ enableDebugLogging: true })).toEqual({ enableDebugLogging: true });
    expect(storedParams({ debugLogging: 'true' })).toEqual({});
    expect(storedParams(undefined)).toEqual({});
  });
});
