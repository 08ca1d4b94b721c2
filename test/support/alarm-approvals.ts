import { expect } from 'vitest';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { loadAlarmEvent } from '../../infra/local/replay.js';
import type { stepDeps } from './fakes.js';

/*
 * An alarm mapped to a runbook that waits for approval, driven through the stages one state change at a time: the
 * e-mailed approval requests' tests (test/unit/steps/approval-requests.test.ts, test/attack/pass-16-approval-claims.test.ts).
 */

/** The fixture's alarm (or one renamed) entering ALARM at `at`, planned and asking for approval with `token`. */
export async function askedAt(deps: ReturnType<typeof stepDeps>['deps'], at: string, token: string, alarmName?: string) {
  const trigger = alarmTriggerAt(at, alarmName);
  deps.clock = () => new Date(at);
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  expect(await remediateStep({ trigger }, deps)).toMatchObject({ action: 'run_runbook', awaitingApproval: true });
  await notifyStep({ trigger, approvalRequest: { taskToken: token } }, deps);
  return trigger;
}

/** The trigger of the fixture's alarm (or one renamed) entering ALARM at `at`. */
export function alarmTriggerAt(at: string, alarmName?: string) {
  const event = structuredClone(loadAlarmEvent('alarm-state-alarm')) as Record<string, any>;
  event.time = at;
  event.detail.state.timestamp = at;
  if (alarmName) {
    event.detail.alarmName = alarmName;
    event.resources = [String(event.resources[0]).replace(/alarm:.*$/, `alarm:${alarmName}`)];
  }
  return alarmTriggerFromEvent(alarmEventSchema.parse(event));
}

/** The e-mailed task tokens, in order. */
export const mailedTokens = (published: ReturnType<typeof stepDeps>['published']) => published.flatMap((p) => p.message.match(/--task-token '([^']+)'/)?.[1] ?? []);

/** The fixture's alarm returning to OK at `at`. */
export async function recoveredAt(deps: ReturnType<typeof stepDeps>['deps'], at: string) {
  const event = structuredClone(loadAlarmEvent('alarm-state-ok')) as Record<string, any>;
  event.time = at;
  event.detail.state.timestamp = at;
  deps.clock = () => new Date(at);
  await recordAlarmRecovery(event, deps as never);
}
