import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EscalationPublisher } from '../ports.js';

export interface OutboxEntry {
  id: string;
  at: string;
  kind: string;
  [key: string]: unknown;
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
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OutboxEntry);
  }
  const publisher: EscalationPublisher = {
    async publish(message) {
      const entry = await write({ kind: 'escalation', ...message });
      return { messageId: entry.id };
    },
  };
  return { path, write, entries, publisher };
}
export type Outbox = ReturnType<typeof createOutbox>;
