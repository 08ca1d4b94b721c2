import { afterAll } from 'vitest';
import { releaseTestFile } from './support.js';

// Runs for every infra test file, also in a worker that ran others before it (the project is not isolated).
afterAll(releaseTestFile);
