import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BackAtWait, startLocalWorkflow } from '../../../infra/local/local-workflow.js';
import { createSfnTaskControl } from '../../../shared/adapters/sfn.js';
import { TaskNotWaitingYetError, TaskTokenSpentError } from '../../../shared/errors.js';
import { memoryRegistry } from '../../support/execution-registry.js';
import { awaitApprovalAslFile, endedWaitOnRecord, localSfnClient, waitingInput } from '../../support/await-approval-machine.js';

/**
 * The local Step Functions' answer to a task token whose wait timed out while its execution still runs (its Catch
 * path, Notify, under way): Step Functions answers TaskTimedOut. Was: accepted (200), so a `/guard approve` a moment
 * after the timeout got its 👍 and "carried out" while the execution went on to escalate, applying nothing.
 */
const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:timeout-test';

/**
 * A task's calls as events, for a task held mid-way (the workflow is then neither idle nor parked): the task calls
 * `called` once it noted what it was given, and `until` resolves at the first call (or at once) that makes `check`
 * true. Elsewhere the tests wait on the runtime's `idle`. No timeout of its own: a machine under load is slower, not
 * wrong, and an event that never comes fails the test at its own timeout.
 */
function taskCalls() {
  let wake: () => void = () => {};
  let next = new Promise<void>((resolve) => { wake = resolve; });
  return {
    called(): void {
      const woken = wake;
      next = new Promise<void>((resolve) => { wake = resolve; });
      woken();
    },
    async until(check: () => boolean): Promise<void> {
      while (!check()) await next;
    },
  };
}

/** Resolves once the clock has passed `ms` (a timer may fire a millisecond early by the clock: then it waits again). */
async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setTimeout(resolve, ms + 1 - Date.now()));
}

