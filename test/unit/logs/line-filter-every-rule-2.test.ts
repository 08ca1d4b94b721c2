import { afterEach } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { everyRuleParts } from '../../support/every-rule-parts.js';
import type { SampleLog } from '../../support/sample-logs.js';

/*
 * Parts 6 to 8 of the corpus for the comparisons of line-filter-every-rule.test.ts, with the error-dense logs whose
 * digits matter, which go with the last part.
 */

afterEach(() => {
  setLineFilterUse(null);
  setIndexUse(null);
  setShapeMemoUse(true);
});

/** Runs of lines that differ only in digits, where some expressions' answers depend on which digits they are. */
function denseLogs(): SampleLog[] {
  // Runs of lines that differ only in digits, where some expressions' answers depend on which digits they are
  // (404 against 200, exit code 137 against 138): the memo may reuse only what cannot differ.
  const dense = Array.from({ length: 3_600 }, (_, i) => {
    const n = 100 + (i % 900);
    switch (Math.floor(i / 30) % 12) {
      case 0:
        return `src/module${n}/file.ts(${n},12): error TS2345: Argument of type 'string' is not assignable ${n}`;
      case 1:
        return `GET /api/items/${n} ${i % 7 === 1 ? 404 : 200} in ${n}ms`;
      case 2:
        return `Process exited with exit code ${i % 9 === 2 ? 137 : 138}`;
      case 3:
        return `##[error]src/a${n}.ts(${n},1): error TS1005: ';' expected.`;
      case 4:
        return `not ok ${n} - adds ${n} and ${n}`;
      case 5:
        return `    at com.example.Service.call(Service.java:${n})`;
      case 6:
        return `java.lang.IllegalStateException: state ${n}`;
      case 7:
        return `value ${i % 2 === 0 ? '0' : '1'}x${n} read, 1x${n} expected`;
      case 8:
        return `E   AssertionError: assert ${n} == ${n + 1}`;
      case 9:
        return `lib/${n}.rb:${n}:in 'call': undefined method (NoMethodError)`;
      case 10:
        return `FAILED tests/test_${n}.py::test_${n} - assert ${n}`;
      default:
        return `   ${n} | const x${n} = ${n};`;
    }
  }).join('\n');
  const byShape = [Array.from({ length: 400 }, (_, i) => `src/a.ts(${100 + i},5): error TS2322: Type 'number' is not assignable ${i}`).join('\n'), dense];
  return byShape.map((text, k) => ({ name: `dense-${k}`, bytes: Buffer.from(text) }));
}

everyRuleParts(1, denseLogs);
