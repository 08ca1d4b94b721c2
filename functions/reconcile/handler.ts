import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../shared/config.js';
import { reconcile } from '../../shared/reconcile/redrive.js';
import { createMetrics, createRedriveDeps } from '../../shared/runtime/deps.js';
import { logger } from '../../shared/runtime/lambda.js';

const config = loadConfig(process.env);
const deps = { ...createRedriveDeps(config, logger), metrics: createMetrics(config) };
const options = {
  afterMinutes: config.RECONCILE_AFTER_MINUTES,
  maxPerRun: config.RECONCILE_MAX_PER_RUN,
  maxAttempts: config.RECONCILE_MAX_ATTEMPTS,
  lookbackHours: config.RECONCILE_LOOKBACK_HOURS,
};

/** EventBridge schedule: re-drive unfinished incidents whose execution is not running (shared/reconcile/redrive.ts). */
export const handler = middy(async () => reconcile(deps, options)).use(injectLambdaContext(logger));
