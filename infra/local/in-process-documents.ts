import * as dynamodb from '@aws-sdk/client-dynamodb';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type marshallOptions, type unmarshallOptions, marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * A DynamoDB call as the in-process document client sends it: the SDK's request (headers, JSON body), and `input`,
 * the object the body was serialised from, so a handler on the way that reads the request (the grants' check) takes it
 * instead of parsing the body again. Only that client sets it, from the same object it serialises the body from.
 */
export interface StoreRequest {
  headers: Record<string, string>;
  body?: unknown;
  input?: Record<string, unknown>;
}

/** The SDK's HTTP handler interface (`requestHandler`), as far as the DynamoDB client uses it. */
export interface StoreRequestHandler {
  handle(
    request: StoreRequest,
    options?: {
      abortSignal?: {
        aborted: boolean;
        addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
        removeEventListener?(type: 'abort', listener: () => void): void;
      };
    },
  ): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

/**
 * A DynamoDB document client for the store in this process (the local runtime's embedded one) that sends the
 * document commands the stores use straight to the store's request handler: the same JSON request DynamoDB's
 * protocol defines (the input marshalled as lib-dynamodb marshals it, `X-Amz-Target` naming the operation), the
 * same answer read back (unmarshalled as lib-dynamodb unmarshals it, errors as the SDK's exception classes), without
 * the SDK's per-call middleware: its command stack resolved anew for every call, endpoint rules, retry bookkeeping,
 * the schema serialiser and deserialiser (≈ 200 µs of the runtime's main thread per call, ~30 calls an incident).
 * Nothing is retried: the embedded store neither throttles nor fails transiently, which is all the SDK retries.
 * Any other command, or a call with options, goes through the SDK as before.
 */

type DocumentCommand = { input: object; inputKeyNodes: object; outputKeyNodes: object };

const OPERATIONS = new Map<unknown, string>([
  [GetCommand, 'GetItem'],
  [PutCommand, 'PutItem'],
  [UpdateCommand, 'UpdateItem'],
  [DeleteCommand, 'DeleteItem'],
  [QueryCommand, 'Query'],
  [ScanCommand, 'Scan'],
  [BatchGetCommand, 'BatchGetItem'],
  [BatchWriteCommand, 'BatchWriteItem'],
]);

/** The SDK's modelled DynamoDB exceptions by name (ConditionalCheckFailedException, ResourceNotFoundException, …). */
const EXCEPTIONS = new Map(
  Object.entries(dynamodb as Record<string, unknown>).filter(
    ([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof DynamoDBServiceException,
  ) as Array<[string, new (options: Record<string, unknown>) => DynamoDBServiceException]>,
);

// lib-dynamodb's marshalling of a command's input and output (`marshallInput` / `unmarshallOutput`, not exported):
// only the members its key nodes name are converted, each wholly (`{}`) or member by member (`*`, nested nodes).
const NEXT_LEVEL = '*';

function processObj(value: unknown, convert: (value: unknown) => unknown, nodes: unknown): unknown {
  if (value === undefined) return undefined;
  if (nodes == null) return convert(value);
  const keys = Object.keys(nodes);
  if (keys.length === 0) return processAllKeysInObj(value, convert, null);
  if (keys.length === 1 && keys[0] === NEXT_LEVEL) {
    return Object.entries(value ?? {}).reduce<Record<string, unknown>>(
      (acc, [key, member]) => {
        if (typeof member !== 'function') acc[key] = processObj(member, convert, (nodes as Record<string, unknown>)[NEXT_LEVEL]);
        return acc;
      },
      Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {},
    );
  }
  return processKeysInObj(value, convert, nodes as Record<string, unknown>);
}

function processKeysInObj(value: unknown, convert: (value: unknown) => unknown, nodes: Record<string, unknown>): unknown {
  const object = value as Record<string, unknown>;
  let accumulator: Record<string, unknown>;
  if (Array.isArray(value)) {
    accumulator = value.filter((member) => typeof member !== 'function') as unknown as Record<string, unknown>;
  } else {
    accumulator = {};
    for (const [key, member] of Object.entries(object)) if (typeof member !== 'function') accumulator[key] = member;
  }
  for (const [key, child] of Object.entries(nodes)) {
    if (typeof object[key] === 'function') continue;
    const processed = processObj(object[key], convert, child);
    if (processed !== undefined && typeof processed !== 'function') accumulator[key] = processed;
  }
  return accumulator;
}

function processAllKeysInObj(value: unknown, convert: (value: unknown) => unknown, nodes: unknown): unknown {
  if (Array.isArray(value)) return value.filter((member) => typeof member !== 'function').map((member) => processObj(member, convert, nodes));
  return Object.entries(value as Record<string, unknown>).reduce<Record<string, unknown>>((acc, [key, member]) => {
    if (typeof member === 'function') return acc;
    const processed = processObj(member, convert, nodes);
    if (processed !== undefined && typeof processed !== 'function') acc[key] = processed;
    return acc;
  }, {});
}

/** Whether a marshalled value holds a binary attribute (`B`, `BS`): JSON has no bytes, the SDK's serialiser base64s them. */
function holdsBinary(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return true;
  if (Array.isArray(value)) return value.some(holdsBinary);
  for (const member of Object.values(value)) if (holdsBinary(member)) return true;
  return false;
}

/**
 * A member named `B` or `BS` in JSON text, where a binary attribute can be. One regular expression rather than two
 * `includes`: on the answers of 100 incidents of `npm run bench:local` (3,108 calls, a quarter of them texts beyond
 * Latin-1) it took 1.4 µs a call where the two took 10.
 */
const BINARY_MEMBER = /"BS?":/;

/**
 * Binary attributes in an answer (`{ "B": "<base64>" }`, `{ "BS": [...] }`; in DynamoDB's JSON only an attribute
 * value is an object of one such member) as the bytes the SDK's deserialiser makes of them, in place.
 */
function decodeBinary(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const member of value) decodeBinary(member);
    return;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'B' && typeof object.B === 'string') {
    object.B = new Uint8Array(Buffer.from(object.B, 'base64'));
    return;
  }
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(object.BS) && object.BS.every((member) => typeof member === 'string')) {
    object.BS = object.BS.map((member: string) => new Uint8Array(Buffer.from(member, 'base64')));
    return;
  }
  for (const member of Object.values(object)) decodeBinary(member);
}

/** A request's or answer's body as text: the JSON itself (the in-process client's requests), or its UTF-8 bytes. */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '';
}

