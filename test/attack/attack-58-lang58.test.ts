import { describe, expect, it } from 'vitest';
import { analyzeLog, CASCADE_RULES, cleanLine, LogScanner, RULES, type Rule } from '../../shared/logs/index.js';
import { PREFILTER_RE, WARNING_RE } from '../../shared/logs/rules.js';
import { cpuGrowthExponent, LINE_COST_SIZES, LINEAR_EXPONENT_BOUND, superlinearOn } from '../support/growth.js';
import { expectTopFailure, type TopFailureRow } from '../support/top-failure.js';

// Session 58's review of lang58's rules (TeX, Groovy, Clojure, hspec, Go's race detector, pydocstyle, ansible-lint,
// Ansible, protoc, configure, xmllint, msgfmt, doctest, behave): real output of those tools in the forms the change
// did not see (other options, other front ends, a passing run's report), each read as the tool means it. Outputs
// were captured on this machine (Debian 12: pdfTeX of TeX Live 2022, ansible-lint 6.13.1, libxml2 2.9.14, autoconf
// 2.71) unless a row says where its shape comes from.

/** ESC, for the colour and OSC 8 hyperlinks ansible-lint prints without a terminal. */
const E = '\u001b';
/** ansible-lint's hyperlink to a rule's page around the rule's name. */
const link = (rule: string, text: string) => `${E}]8;id=311598;https://ansible-lint.readthedocs.io/rules/${rule}/${E}\\${text}${E}]8;;${E}\\`;

/** pdfTeX's banner and LaTeX's start (TeX Live 2022), up to the document's first page. */
const PDFTEX_START = [
  'This is pdfTeX, Version 3.141592653-2.6-1.40.24 (TeX Live 2022/Debian) (preloaded format=pdflatex)',
  ' restricted \\write18 enabled.',
  'entering extended mode',
  '(./main.tex',
  'LaTeX2e <2022-11-01> patch level 1',
  'L3 programming layer <2023-01-16>',
  '(/usr/share/texlive/texmf-dist/tex/latex/base/article.cls',
  'Document Class: article 2022/07/02 v1.4n Standard LaTeX document class',
  '(/usr/share/texlive/texmf-dist/tex/latex/base/size10.clo))',
  '(/usr/share/texlive/texmf-dist/tex/latex/l3backend/l3backend-pdftex.def)',
  'No file main.aux.',
];

/** `make check` going on from ansible-lint to molecule, whose converge fails on a role it cannot find. */
const MOLECULE_FAILURE = [
  'molecule test',
  'INFO     default scenario test matrix: dependency, syntax, create, converge',
  'INFO     Running default > converge',
  '',
  'PLAY [Converge] ****************************************************************',
  '',
  'TASK [Include role] ************************************************************',
  "ERROR! the role 'acme.web' was not found in /home/runner/work/infra/infra/molecule/default/roles",
  '',
  'CRITICAL Ansible return code was 1, command was: ansible-playbook --inventory /home/runner/.cache/molecule/infra/default/inventory /home/runner/work/infra/infra/molecule/default/converge.yml',
  "WARNING  An error occurred during the test sequence action: 'converge'. Cleaning up.",
  'make: *** [Makefile:7: check] Error 1',
];

