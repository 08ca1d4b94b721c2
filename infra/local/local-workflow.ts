import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StateMachine } from 'aws-local-stepfunctions';
import { ConfigError, TaskTokenSpentError } from '../../shared/errors.js';
import type { TaskTokenControl } from '../../shared/ports.js';
import { fromWebPage } from './loopback-requests.js';

/** Task implementation for the local run: the same handler export a Lambda would run, or a service stand-in. */
export type LocalTask = (input: unknown) => Promise<unknown>;

/** A `.waitForTaskToken` task: also told when the wait it asks for began (`startedAt`, ISO 8601). */
export type LocalTokenTask = (input: unknown, wait: { startedAt: string }) => Promise<unknown>;

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startedAt: string;
  stoppedAt: string | null;
  error: string | null;
  /** The execution input as JSON: a resumed execution starts again from it. */
  input: string;
  /**
   * The execution's task token, kept so a resumed execution waits on the token its approval request already sent
   * (in Step Functions a waiting execution keeps its token); absent in records written before it was kept.
   */
  taskToken?: string;
  /**
   * When the execution's current token wait began, kept until the wait ends so a resumed execution's wait ends when
   * it would have without the restart (in Step Functions a waiting execution keeps its wait, timer and all).
   */
  waitStartedAt?: string;
  /**
   * A decision taken for the wait while its request still ran, kept until the wait ends: the answer of the retry's
   * wait should that request fail, or of the resumed wait should the runtime stop before it ends. Held in memory only
   * (until session 42), it was lost by a restart between the failure and the retry's wait. Forgotten as the execution
   * ends, however it ends (session 43).
   */
  carriedDecision?: StoredDecision;
}

/** A {@link Decision} as the registry keeps it: SendTaskSuccess's output, or SendTaskFailure's error name and cause. */
export type StoredDecision = { output: unknown } | { error: { name: string; message: string } };

export interface ExecutionRegistry {
  /** Records a new execution name; false when the name was used before (Step Functions' ExecutionAlreadyExists). */
  claim(record: ExecutionRecord): Promise<boolean>;
  /**
   * Records the execution ended, and forgets the decision kept for its wait (`carriedDecision`) in the same write: kept
   * for a retry that never waited (the retries ran out, the Catch path ran on), it stayed on record for good, an answer
   * to no request it was given for (session 43).
   */
  finish(name: string, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED', error: string | null): Promise<void>;
  get(name: string): Promise<ExecutionRecord | null>;
  /** Executions recorded as running: after a crash, the ones that were cut off. */
  running(): Promise<ExecutionRecord[]>;
  /** Records `at` as the start of the execution's token wait unless one is recorded; answers the recorded start. */
  startWait(name: string, at: string): Promise<string>;
  /**
   * Forgets the execution's token wait: it ended (decided, timed out, or its request failed and is asked again). A
   * failed request's retry waits on a new token (`nextToken`), kept as the execution's token for a resume, and keeps
   * the decision taken while that request ran; the end of a wait (no `nextToken`) forgets it.
   */
  endWait(name: string, nextToken?: string): Promise<void>;
  /** Keeps a decision taken for the execution's wait while its request still runs (`carriedDecision`). */
  keepDecision(name: string, decision: StoredDecision): Promise<void>;
}

/**
 * The seconds a token state waits, read as the interpreter reads them: its `TimeoutSeconds`, or its
 * `TimeoutSecondsPath` (a `$.a.b` path) on the task's input (after `Parameters`). Null when it has neither, or the
 * path names no number.
 */
function timeoutOf(state: { TimeoutSeconds?: unknown; TimeoutSecondsPath?: unknown } | undefined, input: unknown): number | null {
  if (typeof state?.TimeoutSeconds === 'number') return state.TimeoutSeconds;
  const path = state?.TimeoutSecondsPath;
  if (typeof path !== 'string' || !/^\$(\.[A-Za-z_][\w]*)+$/.test(path)) return null;
  let value: unknown = input;
  for (const key of path.slice(2).split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' && value > 0 ? value : null;
}

/** The context object's `State` node as AWS documents it (docs.aws.amazon.com/step-functions, "Context object"). */
interface StateNode {
  EnteredTime: string;
  Name: string;
  RetryCount: number;
}

/** Where the interpreter's copy of the definition reads a state's `State` node: this execution's node of that state. */
const STATE_NODES = 'StateOf';

/**
 * The context object's `State` node, which the interpreter does not keep (a path into it fails the execution), for one
 * execution: a node per state (each state's `$$.State.` paths read its own, see {@link withStatePaths}). The
 * interpreter reads a state's Parameters as it enters the state and again before each retry; what the state's task
 * did since tells the two apart: after its task failed the read is a retry (the interpreter reads nothing else between
 * a failure and its retry), otherwise a new entry. EnteredTime is the entry's, kept across its retries: a retry does
 * not enter the state again (the interpreter, like Step Functions' execution history, has one StateEntered per entry);
 * AWS does not document which of the two it gives a retry, and Notify depends on neither (shared/steps/notify.ts).
 * States run one at a time in an execution of this pipeline (no Parallel or Map). A state entered again right after
 * its task failed and was caught, through states that read no `$$.State`, is taken for a retry: the pipeline has no
 * such loop.
 */
function executionStateNodes(stateNames: string[]) {
  let current: { state: string; enteredAt: string; retryCount: number; called: boolean; failed: boolean } | null = null;
  /** The attempt of `state` a read of its node (`calling` false) or a call of its task (true) belongs to. */
  const attemptOf = (state: string, calling: boolean) => {
    if (current?.state === state && current.failed) return { ...current, retryCount: current.retryCount + 1, called: calling, failed: false };
    if (current?.state === state && !current.called) return { ...current, called: calling };
    return { state, enteredAt: new Date().toISOString(), retryCount: 0, called: calling, failed: false };
  };
  const nodes: Record<string, StateNode> = {};
  for (const name of stateNames) {
    Object.defineProperty(nodes, name, {
      enumerable: true,
      get: (): StateNode => {
        const attempt = attemptOf(name, false);
        current = attempt;
        return { EnteredTime: attempt.enteredAt, Name: name, RetryCount: attempt.retryCount };
      },
    });
  }
  return {
    nodes,
    /** Runs the task of `state`, noting its call and its failure, which tell its next read a retry from an entry. */
    async track<T>(state: string, task: () => Promise<T>): Promise<T> {
      current = attemptOf(state, true);
      try {
        return await task();
      } catch (error) {
        if (current?.state === state) current.failed = true;
        throw error;
      }
    },
  };
}

/**
 * The definition with each state's `$$.State` paths in its Parameters pointed at its own node
 * (`$$.StateOf['<state>']`, {@link executionStateNodes}), so a read knows which state it is for. A state whose name
 * holds a quote keeps its paths (and fails on them, as before).
 */
function withStatePaths(definition: { States: Record<string, object> }) {
  const point = (value: unknown, state: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => point(item, state));
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [
      key,
      key.endsWith('.$') && typeof inner === 'string' && /^\$\$\.State(\.|$)/.test(inner) ? `$$.${STATE_NODES}['${state}']${inner.slice('$$.State'.length)}` : point(inner, state),
    ]));
  };
  const States = Object.fromEntries(Object.entries(definition.States).map(([name, state]) => {
    const parameters = (state as { Parameters?: unknown }).Parameters;
    return [name, parameters === undefined || name.includes("'") ? state : { ...state, Parameters: point(parameters, name) }];
  }));
  return { ...definition, States };
}

