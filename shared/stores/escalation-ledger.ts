/**
 * One open escalation per problem, kept in the incidents table (item `ESCALATION#<problem key>`).
 *
 * The first occurrence of a problem opens a window and is the one that pages; every later occurrence inside the
 * window only adds to the counts of that open escalation. The first occurrence after the window has passed opens
 * the next window and pages again with the counts since the problem was first seen: the digest.
 *
 * dynalite has no transactions, so every decision is one conditional write: two executions that see the same
 * problem at once cannot both open the window, and a retried step (same incident) is never counted twice.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EscalationLedger, EscalationOccurrence, EscalationTally } from '../ports.js';

/** Escalation items outlive any window (≤ 7 days) by enough to carry "first seen" across a quiet week. */
const LEDGER_TTL_SECONDS = 30 * 86_400;

export function escalationLedgerKey(problemKey: string): { pk: string; sk: string } {
  return { pk: `ESCALATION#${problemKey}`, sk: 'ESCALATION' };
}

interface LedgerItem {
  windowStart?: string;
  owner?: string;
  windowCount?: number;
  total?: number;
  firstSeen?: string;
  lastSentAt?: string;
  seen?: Set<string>;
}

function tallyOf(item: LedgerItem | undefined, send: boolean, previousSentAt: string | null): EscalationTally {
  return {
    send,
    windowCount: item?.windowCount ?? 0,
    total: item?.total ?? 0,
    firstSeen: item?.firstSeen ?? null,
    windowStart: item?.windowStart ?? null,
    previousSentAt,
  };
}

export function createDynamoEscalationLedger(options: { client: DynamoDBDocumentClient; tableName: string }): EscalationLedger {
  const { client, tableName } = options;
  const read = async (key: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: escalationLedgerKey(key), ConsistentRead: true }))).Item as LedgerItem | undefined;

  async function open(occurrence: EscalationOccurrence, cutoff: string): Promise<EscalationTally | null> {
    const at = occurrence.at.toISOString();
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: escalationLedgerKey(occurrence.key),
          UpdateExpression:
            'SET #windowStart = :at, #owner = :id, #windowCount = :one, #seen = :ids, #lastSeen = :at, #lastSentAt = :at, ' +
            '#firstSeen = if_not_exists(#firstSeen, :at), #expiresAt = :expiresAt, #label = :label ADD #total :one',
          ConditionExpression: 'attribute_not_exists(#windowStart) OR #windowStart < :cutoff',
          ExpressionAttributeNames: {
            '#windowStart': 'windowStart', '#owner': 'owner', '#windowCount': 'windowCount', '#seen': 'seen', '#lastSeen': 'lastSeen',
            '#lastSentAt': 'lastSentAt', '#firstSeen': 'firstSeen', '#expiresAt': 'expiresAt', '#label': 'label', '#total': 'total',
          },
          ExpressionAttributeValues: {
            ':at': at, ':id': occurrence.incidentId, ':one': 1, ':ids': new Set([occurrence.incidentId]), ':cutoff': cutoff,
            ':expiresAt': Math.floor(occurrence.at.getTime() / 1000) + LEDGER_TTL_SECONDS, ':label': occurrence.label.slice(0, 300),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = response.Attributes as LedgerItem | undefined;
      return {
        send: true,
        windowCount: 1,
        total: (old?.total ?? 0) + 1,
        firstSeen: old?.firstSeen ?? at,
        windowStart: at,
        previousSentAt: old?.lastSentAt ?? null,
      };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async function count(occurrence: EscalationOccurrence, cutoff: string): Promise<EscalationTally | null> {
    try {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: escalationLedgerKey(occurrence.key),
          UpdateExpression: 'ADD #windowCount :one, #total :one, #seen :ids SET #lastSeen = :at',
          ConditionExpression: 'attribute_exists(#windowStart) AND #windowStart >= :cutoff AND NOT contains(#seen, :id)',
          ExpressionAttributeNames: { '#windowCount': 'windowCount', '#total': 'total', '#seen': 'seen', '#lastSeen': 'lastSeen', '#windowStart': 'windowStart' },
          ExpressionAttributeValues: { ':one': 1, ':ids': new Set([occurrence.incidentId]), ':id': occurrence.incidentId, ':at': occurrence.at.toISOString(), ':cutoff': cutoff },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return tallyOf(response.Attributes as LedgerItem, false, (response.Attributes as LedgerItem).lastSentAt ?? null);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  return {
    async record(occurrence) {
      const cutoff = new Date(occurrence.at.getTime() - occurrence.windowMinutes * 60_000).toISOString();
      const item = await read(occurrence.key);
      const windowOpen = item?.windowStart !== undefined && item.windowStart >= cutoff;
      // A retried step of the incident that opened the window: its page may not have gone out, so it sends again.
      if (windowOpen && item?.owner === occurrence.incidentId) return tallyOf(item, true, item.lastSentAt ?? null);
      if (windowOpen && item?.seen?.has(occurrence.incidentId)) return tallyOf(item, false, item.lastSentAt ?? null);
      if (!windowOpen) {
        if (!occurrence.mayOpen) return tallyOf(item, false, item?.lastSentAt ?? null);
        const opened = await open(occurrence, cutoff);
        if (opened) return opened;
      }
      // The window is open (or another execution opened it a moment ago): this occurrence is counted on it.
      const counted = await count(occurrence, cutoff);
      if (counted) return counted;
      const latest = await read(occurrence.key);
      return tallyOf(latest, false, latest?.lastSentAt ?? null);
    },
  };
}