const ROWS: TopFailureRow[] = [
  {
    // `-file-line-error` (latexmk's `-file-line-error`, the option xu-cheng/latex-action passes by default, many
    // Makefiles' PDFLATEX flags): TeX names the file and line in place of `! `, the rest as without it.
    name: 'pdfTeX -file-line-error: an undefined control sequence, its l.N line and the fatal stop',
    rule: 'tex.error',
    head: './main.tex:6: Undefined control sequence.',
    startLine: 16,
    endLine: 19,
    log: [
      '$ pdflatex -file-line-error -halt-on-error -interaction=nonstopmode main.tex',
      ...PDFTEX_START,
      '',
      "LaTeX Warning: Reference `sec:missing' on page 1 undefined on input line 5.",
      '',
      './main.tex:6: Undefined control sequence.',
      'l.6 The burst is \\burstsize',
      '                           .',
      './main.tex:6:  ==> Fatal error occurred, no output PDF file produced!',
      'Transcript written on main.log.',
    ],
  },
  {
    name: 'pdfTeX -file-line-error: an environment LaTeX closes with \\end{document}, its message on two lines',
    // The message's block ends at the blank line under it; the fatal stop's (tex.fatal) takes it in, from the message.
    rule: 'tex.fatal',
    head: './main.tex:5: LaTeX Error: \\begin{itemize} on input line 3 ended by \\end{document',
    startLine: 13,
    log: [
      '$ pdflatex -file-line-error -halt-on-error -interaction=nonstopmode main.tex',
      ...PDFTEX_START,
      './main.tex:5: LaTeX Error: \\begin{itemize} on input line 3 ended by \\end{document',
      '}.',
      '',
      'See the LaTeX manual or LaTeX Companion for explanation.',
      'Type  H <return>  for immediate help.',
      ' ...                                              ',
      '                                                  ',
      'l.5 \\end{document}',
      '                  ',
      './main.tex:5:  ==> Fatal error occurred, no output PDF file produced!',
      'Transcript written on main.log.',
    ],
  },
  {
    // Gradle's compileGroovy (and GroovyDoc, Grails, Spock projects' builds) prints the exception's message alone,
    // `startup failed:`, then the errors and the count, as groovyc does under the exception's name.
    name: "Gradle's compileGroovy: `startup failed:` without the exception's name, two unresolved classes",
    rule: 'groovy.compile',
    head: 'startup failed:',
    startLine: 4,
    endLine: 13,
    log: [
      '$ ./gradlew build --no-daemon',
      '> Task :compileJava NO-SOURCE',
      '> Task :compileGroovy FAILED',
      'startup failed:',
      '/home/runner/work/deploy-lib/deploy-lib/src/main/groovy/org/acme/Deploy.groovy: 14: unable to resolve class SlackClient ',
      ' @ line 14, column 21.',
      '           SlackClient client = new SlackClient(channel)',
      '                       ^',
      '',
      '/home/runner/work/deploy-lib/deploy-lib/src/main/groovy/org/acme/Release.groovy: 19: unable to resolve class VersionParts ',
      ' @ line 19, column 22.',
      '           VersionParts parts = VersionParts.of(version)',
      '                        ^',
      '',
      '2 errors',
      '',
      '',
      'FAILURE: Build failed with an exception.',
      '',
      '* What went wrong:',
      "Execution failed for task ':compileGroovy'.",
      '> Compilation failed; see the compiler error output for details.',
      '',
      '* Try:',
      '> Run with --stacktrace option to get the stack trace.',
      '> Run with --info or --debug option to get more log output.',
      '',
      'BUILD FAILED in 9s',
      '1 actionable task: 1 executed',
    ],
  },
  {
    // xmllint --schema: libxml2 names the schema kind before `validity error` (`Schemas validity error`, `Relax-NG
    // validity error`), and prints no source line under it.
    name: 'xmllint --schema: two Schemas validity errors and the file that fails to validate',
    rule: 'xmllint.error',
    head: "config/app.xml:3: element port: Schemas validity error : Element 'port': 'eighty' is not a valid value of the atomic type 'xs:int'.",
    startLine: 2,
    endLine: 2,
    log: [
      '$ xmllint --noout --schema schema/config.xsd config/app.xml',
      "config/app.xml:3: element port: Schemas validity error : Element 'port': 'eighty' is not a valid value of the atomic type 'xs:int'.",
      "config/app.xml:4: element host: Schemas validity error : Element 'host': This element is not expected.",
      'config/app.xml fails to validate',
      '##[error]Process completed with exit code 3.',
    ],
  },
  {
    name: 'xmllint --relaxng: a Relax-NG validity error',
    rule: 'xmllint.error',
    head: 'config/app.xml:4: element host: Relax-NG validity error : Did not expect element host there',
    log: [
      '$ xmllint --noout --relaxng schema/config.rng config/app.xml',
      'config/app.xml:4: element host: Relax-NG validity error : Did not expect element host there',
      'config/app.xml fails to validate',
      '##[error]Process completed with exit code 3.',
    ],
  },
  {
    // ansible-lint lists a `warn_list` rule's violations under the same heading and exits 0 for them (`Passed …: 0
    // failure(s), 1 warning(s)`); `make check` goes on to molecule, whose converge fails on a role it cannot find.
    name: "ansible-lint's warnings-only report (it passed) above molecule's failure",
    rule: 'generic.error',
    head: "ERROR! the role 'acme.web' was not found in /home/runner/work/infra/infra/molecule/default/roles",
    absent: 'ansible-lint.report',
    log: [
      '$ make check',
      'ansible-lint playbooks/',
      'WARNING  Listing 1 violation(s) that are fatal',
      `${link('package-latest', `${E}[1;33mpackage-latest${E}[0m`)}${E}[2m:${E}[0m ${E}[33mPackage installs should not use latest.${E}[0m ${E}[2;33m(warning)${E}[0m`,
      `${E}[34mplaybooks/site.yml${E}[0m:5 ${E}[2mTask/Handler: Install nginx${E}[0m`,
      '',
      'Read documentation for instructions on how to ignore specific rule violations.',
      '',
      '               Rule Violation Summary               ',
      ' count tag            profile rule associated tags  ',
      '     1 package-latest safety  idempotency (warning) ',
      '',
      'Passed with moderate profile, 2/5 star rating: 0 failure(s), 1 warning(s) on 2 files.',
      ...MOLECULE_FAILURE,
    ],
  },
  {
    name: "ansible-lint's warnings-only report of a tagged rule (it passed) above molecule's failure",
    rule: 'generic.error',
    head: "ERROR! the role 'acme.web' was not found in /home/runner/work/infra/infra/molecule/default/roles",
    absent: 'ansible-lint',
    log: [
      '$ make check',
      'ansible-lint playbooks/',
      'WARNING  Listing 1 violation(s) that are fatal',
      'yaml[line-length]: Line too long (172 > 160 characters) (warning)',
      'playbooks/site.yml:12',
      '',
      'Read documentation for instructions on how to ignore specific rule violations.',
      '',
      'Passed with production profile: 0 failure(s), 1 warning(s) on 2 files.',
      ...MOLECULE_FAILURE,
    ],
  },
  {
    // `docker compose up` names the service's container in front of each line, blank lines included.
    name: "ansible-lint's report behind docker compose's prefix: the failure a warning's confirmation must see",
    rule: 'ansible-lint.report',
    head: 'lint-1  | yaml[truthy]: Truthy value should be one of [false, true]',
    startLine: 2,
    log: [
      '$ docker compose up --exit-code-from lint lint',
      'lint-1  | WARNING  Listing 2 violation(s) that are fatal',
      'lint-1  | yaml[truthy]: Truthy value should be one of [false, true]',
      'lint-1  | playbooks/site.yml:4',
      'lint-1  | ',
      'lint-1  | package-latest: Package installs should not use latest. (warning)',
      'lint-1  | playbooks/site.yml:6 Task/Handler: Install nginx',
      'lint-1  | ',
      'lint-1  | Read documentation for instructions on how to ignore specific rule violations.',
      'lint-1  | ',
      'lint-1  | Failed after min profile: 1 failure(s), 1 warning(s) on 2 files.',
      'lint-1 exited with code 2',
    ],
  },
  {
    // hspec 2.8 (runghc) behind docker compose's prefix, which it prints on blank lines too (`tests-1  | `): the
    // blank line under `Failures:` is no entry of the list. stack's `ledger> ` and `nix build -L`'s are the same.
    name: 'hspec behind docker compose: the failure under `Failures:` past its blank line',
    rule: 'hspec.failed',
    head: 'tests-1  |   1) balance counts refunds',
    startLine: 11,
    endLine: 14,
    log: [
      '$ docker compose up --exit-code-from tests tests',
      'tests-1  | ',
      'tests-1  | balance',
      'tests-1  |   adds',
      'tests-1  |   is pending',
      'tests-1  |     # PENDING: No reason given',
      'tests-1  |   counts refunds FAILED [1]',
      'tests-1  | ',
      'tests-1  | Failures:',
      'tests-1  | ',
      'tests-1  |   test/BalanceSpec.hs:8:38: ',
      'tests-1  |   1) balance counts refunds',
      'tests-1  |        expected: 4',
      'tests-1  |         but got: 3',
      'tests-1  | ',
      'tests-1  |   To rerun use: --match "/balance/counts refunds/"',
      'tests-1  | ',
      'tests-1  | Randomized with seed 1236476891',
      'tests-1  | ',
      'tests-1  | Finished in 0.0046 seconds',
      'tests-1  | 3 examples, 1 failure, 1 pending',
      'tests-1 exited with code 1',
    ],
  },
  {
    // On a Windows runner GHC records the path as cabal gave it (`test\\Spec.hs`), and hspec prints that.
    name: 'hspec on Windows: a location with backslashes heads the first failure',
    rule: 'hspec.failed',
    head: '1) balance counts refunds as negative',
    startLine: 4,
    endLine: 7,
    log: [
      '$ cabal test --test-show-details=direct',
      'Failures:',
      '',
      '  test\\Spec.hs:10:51: ',
      '  1) balance counts refunds as negative',
      '       expected: 7',
      '        but got: 13',
      '',
      '  To rerun use: --match "/balance/counts refunds as negative/"',
      '',
      '  test\\Spec.hs:17:41: ',
      '  2) parseEntry reads a negative amount',
      '       expected: Just (-4)',
      '        but got: Just 4',
      '',
      '  To rerun use: --match "/parseEntry/reads a negative amount/"',
      '',
      'Randomized with seed 152499918',
      '',
      'Finished in 0.0009 seconds',
      '5 examples, 2 failures',
    ],
  },
  {
    // `-p` (`--parseable`, many CI configurations' choice): each violation on one line behind its file and line.
    // (rich takes the message's `[false, true]` for markup and drops it, as ansible-lint 6.13.1 prints it.) The
    // report must still be confirmed by its failure; its headline stays the heading: picking the `-p` line would
    // grow the line filter's block automata past what the classify bundle has room for.
    name: "ansible-lint -p: the parseable report of a failure and a warning is the failure's",
    rule: 'ansible-lint.report',
    head: 'WARNING  Listing 2 violation(s) that are fatal',
    startLine: 2,
    log: [
      '$ ansible-lint -p playbooks/',
      'WARNING  Listing 2 violation(s) that are fatal',
      'playbooks/site.yml:4: yaml[truthy]: Truthy value should be one of ',
      'playbooks/site.yml:6: package-latest: Package installs should not use latest. (warning)',
      'Read documentation for instructions on how to ignore specific rule violations.',
      '',
      '               Rule Violation Summary               ',
      ' count tag            profile rule associated tags  ',
      '     1 yaml[truthy]   basic   formatting, yaml      ',
      '     1 package-latest safety  idempotency (warning) ',
      '',
      'Failed after min profile: 1 failure(s), 1 warning(s) on 2 files.',
      '##[error]Process completed with exit code 2.',
    ],
  },
  {
    name: "(ordinary use) ansible-lint's report of a failure and a warning is still the failure's",
    rule: 'ansible-lint.report',
    head: 'yaml[truthy]: Truthy value should be one of [false, true]',
    startLine: 2,
    log: [
      '$ ansible-lint playbooks/',
      'WARNING  Listing 2 violation(s) that are fatal',
      'yaml[truthy]: Truthy value should be one of [false, true]',
      'playbooks/site.yml:4',
      '',
      'package-latest: Package installs should not use latest. (warning)',
      'playbooks/site.yml:6 Task/Handler: Install nginx',
      '',
      'Read documentation for instructions on how to ignore specific rule violations.',
      '',
      '               Rule Violation Summary               ',
      ' count tag            profile rule associated tags  ',
      '     1 yaml[truthy]   basic   formatting, yaml      ',
      '     1 package-latest safety  idempotency (warning) ',
      '',
      'Failed after min profile: 1 failure(s), 1 warning(s) on 2 files.',
      '##[error]Process completed with exit code 2.',
    ],
  },
];

describe('attack 58 (lang58): the new formats as other options and front ends print them', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    await expectTopFailure(row);
  });
});

