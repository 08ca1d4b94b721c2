import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StateMachine } from 'aws-local-stepfunctions';

/** Task implementation for the local run: the same handler export a Lambda would run, or a service stand-in. */
export type LocalTask = (input: unknown) => Promise<unknown>;

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  stoppedAt: string | null;
  error: string | null;
}

export interface ExecutionRegistry {
  /** Records a new execution name; false when the name was used before (Step Functions' ExecutionAlreadyExists). */
  claim(record: ExecutionRecord): Promise<boolean>;
  finish(name: string, status: 'SUCCEEDED' | 'FAILED', error: string | null): Promise<void>;
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
 * Runs the ASL file in-process with aws-local-stepfunctions, and serves the Step Functions `StartExecution`
 * JSON API on a loopback port so the ingest code's SFN adapter is used unchanged (endpoint override).
 */
export async function startLocalWorkflow(options: {
  aslPath: string;
  substitutions: Record<string, string>;
  stateMachineArn: string;
  tasks: Record<string, LocalTask>;
  registry: ExecutionRegistry;
  /** Delay per retry in ms (the ASL's backoff is seconds to minutes; locally that only slows things down). */
  retryDelayMs: number;
  onEvent?: (line: string) => void;
}) {
  const definition = JSON.parse(substitute(readFileSync(options.aslPath, 'utf8'), options.substitutions));
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const running = new Set<Promise<unknown>>();
  const retryIntervalOverrides = Object.fromEntries(Object.keys(definition.States).map((name) => [name, options.retryDelayMs]));

  function run(name: string, executionArn: string, input: unknown) {
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: options.tasks as never, retryIntervalOverrides },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: new Date().toISOString(), Input: input as never, RoleArn: 'arn:aws:iam::000000000000:role/local' },
        StateMachine: { Id: options.stateMachineArn, Name: 'incident-pipeline' },
      },
    });
    const done = execution.result
      .then(() => options.registry.finish(name, 'SUCCEEDED', null))
      .catch(async (error: unknown) => {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        options.onEvent?.(`execution ${name} failed: ${message}`);
        await options.registry.finish(name, 'FAILED', message);
      })
      .finally(() => running.delete(done));
    running.add(done);
  }

  async function startExecution(body: { stateMachineArn?: string; name?: string; input?: string }) {
    if (body.stateMachineArn !== options.stateMachineArn) {
      return { status: 400, body: { __type: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${body.stateMachineArn}'` } };
    }
    const name = body.name ?? crypto.randomUUID();
    const executionArn = `${options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const claimed = await options.registry.claim({ name, executionArn, status: 'RUNNING', startedAt: new Date().toISOString(), stoppedAt: null, error: null });
    if (!claimed) return { status: 400, body: { __type: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${executionArn}'` } };
    let input: unknown;
    try {
      input = JSON.parse(body.input ?? '{}');
    } catch {
      return { status: 400, body: { __type: 'InvalidExecutionInput', message: 'input is not JSON' } };
    }
    run(name, executionArn, input);
    return { status: 200, body: { executionArn, startDate: Date.now() / 1000 } };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        let result: { status: number; body: Record<string, unknown> };
        if (target !== 'AWSStepFunctions.StartExecution') {
          result = { status: 400, body: { __type: 'UnknownOperationException', message: `${target} is not supported locally` } };
        } else {
          try {
            result = await startExecution(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            result = { status: 500, body: { __type: 'InternalFailure', message: String(error) } };
          }
        }
        res.writeHead(result.status, {
          'content-type': 'application/x-amz-json-1.0',
          ...(result.status >= 400 ? { 'x-amzn-errortype': String(result.body.__type) } : {}),
        });
        res.end(JSON.stringify(result.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** Resolves when every running execution has finished. */
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      await this.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
