/**
 * One open escalation per problem, kept in the incidents table (item `ESCALATION#<problem key>`).
 *
 * The first occurrence of a problem opens a window and is the one that pages; every later occurrence inside the
 * window only adds to the counts of that open escalation. The first occurrence after the window has passed opens
 * the next window and pages again with the counts since the problem was first seen: the digest.
 *
 * dynalite has no transactions, so every decision is one conditional write: two executions that see the same
 * problem at once cannot both open the window, and a retried step (same incident) is never counted twice.
 *
 * The page is claimed before it is published and recorded on the incident after: a crash in between must not lose
 * it, so a retry of the incident that opened the window may send it again — once. Each send is a claim on the item
 * (`sends`, at most {@link MAX_SENDS_PER_WINDOW}); a publish that failed gives its claim back (`unsent`), so only a
 * page that may have gone out uses one up. However often a step is retried or an incident re-driven after a crash
 * between publish and record, on-call gets the page and at most one duplicate.
 *
 * Repeats counted on a window are reported when it ends, in one digest: each counted repeat also writes (idempotently)
 * a due entry `DIGEST#<day the window ends>` / `<end>#<problem key>` — a time-bucketed index the reconciler queries
 * for the days of its look-back, with no secondary index to add to the table. The digest is claimed on the ledger
 * item (`digestFor` = the window, `digestClaimedAt` = the claim) before it is sent and marked sent after, so two
 * reconciler runs never send it twice; the entry is deleted once the digest is sent or has nothing left to report
 * (a newer page already carried the counts).
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDueIndex, storedDueKey } from './due-index.js';
import { conditionalWrite } from './dynamo.js';
import type { DigestDue, EscalationDigest, EscalationDigests, EscalationLedger, EscalationOccurrence, EscalationTally } from '../ports.js';

/** Escalation items outlive any window (≤ 7 days) by enough to carry "first seen" across a quiet week. */
const LEDGER_TTL_SECONDS = 30 * 86_400;
/** A due entry nobody read (the reconciler was off for longer than its look-back) expires a week after its window. */
const DUE_TTL_SECONDS = 7 * 86_400;
/** A claim not marked sent after this long is taken to have died with its run; longer than any reconciler run. */
const DIGEST_LEASE_MS = 10 * 60_000;
/** Sends of one window's page by the incident that opened it: the page, and one more after a crash (see above). */
const MAX_SENDS_PER_WINDOW = 2;
/**
 * Incident ids a window remembers (`seen`), so that a retried step is not counted twice. Past them, a repeat is still
 * counted but not remembered (its retry may then count once more): every id makes the item larger, and an outsider
 * who makes a repository's `issues` workflow fail on each issue they open adds one an issue, so about 5,000 ids of 80
 * characters took the item past DynamoDB's 400 KB, after which every occurrence of the problem failed to be recorded
 * until the window ended. 1,000 ids of at most 80 characters keep it under 90 KB (with their members of at most 255
 * bytes, under 350 KB). An occurrence that must be named in the digest (`beforeDigest`) is refused past them
 * (`digestFull`), as after the digest's claim: its caller names it on another item (an alarm group's next digest).
 */
export const MAX_SEEN_PER_WINDOW = 1_000;
/** How many keys {@link EscalationLedger.record}'s hint of open windows holds (see `openWindows`). */
const OPEN_WINDOW_HINTS = 1_000;

/** The digests' due entries (see the top of this file): by the problem's key and the end of its window. */
const digestsDue = (client: DynamoDBDocumentClient, tableName: string) => createDueIndex({ client, tableName, prefix: 'DIGEST#' });

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
  /** When the current window's page was published, as its sender marked it after the publish (`published`). */
  publishedAt?: string;
  /** When the current window's page began to be published, as its sender marked it before the publish (`publishing`). */
  publishingAt?: string;
  lastSeen?: string;
  lastIncident?: string;
  /** Sends of this window's page claimed by its owner (absent on items written before sends were claimed). */
  sends?: number;
  label?: string;
  seen?: Set<string>;
  digestFor?: string;
  digestClaimedAt?: string;
  /** The claim of the current window's digest once it was sent (see `sent`). */
  digestSentAt?: string;
  /** The remembered occurrences' `member`s (an alarm group's alarms), for the digest to name. */
  members?: Set<string>;
  /**
   * The messages of a split digest published so far, each `<window start> <key>` (see `messagePublished`): removed when
   * the digest is marked sent; an abandoned window's few stay until the item expires, read by no other window.
   */
  digestMessagesSent?: Set<string>;
}