/**
 * The timeout the interpreter's own timer gives a token state: the most one Node timer holds (2^31-1 ms, about 24
 * days), past any approval wait (7 days at most). The wait's end is its token task's timer's, counted from the start
 * kept across restarts. The interpreter's, armed as it enters the state, ended the same wait a second time: a wait
 * resumed after a restart had both, and a stopped runtime left both armed. The same for a task that enforces its own
 * time limit (`selfTimedTasks`): the interpreter's timer raced the attempt, failing the state with States.Timeout
 * (which only its Catch matches) while the attempt still ran beside the Catch path (session 43).
 */
const INTERPRETER_TOKEN_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** The definition the interpreter runs: the same, with the timeouts of `states` left to their tasks' timers. */
function timedByTheirTasks(definition: { States: Record<string, object> }, states: readonly string[]) {
  const States = { ...definition.States };
  for (const name of states) {
    const state: Record<string, unknown> = { ...States[name], TimeoutSeconds: INTERPRETER_TOKEN_TIMEOUT_SECONDS };
    delete state.TimeoutSecondsPath;
    States[name] = state;
  }
  return { ...definition, States };
}

/** The definitions (as JSON) this process found valid: validation is a function of the definition alone. */
const validDefinitions = new Set<string>();

/** The options the definitions are validated with (part of what a kept verdict is a verdict on). */
const VALIDATION_OPTIONS = { checkArn: false } as const;

/**
 * What a kept verdict was given by: aws-local-stepfunctions, which calls the validator with its own defaults under
 * {@link VALIDATION_OPTIONS} (3.0.0: `checkArn` and `checkPaths` on) — an upgrade may change those defaults or add
 * checks, and a verdict named by the validator's version alone then passed a definition the new stand-in refuses —
 * and the asl-validator it loads (resolved from the stand-in, not from this file: a copy nested under it is the one
 * that validates). Read once a process; the stand-in's package.json is not in its `exports`, so found from its entry.
 */
