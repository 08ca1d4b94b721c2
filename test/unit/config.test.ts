import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig, requireConfig } from '../../shared/config.js';

/**
 * Settings the configuration reads that a deployer does not set, so the README's table leaves them out: the stack or
 * the local runtime sets them (tables, endpoints, ARNs of what the stack creates, the outbox), or the README names
 * them where they are used (the table names for `guard kb` against a deployed stack, RECORDED_RUNS_FILE).
 */
const SET_FOR_THE_DEPLOYER = [
  'INCIDENTS_TABLE', 'BASELINES_TABLE', 'EXPERIMENTS_TABLE', 'DYNAMODB_ENDPOINT', 'AWS_REGION', 'STATE_MACHINE_ARN',
  'RECOVERY_FUNCTION_NAME', 'SFN_ENDPOINT', 'ESCALATION_TOPIC_ARN', 'OUTBOX_PATH', 'RECORDED_RUNS_FILE',
  'CHAT_WEBHOOK_URL_SECRET_ARN', 'LLM_API_KEY_SECRET_ARN',
];
/** Variables in the README's table that `npm start` or the CLI read themselves, before (or instead of) loadConfig. */
const READ_BEFORE_THE_CONFIGURATION = ['PORT', 'SFN_PORT', 'HOST', 'GUARD_DATA_DIR', 'GUARD_API_URL'];

/** The variables of the README's "Configuration" table: its first column, several to a row. */
function readmeVariables(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| variable | default | meaning |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  return [...new Set(rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1] as string)))];
}

