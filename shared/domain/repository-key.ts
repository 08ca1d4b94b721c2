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
