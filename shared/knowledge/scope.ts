import type { Incident } from '../domain/incident.js';

/**
 * Whose learned knowledge an incident reads and teaches (attacker's pass 50, L2): a GitHub repository's own, by its
 * numeric id (`repo:<id>`: ids survive a rename and a transfer, and a repository deleted and created again under the
 * same name is another one, which a full name would hand the old one's knowledge), or every CloudWatch alarm's
 * (`alarms`: alarms have no repository; they are the deployment's own account's, read by its operators, never shown
 * on a pull request). Null for an incident with neither (a GitHub incident stored before ids were kept): it teaches
 * nothing and reads the shared entries only. Imported and curated entries have no scope: an operator shares them on
 * purpose.
 */
export function knowledgeScopeOf(incident: Pick<Incident, 'source' | 'repositoryId'>): string | null {
  if (incident.source === 'cloudwatch') return ALARMS_SCOPE;
  return incident.repositoryId ? `repo:${incident.repositoryId}` : null;
}

export const ALARMS_SCOPE = 'alarms';

/** An entry one scope learned: its fingerprint and whose it is. */
export interface LearnedKey {
  fingerprint: string;
  scope: string;
  /**
   * The repository's full name when the entry learned something, shown to operators beside the scope (a repository
   * id says nothing to a reader); never part of a key, as a name moves with a rename or a transfer.
   */
  repository?: string | null;
}

/** The incident's learned entry, when it has a fingerprint and a scope. */
export function learnedKeyOf(incident: Pick<Incident, 'source' | 'repositoryId' | 'fingerprint'> & Partial<Pick<Incident, 'repository'>>): LearnedKey | null {
  const scope = knowledgeScopeOf(incident);
  return incident.fingerprint && scope ? { fingerprint: incident.fingerprint, scope, repository: incident.repository ?? null } : null;
}

/** A scope that learned something, as the operator's views list it (`GET /knowledge/scopes`). */
export interface LearnedScope {
  scope: string;
  /** The repository's full name at its latest learned write; null for the alarms'. */
  repository: string | null;
  lastLearned: string;
}