describe('loadConfig', () => {
  it('reads the variables the README documents, and the README documents those a deployer sets', () => {
    const documented = readmeVariables();

    expect(documented.filter((name) => !(CONFIG_VARIABLES as readonly string[]).includes(name) && !READ_BEFORE_THE_CONFIGURATION.includes(name))).toEqual([]);
    expect(CONFIG_VARIABLES.filter((name) => !documented.includes(name) && !SET_FOR_THE_DEPLOYER.includes(name))).toEqual([]);
  });

  // The schemas use zod/mini, which ships no messages of its own: without English configured (shared/zod.ts) every
  // problem read "Invalid input", and an operator could not tell a bound from a typo.
  it("says what was wrong with a value in zod's English messages, not a bare \"Invalid input\"", () => {
    expect(() => loadConfig({ RECONCILE_MAX_PER_RUN: '5000' })).toThrow('invalid environment variable RECONCILE_MAX_PER_RUN: Too big: expected number to be <=1000');
    expect(() => loadConfig({ RECONCILE_MAX_PER_RUN: 'many' })).toThrow('RECONCILE_MAX_PER_RUN: Invalid input: expected number, received NaN');
  });

  it('applies documented defaults', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      INCIDENTS_TABLE: 'incidents', GITHUB_API_URL: 'https://api.github.com', MAX_WEBHOOK_BYTES: 1_048_576,
      AUTO_RERUN_MAX: 1, RERUN_MIN_CONFIDENCE: 0.6, DRY_RUN: false,
    });
  });

  // A template or an `.env` file writes `NAME=` for "not set". Read as given, a blank number was 0 (a re-run at any
  // confidence, no outsider analyses, no reconciler attempts) and a blank text failed the whole configuration.
  it.each(CONFIG_VARIABLES)('reads %s given blank as unset: its default applies', (name) => {
    const unset = loadConfig({});
    expect(loadConfig({ [name]: '' })).toEqual(unset);
    expect(loadConfig({ [name]: ' \t' })).toEqual(unset);
  });

  it('names the variable that is malformed', () => {
    expect(() => loadConfig({ GITHUB_API_URL: 'not a url' })).toThrow(/GITHUB_API_URL/);
    expect(() => loadConfig({ MAX_WEBHOOK_BYTES: '-5' })).toThrow(/MAX_WEBHOOK_BYTES/);
    expect(() => loadConfig({ DRY_RUN: 'maybe' })).toThrow(/DRY_RUN/);
  });

  it('pages a followed runbook run that has not ended after 2 hours by default, between 10 minutes and a day (session 43)', () => {
    expect(loadConfig({}).RUNBOOK_NOT_ENDED_MINUTES).toBe(120);
    expect(loadConfig({ RUNBOOK_NOT_ENDED_MINUTES: '1440' }).RUNBOOK_NOT_ENDED_MINUTES).toBe(1440);
    expect(() => loadConfig({ RUNBOOK_NOT_ENDED_MINUTES: '1441' })).toThrow(/RUNBOOK_NOT_ENDED_MINUTES/);
    expect(() => loadConfig({ RUNBOOK_NOT_ENDED_MINUTES: '5' })).toThrow(/RUNBOOK_NOT_ENDED_MINUTES/);
  });

  it('keeps a learned knowledge entry 180 days after it last learned something by default, between a week and ten years (attacker\'s pass 50, L5)', () => {
    expect(loadConfig({}).KNOWLEDGE_RETENTION_DAYS).toBe(180);
    expect(loadConfig({ KNOWLEDGE_RETENTION_DAYS: '3650' }).KNOWLEDGE_RETENTION_DAYS).toBe(3650);
    expect(() => loadConfig({ KNOWLEDGE_RETENTION_DAYS: '6' })).toThrow(/KNOWLEDGE_RETENTION_DAYS/);
  });

  it('accepts the previous webhook secret for 60 minutes after a rotation by default, between 10 minutes and a day (attack-47 I2)', () => {
    expect(loadConfig({}).WEBHOOK_SECRET_GRACE_MINUTES).toBe(60);
    expect(loadConfig({ WEBHOOK_SECRET_GRACE_MINUTES: '1440' }).WEBHOOK_SECRET_GRACE_MINUTES).toBe(1440);
    expect(() => loadConfig({ WEBHOOK_SECRET_GRACE_MINUTES: '1441' })).toThrow(/WEBHOOK_SECRET_GRACE_MINUTES/);
    expect(() => loadConfig({ WEBHOOK_SECRET_GRACE_MINUTES: '9' })).toThrow(/WEBHOOK_SECRET_GRACE_MINUTES/);
  });

  it("looks back at least 25 hours: an alarm group's lead may be 24 hours old, and its digest must still be read", () => {
    expect(loadConfig({ RECONCILE_LOOKBACK_HOURS: '25' }).RECONCILE_LOOKBACK_HOURS).toBe(25);
    expect(() => loadConfig({ RECONCILE_LOOKBACK_HOURS: '24' })).toThrow(/RECONCILE_LOOKBACK_HOURS: Too small/);
  });

  it("bounds the model analyses of outsiders' failures: 10 an hour by default, 0 to 1000", () => {
    expect(loadConfig({}).LLM_OUTSIDER_ANALYSES_PER_HOUR).toBe(10);
    expect(loadConfig({ LLM_OUTSIDER_ANALYSES_PER_HOUR: '0' }).LLM_OUTSIDER_ANALYSES_PER_HOUR).toBe(0);
    expect(loadConfig({ LLM_OUTSIDER_ANALYSES_PER_HOUR: '1000' }).LLM_OUTSIDER_ANALYSES_PER_HOUR).toBe(1000);
    for (const value of ['-1', '1001', '2.5', 'lots']) expect(() => loadConfig({ LLM_OUTSIDER_ANALYSES_PER_HOUR: value })).toThrow(/LLM_OUTSIDER_ANALYSES_PER_HOUR/);
  });

  it("takes one repository's share of them unset by default (half the pool then), 0 to 1000 when set", () => {
    expect(loadConfig({}).LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR).toBeUndefined();
    expect(loadConfig({ LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: '' }).LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR).toBeUndefined();
    // Blank is unset too: `Number(' ')` is 0, a share of 0 that would send every outsider's failure offline.
    expect(loadConfig({ LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: ' ' }).LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR).toBeUndefined();
    expect(loadConfig({ LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: '0' }).LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR).toBe(0);
    for (const value of ['-1', '1001', '2.5', 'lots']) expect(() => loadConfig({ LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: value })).toThrow(/LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR/);
  });

  it("verifies a default branch's gate runs with GitHub unless GATE_VERIFY_DEFAULT_BRANCH is set false", () => {
    expect(loadConfig({}).GATE_VERIFY_DEFAULT_BRANCH).toBe(true);
    expect(loadConfig({ GATE_VERIFY_DEFAULT_BRANCH: '' }).GATE_VERIFY_DEFAULT_BRANCH).toBe(true);
    expect(loadConfig({ GATE_VERIFY_DEFAULT_BRANCH: 'true' }).GATE_VERIFY_DEFAULT_BRANCH).toBe(true);
    for (const value of ['false', '0', 'no']) expect(loadConfig({ GATE_VERIFY_DEFAULT_BRANCH: value }).GATE_VERIFY_DEFAULT_BRANCH, value).toBe(false);
    expect(() => loadConfig({ GATE_VERIFY_DEFAULT_BRANCH: 'off' })).toThrow(/GATE_VERIFY_DEFAULT_BRANCH/);
  });

  // cdk synth refuses these (infra/stack.ts); set by hand on a function or for `npm start`, they were taken as given and
  // failed only at the first Bedrock call or never matched the bot's own comment.
  it('refuses a BEDROCK_REGION that is not a Region code and a GITHUB_BOT_LOGIN that is not a login, naming them', () => {
    for (const value of ['us-east', 'US-EAST-1', 'us east 1', 'https://bedrock.us-east-1.amazonaws.com']) {
      expect(() => loadConfig({ BEDROCK_REGION: value }), value).toThrow(/BEDROCK_REGION: must be an AWS Region code/);
    }
    for (const value of ['pipeline guard', '-bot', 'bot[app]', 'x'.repeat(101)]) {
      expect(() => loadConfig({ GITHUB_BOT_LOGIN: value }), value).toThrow(/GITHUB_BOT_LOGIN: must be a GitHub login/);
    }
    expect(loadConfig({ BEDROCK_REGION: 'eusc-de-east-1', GITHUB_BOT_LOGIN: 'pipeline-guard[bot]' })).toMatchObject({
      BEDROCK_REGION: 'eusc-de-east-1',
      GITHUB_BOT_LOGIN: 'pipeline-guard[bot]',
    });
  });

  it('names the variable a function needs but is missing', () => {
    expect(() => requireConfig(loadConfig({}), 'STATE_MACHINE_ARN')).toThrow('missing environment variable STATE_MACHINE_ARN');
    expect(requireConfig(loadConfig({ STATE_MACHINE_ARN: 'arn' }), 'STATE_MACHINE_ARN').STATE_MACHINE_ARN).toBe('arn');
  });
});
