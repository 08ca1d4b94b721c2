import { describe, expect, it } from 'vitest';
import { fetchedCodeRuns } from '../../shared/analysis/code-sinks.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { checkedAdding as checked } from '../support/patches.js';

/**
 * Attack pass 14 on the code-sink reading (`shared/analysis/code-sinks.ts`): ordinary code it refused, and code that
 * runs what it fetched that it accepted. Each row below failed first.
 */

const refused = (path: string, text: string) => {
  expect(checked(path, text)).toMatchObject({ ok: false });
};
const accepted = (path: string, text: string) => {
  expect(checked(path, text)).toMatchObject({ ok: true });
};

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
  ] as const) {
    it(`reads ${name} in linear time`, { timeout: 120_000 }, () => {
      const textOf = (bytes: number) => `fetch(u)\n${unit.repeat(Math.floor(bytes / unit.length))}`;
      const exponent = cpuGrowthExponent(sizes, textOf, (text) => [fetchedCodeRuns('src/a.py', text), fetchedCodeRuns('src/a.ts', text)]);
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});
