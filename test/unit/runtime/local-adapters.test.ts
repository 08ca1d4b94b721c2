import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { ConfigError } from '../../../shared/errors.js';
import { createEscalations, createMetrics, useLocalAdapters } from '../../../shared/runtime/deps.js';
import { LOCAL_ADAPTERS } from '../../../shared/runtime/local-adapters.js';

/**
 * The local stand-ins reach the composition root only when handed over (the local runtime does, at start), so the
 * Lambda bundles, built from the root, carry none of them. A local setting without them is a configuration error.
 */
describe('local stand-ins handed to the composition root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guard-local-adapters-'));
  const outboxPath = join(dir, 'outbox.jsonl');
  const message = { subject: 'CI failed', message: 'Tests failed.', attributes: {} };
  afterEach(() => vi.restoreAllMocks());

  it('without them, a setting that names one fails with the setting named, as in a Lambda', () => {
    expect(() => createEscalations(loadConfig({ OUTBOX_PATH: outboxPath }))).toThrow(ConfigError);
    expect(() => createEscalations(loadConfig({ OUTBOX_PATH: outboxPath }))).toThrow(/OUTBOX_PATH .*local runtime/);
    expect(() => createMetrics(loadConfig({ METRICS_EMF_PATH: join(dir, 'metrics.emf.jsonl') }))).toThrow(/METRICS_EMF_PATH/);
  });

  it('with them, the outbox publishes the escalation; runtimes that overlap each keep them until their own stop', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const stopFirst = useLocalAdapters(LOCAL_ADAPTERS);
    const stopSecond = useLocalAdapters(LOCAL_ADAPTERS);
    try {
      stopFirst();
      await createEscalations(loadConfig({ OUTBOX_PATH: outboxPath })).publish(message);
      expect(readFileSync(outboxPath, 'utf8')).toContain('"kind":"escalation"');
    } finally {
      stopSecond();
    }
    expect(() => createEscalations(loadConfig({ OUTBOX_PATH: outboxPath }))).toThrow(ConfigError);
    rmSync(dir, { recursive: true, force: true });
  });
});
