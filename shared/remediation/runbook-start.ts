/**
 * An incident's runbook start, as its own runbook step makes it, and the same start made again with its client token
 * to learn the run it answered. Below the stages: remediate starts runs and confirms a dead holder's, and the
 * reconciler's runbook check confirms the run of a holder whose execution id was never written (attack-45b B9,
 * session 43), so both use one rule for which start an incident makes.
 */
import type { Incident } from '../domain/incident.js';
import { ClientTokenUsedError, type RunbookRequest, type RunbookRunner } from './runbook-runner.js';
import { type DeploymentHome, type RunbookMapping, automationClientToken, runbookFor, runbookParameters } from './runbooks.js';

/** What an incident's runbook start is made from: the allow-list, where runbooks run, and (to make it) the runner. */
export interface RunbookStartPorts {
  runbooks: RunbookMapping[];
  deployment: DeploymentHome;
}

/** The start of `incident`'s runbook, as its own runbook step makes it (its client token the incident's); null when none is allow-listed. */
export function runbookStartOf(incident: Incident, ports: RunbookStartPorts): { mapping: RunbookMapping; request: RunbookRequest } | null {
  // Looked up again, not taken from the plan: an approved plan of a foreign alarm still starts nothing.
  const mapping = incident.alarm ? runbookFor(incident.alarm, ports.runbooks, ports.deployment).mapping : null;
  if (!mapping || !incident.alarm) return null;
  const request = {
    document: mapping.document,
    ...(mapping.documentVersion ? { documentVersion: mapping.documentVersion } : {}),
    parameters: runbookParameters(mapping, incident.alarm),
    clientToken: automationClientToken(incident.id),
  };
  return { mapping, request };
}

/**
 * Makes sure the runbook start of `holder`, the incident whose run its alarm's episode counts on, happened: the same
 * start again, with the holder's client token and parameters. SSM's start is idempotent by that token, so this answers
 * the execution the holder started, or starts the one that never did (its start failed, or its execution died before
 * recording whether it had). The execution's id, or `an earlier execution` when the token's run is known only by
 * SSM's refusal of other parameters (the mapping changed since the holder's start); null when no runbook is
 * allow-listed for the holder's alarm any more, so there is nothing to start.
 */
export async function confirmRunbookStart(
  holder: Incident,
  ports: RunbookStartPorts & { runner: Pick<RunbookRunner, 'start'> },
): Promise<{ execution: string; known: boolean } | null> {
  const start = runbookStartOf(holder, ports);
  if (!start) return null;
  try {
    return { execution: (await ports.runner.start(start.request)).executionId, known: true };
  } catch (error) {
    if (error instanceof ClientTokenUsedError) return { execution: 'an earlier execution', known: false };
    throw error;
  }
}
