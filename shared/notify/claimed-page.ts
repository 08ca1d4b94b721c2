import { RetryableError, errorMessage } from '../errors.js';
import type { EscalationLedger, EscalationMessage, EscalationOccurrence, EscalationPublisher, StepLogger } from '../ports.js';

/**
 * Publishes a page the escalation ledger let this occurrence send (`record` answered `send`), for notify and the
 * reconciler alike. A publish that failed sent nothing, so its send is given back (`unsent`) before the error goes
 * on: the retry may send it, while a crash after a publish that went out keeps the send used, and the ledger lets
 * only one more go out (shared/stores/escalation-ledger.ts).
 */
export async function publishClaimedPage(
  message: EscalationMessage,
  claimed: EscalationOccurrence | readonly EscalationOccurrence[],
  deps: { escalations: EscalationPublisher; escalationLedger: EscalationLedger; logger: StepLogger; signal?: AbortSignal },
): Promise<{ messageId: string }> {
  // A page may hold more than one claim (an alarm's: its problem's and its alarm group's): every one is given back.
  const claims = Array.isArray(claimed) ? claimed : [claimed as EscalationOccurrence];
  try {
    // Past the step's deadline (a store call held it: the SDK's take no signal), nothing goes out: the step is about
    // to be timed out and retried, and a late e-mail would land beside or after its retry's, naming a dead task token
    // (attack-45a A4; session 43). Given back like a failed publish, the send stays the retry's.
    if (deps.signal?.aborted) throw new RetryableError('the step’s deadline passed before the page was published', { cause: deps.signal.reason });
    return await deps.escalations.publish(message);
  } catch (error) {
    for (const occurrence of claims) {
      deps.logger.error('escalation publish failed', { key: occurrence.key, incidentId: occurrence.incidentId, error: errorMessage(error) });
      try {
        await deps.escalationLedger.unsent(occurrence);
      } catch (giveBack) {
        // The send stays used: the retry may still send once more, as after a crash.
        deps.logger.warn('giving the escalation send back failed', { key: occurrence.key, error: errorMessage(giveBack) });
      }
    }
    throw error;
  }
}
