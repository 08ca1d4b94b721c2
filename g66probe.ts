import { analyzeLog } from './shared/logs/index.js';
import { ghaStep } from './test/support/gha-step.js';
const cases: Record<string, string[]> = {
  node: ['(node:12283) DeprecationWarning: old thing', '    at Object.<anonymous> (/home/runner/work/a/a/x.js:1:9)', '    at Module._compile (node:internal/modules/cjs/loader:1554:14)', 'done'],
  raku: ['Use of uninitialized value element of type Any in string context.', 'Methods .^name, .raku, .gist, or .say can be used to stringify it to something meaningful.', '  in block <unit> at t/temp.rakutest line 6', 'ok'],
  rakuwarn: ['threshold not set, using default', '  in block <unit> at t/temp.rakutest line 6', 'ok'],
  perl: ['Use of uninitialized value $x in concatenation (.) or string at w.pl line 2.', 'done'],
  ruby: ['-e:1: warning: careful', 'done'],
  python: ['/home/runner/work/a/a/x.py:5: DeprecationWarning: old api', '  f()', 'done'],
};
for (const [name, out] of Object.entries(cases)) {
  const a = await analyzeLog(ghaStep('./run.sh', out, { exitCode: 1 }).join('\n'));
  console.log(name, a.failures.slice(0, 2).map((f) => [f.rule, f.lines[0]?.text]), a.category);
}
