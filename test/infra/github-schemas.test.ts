import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import { bundledLikeSynth } from './support.js';

/**
 * zod builds a schema when its module is imported, and tree shaking keeps every top-level call: the GitHub response
 * schemas (shared/github/schemas.ts, listing-schemas.ts) are each marked pure, so a bundle builds only those it reads
 * (classify carried the collaborators', reactions', git objects' and file contents' schemas it never reads).
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-github-schemas-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** A field that only one other schema of the two modules reads, by the schema. */
const FIELDS_OF_OTHER_SCHEMAS: Record<string, string> = {
  workflowRunsPageSchema: 'workflow_runs',
  annotationsPageSchema: 'annotation_level',
  collaboratorsPageSchema: 'role_name',
  reactionsPageSchema: 'created_at',
  commitComparisonSchema: 'merge_base_commit',
  appSchema: 'slug',
  fileContentSchema: 'encoding',
  gitTreeSchema: 'truncated',
};

describe('GitHub response schemas in a bundle', () => {
  it('are built only where read: a bundle of the jobs page schema parses a page and holds none of the others', async () => {
    const source = [
      `import { jobsPageSchema } from ${JSON.stringify(join(PROJECT_ROOT, 'shared', 'github', 'listing-schemas.ts'))};`,
      `export const parsed = jobsPageSchema.parse({ jobs: [{ id: 7, name: 'build', steps: [{ number: 1, name: 'Run tests' }] }] });`,
      `export const refused = jobsPageSchema.safeParse({ jobs: [{ id: 'seven', name: 'build' }] }).success;`,
    ].join('\n');
    const { code, module } = await bundledLikeSynth<{ parsed: unknown; refused: boolean }>(outdir, 'jobs-page', source, true);
    expect(module.parsed).toEqual({ jobs: [{ id: 7, name: 'build', steps: [{ number: 1, name: 'Run tests' }] }] });
    expect(module.refused).toBe(false);
    const carried = Object.entries(FIELDS_OF_OTHER_SCHEMAS).filter(([, field]) => code.includes(field));
    expect(carried).toEqual([]);
  });
});