/**
 * The most UTF-8 bytes of one `member` the item keeps: CloudWatch's longest alarm name (255 characters) in ASCII, so
 * 1,000 of them and their ids stay under 350 KB of DynamoDB's 400 KB (a count, not characters: 255 three-byte
 * characters are 765 bytes).
 */
const MAX_MEMBER_BYTES = 255;
/** Hex digits of the name's hash that a cut member ends with. */
const MEMBER_HASH_DIGITS = 12;

/**
 * A member as the item keeps it (kept in a set, so equal strings are one member): whole when it fits
 * {@link MAX_MEMBER_BYTES}, else cut and ended with a hash of the whole name, so two long names that share their
 * start stay two members (a plain cut made them one, and the digest named one alarm for several).
 */
function boundedMember(member: string): string {
  if (Buffer.byteLength(member) <= MAX_MEMBER_BYTES) return member;
  const suffix = `…#${createHash('sha256').update(member).digest('hex').slice(0, MEMBER_HASH_DIGITS)}`;
  let kept = '';
  let bytes = Buffer.byteLength(suffix);
  for (const character of member) {
    bytes += Buffer.byteLength(character);
    if (bytes > MAX_MEMBER_BYTES) break;
    kept += character;
  }
  return `${kept}${suffix}`;
}

/** An occurrence's `member` as the item keeps it: bounded (see {@link boundedMember}). */
const memberOf = (occurrence: EscalationOccurrence) => (occurrence.member ? new Set([boundedMember(occurrence.member)]) : null);

/** The current window's digest is claimed or sent: what the window counts from now on no digest names. */
const digestClaimedOf = (item: LedgerItem | undefined) => item?.windowStart !== undefined && item.digestFor === item.windowStart;

/** The window remembers as many occurrences as it may: one more would be counted, but named in no digest. */
const digestFullOf = (item: LedgerItem | undefined) => (item?.seen?.size ?? 0) >= MAX_SEEN_PER_WINDOW;

/**
 * Why a `beforeDigest` occurrence the window does not remember is refused, as the answer says it: its digest is claimed
 * (or sent), or full; null when neither (a concurrent count of the same occurrence, or a window that ended).
 */
function refusedBeforeDigest(item: LedgerItem | undefined): Pick<EscalationTally, 'digestClaimed' | 'digestFull'> | null {
  if (digestClaimedOf(item)) return { digestClaimed: true };
  if (digestFullOf(item)) return { digestFull: true };
  return null;
}

function tallyOf(item: LedgerItem | undefined, send: boolean, previousSentAt: string | null): EscalationTally {
  return {
    send,
    windowCount: item?.windowCount ?? 0,
    total: item?.total ?? 0,
    firstSeen: item?.firstSeen ?? null,
    windowStart: item?.windowStart ?? null,
    previousSentAt,
    ...(item?.owner ? { owner: item.owner } : {}),
  };
}