describe('local Step Functions: a task token whose wait timed out', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it('is answered TaskTimedOut while the execution runs on, as Step Functions answers it', async () => {
    // Prepare: a wait of 1 second; its Catch path (Notify) holds until released.
    let token: string | null = null;
    let notified: { approvalError?: unknown } | null = null;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    const calls = taskCalls();
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(),
      substitutions: {},
      stateMachineArn: STATE_MACHINE,
      registry: memoryRegistry(),
      retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async (input) => { token = (input as { Payload: { approvalRequest: { taskToken: string } } }).Payload.approvalRequest.taskToken; return {}; } },
      tasks: { Notify: async (input) => { notified = input as { approvalError?: unknown }; calls.called(); await held; return {}; } },
    });
    close = async () => { release(); await workflow.close(); };
    const client = localSfnClient(workflow.endpoint);
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'late-approval', input: waitingInput(1) }));
    await calls.until(() => notified !== null);

    // Act: the approval comes once the wait timed out, while Notify runs.
    const answer = createSfnTaskControl(client).succeed(token as unknown as string, { approvedBy: 'maintainer' });

    // Assert
    await expect(answer).rejects.toBeInstanceOf(TaskTokenSpentError);
    expect(notified).toMatchObject({ approvalError: { Error: 'States.Timeout' } });
  }, 15_000);

  it("evaluates the ASL's $$.State.EnteredTime, a context node the interpreter does not keep, as the state is entered", async () => {
    // Prepare
    const payloads: Array<{ waitStartedAt?: unknown }> = [];
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry: memoryRegistry(), retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async (input) => { payloads.push((input as { Payload: { waitStartedAt?: unknown } }).Payload); return {}; } },
      tasks: { Notify: async () => ({}) },
    });
    close = () => workflow.close();
    const client = localSfnClient(workflow.endpoint);
    const before = Date.now();

    // Act
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'entered-time', input: waitingInput(60) }));

    // Assert: an ISO 8601 time, as Step Functions gives it, taken when AwaitApproval was entered (not a failed execution).
    await workflow.idle();
    expect(payloads).toHaveLength(1);
    const entered = Date.parse(String(payloads[0]?.waitStartedAt));
    expect(new Date(entered).toISOString()).toBe(payloads[0]?.waitStartedAt);
    expect(entered).toBeGreaterThanOrEqual(before);
    expect(entered).toBeLessThanOrEqual(Date.now());
  }, 15_000);

  it("gives a retried state's attempts the context object's State node AWS documents: its Name, its RetryCount, and the EnteredTime of its entry", async () => {
    // Prepare: the approval request fails once (a RetryableError, which AwaitApproval retries) and is asked again.
    const requests: Array<{ stateName?: unknown; Payload: { waitStartedAt?: unknown; waitRetryCount?: unknown } }> = [];
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile({ retried: true }), substitutions: {}, stateMachineArn: STATE_MACHINE, registry: memoryRegistry(), retryDelayMs: 50,
      tokenTasks: {
        AwaitApproval: async (input) => {
          requests.push(input as (typeof requests)[number]);
          if (requests.length === 1) throw Object.assign(new Error('GitHub answered 502'), { name: 'RetryableError' });
          return {};
        },
      },
      tasks: { Notify: async () => ({}) },
    });
    close = () => workflow.close();
    const client = localSfnClient(workflow.endpoint);

    // Act
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'retried-request', input: waitingInput(60) }));

    // Assert: the retry is counted, and both attempts name the state and its one entry (a retry does not enter the
    // state again: the interpreter, as Step Functions' history, has one StateEntered for the state and its retries).
    await workflow.idle();
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => [r.stateName, r.Payload.waitRetryCount])).toEqual([['AwaitApproval', 0], ['AwaitApproval', 1]]);
    expect(requests[1]?.Payload.waitStartedAt).toBe(requests[0]?.Payload.waitStartedAt);
  }, 15_000);

  it('ends a wait resumed after a restart when it began, not a whole timeout after the restart', async () => {
    // Prepare: a wait of 5 seconds, cut off by a restart 2 seconds in (the runtime stops; its record stays running).
    const registry = memoryRegistry();
    const starts: string[] = [];
    let notified: { approvalError?: unknown } | null = null;
    let notifiedAt = 0;
    const calls = taskCalls();
    const options = {
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async (_input: unknown, wait?: { startedAt: string }) => { starts.push(String(wait?.startedAt)); return {}; } },
      tasks: { Notify: async (input: unknown) => { notified = input as { approvalError?: unknown }; notifiedAt = Date.now(); calls.called(); return {}; } },
    };
    const first = await startLocalWorkflow(options);
    const client = localSfnClient(first.endpoint);
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'resumed-wait', input: waitingInput(5) }));
    await first.idle();
    expect(starts).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await first.close();

    // Act: the runtime starts again and resumes the execution, back at its wait (its request made again).
    const second = await startLocalWorkflow(options);
    const timers = trackLongTimers(100);
    close = async () => { timers.restore(); await second.close(); };
    const resumedAt = Date.now();
    await second.resumeRunning();
    await calls.until(() => notified !== null);
    const armedOnResume = timers.everArmed();
    timers.restore();

    // Assert: the request made again is told when the wait began; every timer armed from the restart until the wait
    // ended (one armed late, after the request, included) is for at most what was left of the wait at the restart. A
    // whole timeout after the restart (the wait's own 5 s, or the interpreter's TimeoutSecondsPath timer, which is
    // pushed past the wait) is longer. The timeout comes no earlier than the wait's end. No upper bound on when it
    // comes: a loaded machine delays a correct timer by any amount, so the timers' delays, not the clock, tell a wait
    // counted from the restart.
    expect(notified).toMatchObject({ approvalError: { Error: 'States.Timeout' } });
    expect(starts).toHaveLength(2);
    expect(starts[1]).toBe(starts[0]);
    expect(Number.isFinite(Date.parse(starts[0]!))).toBe(true);
    const end = Date.parse(starts[0]!) + 5_000;
    expect(armedOnResume.filter((ms) => ms > end - resumedAt && ms <= 5_000)).toEqual([]);
    expect(notifiedAt).toBeGreaterThanOrEqual(end);
  }, 30_000);
});

/**
 * The timers of `minMs` or more (a wait's, not the runtime's short polls) armed from now on: `armed`, those not yet
 * fired or cleared, and `everArmed`, all of them, by delay in ms. `restore` puts the real setTimeout and clearTimeout back.
 */
