import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Incident } from '../../shared/domain/incident.js';
import type { IncidentStore } from '../../shared/stores/incident-store.js';

/** The process died here (a `kill -9`, a Lambda timeout): thrown by {@link clientFailingAtWrite}. */
export class SimulatedCrash extends Error {}

/**
 * The store's client, failing its write number `failAt` (1-based; 0: never) with `fault.error()`. After it, calls are
 * answered (`thereafter: 'answer'`: the write alone failed, as a throttle or a crash the caller never sees past) or
 * fail too (`'fail'`: the process died, and nothing that catches the first failure can go on writing). `writes`
 * counts the writes tried.
 */
export function clientFailingAtWrite(
  client: DynamoDBDocumentClient,
  failAt: number,
  fault: { error: () => Error; thereafter: 'answer' | 'fail' },
): { client: DynamoDBDocumentClient; writes: () => number } {
  let writes = 0;
  const send = (command: { constructor: { name: string } }) => {
    if (fault.thereafter === 'fail' && failAt > 0 && writes >= failAt) return Promise.reject(fault.error());
    if (/^(Put|Update|Delete|BatchWrite)Command$/.test(command.constructor.name)) {
      writes += 1;
      if (writes === failAt) return Promise.reject(fault.error());
    }
    return client.send(command as never);
  };
  return { client: new Proxy(client, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) }), writes: () => writes };
}

/**
 * Runs `work`, which may die of a {@link SimulatedCrash}: true when it did (any other error is thrown). A crash inside
 * a write the store names as a cause (the pull request alias's, PullAliasWriteError) is the same crash.
 */
export async function diesOfCrash(work: Promise<unknown>): Promise<boolean> {
  return work.then(
    () => false,
    (error: unknown) => {
      if (!(error instanceof SimulatedCrash) && !(error instanceof Error && error.cause instanceof SimulatedCrash)) throw error;
      return true;
    },
  );
}

/** DynamoDB refusing write number `failAt` once, for now (a throttle), then answering again. */
export function throttlingClient(client: DynamoDBDocumentClient, failAt: number): DynamoDBDocumentClient {
  const throttle = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException', $retryable: {} });
  return clientFailingAtWrite(client, failAt, { error: throttle, thereafter: 'answer' }).client;
}

/**
 * `store`, except that a write of incident `id` as resolved (by either of its writes that move a status) dies of a
 * {@link SimulatedCrash} before it lands: the process killed between what came before that write and the write.
 */
export function incidentsKilledOnResolving(store: IncidentStore, id: string): IncidentStore {
  const kill = (target: string, fields: Partial<Incident>) => {
    if (target === id && fields.status === 'resolved') throw new SimulatedCrash('killed');
  };
  return {
    ...store,
    async update(target, fields, append) {
      kill(target, fields);
      return store.update(target, fields, append);
    },
    async updateIfStatusMoves(target, fields, append, options) {
      kill(target, fields);
      return store.updateIfStatusMoves(target, fields, append, options);
    },
  };
}

/** `store`, killed once just after its write of `resolved` landed: the recovery dies before its follow-ups. */
export function killedAfterResolving(store: IncidentStore): IncidentStore {
  let killed = false;
  return {
    ...store,
    async updateIfStatusMoves(...args: Parameters<IncidentStore['updateIfStatusMoves']>) {
      const written = await store.updateIfStatusMoves(...args);
      if (!killed && args[1].status === 'resolved') {
        killed = true;
        throw new SimulatedCrash('killed after resolved was written');
      }
      return written;
    },
  };
}
