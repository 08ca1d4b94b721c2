import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSettings } from '../../../infra/local/start-settings.js';
import { dataDirOf } from '../../../shared/cli/local-runtime.js';
import { ConfigError } from '../../../shared/errors.js';

describe('npm start settings', () => {
  it('takes the defaults when nothing is set', () => {
    expect(startSettings({})).toEqual({ port: 3000, host: '127.0.0.1', dataDir: resolve('.guard-data'), secretFromEnv: false, gateTokenFromEnv: false });
  });

  it.each(['', '   '])('reads PORT, HOST, GUARD_DATA_DIR, GITHUB_WEBHOOK_SECRET and GATE_TOKEN set to %j as unset', (blank) => {
    const settings = startSettings({ PORT: blank, HOST: blank, GUARD_DATA_DIR: blank, GITHUB_WEBHOOK_SECRET: blank, GATE_TOKEN: blank });

    expect(settings).toEqual({ port: 3000, host: '127.0.0.1', dataDir: resolve('.guard-data'), secretFromEnv: false, gateTokenFromEnv: false });
  });

  it('takes what is set', () => {
    const settings = startSettings({ PORT: '0', HOST: '::1', GUARD_DATA_DIR: '/data/guard', GITHUB_WEBHOOK_SECRET: 's', GATE_TOKEN: 't' });

    expect(settings).toEqual({ port: 0, host: '::1', dataDir: '/data/guard', secretFromEnv: true, gateTokenFromEnv: true });
  });

  it.each(['abc', '-1', '65536', '80.5'])('refuses PORT=%s with its value', (port) => {
    expect(() => startSettings({ PORT: port })).toThrow(new ConfigError(`invalid PORT ${port}: expected 0-65535`));
  });
});

describe('the data directory guard looks in', () => {
  it('is GUARD_DATA_DIR, or .guard-data when it is unset or blank, as npm start reads it', () => {
    expect(dataDirOf({ GUARD_DATA_DIR: '/data/guard' })).toBe('/data/guard');
    expect(dataDirOf({})).toBe(resolve('.guard-data'));
    expect(dataDirOf({ GUARD_DATA_DIR: '' })).toBe(resolve('.guard-data'));
    expect(dataDirOf({ GUARD_DATA_DIR: ' ' })).toBe(resolve('.guard-data'));
  });

  it.each(['/data/guard', ' /data/guard ', '', '  '])('is the one npm start uses for GUARD_DATA_DIR=%j', (value) => {
    expect(dataDirOf({ GUARD_DATA_DIR: value })).toBe(startSettings({ GUARD_DATA_DIR: value }).dataDir);
  });
});
