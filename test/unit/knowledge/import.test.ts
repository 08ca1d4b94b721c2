import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors.js';
import { entryFromRow, importRowSchema, parseCsv, parseImportFile } from '../../../shared/knowledge/import.js';
import { parseFeedbackCommand } from '../../../shared/knowledge/feedback.js';

const HEADER = 'timestamp,title,description,service,severity,resolution_time,solution,tags,success';

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, embedded commas and newlines, and CRLF', () => {
    const rows = [...parseCsv('a,"b, c","say ""hi""\nnext line"\r\n1,2,3\r\n')];

    expect(rows).toEqual([
      ['a', 'b, c', 'say "hi"\nnext line'],
      ['1', '2', '3'],
    ]);
  });

  it('fails on an unclosed quote instead of swallowing the file', () => {
    expect(() => [...parseCsv('a,"open\nmore')]).toThrow(ValidationError);
  });
});

describe('parseImportFile', () => {
  it('maps CSV rows by header and names missing columns', () => {
    const rows = parseImportFile(`${HEADER}\n2026-01-02T03:04:05Z,npm ci failed,ECONNRESET,checkout,high,12,Re-ran the job,"network;npm",true\n`, 'csv');

    expect(rows).toEqual([
      { timestamp: '2026-01-02T03:04:05Z', title: 'npm ci failed', description: 'ECONNRESET', service: 'checkout', severity: 'high', resolution_time: '12', solution: 'Re-ran the job', tags: 'network;npm', success: 'true' },
    ]);
    expect(() => parseImportFile('title,description\nx,y', 'csv')).toThrow(/lacks timestamp/);
  });

  it('accepts a JSON array and refuses anything else', () => {
    expect(parseImportFile('[{"title":"x"}]', 'json')).toEqual([{ title: 'x' }]);
    expect(() => parseImportFile('{"title":"x"}', 'json')).toThrow(/array/);
    expect(() => parseImportFile('not json', 'json')).toThrow(ValidationError);
  });

  it('skips a byte-order mark in JSON as in CSV, and says why a JSON file does not parse', () => {
    expect(parseImportFile('\uFEFF[{"title":"x"}]', 'json')).toEqual([{ title: 'x' }]);
    expect(() => parseImportFile('[{"title": }]', 'json')).toThrow(/^the JSON file does not parse: Unexpected token '}'/);
  });
});

describe('entryFromRow', () => {
  it('derives fingerprint, category, fix, action and outcome, with secrets redacted', () => {
    // Arrange
    const row = importRowSchema.parse({
      timestamp: '2026-01-02T03:04:05Z', title: 'npm ci failed', description: 'npm ERR! network ECONNRESET token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      service: 'checkout', severity: 'High', resolution_time: '12', solution: 'Re-ran the failed job; added a cache', tags: 'network;npm', success: 'yes',
    });

    // Act
    const entry = entryFromRow(row);

    // Assert
    expect(entry.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(entry.description.category).toBe('network');
    expect(entry.description.fix).toEqual(['Re-ran the failed job', 'added a cache']);
    expect(entry.outcome).toEqual({ action: 'rerun_failed_jobs', success: true });
    expect(entry.description.tags).toEqual(['network', 'npm', 'service:checkout', 'severity:high']);
    expect(entry.description.template).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(entryFromRow(row).importId).toBe(entry.importId);
  });

  it('rejects bad rows with the field name', () => {
    const result = importRowSchema.safeParse({ title: '', success: 'maybe' });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['title', 'success']));
    expect(importRowSchema.safeParse({ title: 'x', extra: 1 }).success).toBe(false);
  });
});

describe('parseFeedbackCommand', () => {
  it.each([
    ['/guard feedback up', { vote: 'up', incidentId: null, comment: null }],
    ['/guard feedback down the re-run hid a real bug', { vote: 'down', incidentId: null, comment: 'the re-run hid a real bug' }],
    ['Thanks!\n/guard  feedback  👍', { vote: 'up', incidentId: null, comment: null }],
    ['/GUARD feedback -1 nope', { vote: 'down', incidentId: null, comment: 'nope' }],
    ['/guard feedback down gh-714523861-500-1 the re-run hid a real bug', { vote: 'down', incidentId: 'gh-714523861-500-1', comment: 'the re-run hid a real bug' }],
    ['/guard feedback 👍 ghc-714523861-93000001', { vote: 'up', incidentId: 'ghc-714523861-93000001', comment: null }],
  ])('parses %j', (body, expected) => {
    expect(parseFeedbackCommand(body)).toEqual(expected);
  });

  it.each(['/guard feedback sideways', 'please /guard feedback up', 'no command here'])('ignores %j', (body) => {
    expect(parseFeedbackCommand(body)).toBeNull();
  });

  it('bounds the comment', () => {
    expect(parseFeedbackCommand(`/guard feedback up ${'x'.repeat(2000)}`)?.comment).toHaveLength(500);
  });
});
