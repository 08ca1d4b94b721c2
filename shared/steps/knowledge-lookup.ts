import { NotFoundError } from '../errors.js';
import { summarizeHistory } from '../knowledge/history.js';
import type { StepDeps } from './deps.js';
import { type KnowledgeResult, parseState } from './state.js';

/** Earlier incidents examined per lookup: bounds the DynamoDB reads whatever the history size. */
const MAX_EARLIER_INCIDENTS = 50;

/** Knowledge stage: what happened the previous times this failure was seen, and what fixed it. */
export async function knowledgeLookupStep(input: unknown, deps: StepDeps): Promise<KnowledgeResult> {
  const { trigger } = parseState(input);
  const incident = await deps.incidents.get(trigger.incidentId);
  if (!incident) throw new NotFoundError(`incident ${trigger.incidentId} not found`);
  const earlier = incident.fingerprint
    ? await deps.incidents.listByFingerprint(incident.fingerprint, MAX_EARLIER_INCIDENTS + 1)
    : [];
  const knowledge = summarizeHistory(incident, earlier);
  await deps.incidents.update(incident.id, { knowledge }, {
    history: [{ at: deps.clock().toISOString(), event: 'knowledge', detail: knowledge.summary }],
  });
  return { incidentId: incident.id, seenBefore: knowledge.seenBefore };
}
