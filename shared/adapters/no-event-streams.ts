/**
 * What analyze's and ingest-github's bundles give the SDK for `@smithy/core/event-streams` and
 * `@aws-sdk/eventstream-handler-node` (esbuild aliases, EVENT_STREAM_ALIASES in infra/constructs/guard-function.ts, for
 * the functions of EVENT_STREAM_SERDE_AT_START alone): the codec, marshallers and signed payload handler of
 * event-stream operations (Bedrock's ConverseStream and InvokeModelWithResponseStream, Lambda's
 * InvokeWithResponseStream), none of which Pipeline Guard calls. Bedrock Runtime's and Lambda's clients build a
 * marshaller and a payload handler when they are constructed, so the packages were bundled for nothing (≈17 KB of
 * analyze); `@smithy/core`'s protocols load the serde with `import()` only for an operation with an event stream.
 * This stand-in builds as the packages do and refuses every use; test/infra/schema-trait-keys.test.ts checks that the
 * clients' commands the functions send answer as with the packages. Tests, the CLI and the local runtime run
 * unbundled, with the packages themselves.
 */

/** A use of the event-stream codec, which no bundled command makes (see the module's comment). */
export class EventStreamNotBundledError extends Error {
  override name = 'EventStreamNotBundledError';
  constructor() {
    super('the SDK event-stream codec is not bundled: Pipeline Guard calls no event-stream operation');
  }
}

const refused = (): never => {
  throw new EventStreamNotBundledError();
};

/** What a client's constructor makes its `eventStreamMarshaller` with. */
export const eventStreamSerdeProvider = () => ({ serialize: refused, deserialize: refused });

/** As `@smithy/core/event-streams` resolves it, with {@link eventStreamSerdeProvider}'s marshaller. */
export const resolveEventStreamSerdeConfig = <Input extends { eventStreamSerdeProvider: (input: Input) => unknown }>(input: Input) =>
  Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

/** Made by a payload handler's constructor (middleware-websocket's); refuses to encode or decode. */
export class EventStreamCodec {
  encode = refused;
  decode = refused;
  feed = refused;
  endOfStream = refused;
  getMessage = refused;
  getAvailableMessages = refused;
}

/** Made by `@smithy/core`'s protocols only for an operation with an event stream. */
export class EventStreamSerde {
  constructor() {
    refused();
  }
}

/** What the client's constructor makes its `eventStreamPayloadHandler` with (`@aws-sdk/eventstream-handler-node`). */
export const eventStreamPayloadHandlerProvider = () => ({ handle: refused });

export const iterableToReadableStream = refused;
export const readableStreamToIterable = refused;
