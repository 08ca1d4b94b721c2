import type { AlarmDetails, KnowledgeSummary } from '../../../shared/domain/incident.js';
import type { Category, LogLine } from '../../../shared/logs/types.js';
import type { AnalysisInput } from '../../../shared/ports.js';

export function lines(first: number, ...texts: string[]): LogLine[] {
  return texts.map((text, index) => ({ line: first + index, text }));
}

/** A GitHub incident with one failed job whose failure lines are `failure`. */
export function githubInput(
  category: Category,
  failure: LogLine[],
  options: { rules?: string[]; jobName?: string; knowledge?: KnowledgeSummary | null; extraJobs?: AnalysisInput['jobs'] } = {},
): AnalysisInput {
  return {
    incidentId: 'github/acme/shop/123456/1',
    source: 'github',
    repository: 'acme/shop',
    workflowName: 'CI',
    branch: 'feature/cart',
    category,
    failureLines: failure,
    jobs: [
      { name: options.jobName ?? 'build', category, rules: options.rules ?? [], lines: failure },
      ...(options.extraJobs ?? []),
    ],
    alarm: null,
    knowledge: options.knowledge ?? null,
  };
}

export function knowledge(outcomes: KnowledgeSummary['actionOutcomes'], seenBefore = 3): KnowledgeSummary {
  return { matches: [], seenBefore, actionOutcomes: outcomes, summary: `Seen ${seenBefore} times on main.` };
}

export const sampleAlarm: AlarmDetails = {
  name: 'checkout-api-5xx',
  arn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout-api-5xx',
  account: '123456789012',
  region: 'eu-west-1',
  state: 'ALARM',
  previousState: 'OK',
  reason: 'Threshold Crossed: 1 datapoint [12.0 (01/06/25 10:15:00)] was greater than the threshold (5.0).',
  stateChangedAt: '2025-06-01T10:16:02.000Z',
  metric: '5XXError',
  namespace: 'AWS/ApiGateway',
  threshold: 5,
};

export function alarmInput(overrides: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    incidentId: 'cloudwatch/checkout-api-5xx/2025-06-01T10:16:02.000Z',
    source: 'cloudwatch',
    repository: null,
    workflowName: null,
    branch: null,
    category: null,
    failureLines: [],
    jobs: [],
    alarm: sampleAlarm,
    knowledge: null,
    ...overrides,
  };
}

/** A vitest failure, the input most tests start from. */
export function testFailureInput(knowledgeSummary: KnowledgeSummary | null = null): AnalysisInput {
  return githubInput(
    'test_failure',
    lines(
      212,
      ' FAIL  src/cart.test.ts > cart > applies the discount',
      'AssertionError: expected 90 to be 81 // Object.is equality',
      ' ❯ src/cart.test.ts:42:23',
    ),
    { rules: ['vitest.failed'], knowledge: knowledgeSummary },
  );
}

/** A valid model answer for testFailureInput(): its evidence line is verbatim in the input. */
export const goodModelAnswer = {
  rootCause: 'applyDiscount applies the 10% discount twice, so the total is 81 instead of 90.',
  fix: ['Remove the second call to applyDiscount in src/cart.ts.', 'Run npx vitest run src/cart.test.ts.'],
  confidence: 0.85,
  proposedAction: 'comment_only',
  rationale: 'The assertion names the expected and actual totals.',
  evidence: ['AssertionError: expected 90 to be 81 // Object.is equality'],
};
