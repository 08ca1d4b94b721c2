import { describe, expect, it } from 'vitest';
import { emptyKnowledgeText, entryOrigin, scopeLabel } from '../../../infra/dashboard/src/knowledge-view.js';
import { CURATED_ENTRIES } from '../../../shared/knowledge/curated.js';

const base = CURATED_ENTRIES[0]!;

describe("the knowledge page's words", () => {
  it('names a scope by its repository, the alarms as such, and an unnamed repository by its scope', () => {
    expect(scopeLabel({ scope: 'repo:42', repository: 'acme/app' })).toBe('acme/app');
    expect(scopeLabel({ scope: 'alarms', repository: null })).toBe('CloudWatch alarms');
    expect(scopeLabel({ scope: 'repo:42', repository: null })).toBe('repo:42');
  });

  it('labels a learned entry with whose it is, and a shared one with its source', () => {
    expect(entryOrigin({ ...base, source: 'learned', scope: 'repo:42', repository: 'acme/app' })).toBe('learned by acme/app');
    expect(entryOrigin({ ...base, source: 'learned', scope: 'alarms' })).toBe('learned by CloudWatch alarms');
    expect(entryOrigin({ ...base, source: 'imported' })).toBe('imported, shared');
    expect(entryOrigin({ ...base, source: 'curated' })).toBe('curated, shared');
  });

  it('says, when nothing is listed, why and where learned entries are', () => {
    expect(emptyKnowledgeText({ submitted: 'oom', scope: null, scopes: 2 })).toBe('No knowledge entry matches “oom”.');
    expect(emptyKnowledgeText({ submitted: '', scope: 'acme/app', scopes: 2 })).toBe('Nothing learned by acme/app and no shared entry: entries are learned from its incidents as they recover, or imported with guard kb import.');
    expect(emptyKnowledgeText({ submitted: '', scope: null, scopes: 2 })).toMatch(/^No shared entry: .* choose whose learned entries to show above\.$/);
    expect(emptyKnowledgeText({ submitted: '', scope: null, scopes: 0 })).toMatch(/^Nothing learned yet/);
  });
});
