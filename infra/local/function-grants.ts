/**
 * The stack's DynamoDB grants, enforced by the local runtime (session 47). In AWS each function's role may send only
 * the actions FUNCTION_TABLE_ACCESS names (infra/table-access.ts, what the stack grants); dynalite checks no IAM, so a
 * store method that deleted where its function's role may not passed every local test and failed in AWS alone, with
 * AccessDenied: a green run's recovery (record-outcome), a comment slot's release (every function that comments), the
 * gate's trim of old baseline runs (evaluate-gate), the due entry of a /guard approval or vote once done
 * (ingest-github). Every call a function's invocation makes to the embedded store now
 * meets the same refusal DynamoDB gives, so the integration tests see what a deployment would.
 *
 * The same holds for the services beyond DynamoDB that have a stand-in here (session 48): SNS (the outbox's publisher),
 * Step Functions (the embedded state machine), SSM Automation (the outbox's runbooks) and Lambda's asynchronous
 * invocation (the store's recovery queue) refuse a call its function's row of FUNCTION_SERVICE_ACCESS
 * (infra/service-access.ts) does not name, as the service does. Secrets Manager, Bedrock and CloudWatch have none: the
 * runtime's secrets are plain settings, the analyzer calls a model only where one is configured, and alarm tags come
 * with the event; their grants are the stack tests' (test/infra/service-grants.test.ts).
 *
 * A call is a function's when it is made inside {@link runAsFunction}: the local runtime runs each handler invocation,
 * and the reconciler's runs, so. Calls outside one (the CLI, the runtime's own reads, the state machine's service
 * integration) are not checked.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { AwsServiceError } from '../../shared/adapters/aws-json.js';
import { type ServiceAction, serviceAllows } from '../service-access.js';
import { accessAllows, FUNCTION_TABLE_ACCESS, type FunctionName, type TableName } from '../table-access.js';
import { bodyText, type StoreRequestHandler } from './in-process-documents.js';

const invokedFunction = new AsyncLocalStorage<FunctionName>();

/** Runs `work` as `name`'s invocation: its DynamoDB calls are held to that function's grants. */
export function runAsFunction<T>(name: FunctionName, work: () => T): T {
  return invokedFunction.run(name, work);
}

/** One table a request touches, with the action IAM checks for it. */
interface TableAction {
  table: string;
  operation: string;
  onIndex: boolean;
}

/** Item-level actions of a transaction's parts, as IAM checks them. */
const TRANSACT_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };

function tableActions(operation: string, request: Record<string, unknown>): TableAction[] {
  if (typeof request.TableName === 'string') return [{ table: request.TableName, operation, onIndex: typeof request.IndexName === 'string' }];
  if (request.RequestItems && typeof request.RequestItems === 'object') {
    // A table whose entry is undefined is not in the JSON sent (the in-process client's object can hold one).
    return Object.entries(request.RequestItems)
      .filter(([, entry]) => entry !== undefined)
      .map(([table]) => ({ table, operation, onIndex: false }));
  }
  if (Array.isArray(request.TransactItems)) {
    return request.TransactItems.flatMap((part: Record<string, { TableName?: unknown }>) =>
      Object.entries(part).map(([kind, item]) => ({ table: String(item?.TableName), operation: TRANSACT_ACTIONS[kind] ?? kind, onIndex: false })),
    );
  }
  return [];
}

/** AWS's words for an action the caller's role is not granted (the role is named after the function, as locally). */
function notAuthorized(fn: FunctionName, action: string, resource: string): string {
  return `User: arn:aws:sts::000000000000:assumed-role/${fn}/${fn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

/** DynamoDB's answer to an action the caller's role is not granted. */
function accessDenied(fn: FunctionName, denied: TableAction) {
  const message = notAuthorized(fn, `dynamodb:${denied.operation}`, `${denied.table}${denied.onIndex ? '/index/*' : ''}`);
  return {
    response: {
      statusCode: 400,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'local-access-denied' },
      body: new TextEncoder().encode(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', Message: message })),
    },
  };
}

/** What {@link enforcingFunctionGrants} calls for each call it sees: made in `fn`'s invocation, or outside any. */
export type CallSeen = (fn: FunctionName | undefined, operation: string) => void;

/**
 * `handler`, refusing a call made in a function's invocation that its grants do not allow, and telling `onRefused`.
 * `tables` names the local tables (logical name → table name); a table outside them is refused to every function, as
 * an ungranted one is. `onCall` hears of every call, refused or not, with the function whose invocation made it.
 */
export function enforcingFunctionGrants(
  handler: StoreRequestHandler,
  tables: Record<TableName, string>,
  onRefused: (line: string) => void = () => {},
  onCall: CallSeen = () => {},
): StoreRequestHandler {
  const logicalNames = new Map(Object.entries(tables).map(([logical, table]) => [table, logical as TableName]));
  return {
    async handle(request, options) {
      const fn = invokedFunction.getStore();
      const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '';
      const operation = target.slice(target.indexOf('.') + 1);
      onCall(fn, operation);
      if (fn === undefined) return handler.handle(request, options);
      // The in-process document client hands over the object it serialised the body from; the SDK's calls only the body.
      const parsed = request.input ?? (JSON.parse(bodyText(request.body) || '{}') as Record<string, unknown>);
      const actions = tableActions(operation, parsed);
      // A call that names no table (ListTables, PartiQL's ExecuteStatement) is granted to no function.
      if (actions.length === 0) actions.push({ table: '*', operation, onIndex: false });
      for (const action of actions) {
        const logical = logicalNames.get(action.table);
        const access = logical === undefined ? undefined : FUNCTION_TABLE_ACCESS[fn][logical];
        if (!accessAllows(access, action.operation, action.onIndex)) {
          onRefused(`${fn}: dynamodb:${action.operation} on ${action.table} refused: not granted to the function's role in the stack (infra/table-access.ts)`);
          return accessDenied(fn, action);
        }
      }
      return handler.handle(request, options);
    },
    updateHttpClientConfig: (key, value) => handler.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => handler.httpHandlerConfigs(),
    destroy: () => handler.destroy(),
  };
}