/**
 * TeX's errors tex.error does not list (its expression names only those a pre-filter keyword reaches), under
 * -halt-on-error: the line a reader points at is the `! ` message, with its l.N line under it.
 */
const TEX_UNLISTED_ERRORS: TopFailureRow[] = [
  {
    name: 'pdfTeX: a double superscript, then the fatal stop',
    rule: 'tex.fatal',
    head: '! Double superscript.',
    startLine: 13,
    log: [
      '$ pdflatex -halt-on-error -interaction=nonstopmode main.tex',
      ...PDFTEX_START,
      '! Double superscript.',
      'l.3 Rates $x^2^',
      '               3$ here.',
      '!  ==> Fatal error occurred, no output PDF file produced!',
      'Transcript written on main.log.',
    ],
  },
  {
    name: 'pdfTeX: a macro that recurses until TeX capacity is exceeded',
    rule: 'tex.fatal',
    head: '! TeX capacity exceeded, sorry [input stack size=10000].',
    startLine: 13,
    log: [
      '$ pdflatex -halt-on-error -interaction=nonstopmode main.tex',
      ...PDFTEX_START,
      '! TeX capacity exceeded, sorry [input stack size=10000].',
      '\\a ->\\a ',
      '        \\a ',
      'l.4 \\a',
      '      ',
      '!  ==> Fatal error occurred, no output PDF file produced!',
      'Transcript written on main.log.',
    ],
  },
];