let versions: Record<string, string> | undefined;
export function validatorVersions(): Record<string, string> {
  if (versions) return versions;
  const entry = createRequire(import.meta.url).resolve('aws-local-stepfunctions');
  const standIn = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { name: string; version: string };
  if (standIn.name !== 'aws-local-stepfunctions') throw new ConfigError(`aws-local-stepfunctions' package.json not found beside ${entry}`);
  const validator = createRequire(entry)('asl-validator/package.json') as { version: string };
  versions = { 'aws-local-stepfunctions': standIn.version, 'asl-validator': validator.version };
  return versions;
}

/**
 * Where a process leaves the verdict "valid" for the next: an empty file named by the hash of what validated it
 * ({@link validatorVersions}), its options and the definition (`node_modules/.cache`, the checkout's own cache, as
 * other build tools keep theirs).
 */
const VERDICTS = fileURLToPath(new URL('../../node_modules/.cache/pipeline-guard/valid-asl/', import.meta.url));
export function verdictPath(text: string, by: Record<string, string> = validatorVersions()): string {
  return join(VERDICTS, createHash('sha256').update(`${JSON.stringify(by)}\n${JSON.stringify(VALIDATION_OPTIONS)}\n${text}`).digest('hex'));
}

/**
 * The interpreter for `definition`, validated against the ASL schema unless this process, or an earlier one of this
 * checkout, found the same definition valid with the same validator and options: the validator compiles its JSON
 * schema on every call (~0.5 s of CPU, most of a runtime's start), a test process starts the runtime on the same
 * definition dozens of times, and each test file that starts one is a process of its own (session 70: ~47 files,
 * and every `npm start` child of the crash tests). Only a valid verdict is kept, so an invalid definition is refused
 * every time; a cache that cannot be written is validated again next time.
 */
export function validatedStateMachine(definition: object): StateMachine {
  const text = JSON.stringify(definition);
  if (validDefinitions.has(text)) return new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  const verdict = verdictPath(text);
  if (existsSync(verdict)) {
    validDefinitions.add(text);
    return new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  }
  const machine = new StateMachine(definition as never, { validationOptions: VALIDATION_OPTIONS });
  validDefinitions.add(text);
  try {
    mkdirSync(VERDICTS, { recursive: true });
    writeFileSync(verdict, '');
  } catch {
    // A read-only checkout: the next process validates it again.
  }
  return machine;
}

/** A decision taken for a token wait: SendTaskSuccess's output, or SendTaskFailure's error. */
type Decision = { output: unknown } | { error: Error };

function storedDecision(taken: Decision): StoredDecision {
  return 'error' in taken ? { error: { name: taken.error.name, message: taken.error.message } } : taken;
}

function takenDecision(kept: StoredDecision): Decision {
  return 'error' in kept ? { error: Object.assign(new Error(kept.error.message), { name: kept.error.name }) } : kept;
}

/** An execution the runtime restarted, back at its token wait: what {@link startLocalWorkflow}'s `onBackAtWait` is told. */
export interface BackAtWait {
  state: string;
  input: unknown;
  token: string;
  /** The wait ended while the runtime was down (ISO 8601): only a decision taken before then answers it. */
  endedAt?: string;
  /**
   * With `endedAt`, the only way to answer the wait: a decision its caller found taken before `endedAt` is handed in
   * here. One sent over the Step Functions API arrives after the wait's end and is refused as timed out (session 43:
   * the open wait took any decision sent while `onBackAtWait` ran, a late one too).
   */
  answer?: TaskTokenControl;
}