function trackLongTimers(minMs: number) {
  const armed = new Map<unknown, number>();
  const everArmed: number[] = [];
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = realSet((...given: unknown[]) => { armed.delete(handle); callback(...given); }, ms, ...args);
    if ((ms ?? 0) >= minMs) {
      armed.set(handle, ms ?? 0);
      everArmed.push(ms ?? 0);
    }
    return handle;
  }) as typeof setTimeout);
  const clear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle?: NodeJS.Timeout) => { armed.delete(handle); realClear(handle); }) as typeof clearTimeout);
  return { armed: () => [...armed.values()], everArmed: () => [...everArmed], restore: () => { set.mockRestore(); clear.mockRestore(); } };
}

describe('local Step Functions: one timer owns an approval wait’s end', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it('lets one timer end a wait, and a runtime that stops leaves none armed', async () => {
    // Prepare: a wait of a minute, parked.
    const timers = trackLongTimers(10_000);
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry: memoryRegistry(), retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async () => ({}) },
      tasks: { Notify: async () => ({}) },
    });
    close = async () => { timers.restore(); await workflow.close(); };
    await localSfnClient(workflow.endpoint).send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'one-timer', input: waitingInput(60) }));
    await workflow.idle();
    expect(workflow.waiting()).toBe(1);

    // Assert: one timer ends the wait (the interpreter's TimeoutSecondsPath timer, armed as it entered the state, was
    // a second, and ended a resumed wait's state a whole timeout after the restart unless the first came before).
    expect(timers.armed().filter((ms) => ms <= 60_000)).toEqual([expect.closeTo(60_000, -3)]);

    // Act: the runtime stops with the execution parked (the next start resumes it from its record).
    await workflow.close();
    close = async () => timers.restore();

    // Assert: nothing of the stopped runtime fires later (its timer ended the wait on record when it fired).
    expect(timers.armed()).toEqual([]);
  }, 15_000);

  it('times a resumed wait out once, at the end it began with', async () => {
    // Prepare: a wait of 3 seconds, cut off by a restart 1 second in.
    const registry = memoryRegistry();
    let waitsEnded = 0;
    const timeouts: number[] = [];
    const starts: string[] = [];
    const calls = taskCalls();
    const options = {
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, retryDelayMs: 1,
      registry: { ...registry, endWait: async (name: string) => { waitsEnded += 1; await registry.endWait(name); } },
      tokenTasks: { AwaitApproval: async (_input: unknown, wait?: { startedAt: string }) => { starts.push(String(wait?.startedAt)); return {}; } },
      tasks: { Notify: async (input: unknown) => { if ((input as { approvalError?: unknown }).approvalError) timeouts.push(Date.now()); calls.called(); return {}; } },
    };
    const first = await startLocalWorkflow(options);
    await localSfnClient(first.endpoint).send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'resumed-once', input: waitingInput(3) }));
    await first.idle();
    expect(starts).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await first.close();

    // Act
    const second = await startLocalWorkflow(options);
    const timers = trackLongTimers(100);
    close = async () => { timers.restore(); await second.close(); };
    const resumedAt = Date.now();
    await second.resumeRunning();
    const end = Date.parse(starts[0]!) + 3_000;
    await calls.until(() => timeouts.length > 0);
    const armedOnResume = timers.everArmed();
    timers.restore();
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Assert: one timeout, at the wait's end (not before it; no timer armed for longer than what was left of the wait
    // at the restart, which a timeout counted from the restart is); the wait ended once (a timer the stopped runtime
    // left ended it again).
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]).toBeGreaterThanOrEqual(end);
    expect(armedOnResume.filter((ms) => ms > end - resumedAt && ms <= 3_000)).toEqual([]);
    expect(waitsEnded).toBe(1);
  }, 30_000);
});

/**
 * A decision sent with the token of an execution the runtime restarted, before the execution is back at its wait (it
 * runs again from its first state). Was: TaskDoesNotExist, which the reconciler takes for a spent token: it forgot an
 * e-mailed approval it had carried over, and the wait later timed out and paged although on-call had answered.
 */
