import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, actionsOf, allows, functionLogicalId, functionStatements, resourcesOf, scratchDir, synth } from './support.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/remediation/${name}`, import.meta.url));

describe('remediation settings', () => {
  it('validates the policy and runbook files at synth and hands them to remediate', () => {
    const synthesized = synth({ policyFile: fixture('policy.json'), runbooksFile: fixture('runbooks.json'), runbookRoleArn: 'arn:aws:iam::123456789012:role/automation' });
    const remediate = Object.values(synthesized.template.findResources('AWS::Lambda::Function')).find((r) =>
      String((r as { Properties: { Description?: string } }).Properties.Description).startsWith('Plans the remediation'),
    ) as { Properties: { Environment: { Variables: Record<string, string> }; Timeout: number } };

    expect(JSON.parse(remediate.Properties.Environment.Variables.POLICY_JSON ?? '{}')).toMatchObject({ defaults: { rateLimits: { perHour: 5 } } });
    expect(JSON.parse(remediate.Properties.Environment.Variables.RUNBOOKS_JSON ?? '[]')[0].document).toBe('Restart-Checkout-Api');
    expect(remediate.Properties.Timeout).toBe(390);
    const statements = functionStatements(synthesized, 'remediate');
    const start = statements.find((s) => actionsOf(s).includes('ssm:StartAutomationExecution'));
    expect(JSON.stringify(resourcesOf(start!))).toContain('automation-definition/Restart-Checkout-Api:*');
    expect(allows(statements, 'iam:PassRole', 'arn:aws:iam::123456789012:role/automation')).toBe(true);
  });

  it('hands the policy file to notify and the reconciler too, which page by its escalation rules', () => {
    const { stack, template } = synth({ policyFile: fixture('policy.json') });
    const variables = (name: 'notify' | 'remediate' | 'reconcile') =>
      template.toJSON().Resources[functionLogicalId(stack, stack.functions[name])].Properties.Environment.Variables as Record<string, unknown>;

    expect(JSON.parse(String(variables('notify').POLICY_JSON))).toMatchObject({ repositories: { 'acme-shop/legacy': { escalation: { branches: ['main'] } } } });
    expect(variables('notify').POLICY_JSON).toEqual(variables('remediate').POLICY_JSON);
    expect(variables('notify').RUNBOOKS_JSON).toBeUndefined();
    // The reconciler's pages about incidents the pipeline could not finish use the same windows as notify's.
    expect(variables('reconcile').POLICY_JSON).toEqual(variables('notify').POLICY_JSON);
    expect(variables('reconcile').RUNBOOKS_JSON).toBeUndefined();
  });

  it('grants no SSM or PassRole without a runbook allow-list', () => {
    const synthesized = synth();
    for (const name of ['remediate', 'reconcile'] as const) {
      expect(functionStatements(synthesized, name).some((s) => actionsOf(s).some((a) => a.startsWith('ssm:') || a === 'iam:PassRole')), name).toBe(false);
    }
  });

  // Session 42 (attack-44b R5): the reconciler reads the status of a runbook run whose holder's step ended without it.
  // Session 43 (attack-45b B9): it makes the holder's start again with its client token when its execution id was never
  // written, so it may start the allow-listed documents as remediate does, with the same role.
  it('lets the reconciler read automation executions and start the allow-listed documents as remediate does', () => {
    const synthesized = synth({ runbooksFile: fixture('runbooks.json'), runbookRoleArn: 'arn:aws:iam::123456789012:role/automation' });
    const readsExecutions = (name: 'remediate' | 'reconcile') => {
      const statements = functionStatements(synthesized, name);
      return statements.filter((s) => actionsOf(s).includes('ssm:GetAutomationExecution')).flatMap(resourcesOf);
    };
    const reconcile = functionStatements(synthesized, 'reconcile');

    expect(readsExecutions('reconcile')).toHaveLength(1);
    expect(readsExecutions('reconcile')).toEqual(readsExecutions('remediate'));
    expect(JSON.stringify(readsExecutions('reconcile'))).toContain(':automation-execution/*');
    expect(reconcile.flatMap(actionsOf).filter((a) => a.startsWith('ssm:')).sort()).toEqual(['ssm:GetAutomationExecution', 'ssm:StartAutomationExecution']);
    const starts = (name: 'remediate' | 'reconcile') =>
      functionStatements(synthesized, name).filter((s) => actionsOf(s).includes('ssm:StartAutomationExecution')).flatMap(resourcesOf);
    expect(starts('reconcile')).toEqual(starts('remediate'));
    const passes = (name: 'remediate' | 'reconcile') => functionStatements(synthesized, name).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passes('reconcile')).toEqual(passes('remediate'));
  });

  it('lets ingest and the reconciler (recorded /guard decisions left unresumed) resume executions waiting for approval, and only them', () => {
    const synthesized = synth();

    const stateMachine = { Ref: synthesized.stack.getLogicalId(synthesized.stack.stateMachine.node.defaultChild as never) };
    for (const name of ['ingest-github', 'reconcile'] as const) {
      const statements = functionStatements(synthesized, name);
      expect(allows(statements, 'states:SendTaskSuccess', stateMachine), name).toBe(true);
      expect(allows(statements, 'states:SendTaskFailure', stateMachine), name).toBe(true);
      // What shared/adapters/sfn.ts sends, nothing more, on this state machine only.
      const sendTask = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask')));
      expect(sendTask.flatMap(actionsOf).filter((a) => a.startsWith('states:SendTask')).sort(), name).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
      expect(sendTask.flatMap(resourcesOf), name).toEqual([stateMachine]);
    }
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'ingest-github' && n !== 'reconcile')) {
      expect(functionStatements(synthesized, name).some((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask'))), name).toBe(false);
    }
  });

  it('fails synth when a runbook assumes a role remediate may not pass', () => {
    const dir = scratchDir('guard-runbooks-');
    const runbooks = (role: string) => {
      const path = join(dir, `${role.split('/').pop()}.json`);
      writeFileSync(path, JSON.stringify([{ alarmNamePrefix: 'db-', document: 'Failover-Aurora', parameters: { AutomationAssumeRole: [role] } }]));
      return path;
    };
    const automation = 'arn:aws:iam::123456789012:role/automation';

    expect(() => synth({ runbooksFile: runbooks('arn:aws:iam::123456789012:role/other'), runbookRoleArn: automation })).toThrow(
      /runbooksFile: Failover-Aurora assumes arn:aws:iam::123456789012:role\/other, but remediate may pass only the runbookRoleArn role/,
    );
    expect(() => synth({ runbooksFile: runbooks(automation) })).toThrow(/set -c runbookRoleArn=arn:aws:iam::123456789012:role\/automation/);
    expect(() => synth({ runbooksFile: runbooks(automation), runbookRoleArn: automation })).not.toThrow();
  });

  it('fails synth with the key name for an invalid policy file', () => {
    expect(() => synth({ policyFile: fixture('runbooks.json') })).toThrow(/context value policyFile: policy file/);
  });
});

