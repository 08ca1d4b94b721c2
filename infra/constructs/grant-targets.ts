import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { GrantTarget } from '../service-access.js';

/**
 * Which of a stack's resources each name of GRANT_TARGETS (infra/service-access.ts) is: the stack names its topic,
 * state machine, runbook documents and so on where it makes them, and each GuardFunction's validation refuses a grant
 * of an action on anything else. A name the stack never gave (no runbooks configured, say) is no resource at all.
 */
export class GrantTargets {
  private static readonly ofStack = new WeakMap<Stack, GrantTargets>();

  static of(scope: IConstruct): GrantTargets {
    const stack = Stack.of(scope);
    let targets = GrantTargets.ofStack.get(stack);
    if (!targets) {
      targets = new GrantTargets();
      GrantTargets.ofStack.set(stack, targets);
    }
    return targets;
  }

  private readonly arns = new Map<GrantTarget, string[]>();

  private constructor() {}

  /** Says that `arns` (tokens as well) are what `target` names. */
  name(target: GrantTarget, ...arns: readonly string[]): this {
    this.arns.set(target, [...(this.arns.get(target) ?? []), ...arns]);
    return this;
  }

  arnsOf(target: GrantTarget): readonly string[] {
    return this.arns.get(target) ?? [];
  }
}
