import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { TaskNotWaitingYetError, TaskTokenSpentError } from '../errors.js';
import type { ExecutionStatus, TaskTokenControl, WorkflowStarter } from '../ports.js';

/** Step Functions' documented answers to SendTaskSuccess/SendTaskFailure for a token whose wait is over. */
const SPENT_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);
/** The local runtime's answer for the token of an execution it restarted that is not back at its wait yet (infra/local/local-workflow.ts). */
const NOT_WAITING_YET_ERROR = 'TaskNotWaitingYet';

async function settling(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (error instanceof Error && SPENT_TOKEN_ERRORS.has(error.name)) throw new TaskTokenSpentError(`${error.name}: ${error.message}`, { cause: error });
    if (error instanceof Error && error.name === NOT_WAITING_YET_ERROR) throw new TaskNotWaitingYetError(`${error.name}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Starts Step Functions executions by name. For a Standard workflow a second start with the same name is
 * answered with the original execution (while it runs) or ExecutionAlreadyExists (after): either way,
 * nothing new runs.
 */
export function createSfnStarter(client: SFNClient, stateMachineArn: string): WorkflowStarter {
  const executionArn = (name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    async describe(name) {
      try {
        const response = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(name) }));
        let input: unknown = null;
        try {
          input = JSON.parse(response.input ?? 'null');
        } catch {
          // Input is always JSON we wrote; an unreadable one is treated as absent (the incident keeps the trigger).
        }
        return { status: (response.status ?? 'RUNNING') as ExecutionStatus, input };
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return null;
        throw error;
      }
    },
    async start(name, input) {
      try {
        const response = await client.send(
          new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
        );
        return { executionId: response.executionArn ?? name, alreadyStarted: false };
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) {
          return { executionId: executionArn(name), alreadyStarted: true };
        }
        throw error;
      }
    },
  };
}

/** SendTaskSuccess / SendTaskFailure for executions waiting on a task token. */
export function createSfnTaskControl(client: SFNClient): TaskTokenControl {
  return {
    succeed(taskToken, output) {
      return settling(() => client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
    },
    fail(taskToken, error, cause) {
      // Step Functions limits error to 256 and cause to 32,768 characters.
      return settling(() => client.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, 256), cause: cause.slice(0, 32_768) })));
    },
  };
}
