import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startupOptions } from '../../../scripts/bench-startup.js';

describe('the start-up bench\'s options (npm run bench:startup, and npm run bench passing its own)', () => {
  it('reads another checkout and the instruction count among other options', () => {
    expect(startupOptions(['--cases', 'mix-100', '--before', '../base', '--instructions', '--single-threaded'])).toEqual({ before: resolve('../base'), instructions: true });
  });

  it('runs this checkout alone and counts nothing by default; a --before without its folder is no checkout', () => {
    expect(startupOptions([])).toEqual({ instructions: false });
    expect(startupOptions(['--before'])).toEqual({ instructions: false });
  });
});
