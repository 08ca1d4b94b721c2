import { loadConfig } from '../../shared/config.js';
import { incompleteRunError, scheduledReconcilerRun } from '../../shared/reconcile/redrive.js';
import { createReconcilerDeps, reconcilerOptions } from '../../shared/runtime/deps.js';
import { lambdaHandler, logger } from '../../shared/runtime/lambda.js';

const config = loadConfig(process.env);
const deps = createReconcilerDeps(config, logger);
const options = reconcilerOptions(config);

/**
 * EventBridge schedule: re-drive unfinished incidents whose execution is not running, then send the digests of
 * escalation windows that have ended (shared/reconcile/redrive.ts, shared/reconcile/digests.ts). A run that left
 * some of that undone fails after doing the rest, so the reconciler alarm sees runs that keep failing.
 */
export const handler = lambdaHandler(async () => {
  const result = await scheduledReconcilerRun(deps, options);
  const incomplete = incompleteRunError(result);
  if (incomplete) throw incomplete;
  return result;
});
