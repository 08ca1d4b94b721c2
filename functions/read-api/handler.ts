import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createReadApi } from '../../shared/api/read-api.js';
import { loadConfig } from '../../shared/config.js';
import { errorMessage } from '../../shared/errors.js';
import { createIncidents, createLearningStores } from '../../shared/runtime/deps.js';
import { lambdaHandler, safeLogger } from '../../shared/runtime/lambda.js';

const config = loadConfig(process.env);
const read = createReadApi({ incidents: createIncidents(config), learning: createLearningStores(config), clock: () => new Date() });
const cors: Record<string, string> = config.DASHBOARD_ORIGIN ? { 'access-control-allow-origin': config.DASHBOARD_ORIGIN, vary: 'Origin' } : {};

/**
 * Replies hold incident data (log lines, PR titles, approval state) for a signed-in reader: no cache on the way
 * (browser, proxy) keeps a copy, and no browser reads the JSON as anything but JSON.
 */
const PRIVATE_JSON: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const reply = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode,
  headers: { ...PRIVATE_JSON, ...cors, ...headers },
  body: JSON.stringify(body),
});

/**
 * The read API (`GET /incidents…`, `/metrics…`, `/experiments…`, `/knowledge`) behind API Gateway: IAM-authorized
 * for the CLI, Cognito-authorized for the dashboard. The local runtime calls this same export.
 */
async function handle(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  try {
    const result = await read({ method: event.httpMethod, path: event.path, query: event.queryStringParameters ?? {} });
    if (!result) return reply(404, { message: `no route for ${event.httpMethod} ${event.path}` });
    return reply(result.status, result.body, result.headers);
  } catch (error) {
    safeLogger.error('read request failed', { path: event.path, error: errorMessage(error) });
    return reply(500, { message: 'internal error; retry the request' });
  }
}

export const handler = lambdaHandler(handle);
