import { LOCAL_GATE_CALLER } from '../../shared/baselines/gate-access.js';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ValidationError } from '../../shared/errors.js';
import { promoteExperiment } from '../../shared/experiments/report.js';
import { ExperimentExistsError, ExperimentNotFoundError, ExperimentStateError } from '../../shared/experiments/store.js';
import type { Learning } from '../../shared/knowledge/learning.js';

/** Experiment definitions and gate requests are small; refuse anything larger before parsing. */
const MAX_BODY_BYTES = 256 * 1024;

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface Reply {
  status: number;
  body: unknown;
}

/** Constant-time bearer check: the local stand-in for API Gateway's IAM authorization. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, reply: { status: 413, body: { message: `body is over the ${MAX_BODY_BYTES}-byte limit` } } };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, reply: { status: 400, body: { message: 'body is not valid JSON' } } };
  }
}

/**
 * Local routes that write: the quality gate (same handler as the `evaluate-gate` Lambda) and the experiments API
 * (create, stop, promote). They need `Authorization: Bearer <GATE_TOKEN>`. Reads (`GET /experiments…`, metrics,
 * knowledge) are the read-api handler's. Returns null for paths it does not own.
 */
export function createLearningApi(options: { learning: Learning; gateToken: string; evaluateGate: LambdaHandler; context: (name: string) => unknown; clock?: () => Date }) {
  const clock = options.clock ?? (() => new Date());
  const { learning } = options;

  return async function route(req: IncomingMessage, path: string, url: URL): Promise<Reply | null> {
    const method = req.method ?? 'GET';
    const authorized = () => bearerMatches(req.headers.authorization, options.gateToken);
    const unauthorized: Reply = { status: 401, body: { message: 'missing or wrong bearer token (GATE_TOKEN)' } };
    try {
      if (path === '/gates/evaluate') {
        if (method !== 'POST') return { status: 405, body: { message: 'use POST' } };
        if (!authorized()) return unauthorized;
        const body = await readJson(req);
        if (!body.ok) return body.reply;
        // The API Gateway proxy event the Lambda receives; the handler re-parses and validates the body.
        const result = (await options.evaluateGate(
          { resource: '/gates/evaluate', path, httpMethod: 'POST', headers: {}, body: JSON.stringify(body.value), isBase64Encoded: false, requestContext: { requestId: randomUUID(), identity: { userArn: LOCAL_GATE_CALLER } } },
          options.context('evaluate-gate'),
        )) as { statusCode: number; body: string };
        return { status: result.statusCode, body: JSON.parse(result.body) };
      }
      if (path === '/experiments') {
        if (method !== 'POST') return { status: 405, body: { message: 'use GET or POST' } };
        if (!authorized()) return unauthorized;
        const body = await readJson(req);
        if (!body.ok) return body.reply;
        return { status: 201, body: await learning.experiments.create(body.value, clock()) };
      }
      const experiment = /^\/experiments\/([a-z0-9][a-z0-9_-]{0,62})(?:\/(promote|stop))?$/.exec(path);
      if (experiment) {
        const [, id, action] = experiment as unknown as [string, string, string | undefined];
        if (!action) return { status: 405, body: { message: 'use GET' } };
        if (method !== 'POST') return { status: 405, body: { message: 'use POST' } };
        if (!authorized()) return unauthorized;
        if (action === 'stop') return { status: 200, body: await learning.experiments.stop(id, clock()) };
        const body = await readJson(req);
        const variant = body.ok && body.value && typeof (body.value as { variant?: unknown }).variant === 'string' ? (body.value as { variant: string }).variant : undefined;
        return { status: 200, body: await promoteExperiment(learning.experiments, id, variant, clock()) };
      }
      return null;
    } catch (error) {
      if (error instanceof ValidationError) return { status: 400, body: { message: error.message } };
      if (error instanceof ExperimentNotFoundError) return { status: 404, body: { message: error.message } };
      if (error instanceof ExperimentExistsError || error instanceof ExperimentStateError) return { status: 409, body: { message: error.message } };
      throw error;
    }
  };
}