/** The SDK's error for a store answer that is not 200: the modelled class when there is one, as the SDK builds it. */
function errorFrom(statusCode: number, body: Record<string, unknown>, $metadata: Record<string, unknown>): Error {
  const type = String(body.__type ?? body.code ?? 'UnknownError');
  const name = type.slice(type.lastIndexOf('#') + 1).split(':')[0] as string;
  const message = String(body.message ?? body.Message ?? name);
  const { __type: _type, message: _message, Message: _Message, ...members } = body;
  const Exception = EXCEPTIONS.get(name);
  const $fault = statusCode >= 500 ? 'server' : 'client';
  const error = Exception
    ? new Exception({ ...members, message, $metadata })
    : new DynamoDBServiceException({ name, $fault, message, $metadata });
  return Object.assign(error, { message, $metadata });
}

export class InProcessDocumentClient extends DynamoDBDocumentClient {
  readonly #handler: StoreRequestHandler;
  readonly #marshallOptions: marshallOptions;
  readonly #unmarshallOptions: unmarshallOptions;

  constructor(client: dynamodb.DynamoDBClient, translateConfig: { marshallOptions?: marshallOptions; unmarshallOptions?: unmarshallOptions } | undefined, handler: StoreRequestHandler) {
    super(client, translateConfig);
    this.#handler = handler;
    // As lib-dynamodb completes them for every command (`addMarshallingMiddleware`).
    this.#marshallOptions = { ...translateConfig?.marshallOptions, convertTopLevelContainer: translateConfig?.marshallOptions?.convertTopLevelContainer ?? true };
    this.#unmarshallOptions = { ...translateConfig?.unmarshallOptions, convertWithoutMapWrapper: translateConfig?.unmarshallOptions?.convertWithoutMapWrapper ?? true };
  }

  // The SDK's overloaded signature (command, options, callback), passed through unchanged.
  override send(command: any, ...rest: any[]): any {
    const operation = OPERATIONS.get(command?.constructor);
    if (operation === undefined || rest.length > 0) return (super.send as (...args: unknown[]) => unknown)(command, ...rest);
    return this.#call(operation, command as DocumentCommand);
  }

  async #call(operation: string, command: DocumentCommand): Promise<unknown> {
    const input = processKeysInObj(command.input, (value) => marshall(value, this.#marshallOptions), command.inputKeyNodes as Record<string, unknown>);
    const body = JSON.stringify(input);
    // The marshaller puts every binary value under a `B` or `BS` member, and a member of that name shows in the JSON
    // as `"B":` or `"BS":` (a quote inside a string is escaped): a body without either holds no bytes, and only a
    // body with one is walked (walking every input was ~0.7 ms of the main thread an incident).
    if (BINARY_MEMBER.test(body) && holdsBinary(input)) return (super.send as (command: unknown) => Promise<unknown>)(command);
    const { response } = await this.#handler.handle({
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body,
      input: input as Record<string, unknown>,
    });
    const text = bodyText(response.body);
    const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (BINARY_MEMBER.test(text)) decodeBinary(parsed);
    const $metadata = { httpStatusCode: response.statusCode, requestId: response.headers['x-amzn-requestid'], attempts: 1, totalRetryDelay: 0 };
    if (response.statusCode !== 200) throw errorFrom(response.statusCode, parsed, $metadata);
    const output = processKeysInObj(parsed, (value) => unmarshall(value as never, this.#unmarshallOptions), command.outputKeyNodes as Record<string, unknown>) as Record<string, unknown>;
    output.$metadata = $metadata;
    return output;
  }
}