describe('settings files and the Lambda environment limit', () => {
  it('fails synth when the gate files would not fit in the evaluate-gate environment, and takes what fits', () => {
    const dir = scratchDir('guard-gate-');
    const callers = (count: number) => {
      const path = join(dir, `callers-${count}.json`);
      const entries = Array.from({ length: count }, (_, i) => [`arn:aws:sts::123456789012:assumed-role/ci-acme-service-${i}/*`, [`acme-shop/service-${i}`]]);
      writeFileSync(path, JSON.stringify(Object.fromEntries(entries)));
      return path;
    };

    expect(() => synth({ gateCallersFile: callers(60) })).toThrow(/gateCallersFile and gateRepositoriesFile: \d+ bytes .* over the 3000 that fit in the evaluate-gate function's 4 KB environment/);
    const { stack, template } = synth({ gateCallersFile: callers(30) });
    const variables = template.toJSON().Resources[functionLogicalId(stack, stack.functions['evaluate-gate'])].Properties.Environment.Variables;
    expect(Object.keys(JSON.parse(variables.GATE_CALLERS as string))).toHaveLength(30);
  });

  it('fails synth when the two files would not fit in the remediate environment', () => {
    const dir = scratchDir('guard-policy-');
    const repositories = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`acme-shop/service-${i}`, { dryRun: true, killSwitch: false }]));
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ repositories }));

    expect(() => synth({ policyFile: join(dir, 'big.json') })).toThrow(/over the 2800 that fit in the remediate function's 4 KB environment/);
  });
});
