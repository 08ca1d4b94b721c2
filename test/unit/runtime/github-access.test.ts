import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { ConfigError } from '../../../shared/errors.js';
import { createGateDeps, createGitHub, createRunReadingGitHub } from '../../../shared/runtime/deps.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { TEST_APP_ID, testAppKeys } from '../../support/app-keys.js';

/** The composition root's choice of GitHub access: token, App, recorded stand-in, or none; misconfiguration fails at start. */
const local = { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' };

/** What classify's GitHub offers (`RunReadingGitHubPort`). */
const RUN_READS = ['commitOnBranch', 'findPullRequestsForCommit', 'latestCompletedRun', 'latestSuccessfulRun', 'listAnnotations', 'listFailedJobs', 'listSucceededJobs', 'openJobLog'];

describe('createGitHub', () => {
  it('acts as the App per installation when GITHUB_APP_ID and the key are set, and needs an installation', async () => {
    // Act
    const clients = await createGitHub(loadConfig({ ...local, GITHUB_APP_ID: String(TEST_APP_ID), GITHUB_APP_PRIVATE_KEY: testAppKeys().privateKey }));

    // Assert
    expect(clients.forInstallation(null)).toBeNull();
    expect(clients.forInstallation(51234987)).not.toBeNull();
  });

  it('uses one client for every installation with a token, and none without credentials', async () => {
    // Act
    const token = await createGitHub(loadConfig({ ...local, GITHUB_TOKEN: 'ghp_exampleexampleexample' }));
    const none = await createGitHub(loadConfig({ ...local }));

    // Assert
    expect(token.forInstallation(null)).toBe(token.forInstallation(7));
    expect(none.forInstallation(7)).toBeNull();
  });

  it.each([
    [{ GITHUB_APP_ID: '12', GITHUB_TOKEN: 'ghp_exampleexampleexample', GITHUB_APP_PRIVATE_KEY: 'x' }, /GITHUB_APP_ID and GITHUB_TOKEN .* are both set/],
    [{ GITHUB_APP_PRIVATE_KEY: 'x' }, /missing environment variable GITHUB_APP_ID/],
    [{ GITHUB_APP_ID: '12' }, /missing environment variable GITHUB_APP_PRIVATE_KEY_SECRET_ARN/],
    [{ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: 'not a key' }, /GITHUB_APP_PRIVATE_KEY is not a PEM private key/],
  ])('fails at start naming the setting for %o', async (env, message) => {
    // Act
    const attempt = createGitHub(loadConfig({ ...local, ...env }));

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(createGitHub(loadConfig({ ...local, ...env }))).rejects.toThrow(message);
  });

  it('opens the gate\'s GitHub access on first use, not at cold start, and asks again after a failure', async () => {
    // Prepare: an App without its key, which createGitHub refuses at start
    const config = loadConfig({ ...local, GITHUB_APP_ID: '12' });

    // Act
    const deps = createGateDeps(config, silentLogger);

    const first = await deps.github().catch((error: unknown) => error);
    const second = await deps.github().catch((error: unknown) => error);

    // Assert: the gate starts; each use that needs GitHub tries again and reports the setting
    expect(first).toBeInstanceOf(ConfigError);
    expect(String(first)).toContain('GITHUB_APP_PRIVATE_KEY_SECRET_ARN');
    expect(second).toBeInstanceOf(ConfigError);
    expect(second).not.toBe(first);
  });

  it('gives classify the run reads alone, chosen as createGitHub chooses: App, token or none', async () => {
    // Act
    const app = await createRunReadingGitHub(loadConfig({ ...local, GITHUB_APP_ID: String(TEST_APP_ID), GITHUB_APP_PRIVATE_KEY: testAppKeys().privateKey }));
    const token = await createRunReadingGitHub(loadConfig({ ...local, GITHUB_TOKEN: 'ghp_exampleexampleexample' }));
    const none = await createRunReadingGitHub(loadConfig({ ...local }));

    // Assert: no comment, label, re-run, fix pull request or collaborator request, and no bot login to write as
    expect(app.forInstallation(null)).toBeNull();
    expect(Object.keys(app.forInstallation(51234987) ?? {}).sort()).toEqual(RUN_READS);
    expect(Object.keys(token.forInstallation(7) ?? {}).sort()).toEqual(RUN_READS);
    expect(token.forInstallation(null)).toBe(token.forInstallation(7));
    expect(none.forInstallation(7)).toBeNull();
    await expect(createRunReadingGitHub(loadConfig({ ...local, GITHUB_APP_ID: '12' }))).rejects.toThrow(/GITHUB_APP_PRIVATE_KEY_SECRET_ARN/);
  });

  it('names GITHUB_APP_ID when it is not a positive number', () => {
    expect(() => loadConfig({ GITHUB_APP_ID: 'abc' })).toThrow(/GITHUB_APP_ID/);
  });
});
