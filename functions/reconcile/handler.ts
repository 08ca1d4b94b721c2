import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../shared/config.js';
import { scheduledReconcilerRun } from '../../shared/reconcile/redrive.js';
import { createReconcilerDeps, reconcilerOptions } from '../../shared/runtime/deps.js';
import { logger } from '../../shared/runtime/lambda.js';

const config = loadConfig(process.env);
const deps = createReconcilerDeps(config, logger);
const options = reconcilerOptions(config);

/**
 * EventBridge schedule: re-drive unfinished incidents whose execution is not running, then send the digests of
 * escalation windows that have ended (shared/reconcile/redrive.ts, shared/reconcile/digests.ts).
 */
export const handler = middy(async () => scheduledReconcilerRun(deps, options)).use(injectLambdaContext(logger));
