import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createReadApi } from '../../shared/api/read-api.js';
import { loadConfig } from '../../shared/config.js';
import { errorMessage } from '../../shared/errors.js';
import { createIncidents, createLearningDeps } from '../../shared/runtime/deps.js';
import { logger, safeLogger } from '../../shared/runtime/lambda.js';

const config = loadConfig(process.env);
const read = createReadApi({ incidents: createIncidents(config), learning: createLearningDeps(config, safeLogger), clock: () => new Date() });
const cors: Record<string, string> = config.DASHBOARD_ORIGIN ? { 'access-control-allow-origin': config.DASHBOARD_ORIGIN, vary: 'Origin' } : {};

const reply = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...cors, ...headers },
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

export const handler = middy(handle).use(injectLambdaContext(logger));