/** A token state's wait for SendTaskSuccess/SendTaskFailure, or its end. */
interface TokenWait {
  execution: string;
  /** Ends the wait at its end (none without a timeout). */
  timer: NodeJS.Timeout | undefined;
  /** Its timer fired: the wait timed out, and a decision sent now is answered TaskTimedOut. */
  expired: boolean;
  /** Stopped with the runtime: the wait stays on record, and the next start resumes it. */
  stopped: boolean;
  /** The decision (SendTaskSuccess or SendTaskFailure) taken for it, if any. */
  decision: Decision | null;
  /** Its request (the task) still runs: a decision taken now is kept in the registry before it is answered. */
  requesting: boolean;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/** Fills `${Name}` placeholders exactly as CDK's definitionSubstitutions does; an unknown one is an error. */
export function substitute(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no substitution for \${${name}} in the state machine definition`);
    return value;
  });
}

/**
 * Task invocations at a time, like a Lambda function's concurrency: what the handlers do at once is bounded while
 * any number of executions are in flight. A free slot goes to the oldest execution waiting for one, so an execution
 * that has started finishes before newer ones take its place (first come, first served, as a team would expect), and
 * a burst queues as small execution states instead of hundreds of half-done handler calls holding memory.
 */
export function createTaskSlots(limit: number) {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`task concurrency must be a positive integer, got ${limit}`);
  let busy = 0;
  const waiting: Array<{ order: number; start: () => void }> = [];
  function release() {
    busy -= 1;
    if (waiting.length === 0) return;
    let oldest = 0;
    for (let i = 1; i < waiting.length; i += 1) if ((waiting[i]?.order ?? 0) < (waiting[oldest]?.order ?? 0)) oldest = i;
    const [next] = waiting.splice(oldest, 1);
    busy += 1;
    next?.start();
  }
  return {
    /** Runs `task` when a slot is free; `order` is the execution's start sequence (lower goes first). */
    async run<T>(order: number, task: () => Promise<T>): Promise<T> {
      if (busy < limit) busy += 1;
      else await new Promise<void>((start) => waiting.push({ order, start }));
      try {
        return await task();
      } finally {
        release();
      }
    },
    /** Task calls waiting for a slot. */
    queued: () => waiting.length,
  };
}

/**
 * Runs the ASL file in-process with aws-local-stepfunctions, and serves the Step Functions `StartExecution`
 * JSON API on a loopback port so the ingest code's SFN adapter is used unchanged (endpoint override).
 */
export async function startLocalWorkflow(options: {
  aslPath: string;
  substitutions: Record<string, string>;
  stateMachineArn: string;
  tasks: Record<string, LocalTask>;
  registry: ExecutionRegistry;
  /**
   * `.waitForTaskToken` states: the task runs, then the state waits until SendTaskSuccess/SendTaskFailure with the
   * token the task received (`$$.Task.Token`, passed in its input as `taskToken`), or until its timeout, counted from
   * when the wait began (kept across a restart) and told to the task.
   */
  tokenTasks?: Record<string, LocalTokenTask>;
  /**
   * Task states (of `tasks`) whose task enforces the state's TimeoutSeconds itself, answering only once its attempt
   * settled (the local runtime's Lambda invocations: infra/local/lambda-invocation.ts); the interpreter does not
   * time them out (session 43).
   */
  selfTimedTasks?: readonly string[];
  /** Delay per retry in ms (the ASL's backoff is seconds to minutes; locally that only slows things down). */
  retryDelayMs: number;
  /** Task invocations at a time across all executions (see {@link createTaskSlots}); default 8. */
  maxConcurrentTasks?: number;
  /**
   * Milliseconds every Wait state waits instead of its SecondsPath (tests); unset, a Wait waits as long as in AWS,
   * so an experiment arm's `delaySeconds` means the same under `npm start`.
   */
  waitDelayMs?: number;
  /**
   * Milliseconds of every new token wait with a timeout that are over as it begins: its start is recorded that much
   * earlier (tests; unset, 0). Everything that reads the wait's end reads it from that one start (this timer, the
   * task's `startedAt`, a resumed wait's end), so a one-minute wait ends sooner by this much and is otherwise the same
   * wait. Must be shorter than every timeout it meets, or a wait would begin already over.
   */
  tokenWaitHeadStartMs?: number;
  /** Loopback port of the Step Functions API; 0 (the default) picks a free one. */
  port?: number;
  onEvent?: (line: string) => void;
  /**
   * An execution {@link resumeRunning} restarted is back at its token wait (`token`, its task's `input`), once per
   * resume: a decision sent while it ran again up to the wait was answered TaskNotWaitingYet, and can be sent now
   * rather than at a later reconciler run. Awaited by `idle()`; its failure is only logged (the reconciler remains).
   * `endedAt`: the wait ended while the runtime was down (ISO 8601), and only a decision taken before then answers it.
   */
  onBackAtWait?: (wait: BackAtWait) => Promise<void>;
}) {
  const definition = JSON.parse(substitute(readFileSync(options.aslPath, 'utf8'), options.substitutions));
  const machine = validatedStateMachine(timedByTheirTasks(withStatePaths(definition), [...Object.keys(options.tokenTasks ?? {}), ...(options.selfTimedTasks ?? [])]));
  const running = new Set<Promise<unknown>>();
  let stopping = false;
  const aborts = new Map<string, () => void>();
  /** Executions parked on a task token: they wait for a human, so `idle()` does not wait for them. */
  const parked = new Set<string>();
  const waiters = new Map<string, TokenWait>();
  /**
   * Tokens whose wait ended in this process (decided, timed out, or its request failed), until their execution ends:
   * the record forgets the wait's start a moment after a decision resolves it, and a decision sent in between is
   * answered as spent, not as a wait still to be re-issued.
   */
  const ended = new Set<string>();
  /** Executions restarted by this process and not back at their token wait since: {@link options.onBackAtWait}'s. */
  const resumedNotWaiting = new Set<string>();
  /** Calls of {@link options.onBackAtWait} in flight. */
  const backAtWait = new Set<Promise<void>>();
  function tellBackAtWait(execution: string, wait: BackAtWait): Promise<void> {
    if (!resumedNotWaiting.delete(execution) || !options.onBackAtWait) return Promise.resolve();
    const told: Promise<void> = options.onBackAtWait(wait)
      .catch((error: unknown) => options.onEvent?.(`execution ${execution} is back at its wait; sending a decision recorded meanwhile failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => backAtWait.delete(told));
    backAtWait.add(told);
    return told;
  }

  /** A wait on `token`, not yet registered: settled by a decision (settleTask), its timer, or the runtime's stop. */
  function newWait(execution: string): { wait: TokenWait; waiting: Promise<unknown> } {
    let wait!: TokenWait;
    const waiting = new Promise<unknown>((resolve, reject) => {
      wait = { execution, timer: undefined, expired: false, stopped: false, decision: null, requesting: true, resolve, reject };
    });
    // Settled while nobody awaits it (its timeout came first, a failed request dropped it): awaited where it matters.
    waiting.catch(() => undefined);
    return { wait, waiting };
  }

  /**
   * The answer of a wait that ended while the runtime was down, taken before its end: kept while its request ran (the
   * stop came before the wait took it), or recorded while the restarted execution was not back at its wait and sent
   * now that it is (onBackAtWait, told the wait's end). Null when none was taken in time.
   */
  async function decisionTakenInTime(execution: string, back: BackAtWait & { endedAt: string }): Promise<Decision | null> {
    const kept = (await options.registry.get(execution))?.carriedDecision;
    if (kept) return takenDecision(kept);
    // Registered as timed out, so a decision sent to the token meanwhile is answered TaskTimedOut (settleTask), as
    // Step Functions answers one sent after the wait's end; only `answer`, handed the decision vetted as taken in
    // time, settles it. Taken as a request's is (kept in the registry before it is answered): a stop before the wait's
    // end is recorded finds it kept.
    const { wait } = newWait(execution);
    wait.expired = true;
    waiters.set(back.token, wait);
    try {
      await tellBackAtWait(execution, { ...back, answer: answerOf(wait, back.token) });
    } finally {
      // Left registered when nothing answered it: the timed-out token is answered TaskTimedOut until its execution ends.
      if (wait.decision) waiters.delete(back.token);
    }
    return wait.decision;
  }

  /** The task-token control of one wait, in-process: what {@link BackAtWait.answer} is. */
  function answerOf(wait: TokenWait, token: string): TaskTokenControl {
    const decide = async (sent: string, taken: Decision) => {
      if (sent !== token || wait.decision) throw new TaskTokenSpentError(`TaskDoesNotExist: the wait on ${sent} has no answer to take`);
      await take(wait, taken);
    };
    return {
      succeed: (sent, output) => decide(sent, { output }),
      fail: (sent, error, cause) => decide(sent, { error: Object.assign(new Error(cause), { name: error }) }),
    };
  }

  function tokenIn(value: unknown): string | null {
    if (!value || typeof value !== 'object') return null;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'taskToken' && typeof inner === 'string') return inner;
      const found = tokenIn(inner);
      if (found) return found;
    }
    return null;
  }

  const slots = createTaskSlots(options.maxConcurrentTasks ?? 8);
  /** Start sequence of each execution in flight: its place in the queue for a task slot. */
  let started = 0;
  const tokenTasks: Record<string, (input: unknown, order: number) => Promise<unknown>> = {};
  for (const [state, task] of Object.entries(options.tokenTasks ?? {})) {
    tokenTasks[state] = async (input, order) => {
      const token = tokenIn(input);
      if (!token) throw new Error(`state ${state} received no taskToken`);
      const execution = token.split('#')[0] ?? token;
      const seconds = timeoutOf(definition.States[state], input);
      // The wait's one start: the task's request records its end from it, and the timeout below counts from it. An
      // execution resumed after a restart finds the start recorded before: the interpreter's own timer starts again
      // with the state, and its request (run late) would have been judged by that, a whole timeout after the restart.
      const headStartMs = seconds === null ? 0 : (options.tokenWaitHeadStartMs ?? 0);
      if (seconds !== null && headStartMs >= seconds * 1000) throw new RangeError(`a token wait's head start (${headStartMs} ms) must be shorter than its timeout (${seconds} s)`);
      const startedAt = await options.registry.startWait(execution, new Date(Date.now() - headStartMs).toISOString());
      const endsAt = seconds === null ? null : Date.parse(startedAt) + seconds * 1000;
      const timedOut = () => Object.assign(new Error('the approval wait timed out'), { name: 'States.Timeout' });
      if (endsAt !== null && Date.now() >= endsAt) {
        // It ended while the runtime was down: as in Step Functions, nobody is asked again. A decision taken before
        // its end answers it, as it would have without the stop; timed out instead, an approval given in time was
        // lost (session 43). Without one, the wait timed out and the Catch path runs.
        const decision = await decisionTakenInTime(execution, { state, input, token, endedAt: new Date(endsAt).toISOString() });
        ended.add(token);
        await options.registry.endWait(execution);
        if (!decision) throw timedOut();
        if ('error' in decision) throw decision.error;
        return decision.output;
      }
      // The wait's one timer: the interpreter's is pushed past it (timedByTheirTasks).
      const { wait, waiting } = newWait(execution);
      if (endsAt !== null) {
        // Node counts a timer from the event loop's time, taken when the loop's turn began, so it can fire a few
        // milliseconds before `endsAt` by the clock (seen in CI: 1 ms): the wait is not over until its end, so a timer
        // that fires early is armed again for what is left.
        const expireAtEnd = (): void => {
          const left = endsAt - Date.now();
          if (left > 0) {
            wait.timer = setTimeout(expireAtEnd, left);
            return;
          }
          wait.expired = true;
          wait.reject(timedOut());
        };
        wait.timer = setTimeout(expireAtEnd, endsAt - Date.now());
      }
      waiters.set(token, wait);
      ended.delete(token);
      try {
        // Only the call takes a slot: the wait for a human that follows holds none.
        await slots.run(order, () => task(input, { startedAt }));
        wait.requesting = false;
      } catch (error) {
        wait.requesting = false;
        // A failed request is asked again by the state's retry: as in Step Functions, with a new token and a new wait.
        // The failed attempt's token is spent from now on (a decision sent with it is answered TaskDoesNotExist).
        clearTimeout(wait.timer);
        waiters.delete(token);
        ended.add(token);
        // A decision taken while the request still ran (its comment was up; a later write of it failed) was answered
        // 200, and its sender marked it resumed: dropped with the attempt, it was lost and the retry asked again. Step
        // Functions makes the token as the state is entered (SendTaskSuccess's API reference) and so takes a decision
        // while the invocation runs; what the invocation's later failure then does is not documented. Carried to the
        // retry's wait, the decision answers that wait whichever way AWS goes: nothing taken is lost, and no decision
        // is refused as AWS never refuses one.
        // Kept in the registry as it was taken (settleTask), so a restart before the retry's wait does not lose it.
        const next = newTaskToken(execution);
        tokens.set(execution, next);
        await options.registry.endWait(execution, next);
        throw error;
      }
      // A decision taken for an earlier attempt whose request failed, or for this wait before a restart.
      const carried = wait.decision ? undefined : (await options.registry.get(execution))?.carriedDecision;
      if (carried) settle(wait, takenDecision(carried));
      parked.add(execution);
      tellBackAtWait(execution, { state, input, token });
      try {
        return await waiting;
      } finally {
        clearTimeout(wait.timer);
        parked.delete(execution);
        // A timed-out token keeps its waiter until the execution ends, so it is answered TaskTimedOut (settleTask).
        if (!wait.expired) waiters.delete(token);
        if (!wait.stopped) {
          ended.add(token);
          await options.registry.endWait(execution);
        }
      }
    };
  }
  const retryIntervalOverrides = Object.fromEntries(Object.keys(definition.States).map((name) => [name, options.retryDelayMs]));
  const waitTimeOverrides =
    options.waitDelayMs === undefined
      ? {}
      : Object.fromEntries(
          Object.entries(definition.States as Record<string, { Type?: string }>)
            .filter(([, state]) => state.Type === 'Wait')
            .map(([name]) => [name, options.waitDelayMs as number]),
        );

  /**
   * This execution's task handlers: each call waits for a slot in the execution's start order, and is noted on the
   * execution's `State` nodes.
   */
  function tasksFor(order: number, states: ReturnType<typeof executionStateNodes>): Record<string, LocalTask> {
    const own: Record<string, LocalTask> = {};
    for (const [state, task] of Object.entries(options.tasks)) own[state] = (input) => states.track(state, () => slots.run(order, () => task(input)));
    for (const [state, task] of Object.entries(tokenTasks)) own[state] = (input) => states.track(state, () => task(input, order));
    return own;
  }

  /**
   * A task token of execution `name`. Step Functions makes one as a workflow enters a task state ("Task tokens are
   * generated ... in the context object when a workflow enters a task state", SendTaskSuccess in its API reference),
   * and a retried attempt is a new task with a new token (the pipeline's Notify counts on it: shared/steps/notify.ts).
   * The pipeline has one wait state: an execution's token changes only when its request fails and is retried.
   */
  const newTaskToken = (name: string) => `${name}#${crypto.randomUUID()}`;
  /** The token each execution in flight waits on, or will wait on at its next attempt (`$$.Task.Token`). */
  const tokens = new Map<string, string>();

  function run(name: string, executionArn: string, input: unknown, taskToken: string) {
    started += 1;
    const states = executionStateNodes(Object.keys(definition.States));
    tokens.set(name, taskToken);
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: tasksFor(started, states) as never, retryIntervalOverrides, waitTimeOverrides },
      context: {
        // Read as each attempt's Parameters are: a retried attempt reads the token its failed one left (see newTaskToken).
        Task: { get Token() { return tokens.get(name) ?? taskToken; } },
        [STATE_NODES]: states.nodes,
        Execution: { Id: executionArn, Name: name, StartTime: new Date().toISOString(), Input: input as never, RoleArn: 'arn:aws:iam::000000000000:role/local' },
        StateMachine: { Id: options.stateMachineArn, Name: 'incident-pipeline' },
      },
    });
    aborts.set(name, execution.abort);
    const done = execution.result
      .then(() => options.registry.finish(name, 'SUCCEEDED', null))
      .catch(async (error: unknown) => {
        // Stopped with the runtime (a parked approval at shutdown): it stays RUNNING on record, so the next start resumes it.
        if (stopping && error instanceof Error && error.name === 'ExecutionAbortedError') return;
        // The interpreter wraps a Fail state's error: report the state's Error name, as Step Functions does.
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
        options.onEvent?.(`execution ${name} failed: ${message}`);
        await options.registry.finish(name, 'FAILED', message);
      })
      .finally(() => {
        running.delete(done);
        aborts.delete(name);
        parked.delete(name);
        resumedNotWaiting.delete(name);
        tokens.delete(name);
        // A wait that ended by timeout leaves its waiter behind; the token is dead with the execution.
        for (const [token, waiter] of waiters) if (waiter.execution === name) waiters.delete(token);
        for (const token of ended) if (token.startsWith(`${name}#`)) ended.delete(token);
      });
    running.add(done);
  }

  /**
   * Whether `token` is the token of an execution this process restarted whose wait is still on record but not taken
   * up again: the execution runs again from its first state and will wait on the same token (resumeRunning). In Step
   * Functions that execution would still be waiting and the token valid, so the token is not spent; a decision sent
   * now is refused as not waiting yet, for its sender to send it again, rather than lost as one sent too late.
   */
  async function notWaitingYet(token: string): Promise<boolean> {
    const execution = token.split('#')[0] ?? token;
    if (ended.has(token) || !aborts.has(execution)) return false;
    const record = await options.registry.get(execution);
    return record?.status === 'RUNNING' && record.taskToken === token && Boolean(record.waitStartedAt);
  }

  function settle(waiter: TokenWait, decision: Decision) {
    waiter.decision = decision;
    if ('error' in decision) waiter.reject(decision.error);
    else waiter.resolve(decision.output);
  }

  /** `taken` answers the wait. */
  async function take(waiter: TokenWait, taken: Decision) {
    // Answered 200, its sender marks it resumed: while the request runs, only the registry keeps it for the retry's
    // wait (the request may still fail) or for the wait resumed after a restart.
    if (waiter.requesting) await options.registry.keepDecision(waiter.execution, storedDecision(taken));
    settle(waiter, taken);
  }

  async function settleTask(target: string, body: { taskToken?: string; output?: string; error?: string; cause?: string }) {
    let waiter = body.taskToken ? waiters.get(body.taskToken) : undefined;
    if (!waiter && body.taskToken && (await notWaitingYet(body.taskToken))) {
      // Back at its wait while the record was read: the decision is the wait's.
      waiter = waiters.get(body.taskToken);
      if (!waiter) return { status: 400, body: { __type: 'TaskNotWaitingYet', message: 'The execution was restarted and is not back at its wait yet; send the decision again' } };
    }
    if (!waiter) return { status: 400, body: { __type: 'TaskDoesNotExist', message: 'Task does not exist anymore' } };
    // A wait whose timer ended it keeps its waiter until the execution ends: Step Functions answers a timed-out token
    // so, and a decision taken now would be told it resumed an execution that went on without it. Kept on refusal too,
    // so a second decision is answered the same (session 43: one sent while a wait that ended during a stop was being
    // answered in-process was otherwise told not waiting yet).
    if (waiter.expired) {
      return { status: 400, body: { __type: 'TaskTimedOut', message: 'Task Timed Out' } };
    }
    let taken: Decision;
    if (target.endsWith('SendTaskSuccess')) {
      try {
        taken = { output: JSON.parse(body.output ?? '{}') };
      } catch {
        return { status: 400, body: { __type: 'InvalidOutput', message: 'output is not JSON' } };
      }
    } else {
      taken = { error: Object.assign(new Error(body.cause ?? ''), { name: body.error ?? 'States.TaskFailed' }) };
    }
    await take(waiter, taken);
    waiters.delete(body.taskToken as string);
    ended.add(body.taskToken as string);
    return { status: 200, body: {} };
  }

  async function startExecution(body: { stateMachineArn?: string; name?: string; input?: string }) {
    if (body.stateMachineArn !== options.stateMachineArn) {
      return { status: 400, body: { __type: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${body.stateMachineArn}'` } };
    }
    const name = body.name ?? crypto.randomUUID();
    const executionArn = `${options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    let input: unknown;
    try {
      input = JSON.parse(body.input ?? '{}');
    } catch {
      return { status: 400, body: { __type: 'InvalidExecutionInput', message: 'input is not JSON' } };
    }
    // Recorded (with its input) before it runs and before the caller hears 200: a crash after this point is
    // resumed at the next start, so an accepted delivery is never lost.
    const taskToken = newTaskToken(name);
    const claimed = await options.registry.claim({
      name, executionArn, status: 'RUNNING', startedAt: new Date().toISOString(), stoppedAt: null, error: null, input: body.input ?? '{}', taskToken,
    });
    if (!claimed) return { status: 400, body: { __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${executionArn}'` } };
    run(name, executionArn, input, taskToken);
    return { status: 200, body: { executionArn, startDate: Date.now() / 1000 } };
  }

  async function describeExecution(body: { executionArn?: string }) {
    const name = String(body.executionArn ?? '').split(':').at(-1) ?? '';
    const record = name ? await options.registry.get(name) : null;
    if (!record || record.executionArn !== body.executionArn) {
      return { status: 400, body: { __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${body.executionArn}'` } };
    }
    // A record that says RUNNING but has no run in this process was cut off by a crash and not resumed (yet).
    const status = record.status === 'RUNNING' && !aborts.has(name) ? 'ABORTED' : record.status;
    return {
      status: 200,
      body: { executionArn: record.executionArn, stateMachineArn: options.stateMachineArn, name, status, startDate: Date.parse(record.startedAt) / 1000, input: record.input },
    };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // For the runtime's SDK clients only: a page could otherwise start executions with any input (a pipeline run no
    // webhook signature vouched for).
    if (fromWebPage(req)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'AccessDeniedException', connection: 'close' });
      res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'requests from web pages are refused' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        let result: { status: number; body: Record<string, unknown> };
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (target === 'AWSStepFunctions.StartExecution') result = await startExecution(body);
          else if (target === 'AWSStepFunctions.DescribeExecution') result = await describeExecution(body);
          else if (target === 'AWSStepFunctions.SendTaskSuccess' || target === 'AWSStepFunctions.SendTaskFailure') result = await settleTask(target, body);
          else result = { status: 400, body: { __type: 'UnknownOperationException', message: `${target} is not supported locally` } };
        } catch (error) {
          result = { status: 500, body: { __type: 'InternalFailure', message: String(error) } };
        }
        res.writeHead(result.status, {
          'content-type': 'application/x-amz-json-1.0',
          ...(result.status >= 400 ? { 'x-amzn-errortype': String(result.body.__type) } : {}),
        });
        res.end(JSON.stringify(result.body));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    /**
     * Resolves when every execution has finished or is parked waiting for a human (a task token), and no decision
     * recorded meanwhile is being sent to one back at its wait (onBackAtWait).
     */
    async idle() {
      while (running.size > parked.size || backAtWait.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    /**
     * Restarts every execution recorded as running: after a crash (kill -9) they were cut off mid-way. Each starts
     * again from the first state with its recorded input; every stage is idempotent (conditional writes, the
     * comment slot, the re-run ledger), so running a stage a second time changes nothing it already did. It keeps
     * its task token: an approval request sent before the restart still decides, and is not sent again.
     */
    async resumeRunning(): Promise<string[]> {
      const records = await options.registry.running();
      const resumed: string[] = [];
      for (const record of records) {
        if (aborts.has(record.name)) continue;
        let input: unknown;
        try {
          input = JSON.parse(record.input);
        } catch {
          await options.registry.finish(record.name, 'FAILED', 'recorded input is not JSON; cannot resume');
          continue;
        }
        resumedNotWaiting.add(record.name);
        run(record.name, record.executionArn, input, record.taskToken ?? newTaskToken(record.name));
        resumed.push(record.name);
      }
      return resumed;
    },
    /** Executions currently waiting on a task token. */
    waiting(): number {
      return parked.size;
    },
    async close() {
      await this.idle();
      stopping = true;
      // Executions still waiting for a human stop with the runtime (they would not survive a restart either);
      // the incident keeps its pending approval on record.
      for (const name of parked) aborts.get(name)?.();
      // Their waits end with the runtime, timers and all, and stay on record: a timer left armed ended the wait again
      // when it fired (and forgot its start), while the next start's resumed execution waited on it.
      for (const [token, wait] of waiters) {
        if (!parked.has(wait.execution)) continue;
        clearTimeout(wait.timer);
        wait.stopped = true;
        waiters.delete(token);
        wait.reject(Object.assign(new Error('the runtime stopped'), { name: 'ExecutionAborted' }));
      }
      while (running.size > 0 || backAtWait.size > 0) await Promise.allSettled([...running, ...backAtWait]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