describe('attack 58 (lang58): TeX errors tex.error does not list', () => {
  // Found open on lang58: the top failure was `!  ==> Fatal error occurred, no output PDF file produced!` alone
  // (generic.error-word, category unknown) or the message without its l.N line (generic.failed). tex.fatal reads
  // the stop as its headline, looks back to the `! ` message above it and shows that first.
  it.each(TEX_UNLISTED_ERRORS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    await expectTopFailure(row);
  });
});

describe('attack 58 (lang58): behave\'s failed step with a traceback', () => {
  // behave 1.2.6: a Background step whose code raises. Found open on lang58's behave.failed (headed by the traceback's
  // first line, `Traceback (most recent call last):`); behave.step-failed, which took its place at the merge, picks
  // the exception under it, the line a reader points at.
  it('is headed by its exception, not by the traceback\'s first line', async () => {
    await expectTopFailure({
      name: 'behave traceback',
      rule: 'behave.step-failed',
      head: "KeyError: 'apple'",
      log: [
        '$ behave --no-color',
        'Feature: Shopping cart # features/cart.feature:1',
        '',
        '  Background:   # features/cart.feature:3',
        '',
        '  Scenario: Adding items updates the total  # features/cart.feature:6',
        '    Given the price list is loaded          # features/steps/cart_steps.py:3',
        '      Traceback (most recent call last):',
        '        File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/site-packages/behave/model.py", line 1329, in run',
        '          match.run(runner.context)',
        '        File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/site-packages/behave/matchers.py", line 98, in run',
        '          self.func(context, *args, **kwargs)',
        '        File "features/steps/cart_steps.py", line 5, in load',
        '          context.prices = {}["apple"]',
        '                           ~~^^^^^^^^^',
        "      KeyError: 'apple'",
        '',
        '    Given an empty cart                     # None',
        '    Then the total is 0                     # None',
        '',
        '',
        'Failing scenarios:',
        '  features/cart.feature:6  Adding items updates the total',
        '',
        '0 features passed, 1 failed, 0 skipped',
        '0 scenarios passed, 1 failed, 0 skipped',
        '0 steps passed, 1 failed, 2 skipped, 0 undefined',
      ],
    });
  });
});

