import { describe, expect, it } from 'vitest';
import { buildFixFiles, fixBranchName, type RepositoryFiles } from '../../../shared/remediation/fix-pr.js';

const files: Record<string, string> = {
  'src/tax.ts': 'export function total(amount: number) {\n  return Math.round(amount * 1.19);\n}\n',
  'README.md': '# app\n',
};
/** The repository as the fix PR reads it: these files, and the folders their paths make. */
const repositoryOf = (contents: Record<string, string>): RepositoryFiles => ({
  readFile: async (path) => contents[path] ?? null,
  listAllFiles: async () => ({ paths: Object.keys(contents), complete: true }),
});
const read = repositoryOf(files);

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
    const repository = (extra: Record<string, string>) => repositoryOf({ ...files, ...extra });

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

    it.each([
      ['a workflow', { '.github/workflows/test.yml': 'jobs:\n  test:\n    steps:\n      - run: |\n          python -m pip install --upgrade pip\n          pip install -r pkg/deps.txt\n' }, /pkg\/deps\.txt.*\.github\/workflows\/test\.yml names it/],
      ['a workflow step with a working directory', { '.github/workflows/py.yaml': 'steps:\n  - working-directory: pkg\n    run: uv pip install --requirement=deps.txt\n' }, /pkg\/deps\.txt.*py\.yaml names it/],
      ["tox's deps", { 'tox.ini': '[testenv]\ndeps =\n    -r{toxinidir}/pkg/deps.txt\ncommands = pytest\n' }, /pkg\/deps\.txt.*tox\.ini names it/],
      ['a workflow whose -r continues on the next line', { '.github/workflows/test.yml': 'steps:\n  - run: |\n      pip install --no-cache-dir -r \\\n        pkg/deps.txt\n' }, /pkg\/deps\.txt.*test\.yml names it/],
      ['a workflow that syncs with pip-sync', { '.github/workflows/test.yml': 'steps:\n  - run: pip-sync pkg/deps.txt\n' }, /pkg\/deps\.txt.*test\.yml names it/],
      ["a workflow that syncs with uv's pip", { '.github/workflows/test.yml': 'steps:\n  - run: uv pip sync pkg/deps.txt\n' }, /pkg\/deps\.txt.*test\.yml names it/],
      ["setuptools' dynamic dependencies in pyproject.toml", { 'pyproject.toml': '[project]\nname = "app"\ndynamic = ["dependencies"]\n\n[tool.setuptools.dynamic]\ndependencies = {file = ["pkg/deps.txt"]}\n' }, /pkg\/deps\.txt.*pyproject\.toml names it/],
      ["an extra's file list in pyproject.toml, over lines", { 'pyproject.toml': '[tool.setuptools.dynamic.optional-dependencies]\ndev = { file = [\n  "docs/base.txt",\n  "pkg/deps.txt",\n] }\n' }, /pkg\/deps\.txt.*pyproject\.toml names it/],
      ["setup.cfg's install_requires = file:", { 'pkg/setup.cfg': '[options]\ninstall_requires = file: deps.txt\n' }, /pkg\/deps\.txt.*pkg\/setup\.cfg names it/],
    ])('refuses a list of names alone that %s tells pip to install (attacker pass, session 29)', async (_label, naming, reason) => {
      // Prepare: pkg/deps.txt lists names alone (no pin, no option), so only what names it says pip reads it
      const read = repository({ 'pkg/deps.txt': 'flask\nrequests\n', ...naming });
      // Act / Assert: it passed before, as a word list would
      await expect(buildFixFiles(addLine('pkg/deps.txt', 'requests', 'evil-helpers'), read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(reason) });
    });

    it.each([
      ['a Makefile recipe', { Makefile: 'install:\n\tpip install -r pkg/deps.txt\n' }, /pkg\/deps\.txt.*Makefile names it/],
      ["a Makefile's recipe, from its own folder", { 'pkg/Makefile': 'deps:\n\t$(PIP) install --requirement deps.txt\n' }, /pkg\/Makefile names it/],
      ['a shell script, from its own folder', { 'scripts/bootstrap.sh': '#!/bin/sh\nset -e\npython3 -m pip install -r "$(dirname "$0")/../pkg/deps.txt"\n' }, /scripts\/bootstrap\.sh names it/],
      ["nox's session.install", { 'noxfile.py': 'import nox\n\n@nox.session\ndef tests(session):\n    session.install("-r", "pkg/deps.txt")\n' }, /noxfile\.py names it/],
      ['a composite action', { '.github/actions/setup/action.yml': 'runs:\n  using: composite\n  steps:\n    - run: pip install -r pkg/deps.txt\n      shell: bash\n' }, /\.github\/actions\/setup\/action\.yml names it/],
      ["a composite action elsewhere, from its action_path", { 'tools/ci/action.yaml': 'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: pip install -r ${{ github.action_path }}/../../pkg/deps.txt\n' }, /tools\/ci\/action\.yaml names it/],
      ['a workflow, as $(cat …)', { '.github/workflows/test.yml': 'steps:\n  - run: pip install $(cat pkg/deps.txt)\n' }, /test\.yml names it/],
      ['a workflow, as xargs pip install < …', { '.github/workflows/test.yml': 'steps:\n  - run: xargs pip install < pkg/deps.txt\n' }, /test\.yml names it/],
      ['a workflow, as cat … | xargs pip install', { '.github/workflows/test.yml': 'steps:\n  - run: cat pkg/deps.txt | xargs -n 1 pip3 install\n' }, /test\.yml names it/],
      ['a script, as a while-read loop', { 'ci/install.sh': 'while read -r name; do\n  pip install "$name"\ndone < pkg/deps.txt\n' }, /ci\/install\.sh names it/],
      // Review of session 30: -r held in a variable for pip, and the files that were not read.
      ['a workflow, as -r held in an env variable', { '.github/workflows/test.yml': 'env:\n  PIP_ARGS: -r pkg/deps.txt\nsteps:\n  - run: pip install $PIP_ARGS\n' }, /test\.yml names it/],
      ['a Makefile, as -r held in a variable', { Makefile: 'REQS := -r pkg/deps.txt\ninstall:\n\tpip install $(REQS)\n' }, /Makefile names it/],
      ['a Dockerfile', { 'docker/app.Dockerfile': 'FROM python:3.12\nWORKDIR /app\nCOPY pkg/deps.txt .\nRUN pip install --no-cache-dir -r deps.txt\n' }, /docker\/app\.Dockerfile names it/],
      ['a Containerfile', { Containerfile: 'FROM python:3.12\nRUN pip install -r pkg/deps.txt\n' }, /Containerfile names it/],
      ["Read the Docs' configuration", { '.readthedocs.yaml': 'version: 2\npython:\n  install:\n    - requirements: pkg/deps.txt\n' }, /\.readthedocs\.yaml names it/],
      ["conda's environment.yml", { 'environment.yml': 'name: app\ndependencies:\n  - python=3.12\n  - pip\n  - pip:\n    - -r pkg/deps.txt\n' }, /environment\.yml names it/],
      ['tox.toml', { 'tox.toml': '[env_run_base]\ndeps = ["-r{toxinidir}/pkg/deps.txt"]\ncommands = [["pytest"]]\n' }, /tox\.toml names it/],
    ])('refuses a list of names alone that %s tells pip to install (session 30)', async (_label, naming, reason) => {
      const read = repository({ 'pkg/deps.txt': 'flask\nrequests\n', ...naming });
      // Act / Assert: none of these files was read before, so the list passed as a word list would
      await expect(buildFixFiles(addLine('pkg/deps.txt', 'requests', 'evil-helpers'), read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(reason) });
    });

    it.each([
      // Review of session 30: a path in the image, mapped back to the repository through COPY and ADD.
      ['a Dockerfile, renamed in the image', { Dockerfile: 'FROM python:3.12\nCOPY pkg/deps.txt /tmp/r.txt\nRUN pip install -r /tmp/r.txt\n' }, /pkg\/deps\.txt.*Dockerfile names it/],
      ['a Dockerfile, under the absolute path it copies the repository to', { Dockerfile: 'FROM python:3.12\nCOPY . /srv/app\nRUN pip install -r /srv/app/pkg/deps.txt\n' }, /Dockerfile names it/],
      ['a Dockerfile, as a folder copied under its WORKDIR', { 'docker/Dockerfile.prod': 'FROM python:3.12\nWORKDIR /opt\nCOPY pkg/ ./src/\nRUN pip install -r src/deps.txt\n' }, /docker\/Dockerfile\.prod names it/],
      ['a Dockerfile, from the build context it mounts', { Dockerfile: 'FROM python:3.12\nRUN --mount=type=bind,source=pkg,target=/mnt/pkg pip install -r /mnt/pkg/deps.txt\n' }, /Dockerfile names it/],
      ['a script a Dockerfile copies onto the PATH and runs', { Dockerfile: 'FROM python:3.12\nCOPY pkg/deps.txt /etc/app/deps.txt\nCOPY tools/install-deps /usr/local/bin/install-deps\nRUN install-deps\n', 'tools/install-deps': '#!/bin/sh\nexec pip install -r /etc/app/deps.txt\n' }, /tools\/install-deps \(run by Dockerfile\)/],
      ['a script a Dockerfile runs by its absolute path', { Dockerfile: 'FROM python:3.12\nCOPY . /app\nRUN /app/tools/setup\n', 'tools/setup': '#!/bin/sh\ncd /app && pip install -r pkg/deps.txt\n' }, /tools\/setup \(run by Dockerfile\)/],
      ['a Dockerfile whose list comes from another stage (fail closed)', { Dockerfile: 'FROM python:3.12 AS deps\nCOPY pkg/deps.txt /build/deps.txt\nFROM python:3.12\nCOPY --from=deps /build/deps.txt /app/deps.txt\nRUN pip install -r /app/deps.txt\n' }, /Dockerfile, whose pip reads \/app\/deps\.txt in the image/],
      ['a Dockerfile whose list is under a variable (fail closed)', { Dockerfile: 'FROM python:3.12\nENV APP=/srv/app\nCOPY pkg $APP/lib\nRUN pip install -r $APP/lib/deps.txt\n' }, /whose pip reads \$APP\/lib\/deps\.txt in the image/],
      ['a Dockerfile whose list a URL put in the image (fail closed)', { Dockerfile: 'FROM python:3.12\nADD https://example.com/deps.txt /app/deps.txt\nRUN pip install -r /app/deps.txt\n' }, /whose pip reads \/app\/deps\.txt in the image/],
    ])('refuses a list of names alone that %s tells pip to install', async (_label, naming, reason) => {
      const read = repository({ 'pkg/deps.txt': 'flask\nrequests\n', ...naming });
      // Act / Assert: the in-image path was not mapped back to pkg/deps.txt, so the list passed as a word list would
      await expect(buildFixFiles(addLine('pkg/deps.txt', 'requests', 'evil-helpers'), read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(reason) });
    });

    it('allows a word list beside a Dockerfile that installs from its requirements file and runs tools by absolute paths', async () => {
      const read = repository({
        'docs/words.txt': 'asyncio\n',
        'requirements.txt': 'flask==3.0.0\n',
        Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt /tmp/\nRUN /opt/venv/bin/pip install --target /opt/lib -r /tmp/requirements.txt && /usr/bin/make -C /opt build\nCOPY . .\nRUN ./manage.py collectstatic\n',
      });
      expect(await buildFixFiles(addLine('docs/words.txt', 'asyncio', 'dataclass'), read)).toEqual([{ path: 'docs/words.txt', content: 'asyncio\ndataclass\n' }]);
    });

    it.each([
      ['more scripts, configurations and actions than are read', { paths: ['pkg/deps.txt', ...Array.from({ length: 49 }, (_, i) => `tools/s${i}.sh`)], complete: true }, /49 tool configurations, Makefiles, scripts and actions and 0 workflows, more than are read/],
      ['a listing GitHub cut short', { paths: ['pkg/deps.txt'], complete: false }, /GitHub does not list whole/],
    ])('refuses a list of names alone unread when the repository has %s', async (_label, listing, reason) => {
      const read: RepositoryFiles = { readFile: repository({ 'pkg/deps.txt': 'flask\nrequests\n' }).readFile, listAllFiles: async () => listing };
      await expect(buildFixFiles(addLine('pkg/deps.txt', 'requests', 'evil-helpers'), read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(reason) });
    });

    it('refuses a list of names alone unread when the repository has more workflows than are read', async () => {
      const workflows = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`.github/workflows/w${i}.yml`, 'on: push\n']));
      const read = repository({ 'pkg/deps.txt': 'flask\nrequests\n', ...workflows });
      await expect(buildFixFiles(addLine('pkg/deps.txt', 'requests', 'evil-helpers'), read)).rejects.toMatchObject({ name: 'PatchRefusedError', message: expect.stringMatching(/41 workflows, more than are read/) });
    });

    it('allows a word list that workflows, tox and pyproject.toml name only otherwise, and reads none of them for prose', async () => {
      // Prepare: the workflow copies the list, tox names another file, pyproject reads its README
      const read = repository({
        'docs/spelling_wordlist.txt': 'asyncio\n',
        'docs/guide.txt': 'Run the tests with tox.\n',
        '.github/workflows/docs.yml': 'steps:\n  - run: cp -r docs site && pip install -r requirements.txt && bash -c "echo ok"\n',
        'tox.ini': '[testenv]\ndeps = -r requirements-dev.txt\n',
        'pyproject.toml': '[project]\nreadme = "docs/spelling_wordlist.txt"\nlicense = {file = "docs/spelling_wordlist.txt"}\n',
      });
      const reads: string[] = [];
      const counted: RepositoryFiles = { readFile: (path) => (reads.push(path), read.readFile(path)), listAllFiles: read.listAllFiles };
      // Act
      const list = await buildFixFiles(addLine('docs/spelling_wordlist.txt', 'asyncio', 'dataclass'), read);
      await buildFixFiles(addLine('docs/guide.txt', 'Run the tests with tox.', 'Or with nox.'), counted);
      // Assert
      expect(list).toEqual([{ path: 'docs/spelling_wordlist.txt', content: 'asyncio\ndataclass\n' }]);
      expect(reads.filter((path) => /tox\.ini|pyproject|setup\.cfg|workflows/.test(path))).toEqual([]);
    });

    it("allows a word list that a workflow's other commands name with -r or -c: only pip's name a requirements file (false positive, session 30)", async () => {
      // Prepare: the workflow copies the word list with `cp -r` and names it to `aspell -c`, beside a real pip install
      const read = repository({
        'docs/words.txt': 'asyncio\n',
        '.github/workflows/docs.yml': 'steps:\n  - run: cp -r docs/words.txt site/ && pip install -r requirements.txt\n  - run: aspell -c docs/words.txt; python -m pip install -e .\n  - run: uv run codespell -I docs/words.txt\n',
      });
      // Act / Assert: it was refused before, `cp -r docs/words.txt` read as `pip install -r docs/words.txt`
      expect(await buildFixFiles(addLine('docs/words.txt', 'asyncio', 'dataclass'), read)).toEqual([{ path: 'docs/words.txt', content: 'asyncio\ndataclass\n' }]);
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