describe('local Step Functions: the token of a wait cut off by a restart', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it('is answered TaskNotWaitingYet until the restarted execution is back at its wait, then decides it, then is spent', async () => {
    // Prepare: an execution parked at its wait, and the runtime stopped (its record stays running, its wait recorded).
    const registry = memoryRegistry();
    let token = '';
    let approval: unknown = null;
    let release: () => void = () => {};
    const prepared = { held: Promise.resolve() };
    const options = {
      aslPath: awaitApprovalAslFile({ prepare: true }), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async (input: unknown) => { token = (input as { Payload: { approvalRequest: { taskToken: string } } }).Payload.approvalRequest.taskToken; return {}; } },
      tasks: { Prepare: async () => { await prepared.held; return {}; }, Notify: async (input: unknown) => { approval = (input as { approval?: unknown }).approval ?? null; return {}; } },
    };
    const first = await startLocalWorkflow(options);
    await localSfnClient(first.endpoint)
      .send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'restarted-wait', input: waitingInput(600) }));
    await first.idle();
    expect(first.waiting()).toBe(1);
    await first.close();
    prepared.held = new Promise<void>((resolve) => { release = resolve; });
    const second = await startLocalWorkflow(options);
    close = async () => { release(); await second.close(); };
    await second.resumeRunning();
    const tasks = createSfnTaskControl(localSfnClient(second.endpoint));

    // Act: a decision while the execution runs again before its wait; another once it is back at it; a third after.
    const early = await tasks.succeed(token, { approvedBy: 'oncall-ana' }).then(() => 'taken', (error: unknown) => error);
    release();
    await second.idle();
    expect(second.waiting()).toBe(1);
    await tasks.succeed(token, { approvedBy: 'oncall-ana' });
    await second.idle();
    expect(approval).toEqual({ approvedBy: 'oncall-ana' });
    const late = await tasks.succeed(token, { approvedBy: 'oncall-ana' }).then(() => 'taken', (error: unknown) => error);

    // Assert: not yet (the decision is to be sent again), then taken, then spent.
    expect(early).toBeInstanceOf(TaskNotWaitingYetError);
    expect(late).toBeInstanceOf(TaskTokenSpentError);
  }, 20_000);
});

/**
 * A decision taken in time for a wait cut off by a restart, whose wait then ended before the restarted execution was
 * back at it (session 43): the decision sent while the execution ran again up to its wait was refused as not waiting
 * yet, to be sent once it is back (onBackAtWait), or the decision was kept while the request ran and the runtime
 * stopped before the wait took it. The wait timed out as if nobody had answered.
 */
describe('local Step Functions: a wait that ended while its restarted execution was not back at it', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it('is answered by the decision taken in time, sent as the execution is back at its wait', async () => {
    // Prepare: an execution parked at a wait of 2 seconds, and the runtime stopped (its record stays running).
    const registry = memoryRegistry();
    let token = '';
    let notified: { approval?: unknown; approvalError?: unknown } | null = null;
    let release: () => void = () => {};
    const prepared = { held: Promise.resolve() };
    let tasks: ReturnType<typeof createSfnTaskControl> | null = null;
    const backAtWait: string[] = [];
    const options = {
      aslPath: awaitApprovalAslFile({ prepare: true }), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async (input: unknown) => { token = (input as { Payload: { approvalRequest: { taskToken: string } } }).Payload.approvalRequest.taskToken; return {}; } },
      tasks: { Prepare: async () => { await prepared.held; return {}; }, Notify: async (input: unknown) => { notified = input as typeof notified; return {}; } },
      // The runtime's resume of a decision recorded while the execution was not back at its wait: handed in to the
      // ended wait's own `answer` (session 43: over the API it arrives after the wait's end and is refused).
      onBackAtWait: async (wait: BackAtWait) => { backAtWait.push(wait.token); await (wait.answer ?? tasks)?.succeed(wait.token, { approvedBy: 'oncall-ana' }); },
    };
    const first = await startLocalWorkflow(options);
    await localSfnClient(first.endpoint)
      .send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'ended-while-away', input: waitingInput(2) }));
    await first.idle();
    expect(first.waiting()).toBe(1);
    const endsAt = Date.parse(String((await registry.get('ended-while-away'))?.waitStartedAt)) + 2_000;
    await first.close();
    prepared.held = new Promise<void>((resolve) => { release = resolve; });
    const second = await startLocalWorkflow(options);
    close = async () => { release(); await second.close(); };
    tasks = createSfnTaskControl(localSfnClient(second.endpoint));
    await second.resumeRunning();

    // Act: the decision comes in time, while the execution runs again before its wait; the wait ends before it is back.
    const early = await tasks.succeed(token, { approvedBy: 'oncall-ana' }).then(() => 'taken', (error: unknown) => error);
    await clockPast(endsAt + 200);
    release();

    // Assert: refused as not waiting yet, then sent as the execution is back, and the wait's answer.
    await second.idle();
    expect(early).toBeInstanceOf(TaskNotWaitingYetError);
    expect(backAtWait).toEqual([token]);
    expect(notified).toMatchObject({ approval: { approvedBy: 'oncall-ana' } });
    expect(notified).not.toHaveProperty('approvalError');
  }, 20_000);

  it('is answered by the decision kept while its request ran, when the runtime was killed before the wait took it', async () => {
    // Prepare: what a runtime killed (kill -9) while the request still ran leaves on record: the execution running, its
    // wait's start (2 seconds ago, for a wait of 1 second), and the decision taken meanwhile.
    const registry = memoryRegistry();
    const name = 'killed-mid-request';
    await endedWaitOnRecord(registry, STATE_MACHINE, name);
    await registry.keepDecision(name, { output: { approvedBy: 'oncall-ana' } });
    let requests = 0;
    let notified: { approval?: unknown; approvalError?: unknown } | null = null;
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async () => { requests += 1; return {}; } },
      tasks: { Notify: async (input) => { notified = input as typeof notified; return {}; } },
    });
    close = () => workflow.close();

    // Act
    await workflow.resumeRunning();
    await workflow.idle();

    // Assert: the kept decision is the wait's answer; nobody is asked again (as for any wait that ended meanwhile).
    expect(notified).toMatchObject({ approval: { approvedBy: 'oncall-ana' } });
    expect(notified).not.toHaveProperty('approvalError');
    expect(requests).toBe(0);
  }, 15_000);
});