describe('attack 58 (lang58): what a failure is', () => {
  // autoconf's own message when `autoreconf -i` was not run (or the tarball lacks its helpers): the checkout is not
  // configured, nothing is missing from the machine. A library a check did not find stays a missing dependency.
  it('a configure script without its auxiliary files is configuration, not a missing dependency', async () => {
    // Act
    const analysis = await analyzeLog([
      '$ ./configure --prefix=/usr',
      'configure: error: cannot find required auxiliary files: install-sh config.guess config.sub',
    ].join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['configure.error', 'configuration']);
  });

  // AC_MSG_FAILURE (a compiler check, \`cannot compute suffix of object files\`) names the build directory first, on a
  // line of its own, then the message.
  it("configure's failed compiler check: its message heads the failure, not the directory line above it", async () => {
    // Act
    const analysis = await analyzeLog([
      '$ ./configure',
      'checking for gcc... gcc',
      'checking whether the C compiler works... no',
      "configure: error: in \`/home/runner/work/tiler/tiler':",
      'configure: error: C compiler cannot create executables',
      "See \`config.log' for more details",
    ].join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.lines[0]?.text, analysis.category]).toEqual(['configure.error', 'configure: error: C compiler cannot create executables', 'configuration']);
  });

  // `nix build -L` puts the derivation's name in front of each line of its builder's output (`libtiler> `).
  it('a library configure requires is a missing dependency behind a task prefix too', async () => {
    // Act
    const analysis = await analyzeLog([
      'libtiler> checking for WebPDecodeRGBA in -lwebp... no',
      'libtiler> configure: error: libwebp is required: install libwebp-dev',
      "error: builder for '/nix/store/9f2c1e7a4b3d5c6e8f0a1b2c3d4e5f6a-libtiler-0.3.drv' failed with exit code 1",
    ].join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['configure.error', 'dependency']);
  });

  it('(ordinary use) a library configure requires is a missing dependency', async () => {
    // Act
    const analysis = await analyzeLog([
      'checking for WebPDecodeRGBA in -lwebp... no',
      'configure: error: libwebp is required: install libwebp-dev',
    ].join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['configure.error', 'dependency']);
  });
});

