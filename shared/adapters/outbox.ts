import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { filterAttributes } from '../notify/message-attributes.js';
import type { EscalationPublisher } from '../ports.js';

export interface OutboxEntry {
  id: string;
  at: string;
  kind: string;
  [key: string]: unknown;
}

/**
 * The entries of an outbox file's text. A line that is not JSON (cut short by a crash while it was written) is passed
 * over: it must not hide the others, which the local runbook runner reads before each start.
 */
export function parseOutbox(text: string): OutboxEntry[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as OutboxEntry];
    } catch {
      return [];
    }
  });
}

/** Appends one JSON line per message: the local runtime's stand-in for SNS (and, without a token, for GitHub). */
export function createOutbox(path: string, options: { echo?: (line: string) => void } = {}) {
  async function write(entry: Omit<OutboxEntry, 'id' | 'at'>): Promise<OutboxEntry> {
    const full = { id: randomUUID(), at: new Date().toISOString(), ...entry } as OutboxEntry;
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, `${JSON.stringify(full)}\n`, 'utf8');
    options.echo?.(`[outbox] ${full.kind}: ${String(entry.subject ?? entry.target ?? '')}`);
    return full;
  }
  /** What was written so far, this process's and earlier runs' alike (a missing file is an empty outbox). */
  async function entries(): Promise<OutboxEntry[]> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return parseOutbox(text);
  }
  const publisher: EscalationPublisher = {
    async publish(message) {
      // Recorded as the SNS publisher sends them, so what `npm start` shows is what AWS would publish.
      const entry = await write({ kind: 'escalation', ...message, attributes: filterAttributes(message.attributes) });
      return { messageId: entry.id };
    },
  };
  return { path, write, entries, publisher };
}
export type Outbox = ReturnType<typeof createOutbox>;
