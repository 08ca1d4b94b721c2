import { loadConfig } from '../../shared/config.js';
import { createApprovals, createDeferredComments, createGitHub, createGreenRuns, createGuards, createIncidents, createLateReactionReads, createLearningDeps, createMetrics, createRecoveryTargets, createRerunLedger } from '../../shared/runtime/deps.js';
import { lambdaHandler, safeLogger } from '../../shared/runtime/lambda.js';
import { isWorkflowRecoveryMessage } from '../../shared/domain/recovery.js';
import { recordAlarmRecovery, recordQueuedRecovery } from '../../shared/steps/record-outcome.js';

const config = loadConfig(process.env);
const deps = {
  incidents: createIncidents(config),
  // A green run is noted for a failure delivered after it (classify reads the note).
  greenRuns: createGreenRuns(config),
  github: await createGitHub(config, safeLogger),
  clock: () => new Date(),
  logger: safeLogger,
  learning: createLearningDeps(config, safeLogger),
  // Time to recovery, per resolved incident.
  metrics: createMetrics(config),
  // A recovery after an automatic action counts as its success for the circuit breaker.
  guards: createGuards(config),
  // A re-run of ours that ended green gives back its slot of the commit's re-run cap.
  reruns: createRerunLedger(config),
  // A PR comment the write budget refused, left for the reconciler to post.
  deferredComments: createDeferredComments(config),
  // Reactions GitHub could not list for now, left for the reconciler to read.
  reactionReads: createLateReactionReads(config),
  // The incidents each recovery set out to resolve: a redelivery does the follow-ups of those written resolved.
  recoveryTargets: createRecoveryTargets(config),
  // The pull requests' proposals waiting for approval: a recovered failure's is withdrawn.
  approvals: createApprovals(config),
};

/**
 * Asynchronous invocations: a green run queued by ingest-github, or (EventBridge) a CloudWatch alarm returned to OK.
 * A throw makes Lambda retry the event, then move it to the dead-letter queue.
 */
export const handler = lambdaHandler(async (event: unknown) => (isWorkflowRecoveryMessage(event) ? recordQueuedRecovery(event, deps) : recordAlarmRecovery(event, deps)));
