import { describe, expect, it } from 'vitest';
import { runPipelineToEnd } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL with stand-in tasks: an incident classify recorded resolved (a failure delivered after what
 * superseded it, an alarm already back to OK) is not analysed or remediated; it still ends through Notify, which
 * records it (and comments and pages nothing for a resolved incident: test/unit/steps).
 */
const named = (name: string) => Object.assign(new Error(name), { name });

describe('incident pipeline: an incident classify recorded resolved', () => {
  it('skips Analyze and Remediate and ends through Notify', async () => {
    const { states } = await runPipelineToEnd({ Classify: async () => ({ incidentId: 'gh-1-2-1', incidentStatus: 'resolved' }) });
    expect(states).toEqual(['Classify', 'KnowledgeLookup', 'Notify']);
  });

  it('skips them when the knowledge lookup failed too', async () => {
    const { states } = await runPipelineToEnd({
      Classify: async () => ({ incidentId: 'gh-1-2-1', incidentStatus: 'resolved' }),
      KnowledgeLookup: async () => Promise.reject(named('ValidationError')),
    });
    expect(states).toEqual(['Classify', 'KnowledgeLookup', 'Notify']);
  });

  it('analyses and remediates an incident classified open, and one whose classify result names no status (an older classify)', async () => {
    for (const classified of [{ incidentId: 'gh-1-2-1', incidentStatus: 'classified' }, {}]) {
      const { states } = await runPipelineToEnd({ Classify: async () => classified });
      expect(states).toEqual(['Classify', 'KnowledgeLookup', 'Analyze', 'Remediate', 'Notify']);
    }
  });
});
