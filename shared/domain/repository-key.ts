/**
 * The one spelling of a GitHub repository name that settings and stored keys are compared in. GitHub treats
 * `owner/repo` case-insensitively (`Acme/Widgets` and `acme/widgets` are one repository, and webhooks spell it as
 * the owner typed it), so a name compared or stored as given would split one repository in two: a caller
 * configured for one spelling refused the other, or a baseline per spelling. Owner and repository names are ASCII
 * (`[\w.-]`), so lower case needs no locale.
 */
export function repositoryKey(repository: string): string {
  return repository.toLowerCase();
}

/** The settings a record keyed by repository name (as an operator spelled it) holds for `repository`, in any case. */
export function settingsForRepository<T>(byName: Readonly<Record<string, T>> | undefined, repository: string): T | undefined {
  const wanted = repositoryKey(repository);
  return Object.entries(byName ?? {}).find(([name]) => repositoryKey(name) === wanted)?.[1];
}

/**
 * Whether a record (an incident) is of the repository a webhook names. GitHub's id decides when both know one: a
 * rename or a transfer to another owner keeps it, and no other repository ever gets it, whereas a name is not for
 * ever (after an account is renamed, whoever registers the old name can create a repository of the old name, with
 * pull requests of the same numbers, and comment on them as its owner). Without an id, the name in any case.
 */
export function sameRepository(
  record: { repository: string | null; repositoryId: number | null },
  named: { full_name: string; id?: number | null | undefined },
): boolean {
  if (record.repositoryId !== null && named.id !== undefined && named.id !== null) return record.repositoryId === named.id;
  return record.repository !== null && repositoryKey(record.repository) === repositoryKey(named.full_name);
}

/** A repository as a webhook or an incident names it: its full name, and GitHub's id when known (see {@link sameRepository}). */
export interface RepositoryIdentity {
  name: string;
  id: number | null;
}
