/**
 * The model budget of failures an outsider controls. Whoever opens a pull request from a fork can make its runs fail
 * on every push, from as many forks as they like; each failure was a model call on the deployment's account. Their
 * analyses draw on a budget of their own (LLM_OUTSIDER_ANALYSES_PER_HOUR), of which one repository's take at most
 * a share (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR); once either is spent they get the offline analysis, and are
 * recorded and notified as any other.
 */
import type { Config } from '../config.js';
import { type Incident, outsiderCanRepeat } from '../domain/incident.js';
import { repositoryKey } from '../domain/repository-key.js';
import type { ModelBudget, ModelBudgetClaim, OutsiderModelBudgets } from '../ports.js';

/**
 * Whether an incident's model analysis draws on the outsiders' budget: a GitHub run an outsider can make fail again
 * and again (`outsiderCanRepeat`): a fork's, unknown heads included, a `pull_request_target`, `issue_comment` or
 * `workflow_run` run that may run a fork's code as this repository's, or a run of an event anyone can cause
 * (`issues`, `watch`, …). Escalations key the same runs by workflow (`githubProblemKey`). The repository's other
 * runs and alarms never draw on it.
 */
export function drawsOnOutsiderModelBudget(incident: Pick<Incident, 'source' | 'fromFork' | 'runEvent'>): boolean {
  return incident.source === 'github' && outsiderCanRepeat(incident);
}

/** The settings the outsiders' budgets are made from. */
type OutsiderBudgetSettings = Pick<Config, 'LLM_OUTSIDER_ANALYSES_PER_HOUR' | 'LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR'>;

/** How many of the pool's analyses one repository's outsiders may take in an hour: as set, or half the pool rounded up. */
export function outsiderRepositoryShare(config: OutsiderBudgetSettings): number {
  return config.LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR ?? Math.ceil(config.LLM_OUTSIDER_ANALYSES_PER_HOUR / 2);
}

/**
 * How far a repository's second and later failures in the hour may fill the pool: all of it but a quarter, rounded
 * down, kept for other repositories' first failure. All of it when shares are not counted (no smaller than the pool):
 * without a share nothing tells a repository's first failure from its others.
 */
export function outsiderRepeatLimit(config: OutsiderBudgetSettings): number {
  const pool = config.LLM_OUTSIDER_ANALYSES_PER_HOUR;
  return sharesCounted(config) ? pool - Math.floor(pool / 4) : pool;
}

/** Whether a repository's share can refuse anything: a share no smaller than the pool never does, and is not counted. */
function sharesCounted(config: OutsiderBudgetSettings): boolean {
  return outsiderRepositoryShare(config) < config.LLM_OUTSIDER_ANALYSES_PER_HOUR;
}

/**
 * The outsiders' pool and each repository's share from the settings, with budgets made by `budgetFor` (a counter
 * named `name` that grants `max` a window): the one place the settings become budgets, for AWS and the tests alike.
 * Without a counted share there is no limit on repeats either ({@link outsiderRepeatLimit}).
 */
export function outsiderModelBudgets(config: OutsiderBudgetSettings, budgetFor: (name: string, max: number) => ModelBudget): OutsiderModelBudgets {
  const share = outsiderRepositoryShare(config);
  const counted = sharesCounted(config);
  return {
    pool: budgetFor('outsiders', config.LLM_OUTSIDER_ANALYSES_PER_HOUR),
    repeatLimit: outsiderRepeatLimit(config),
    share: (scope) => (counted ? budgetFor(`outsiders-repository#${scope}`, share) : null),
  };
}

/**
 * What an incident's repository share is counted under: the repository's id, which a rename does not change, or
 * its name in one spelling when the event gave no id.
 */
export function outsiderShareScope(incident: Pick<Incident, 'repositoryId' | 'repository'>): string {
  if (incident.repositoryId !== null) return `id-${incident.repositoryId}`;
  return `name-${repositoryKey(incident.repository ?? '')}`;
}

/** The reason an analysis was done offline because the outsiders' pool was spent (`analysis.fallbackReason`). */
export function outsiderBudgetSpentReason(claim: ModelBudgetClaim): string {
  return (
    `model budget for runs outsiders control spent: ${claim.used} of ${claim.max} analyses in the hour from ` +
    `${claim.windowStart.toISOString()} (LLM_OUTSIDER_ANALYSES_PER_HOUR); analysed offline`
  );
}

/*
 * The reasons below name the setting, not the repository (the incident names it): a repository's name of up to 140
 * characters would push the setting out of the 300 a reason keeps.
 */

/** The reason a repository's repeated failure was analysed offline: the pool's rest is kept for others' first failure. */
export function outsiderReserveReason(claim: ModelBudgetClaim): string {
  return (
    `model budget for runs outsiders control: ${claim.used} of ${claim.max} analyses taken in the hour from ` +
    `${claim.windowStart.toISOString()}, the rest kept for other repositories' first failure ` +
    `(LLM_OUTSIDER_ANALYSES_PER_HOUR); analysed offline`
  );
}

/** The reason an analysis was done offline because the repository's share of that pool was spent. */
export function outsiderShareSpentReason(claim: ModelBudgetClaim): string {
  return (
    `model budget for runs outsiders control in this repository spent: ${claim.used} of ${claim.max} ` +
    `analyses in the hour from ${claim.windowStart.toISOString()} (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR); analysed offline`
  );
}
