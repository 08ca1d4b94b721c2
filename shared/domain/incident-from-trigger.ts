import { alarmIncidentFields, alarmIncidentScope } from './alarm-incident.js';
import { githubCheckIncidentFields, githubCheckIncidentScope, githubIncidentFields, githubIncidentScope } from './github-incident.js';
import { type Incident, newIncident } from './incident.js';
import type { Trigger } from './trigger.js';
import { PullAliasWriteError } from '../errors.js';

/**
 * The incident a trigger starts, as first stored, and the scope its recovery is tracked under. The one place an
 * incident is built from a trigger: ingest stores it; classify and notify store the same one when an execution
 * was started without it (a redrive, a crash between the two writes), all through {@link storeIncidentFromTrigger}.
 */
export function incidentFromTrigger(trigger: Trigger, now: Date): { incident: Incident; scope: string } {
  switch (trigger.source) {
    case 'github':
      return { incident: newIncident(githubIncidentFields(trigger, now), now), scope: githubIncidentScope(trigger) };
    case 'github_check':
      return { incident: newIncident(githubCheckIncidentFields(trigger, now), now), scope: githubCheckIncidentScope(trigger) };
    case 'cloudwatch':
      return { incident: newIncident(alarmIncidentFields(trigger, now), now), scope: alarmIncidentScope(trigger) };
  }
}

/** Where an incident is first stored (the incident store's `create`: false when one with its id exists). */
export interface IncidentCreator {
  create(incident: Incident, scope: string | null, trigger?: unknown): Promise<boolean>;
}

/**
 * Builds the incident a trigger starts and stores it with its scope and the trigger (so a reconciler can start an
 * execution that never started). `created` is false when an incident with its id was stored before: a redelivery,
 * or another execution that got there first. `aliasUnwritten`: the incident is stored, and only its pull request's
 * alias item failed (PullAliasWriteError): the caller goes on as with any stored incident (ingest starts its
 * execution; before, it answered 500 and started nothing), and the alias is written by the next write indexing one of
 * the pull request's incidents by id (classify's record of this one, a redelivery's create, the next failure).
 */
export async function storeIncidentFromTrigger(incidents: IncidentCreator, trigger: Trigger, now: Date): Promise<{ incident: Incident; created: boolean; aliasUnwritten: boolean }> {
  const { incident, scope } = incidentFromTrigger(trigger, now);
  try {
    return { incident, created: await incidents.create(incident, scope, trigger), aliasUnwritten: false };
  } catch (error) {
    if (!(error instanceof PullAliasWriteError)) throw error;
    return { incident, created: error.written === true, aliasUnwritten: true };
  }
}