export function createDynamoEscalationLedger(options: { client: DynamoDBDocumentClient; tableName: string }): EscalationLedger {
  const { client, tableName } = options;
  const dueDigests = digestsDue(client, tableName);
  const read = async (key: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: escalationLedgerKey(key), ConsistentRead: true }))).Item as LedgerItem | undefined;

  /**
   * Opens the occurrence's window: when none is open (`cutoff`), or in place of the one `from` opened (`takeOver`).
   */
  async function open(occurrence: EscalationOccurrence, when: { cutoff: string } | { from: { owner: string; windowStart: string } }): Promise<EscalationTally | null> {
    const at = occurrence.at.toISOString();
    const member = memberOf(occurrence);
    const response = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: escalationLedgerKey(occurrence.key),
          UpdateExpression:
            'SET #windowStart = :at, #owner = :id, #windowCount = :one, #sends = :one, #seen = :ids, #lastSeen = :at, #lastSentAt = :at, ' +
            `#firstSeen = if_not_exists(#firstSeen, :at), #expiresAt = :expiresAt, #label = :label${member ? ', #members = :member' : ''} ADD #total :one REMOVE #publishedAt, #publishingAt${member ? '' : ', #members'}`,
          ConditionExpression: 'cutoff' in when ? 'attribute_not_exists(#windowStart) OR #windowStart < :cutoff' : '#owner = :from AND #windowStart = :fromStart',
          ExpressionAttributeNames: {
            '#windowStart': 'windowStart', '#owner': 'owner', '#windowCount': 'windowCount', '#sends': 'sends', '#seen': 'seen', '#lastSeen': 'lastSeen',
            '#lastSentAt': 'lastSentAt', '#firstSeen': 'firstSeen', '#expiresAt': 'expiresAt', '#label': 'label', '#total': 'total', '#members': 'members',
            '#publishedAt': 'publishedAt', '#publishingAt': 'publishingAt',
          },
          ExpressionAttributeValues: {
            ':at': at, ':id': occurrence.incidentId, ':one': 1, ':ids': new Set([occurrence.incidentId]),
            ...('cutoff' in when ? { ':cutoff': when.cutoff } : { ':from': when.from.owner, ':fromStart': when.from.windowStart }),
            ':expiresAt': Math.floor(occurrence.at.getTime() / 1000) + LEDGER_TTL_SECONDS, ':label': occurrence.label.slice(0, 300),
            ...(member ? { ':member': member } : {}),
          },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    if (!response) return null;
    const old = response.Attributes as LedgerItem | undefined;
    return {
      send: true,
      windowCount: 1,
      total: (old?.total ?? 0) + 1,
      firstSeen: old?.firstSeen ?? at,
      windowStart: at,
      previousSentAt: old?.lastSentAt ?? null,
      owner: occurrence.incidentId,
    };
  }

  async function count(occurrence: EscalationOccurrence, cutoff: string): Promise<EscalationTally | null> {
    // Remembered while the window has room for its id, else only counted (see MAX_SEEN_PER_WINDOW): two writes, each
    // conditional on which of the two the item is in, so concurrent occurrences never count one twice by racing. One
    // that must be named in the digest (`beforeDigest`) is only counted if remembered: else no digest would name it.
    const member = memberOf(occurrence);
    for (const remember of occurrence.beforeDigest ? [true] : [true, false]) {
      const named = remember && member !== null;
      const response = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: escalationLedgerKey(occurrence.key),
            UpdateExpression: `ADD #windowCount :one, #total :one${remember ? ', #seen :ids' : ''}${named ? ', #members :member' : ''} SET #lastSeen = :at, #lastIncident = :id`,
            ConditionExpression:
              `attribute_exists(#windowStart) AND #windowStart >= :cutoff AND NOT contains(#seen, :id) AND size(#seen) ${remember ? '<' : '>='} :maxSeen` +
              (occurrence.beforeDigest ? ' AND (attribute_not_exists(#digestFor) OR #digestFor <> #windowStart)' : '') +
              (occurrence.startedBy ? ' AND #windowStart <= :startedBy' : ''),
            ExpressionAttributeNames: {
              '#windowCount': 'windowCount', '#total': 'total', '#seen': 'seen', '#lastSeen': 'lastSeen', '#windowStart': 'windowStart', '#lastIncident': 'lastIncident',
              ...(named ? { '#members': 'members' } : {}),
              ...(occurrence.beforeDigest ? { '#digestFor': 'digestFor' } : {}),
            },
            ExpressionAttributeValues: {
              ':one': 1, ':id': occurrence.incidentId, ':at': occurrence.at.toISOString(), ':cutoff': cutoff, ':maxSeen': MAX_SEEN_PER_WINDOW,
              ...(remember ? { ':ids': new Set([occurrence.incidentId]) } : {}),
              ...(named ? { ':member': member } : {}),
              ...(occurrence.startedBy ? { ':startedBy': occurrence.startedBy.toISOString() } : {}),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      if (response) return tallyOf(response.Attributes as LedgerItem, false, (response.Attributes as LedgerItem).lastSentAt ?? null);
    }
    return null;
  }

  /**
   * A retry of the incident that opened the window: its page may not have gone out (a crash between publish and
   * record), so it may send again while the window's sends are under {@link MAX_SENDS_PER_WINDOW}. One conditional
   * write, so concurrent retries cannot both take the last send.
   */
  async function resend(occurrence: EscalationOccurrence, item: LedgerItem): Promise<EscalationTally> {
    const claimed = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: escalationLedgerKey(occurrence.key),
          UpdateExpression: 'ADD #sends :one',
          ConditionExpression: '#owner = :id AND #windowStart = :windowStart AND (attribute_not_exists(#sends) OR #sends < :max)',
          ExpressionAttributeNames: { '#sends': 'sends', '#owner': 'owner', '#windowStart': 'windowStart' },
          ExpressionAttributeValues: { ':one': 1, ':id': occurrence.incidentId, ':windowStart': item.windowStart, ':max': MAX_SENDS_PER_WINDOW },
        }),
      ),
    );
    if (claimed) return tallyOf(item, true, item.lastSentAt ?? null);
    return { ...tallyOf(item, false, item.lastSentAt ?? null), alreadySent: true };
  }

  /**
   * A repeat was counted on an open window: its digest is due when the window ends. Written after the count and
   * again on a retried step (the same key, so idempotent); an entry whose window has nothing to report is dropped
   * by the reconciler.
   */
  async function digestDue(occurrence: EscalationOccurrence, tally: EscalationTally): Promise<EscalationTally> {
    if (!occurrence.digest || tally.send || tally.windowCount < 2 || !tally.windowStart) return tally;
    const dueAt = new Date(Date.parse(tally.windowStart) + occurrence.windowMinutes * 60_000).toISOString();
    await dueDigests.put({ id: occurrence.key, dueAt }, { problemKey: occurrence.key, windowStart: tally.windowStart }, DUE_TTL_SECONDS);
    return tally;
  }

  /**
   * Sets (`set`) or removes a publish mark of the owner's window only (a window opened anew removes the marks), set to
   * the occurrence's own time, when it was sent.
   *
   * The `publishingAt` mark is only ever its window's first: a token's request sent twice (the ledger's one re-send,
   * after the first attempt died between its publish and `published`) leaves the first attempt's mark, whose e-mail
   * may be out, and taking a mark back removes only the mark this attempt wrote (the same time). Set over it and
   * removed unconditionally, a failed re-send erased the first e-mail's trace, and the retry's request (a new token)
   * said nothing of the e-mail on-call held (attack-45a A1, session 43).
   */
  async function markPublish(occurrence: EscalationOccurrence, mark: 'publishedAt' | 'publishingAt', set: boolean): Promise<void> {
    const firstOnly = set && mark === 'publishingAt';
    await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: escalationLedgerKey(occurrence.key),
          UpdateExpression: set ? `SET #mark = ${firstOnly ? 'if_not_exists(#mark, :at)' : ':at'}` : 'REMOVE #mark',
          ConditionExpression: set ? '#owner = :id' : '#owner = :id AND #mark = :at',
          ExpressionAttributeNames: { '#mark': mark, '#owner': 'owner' },
          ExpressionAttributeValues: { ':at': occurrence.at.toISOString(), ':id': occurrence.incidentId },
        }),
      ),
    );
  }

  /**
   * Keys whose window this ledger last found open (bounded, cleared when full): a hint of where {@link record} counts
   * before it reads. Only which calls are made depends on it, never what is recorded or answered.
   */
  const openWindows = new Set<string>();
  const noteWindow = (key: string, open: boolean) => {
    if (!open) return void openWindows.delete(key);
    if (openWindows.size >= OPEN_WINDOW_HINTS) openWindows.clear();
    openWindows.add(key);
  };

  return {
    async record(occurrence) {
      const cutoff = new Date(occurrence.at.getTime() - occurrence.windowMinutes * 60_000).toISOString();
      // Where the window was open at the last record, the count goes first: its conditions refuse every case the read
      // below sets apart before counting (a window closed or not yet open, an id it has seen — its opener's too, which
      // opening put there — a digest claimed or full for a `beforeDigest` occurrence, a window that started after
      // `startedBy`), so a count that lands is the count the read would have led to, with the same answer. One refused
      // goes the long way. An alarm storm's group keys were read before each of their counts (3 reads an alarm).
      if (openWindows.has(occurrence.key)) {
        const counted = await count(occurrence, cutoff);
        if (counted) return digestDue(occurrence, counted);
      }
      const item = await read(occurrence.key);
      const windowOpen = item?.windowStart !== undefined && item.windowStart >= cutoff;
      noteWindow(occurrence.key, windowOpen || occurrence.mayOpen);
      // A retried step of the incident that opened the window: its page may not have gone out, so it may send again.
      if (windowOpen && item?.owner === occurrence.incidentId) return resend(occurrence, item);
      if (windowOpen && item?.seen?.has(occurrence.incidentId)) return digestDue(occurrence, tallyOf(item, false, item.lastSentAt ?? null));
      const refused = windowOpen && occurrence.beforeDigest ? refusedBeforeDigest(item) : null;
      if (refused) return { ...tallyOf(item, false, item?.lastSentAt ?? null), ...refused };
      // A window that started after the occurrence may count it is not its window (see `startedBy`): read, not counted.
      if (windowOpen && occurrence.startedBy && item.windowStart! > occurrence.startedBy.toISOString()) return tallyOf(item, false, item.lastSentAt ?? null);
      if (!windowOpen) {
        if (!occurrence.mayOpen) return tallyOf(item, false, item?.lastSentAt ?? null);
        const opened = await open(occurrence, { cutoff });
        if (opened) return opened;
      }
      // The window is open (or another execution opened it a moment ago): this occurrence is counted on it.
      const counted = await count(occurrence, cutoff);
      if (counted) return digestDue(occurrence, counted);
      const latest = await read(occurrence.key);
      // Refused because the digest was claimed (or filled up) between the read and the count: it is in no digest.
      const refusedSince = occurrence.beforeDigest && !latest?.seen?.has(occurrence.incidentId) ? refusedBeforeDigest(latest) : null;
      if (refusedSince) return { ...tallyOf(latest, false, latest?.lastSentAt ?? null), ...refusedSince };
      return tallyOf(latest, false, latest?.lastSentAt ?? null);
    },

    takeOver: (occurrence, from) => open(occurrence, { from }),

    publishing: (occurrence, underWay) => markPublish(occurrence, 'publishingAt', underWay),

    published: (occurrence) => markPublish(occurrence, 'publishedAt', true),

    async lastSent(key) {
      // The marks, not the claim (`sends`): a claim whose publish failed and could not be given back sent nothing, and a
      // retried approval request told on-call it replaced an e-mail they never got (attack-44c S6). The mark written
      // before the publish alone says it may have gone out (session 43); neither (an item written before the marks, a
      // publish not begun): nothing was sent.
      const item = await read(key);
      if (item?.publishedAt) return { at: item.publishedAt, certain: true };
      return item?.publishingAt ? { at: item.publishingAt, certain: false } : null;
    },

    async opener(key) {
      const item = await read(key);
      return item?.owner && item.windowStart ? { owner: item.owner, windowStart: item.windowStart } : null;
    },

    async digestClaimedNaming(key, member) {
      const item = await read(key);
      if (!digestClaimedOf(item) || !item?.members?.has(boundedMember(member))) return null;
      return item.digestClaimedAt ?? item.digestSentAt ?? null;
    },

    async unsent(occurrence) {
      // Only the owner's claim, and never below zero: a late or repeated give-back changes nothing.
      await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: escalationLedgerKey(occurrence.key),
            UpdateExpression: 'ADD #sends :minusOne',
            ConditionExpression: '#owner = :id AND #sends > :zero',
            ExpressionAttributeNames: { '#sends': 'sends', '#owner': 'owner' },
            ExpressionAttributeValues: { ':minusOne': -1, ':id': occurrence.incidentId, ':zero': 0 },
          }),
        ),
      );
    },
  };
}