/**
 * A token state whose request fails and is retried (AwaitApproval retries Notify's RetryableError, GitHub's outages,
 * the write budget). Step Functions makes a task token as a workflow enters a task state, and a retried attempt is a
 * new task with a new token; the failed attempt's token is refused from then on. Was (until session 41): the local
 * runtime kept one token per execution, so a decision sent with the failed attempt's token after the retry decided the
 * retried wait, which in AWS it cannot.
 */
describe('local Step Functions: a retried token state', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it("gives the retried attempt a new task token, as Step Functions does: the failed attempt's is spent, the new one decides and is the one a resume waits on", async () => {
    // Prepare: the approval request fails once and is asked again.
    const registry = memoryRegistry();
    const tokens: string[] = [];
    let approval: unknown = null;
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile({ retried: true }), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 50,
      tokenTasks: {
        AwaitApproval: async (input) => {
          tokens.push((input as { Payload: { approvalRequest: { taskToken: string } } }).Payload.approvalRequest.taskToken);
          if (tokens.length === 1) throw Object.assign(new Error('GitHub answered 502'), { name: 'RetryableError' });
          return {};
        },
      },
      tasks: { Notify: async (input) => { approval = (input as { approval?: unknown }).approval ?? null; return {}; } },
    });
    close = () => workflow.close();
    const client = localSfnClient(workflow.endpoint);
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'retried-token', input: waitingInput(60) }));
    await workflow.idle();
    expect(workflow.waiting()).toBe(1);
    const recorded = (await registry.get('retried-token'))?.taskToken;
    const tasks = createSfnTaskControl(client);

    // Act: a decision with the failed attempt's token, then one with the retry's.
    const old = await tasks.succeed(tokens[0] as string, { approvedBy: 'oncall-ana' }).then(() => 'taken', (error: unknown) => error);
    await tasks.succeed(tokens[1] as string, { approvedBy: 'oncall-bob' });

    // Assert
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(recorded).toBe(tokens[1]);
    expect(old).toBeInstanceOf(TaskTokenSpentError);
    await workflow.idle();
    expect(approval).toEqual({ approvedBy: 'oncall-bob' });
  }, 15_000);
});

/**
 * A decision taken while a request ran is kept for the retry's wait (`carriedDecision`). When no retry waits again (the
 * retries ran out, the execution went on along its Catch path and ended), it was kept on the execution's record for
 * good, ready to answer a later wait of that record that it was never given for (session 43).
 */
