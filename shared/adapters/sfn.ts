import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '../ports.js';

/**
 * Starts Step Functions executions by name. For a Standard workflow a second start with the same name is
 * answered with the original execution (while it runs) or ExecutionAlreadyExists (after): either way,
 * nothing new runs.
 */
export function createSfnStarter(client: SFNClient, stateMachineArn: string): WorkflowStarter {
  return {
    async start(name, input) {
      try {
        const response = await client.send(
          new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
        );
        return { executionId: response.executionArn ?? name, alreadyStarted: false };
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) {
          return { executionId: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, alreadyStarted: true };
        }
        throw error;
      }
    },
  };
}