const ruleOf = (id: string): Rule => {
  const rule = [...RULES, ...CASCADE_RULES].find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule ${id}`);
  return rule;
};

/**
 * What a long hostile line repeats: the characters and pieces the new expressions read in a loop (spaces, word
 * characters, digits, positions, backticks, brackets, the `# file:line` of a Gherkin step, `(warning)`, stars and
 * `=` rows, `at (`, ` error : `).
 */
const HOSTILE_UNITS = [' ', 'a', '1', ':1', 'a:1:', 'a.py:1 ', ' `a', '[a', '# a:1', ' (warning)', '*', '=', ' at (a', ' error : ', '.hs:1:1: ', '.po:1:', 'l.1 '];

/**
 * The rules the change added or changed, each with the texts that take its expressions (headline, continuation, end,
 * message, lookback, header, confirmation, pick, category) to the part they read on.
 */
const HEADS_BY_RULE: Readonly<Record<string, readonly string[]>> = {
  'behave.step-failed': ['', ' ', '  Given ', '  Then a ', '      Assertion Failed: ', '  Scenario: '],
  'doctest.failed': ['', 'File "', 'File "a", line 1, in '],
  'go.data-race': ['', 'WARNING: DATA RACE'],
  'hspec.failed': ['', '  ', '  1) '],
  'protoc.error': ['', 'a.proto:1:1: ', 'a.proto'],
  'configure.error': ['configure: error: ', 'checking ', 'configure: error: Package requirements ('],
  'tex.error': ['', '! ', './a.tex:1: ', '! LaTeX Error: ', '<'],
  'tex.fatal': ['', '! ', './a.tex:1: ', '!  ==> Fatal error occurred'],
  'groovy.compile': ['', 'org.codehaus.groovy.control.'],
  'clojure.syntax-error': ['Syntax error compiling', 'Syntax error (', 'Syntax error compiling at ('],
  'pydocstyle.violation': ['', 'a.py:1 in ', 'a.py:1 in public method '],
  'ansible-lint.report': ['', 'WARNING  Listing ', 'a: ', 'a[b]: ', 'Read '],
  'ansible-lint': ['a[b]: '],
  'ansible.task-failed': ['TASK [', 'fatal: ['],
  'xmllint.error': ['', 'a.xml:1: ', 'a.xml:1: element a: ', 'a.xml:1: element a: Schemas '],
  'msgfmt.error': ['', 'a.po:1: '],
};
const SHARED: ReadonlyArray<readonly [string, RegExp, readonly string[]]> = [
  ['prefilter keywords', PREFILTER_RE, ['', 'a.hs:1:1: ']],
  ['warnings', WARNING_RE, ['', 'WARNING', 'WARNING  Listing ', 'a.po:1: ']],
];