describe('local Step Functions: a decision kept for a request that failed for good', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it.each([
    ['SUCCEEDED', async () => ({})],
    ['FAILED', async () => { throw Object.assign(new Error('SNS is down'), { name: 'InternalErrorException' }); }],
  ] as const)('is forgotten when the execution ends (%s)', async (status, notify) => {
    // Prepare: every attempt of the request fails; the first is answered while it runs.
    const registry = memoryRegistry();
    const tokens: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    const calls = taskCalls();
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile({ retried: true }), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 20,
      tokenTasks: {
        AwaitApproval: async (input) => {
          tokens.push((input as { Payload: { approvalRequest: { taskToken: string } } }).Payload.approvalRequest.taskToken);
          calls.called();
          if (tokens.length === 1) await held;
          throw Object.assign(new Error('GitHub answered 502'), { name: 'RetryableError' });
        },
      },
      tasks: { Notify: notify },
    });
    close = async () => { release(); await workflow.close(); };
    const client = localSfnClient(workflow.endpoint);
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: `kept-${status}`, input: waitingInput(60) }));
    await calls.until(() => tokens.length === 1);
    await createSfnTaskControl(client).succeed(tokens[0] as string, { approvedBy: 'oncall-ana' });
    expect((await registry.get(`kept-${status}`))?.carriedDecision).toEqual({ output: { approvedBy: 'oncall-ana' } });

    // Act
    release();
    await workflow.idle();

    // Assert
    expect((await registry.get(`kept-${status}`))?.status).toBe(status);
    expect(tokens).toHaveLength(2);
    expect((await registry.get(`kept-${status}`))?.carriedDecision).toBeUndefined();
  }, 15_000);
});

describe('local Step Functions: a token wait begun with a head start (tests: tokenWaitHeadStartMs)', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  /** A workflow whose waits begin `headStartMs` into their timeout; what its request and Notify were given, and a wait for Notify. */
  async function startWithHeadStart(headStartMs: number) {
    const seen: { asked: number | null; startedAt: string | null; notified: { approvalError?: unknown } | null; notifiedAt: number | null } = { asked: null, startedAt: null, notified: null, notifiedAt: null };
    const calls = taskCalls();
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry: memoryRegistry(), retryDelayMs: 1, tokenWaitHeadStartMs: headStartMs,
      tokenTasks: { AwaitApproval: async (_input, wait) => { seen.asked = Date.now(); seen.startedAt = wait.startedAt; return {}; } },
      tasks: { Notify: async (input) => { seen.notifiedAt = Date.now(); seen.notified = input as { approvalError?: unknown }; calls.called(); return {}; } },
    });
    close = () => workflow.close();
    return { seen, client: localSfnClient(workflow.endpoint), notified: () => calls.until(() => seen.notified !== null) };
  }

  it('ends a one-minute wait the head start sooner, at the end its recorded start gives', async () => {
    // Prepare: 58.5 of the wait's 60 seconds over as it begins.
    const { seen, client, notified } = await startWithHeadStart(58_500);

    // Act: nobody answers.
    const executionStarted = Date.now();
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'head-start', input: waitingInput(60) }));
    await notified();

    // Assert: the start handed to the request is the head start before a moment between the execution's start and
    // the request (not how long that took), and the wait timed out at that start's end (60 s after it), not before:
    // the one start every reading of the end counts from.
    const start = Date.parse(String(seen.startedAt));
    expect(start + 58_500).toBeGreaterThanOrEqual(executionStarted);
    expect(start + 58_500).toBeLessThanOrEqual(seen.asked as number);
    expect(seen.notifiedAt as number).toBeGreaterThanOrEqual(start + 60_000);
    expect(seen.notified).toMatchObject({ approvalError: { Error: 'States.Timeout' } });
  }, 15_000);

  it('refuses a head start as long as the wait, which would begin over, and asks nobody', async () => {
    const { seen, client, notified } = await startWithHeadStart(60_000);

    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'head-start-too-long', input: waitingInput(60) }));
    await notified();

    expect(seen.notified).toMatchObject({ approvalError: { Error: 'RangeError' } });
    expect(seen.asked).toBeNull();
  }, 15_000);
});
