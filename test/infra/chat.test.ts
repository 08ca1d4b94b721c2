import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/stack.js';
import { allows, functionLogicalId, functionStatements, synth, testApp } from './support.js';

const settingsFrom = (context: Record<string, unknown>) => readSettings(testApp(context));

describe('chat through Amazon Q Developer in chat applications (AWS Chatbot)', () => {
  const { stack, template } = synth({
    slackWorkspaceId: 'T012ABCDEFG', slackChannelId: 'C0123456789',
    teamsTeamId: '1b2c3d4e-aaaa-bbbb-cccc-0123456789ab', teamsChannelId: '19:abcdef0123456789@thread.tacv2', teamsTenantId: 'aaaabbbb-cccc-dddd-eeee-ffff00001111',
  });
  const topicRef = { Ref: stack.getLogicalId(stack.topic.node.defaultChild as never) };

  it('subscribes a Slack channel configuration to the escalation topic', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T012ABCDEFG',
      SlackChannelId: 'C0123456789',
      SnsTopicArns: [topicRef],
      GuardrailPolicies: [Match.anyValue()],
    });
  });

  it('subscribes a Microsoft Teams channel configuration to the escalation topic', () => {
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamId: '1b2c3d4e-aaaa-bbbb-cccc-0123456789ab',
      // Copied from Teams as 19:…@thread.tacv2; CloudFormation wants it URL-encoded.
      TeamsChannelId: '19%3Aabcdef0123456789%40thread.tacv2',
      TeamsTenantId: 'aaaabbbb-cccc-dddd-eeee-ffff00001111',
      SnsTopicArns: [topicRef],
    });
  });

  it('gives the chat channels no way to act on AWS: a role without policies and a deny-all guardrail', () => {
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const guardrail = Object.values(policies).find((p) => JSON.stringify(p).includes('no actions') || JSON.stringify(p).includes('may not act'));
    expect(guardrail?.Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
    const roles = Object.values(template.findResources('AWS::IAM::Role')).filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('chatbot.amazonaws.com'));
    expect(roles).toHaveLength(1);
    expect(roles[0]?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(roles[0]?.Properties.Policies).toBeUndefined();
  });

  it('creates no chat configuration without the context, and names a missing id', () => {
    const plain = synth().template;
    expect(Object.keys(plain.findResources('AWS::Chatbot::SlackChannelConfiguration'))).toHaveLength(0);
    expect(Object.keys(plain.findResources('AWS::Chatbot::MicrosoftTeamsChannelConfiguration'))).toHaveLength(0);
    expect(() => settingsFrom({ slackWorkspaceId: 'T012ABCDEFG' })).toThrow(/slackChannelId is missing/);
  });

  it('refuses at synth, naming the key, a Teams team or tenant id that is not the GUID CloudFormation takes', () => {
    const teams = { teamsTeamId: '1b2c3d4e-aaaa-bbbb-cccc-0123456789ab', teamsChannelId: '19:abcdef0123456789@thread.tacv2', teamsTenantId: 'aaaabbbb-cccc-dddd-eeee-ffff00001111' };

    expect(() => settingsFrom({ ...teams, teamsTeamId: 'platform-team' })).toThrow(
      'context value teamsTeamId must be a GUID such as 1b2c3d4e-aaaa-bbbb-cccc-0123456789ab (from the chat applications console), got "platform-team"',
    );
    expect(() => settingsFrom({ ...teams, teamsTenantId: 'contoso.onmicrosoft.com' })).toThrow(/^context value teamsTenantId must be a GUID .*got "contoso\.onmicrosoft\.com"$/);
    expect(settingsFrom(teams).chat?.teams).toEqual({ teamId: teams.teamsTeamId, channelId: teams.teamsChannelId, tenantId: teams.teamsTenantId });
  });
});

describe('chat through an incoming webhook (chatWebhookFormat), for teams outside AWS Chatbot', () => {
  const synthesized = synth({ chatWebhookFormat: 'mattermost' });
  const { stack, template } = synthesized;
  const secrets = template.findResources('AWS::SecretsManager::Secret');
  const [secretId, secret] = Object.entries(secrets).find(([id]) => id.startsWith('ChatWebhookUrlSecret')) ?? [];
  const environment = (name: 'notify' | 'reconcile') =>
    template.toJSON().Resources[functionLogicalId(stack, stack.functions[name])].Properties.Environment.Variables as Record<string, unknown>;

  it('keeps the URL in a secret created empty, never in the template or a function\'s configuration', () => {
    expect(secret).toBeDefined();
    expect(secret?.Properties.GenerateSecretString).toBeUndefined();
    expect(secret?.Properties.SecretString).toBeUndefined();
    template.hasOutput('ChatWebhookUrlSecretArn', { Value: { Ref: secretId } });
  });

  it('lets both publishers of escalations, notify and the reconciler\'s digests, read it and no other function', () => {
    for (const name of ['notify', 'reconcile'] as const) {
      expect(environment(name)).toMatchObject({ CHAT_WEBHOOK_FORMAT: 'mattermost', CHAT_WEBHOOK_URL_SECRET_ARN: { Ref: secretId } });
      expect(allows(functionStatements(synthesized, name), 'secretsmanager:GetSecretValue', { Ref: secretId })).toBe(true);
    }
    for (const name of ['classify', 'analyze', 'remediate'] as const) {
      expect(allows(functionStatements(synthesized, name), 'secretsmanager:GetSecretValue', { Ref: secretId })).toBe(false);
    }
  });

  it('creates no such secret without the context, and names a format it does not know', () => {
    const plain = synth().template;
    expect(Object.keys(plain.findResources('AWS::SecretsManager::Secret')).filter((id) => id.startsWith('ChatWebhookUrlSecret'))).toHaveLength(0);
    expect(() => settingsFrom({ chatWebhookFormat: 'discord' })).toThrow(/chatWebhookFormat must be one of slack, mattermost, teams/);
  });
});
