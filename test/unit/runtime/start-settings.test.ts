import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSettings } from '../../../infra/local/start-settings.js';
import { dataDirOf } from '../../../shared/cli/local-runtime.js';
import { ConfigError } from '../../../shared/errors.js';

describe('npm start settings', () => {
  it('takes the defaults when nothing is set', () => {
    expect(startSettings({})).toEqual({ port: 3000, sfnPort: 3001, host: '127.0.0.1', dataDir: resolve('.guard-data'), secretFromEnv: false, gateTokenFromEnv: false });
  });

  it.each(['', '   '])('reads PORT, HOST, GUARD_DATA_DIR, GITHUB_WEBHOOK_SECRET and GATE_TOKEN set to %j as unset', (blank) => {
    const settings = startSettings({ PORT: blank, HOST: blank, GUARD_DATA_DIR: blank, GITHUB_WEBHOOK_SECRET: blank, GATE_TOKEN: blank });

    expect(settings).toEqual({ port: 3000, sfnPort: 3001, host: '127.0.0.1', dataDir: resolve('.guard-data'), secretFromEnv: false, gateTokenFromEnv: false });
  });

  it('takes what is set', () => {
    const settings = startSettings({ PORT: '0', HOST: '::1', GUARD_DATA_DIR: '/data/guard', GITHUB_WEBHOOK_SECRET: 's', GATE_TOKEN: 't' });

    expect(settings).toEqual({ port: 0, sfnPort: 0, host: '::1', dataDir: '/data/guard', secretFromEnv: true, gateTokenFromEnv: true });
  });

  it('keeps the Step Functions port the same at every start (PORT + 1, or SFN_PORT), and any free one with PORT=0', () => {
    expect(startSettings({ PORT: '8080' }).sfnPort).toBe(8081);
    expect(startSettings({ PORT: '65535' }).sfnPort).toBe(65534);
    expect(startSettings({ PORT: '8080', SFN_PORT: '9000' }).sfnPort).toBe(9000);
    expect(startSettings({ PORT: '8080', SFN_PORT: ' ' }).sfnPort).toBe(8081);
    expect(startSettings({ PORT: '0', SFN_PORT: '9000' }).sfnPort).toBe(9000);
    expect(startSettings({ SFN_PORT: '0' }).sfnPort).toBe(0);
  });

  it.each([['x', 'invalid SFN_PORT x: expected 0-65535'], ['70000', 'invalid SFN_PORT 70000: expected 0-65535'], ['3000', 'SFN_PORT 3000 is PORT']])(
    'refuses SFN_PORT=%s',
    (sfnPort, message) => {
      expect(() => startSettings({ SFN_PORT: sfnPort })).toThrow(message);
    },
  );

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