/** The keys of the messages of the window `windowStart`'s digest published so far (see `messagePublished`). */
function publishedMessagesOf(item: LedgerItem, windowStart: string): Pick<EscalationDigest, 'publishedMessages'> {
  const keys = [...(item.digestMessagesSent ?? [])].filter((entry) => entry.startsWith(`${windowStart} `)).map((entry) => entry.slice(windowStart.length + 1));
  return keys.length ? { publishedMessages: keys } : {};
}

/** The reconciler's side of the ledger: digests of windows that have ended (see the top of this file). */
export function createDynamoEscalationDigests(options: { client: DynamoDBDocumentClient; tableName: string }): EscalationDigests {
  const { client, tableName } = options;
  const dueDigests = digestsDue(client, tableName);
  /** Where the digest's due entry is: at the window's end until a send failed, later after each failure. */
  const entryOf = (due: DigestDue) => ({ id: due.problemKey, dueAt: due.retryAt ?? due.dueAt });
  const drop = (due: DigestDue) => dueDigests.drop(entryOf(due));
  /** An update of the ledger item only the holder of the digest's claim may make; false when the claim is not held. */
  async function asClaimHolder(digest: EscalationDigest, update: string, names: Record<string, string>, values: Record<string, unknown> = {}): Promise<boolean> {
    const updated = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: escalationLedgerKey(digest.problemKey),
          UpdateExpression: update,
          ConditionExpression: '#digestFor = :window AND #digestClaimedAt = :claim',
          ExpressionAttributeNames: { '#digestFor': 'digestFor', '#digestClaimedAt': 'digestClaimedAt', ...names },
          ExpressionAttributeValues: { ':window': digest.windowStart, ':claim': digest.claim, ...values },
        }),
      ),
    );
    return updated !== null;
  }

  return {
    async due(now, options) {
      const items = await dueDigests.due(now, options);
      return items.map((item) => {
        const entryAt = storedDueKey(item).dueAt;
        // A moved entry keeps the window's end (`windowEnd`); before, the entry is due at it.
        const dueAt = typeof item.windowEnd === 'string' ? item.windowEnd : String(item.dueAt);
        return {
          problemKey: String(item.problemKey),
          windowStart: String(item.windowStart),
          dueAt,
          ...(typeof item.failures === 'number' ? { failures: item.failures } : {}),
          ...(entryAt !== dueAt ? { retryAt: entryAt } : {}),
        };
      });
    },

    async retry(due, at) {
      const attributes = { problemKey: due.problemKey, windowStart: due.windowStart, windowEnd: due.dueAt, failures: (due.failures ?? 0) + 1 };
      return dueDigests.move(entryOf(due), { id: due.problemKey, dueAt: at.toISOString() }, attributes, DUE_TTL_SECONDS);
    },

    abandon: drop,

    async claim(due, now) {
      const item = (await client.send(new GetCommand({ TableName: tableName, Key: escalationLedgerKey(due.problemKey), ConsistentRead: true }))).Item as
        | LedgerItem
        | undefined;
      // A newer window's page carried the counts, or the item expired: nothing left to report.
      if (!item || item.windowStart !== due.windowStart || (item.windowCount ?? 0) < 2) {
        await drop(due);
        return null;
      }
      // Sent by an earlier run whose clean-up of the entry did not happen.
      if (item.digestFor === due.windowStart && !item.digestClaimedAt) {
        await drop(due);
        return null;
      }
      const claim = now.toISOString();
      const claimed = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: escalationLedgerKey(due.problemKey),
            UpdateExpression: 'SET #digestFor = :window, #digestClaimedAt = :claim',
            ConditionExpression:
              '#windowStart = :window AND (attribute_not_exists(#digestFor) OR #digestFor <> :window OR #digestClaimedAt < :stale)',
            ExpressionAttributeNames: { '#digestFor': 'digestFor', '#digestClaimedAt': 'digestClaimedAt', '#windowStart': 'windowStart' },
            ExpressionAttributeValues: { ':window': due.windowStart, ':claim': claim, ':stale': new Date(now.getTime() - DIGEST_LEASE_MS).toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      // Claimed by another run (or sent since the read): nothing for this one to do.
      if (!claimed) return null;
      // The item as the claim left it: an occurrence counted between the read above and the claim is named too, and
      // one after it is refused (`beforeDigest`), so every occurrence told "named in its digest" is in this one.
      Object.assign(item, claimed.Attributes as LedgerItem);
      return {
        ...due,
        label: item.label ?? due.problemKey,
        repeats: (item.windowCount ?? 1) - 1,
        total: item.total ?? item.windowCount ?? 1,
        firstSeen: item.firstSeen ?? due.windowStart,
        lastSeen: item.lastSeen ?? due.windowStart,
        lastIncidentId: item.lastIncident ?? null,
        ...(item.members?.size ? { members: [...item.members].sort() } : {}),
        ...publishedMessagesOf(item, due.windowStart),
        claim,
      };
    },

    async sent(digest) {
      // Not ours any more (the lease ran out and another run claimed it): that run finishes the entry.
      const update = 'SET #digestSentAt = :claim REMOVE #digestClaimedAt, #digestMessagesSent';
      if (await asClaimHolder(digest, update, { '#digestSentAt': 'digestSentAt', '#digestMessagesSent': 'digestMessagesSent' })) await drop(digest);
    },

    async messagePublished(digest, key) {
      // Only the claim's holder records: a run whose lease ran out has another run sending the window's messages.
      await asClaimHolder(digest, 'ADD #digestMessagesSent :message', { '#digestMessagesSent': 'digestMessagesSent' }, { ':message': new Set([`${digest.windowStart} ${key}`]) });
    },

    async release(digest) {
      await asClaimHolder(digest, 'REMOVE #digestFor, #digestClaimedAt', {});
    },
  };
}
