import { describe, expect, it } from 'vitest';
import { buildFixFiles, fixBranchName } from '../../../shared/remediation/fix-pr.js';

const files: Record<string, string> = {
  'src/tax.ts': 'export function total(amount: number) {\n  return Math.round(amount * 1.19);\n}\n',
  'README.md': '# app\n',
};
const read = async (path: string) => files[path] ?? null;

const fix = [
  'diff --git a/src/tax.ts b/src/tax.ts',
  '--- a/src/tax.ts',
  '+++ b/src/tax.ts',
  '@@ -1,3 +1,3 @@',
  ' export function total(amount: number) {',
  '-  return Math.round(amount * 1.19);',
  '+  return Math.round(amount * 1.19 * 100) / 100;',
  ' }',
  '',
].join('\n');

describe('buildFixFiles', () => {
  it('applies the patch to the files at the failing commit', async () => {
    expect(await buildFixFiles(fix, read)).toEqual([
      { path: 'src/tax.ts', content: 'export function total(amount: number) {\n  return Math.round(amount * 1.19 * 100) / 100;\n}\n' },
    ]);
  });

  it('creates and deletes files', async () => {
    const patch = [
      '--- /dev/null', '+++ b/src/new.ts', '@@ -0,0 +1 @@', '+export const x = 1;',
      '--- a/README.md', '+++ /dev/null', '@@ -1 +0,0 @@', '-# app', '',
    ].join('\n');

    expect(await buildFixFiles(patch, read)).toEqual([
      { path: 'src/new.ts', content: 'export const x = 1;\n' },
      { path: 'README.md', content: null },
    ]);
  });

  it.each([
    ['a workflow file', fix.replaceAll('src/tax.ts', '.github/workflows/ci.yml'), /\.github\/workflows/],
    ['a secrets file', fix.replaceAll('src/tax.ts', '.env'), /secrets or credentials/],
    ['a path outside the repository', fix.replaceAll('src/tax.ts', '../other/tax.ts'), /outside the repository/],
    ['a patch that does not apply', fix.replace('amount * 1.19);', 'amount * 2);'), /does not apply cleanly to src\/tax\.ts/],
    ['a file that does not exist', fix.replaceAll('src/tax.ts', 'src/missing.ts'), /does not exist/],
  ])('refuses %s', async (_label, patch, reason) => {
    await expect(buildFixFiles(patch, read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(reason) });
  });

  describe('a pip requirements file by another name (attacker pass, session 28)', () => {
    const addLine = (path: string, context: string, added: string): string =>
      [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`, '@@ -1,1 +1,2 @@', ` ${context}`, `+${added}`, ''].join('\n');
    const repository = (extra: Record<string, string>) => async (path: string) => ({ ...files, ...extra })[path] ?? null;

    it('refuses a file a requirements file names with -r, though the diff shows names alone', async () => {
      const read = repository({ 'requirements.txt': '-r python/deps.txt\n', 'python/deps.txt': 'flask\n' });
      await expect(buildFixFiles(addLine('python/deps.txt', 'flask', 'evil-helpers'), read)).rejects.toMatchObject({
        name: 'PatchRefusedError',
        message: expect.stringMatching(/python\/deps\.txt.*requirements\.txt names it/),
      });
    });

    it('refuses a file named through a chain of -r and -c, relative to each file', async () => {
      const read = repository({ 'requirements-dev.txt': '-r requirements/base.txt\n', 'requirements/base.txt': '-c ../pins/all.txt\n', 'pins/all.txt': 'flask\n' });
      await expect(buildFixFiles(addLine('pins/all.txt', 'flask', 'evil-helpers'), read)).rejects.toMatchObject({ name: 'PatchRefusedError' });
    });

    it('refuses a file whose whole content is pinned requirements, though the lines the diff shows are names alone', async () => {
      const read = repository({ 'deps.txt': 'requests==2.31.0\nurllib3>=2,<3\n\n\n\nflask\n' });
      const patch = ['--- a/deps.txt', '+++ b/deps.txt', '@@ -6,1 +6,2 @@', ' flask', '+evil-helpers', ''].join('\n');
      await expect(buildFixFiles(patch, read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(/requirements/) });
    });

    it('follows -r before guessing more names: a patch over text files in many folders cannot spend the reads on guesses', async () => {
      // Prepare: requirements.txt names requirements/base.txt, which names python/deps.txt; the patch also touches
      // text files in four other folders, whose usual requirements names are guesses to read
      const others = ['a', 'b', 'c', 'd'].map((folder) => `${folder}/notes.txt`);
      const chain = { 'requirements.txt': '-r requirements/base.txt\n', 'requirements/base.txt': '-r ../python/deps.txt\n', 'python/deps.txt': 'flask\n' };
      const read = repository({ ...chain, ...Object.fromEntries(others.map((path) => [path, 'hello\n'])) });
      const patch = [...others.map((path) => addLine(path, 'hello', 'world')), addLine('python/deps.txt', 'flask', 'evil-helpers')].join('');
      // Act / Assert
      await expect(buildFixFiles(patch, read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(/python\/deps\.txt.*requirements\/base\.txt names it/) });
    });

    it('allows a word list that no requirements file names', async () => {
      const read = repository({ 'requirements.txt': 'flask==3.0.0\n-r requirements/dev.txt\n', 'docs/spelling_wordlist.txt': 'asyncio\n' });
      expect(await buildFixFiles(addLine('docs/spelling_wordlist.txt', 'asyncio', 'dataclass'), read)).toEqual([
        { path: 'docs/spelling_wordlist.txt', content: 'asyncio\ndataclass\n' },
      ]);
    });
  });

  it('names the branch after the incident', () => {
    expect(fixBranchName('gh-1-2-1')).toBe('guard/fix-gh-1-2-1');
  });
});