/** The line the runtime logs for a call beyond DynamoDB that `fn`'s role is not granted. */
function serviceRefusedLine(fn: FunctionName, action: string): string {
  return `${fn}: ${action} refused: not granted to the function's role in the stack (infra/service-access.ts)`;
}

/**
 * `client` (a Step Functions client of the embedded state machine) refusing a call made in a function's invocation
 * that its row of FUNCTION_SERVICE_ACCESS does not name, as Step Functions refuses it (AccessDeniedException). The
 * state machine is served over HTTP, where no invocation's scope reaches: the check is made in the client, in the
 * caller's scope, before the request is sent.
 */
export function holdStepFunctionsToGrants(client: SFNClient, onRefused: (line: string) => void = () => {}): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = invokedFunction.getStore();
      const action = `states:${String(context.commandName).replace(/Command$/, '')}`;
      if (fn === undefined || serviceAllows(fn, action)) return next(args);
      onRefused(serviceRefusedLine(fn, action));
      const input = args.input as { stateMachineArn?: unknown; executionArn?: unknown };
      throw new AwsServiceError('AccessDeniedException', notAuthorized(fn, action, String(input.stateMachineArn ?? input.executionArn ?? '*')), 400);
    },
    { step: 'initialize', name: 'localFunctionGrants' },
  );
}

/** How a service answers a call the caller's role is not granted: its error's name, as the SDK names it, and status. */
export interface ServiceRefusal {
  code: string;
  status: number;
}

/** SNS's refusal: its error code AuthorizationError, which the SDK's exception is named after. */
export const SNS_REFUSAL: ServiceRefusal = { code: 'AuthorizationErrorException', status: 403 };
/** SSM's refusal (its JSON API, as shared/adapters/aws-json.ts names it). */
export const SSM_REFUSAL: ServiceRefusal = { code: 'AccessDeniedException', status: 400 };
/** Lambda's refusal of an Invoke. */
export const LAMBDA_REFUSAL: ServiceRefusal = { code: 'AccessDeniedException', status: 403 };

/**
 * `port`, a local stand-in for an AWS service, refusing a call to one of `calls`' methods made in a function's
 * invocation whose row of FUNCTION_SERVICE_ACCESS does not name the method's action: rejected with the error the
 * service's client gives (`refusal`), naming `resource`, and told to `onRefused`. Other methods, and calls outside an
 * invocation, pass.
 */
export function heldToServiceGrants<T extends object>(
  port: T,
  grants: { calls: Partial<Record<keyof T, ServiceAction>>; resource: string; refusal: ServiceRefusal },
  onRefused: (line: string) => void = () => {},
): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      const action = grants.calls[key as keyof T];
      if (typeof value !== 'function' || action === undefined) return value;
      return (...args: unknown[]) => {
        const fn = invokedFunction.getStore();
        if (fn === undefined || serviceAllows(fn, action)) return (value as (...a: unknown[]) => unknown).apply(target, args);
        onRefused(serviceRefusedLine(fn, action));
        return Promise.reject(new AwsServiceError(grants.refusal.code, notAuthorized(fn, action, grants.resource), grants.refusal.status));
      };
    },
  });
}

/**
 * The name the local runtime counts calls made outside any function's invocation under: its stand-ins' (Step
 * Functions' executions, GitHub's comments, Lambda's queue), which are not a function's DynamoDB calls in AWS.
 */
export const OUTSIDE_FUNCTIONS = 'local stand-ins';

/**
 * `port` with every method run outside any function's invocation: a local stand-in for a system other than DynamoDB
 * (GitHub without credentials, Lambda's asynchronous invocation) that keeps its state in the embedded store. In AWS
 * no function's DynamoDB grants are asked about what those systems store.
 */
export function outsideFunctionGrants<T extends object>(port: T): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => invokedFunction.exit(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
