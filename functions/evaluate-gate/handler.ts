import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DefaultBranchRefusedError, evaluateGateRequest } from '../../shared/baselines/evaluate.js';
import { gateAccess, gateCallerOf } from '../../shared/baselines/gate-access.js';
import { loadConfig } from '../../shared/config.js';
import { ValidationError, errorMessage } from '../../shared/errors.js';
import { createGateDeps } from '../../shared/runtime/deps.js';
import { lambdaHandler, safeLogger } from '../../shared/runtime/lambda.js';

/** Gate requests are a few metrics and test names; anything bigger is refused before parsing. */
const MAX_BODY_BYTES = 256 * 1024;

const config = loadConfig(process.env);
const deps = createGateDeps(config, safeLogger);

const reply = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * `POST /gates/evaluate` (API Gateway, IAM-authorized; locally behind a bearer token). Pass and fail are both 200
 * with `decision`, so a CI step can print the reasons before failing; 4xx means the request itself was wrong.
 */
async function evaluate(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return reply(413, { message: `body is over the ${MAX_BODY_BYTES}-byte limit` });
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return reply(400, { message: 'body is not valid JSON' });
  }
  // The repository in the body is a claim; the caller's identity decides whether it may move that baseline.
  const repository = typeof (body as { repository?: unknown })?.repository === 'string' ? (body as { repository: string }).repository : '';
  const access = repository ? gateAccess(config.GATE_CALLERS, gateCallerOf(event), repository) : { allowed: true as const, reportsDefaultBranch: true };
  if (!access.allowed) return reply(403, { message: `forbidden: ${access.refusal}` });
  try {
    return reply(200, await evaluateGateRequest(body, deps, access));
  } catch (error) {
    if (error instanceof ValidationError) return reply(400, { message: error.message });
    if (error instanceof DefaultBranchRefusedError) return reply(403, { message: `forbidden: ${error.message}` });
    safeLogger.error('gate evaluation failed', { error: errorMessage(error) });
    return reply(500, { message: 'internal error; retry the request' });
  }
}

export const handler = lambdaHandler(evaluate);