const expressionsOf = (rule: Rule): RegExp[] =>
  [
    rule.re, rule.cont, rule.end, rule.message?.open, rule.message?.end, rule.lookback?.re, rule.under?.header,
    rule.under?.through, rule.confirmedBy, rule.nextLine, ...(rule.categoryFrom ?? []).map((from) => from.re), rule.tally, ...(rule.pick ?? []).map((p) => p.re),
  ].filter((re): re is RegExp => re !== undefined);

describe('attack 58 (lang58): the new expressions cost a pass over a long line', () => {
  it.each(Object.keys(HEADS_BY_RULE))('%s', { timeout: 120_000 }, (id) => {
    expect(expressionsOf(ruleOf(id)).flatMap((re) => superlinearOn(re, HEADS_BY_RULE[id] ?? [], HOSTILE_UNITS))).toEqual([]);
  });

  it.each(SHARED)('%s', { timeout: 120_000 }, (_name, re, heads) => {
    expect(superlinearOn(re, heads, HOSTILE_UNITS)).toEqual([]);
  });

  it('cleanLine over a line of OSC sequences left open or cut by another escape', { timeout: 120_000 }, () => {
    const units = [`${E}]8;;a`, `${E}]8;;${E}[m`, `${E}]`, `${E}]8;id=1;https://a/${E}\\a`];
    const slow = units.filter((unit) => cpuGrowthExponent(LINE_COST_SIZES, (size) => unit.repeat(Math.floor(size / unit.length)), cleanLine) >= LINEAR_EXPONENT_BOUND);
    expect(slow).toEqual([]);
  });
});

/** Log lengths in lines: up to 50K lines of a near miss. */
const LOG_COST_SIZES = [6_250, 12_500, 25_000, 50_000];

function scanAll(lines: readonly string[]): unknown {
  const scanner = new LogScanner();
  lines.forEach((text, i) => scanner.push(i + 1, text));
  return scanner.finish();
}

describe('attack 58 (lang58): the new blocks cost a pass over a long log', () => {
  it.each([
    ['an ansible-lint report of warnings that never ends', ['WARNING  Listing 1 violation(s) that are fatal', 'yaml[line-length]: Line too long (warning)', 'playbooks/site.yml:12', '']],
    ['indented tracebacks under Gherkin steps', ['    Then the total is 1.45   # features/steps/cart.py:23', '      Traceback (most recent call last):', '        File "x.py", line 1, in f']],
    ['pydocstyle places without their codes', ['pkg/x.py:9 in public method `allow`:']],
    ['hspec locations with no numbered line under them', ['  test/Spec.hs:10:51: ', '  expected: 7']],
    ['doctest rows of stars with no File line', ['*'.repeat(70), 'Failed example:']],
  ])('%s', { timeout: 120_000 }, (_name, cycle) => {
    const textOf = (size: number) => Array.from({ length: size }, (_, i) => cycle[i % cycle.length] as string);
    expect(cpuGrowthExponent(LOG_COST_SIZES, textOf, scanAll)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
