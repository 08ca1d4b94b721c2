import { loadConfig } from '../../shared/config.js';
import { ingestAlarmEvent } from '../../shared/ingest/alarm-event.js';
import { alarmScopeFromConfig } from '../../shared/ingest/alarm-scope.js';
import { createAlarmTags, createRedriveDeps } from '../../shared/runtime/deps.js';
import { lambdaHandler, logger } from '../../shared/runtime/lambda.js';

const config = loadConfig(process.env);
const deps = {
  ...createRedriveDeps(config, logger),
  maxRedrives: config.RECONCILE_MAX_ATTEMPTS,
  scope: alarmScopeFromConfig(config),
  alarmTags: createAlarmTags(config),
};

/** EventBridge: a CloudWatch alarm went to ALARM. Starts one execution per state change (named, so deduplicated). */
export const handler = lambdaHandler(async (event: unknown) => ingestAlarmEvent(event, deps));
