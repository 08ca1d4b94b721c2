import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { CREATE_REQUIRE_BANNER, EVENT_STREAM_SERDE, EVENT_STREAM_SERDE_AT_START, EVENT_STREAM_STAND_IN, MAX_BUNDLE_BYTES, PROJECT_ROOT, MANGLED_PROPERTY_NAMES, SSO_TOKEN_CLIENTS } from '../../infra/constructs/guard-function.js';
import { FUNCTION_NAMES, functionLogicalId } from './support.js';
import { TEST_APP_ID, testAppKeys } from '../support/app-keys.js';

/**
 * Code that only the local runtime (`npm start`), its tests and the CLI run: the stand-ins for AWS that the local
 * runtime hands to the composition root (shared/runtime/local-adapters.ts and what it alone imports), the embedded
 * DynamoDB and state machine, and the CLI. Every bundle that carried one paid for it at every cold start.
 */
const LOCAL_ONLY = [
  'shared/runtime/local-adapters.ts',
  'shared/adapters/outbox.ts',
  'shared/github/recorded.ts',
  'shared/stores/work-queue.ts',
  'shared/adapters/prometheus.ts',
  'shared/cli/',
  'infra/local/',
  'node_modules/dynalite/',
  'node_modules/aws-local-stepfunctions/',
];

const handlersExist = FUNCTION_NAMES.every((name) => existsSync(join(PROJECT_ROOT, 'functions', name, 'handler.ts')));
const outdir = mkdtempSync(join(tmpdir(), 'guard-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/**
 * The real thing, once: the app as `cdk synth` builds it, with every function bundled by the local esbuild and
 * cdk-nag on. The other infra tests skip bundling to stay fast.
 */
describe.skipIf(!handlersExist)('real bundling', () => {
  // Asset metadata (each bundle's directory in the assembly) is written only when this is on, as under the CLI.
  const { app, stack } = buildApp({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Metadata?: Record<string, string>; Properties: { Environment: { Variables: Record<string, unknown> } } }>;
  };
  const bundleOf = (name: (typeof FUNCTION_NAMES)[number]) => {
    const resource = template.Resources[functionLogicalId(stack, stack.functions[name])];
    return { path: join(outdir, resource?.Metadata?.['aws:asset:path'] ?? 'missing', 'index.mjs'), variables: resource?.Properties.Environment.Variables ?? {} };
  };

  it.each(FUNCTION_NAMES)(`%s: is at most ${MAX_BUNDLE_BYTES / 1024} KB`, (name) => {
    const bytes = statSync(bundleOf(name).path).size;
    console.log(`bundle ${name}: ${(bytes / 1024).toFixed(0)} KB (bound ${MAX_BUNDLE_BYTES / 1024} KB)`);
    expect(bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it.each(FUNCTION_NAMES)('%s: ships the bundled packages’ license notices beside the code, not in it', (name) => {
    const { path } = bundleOf(name);
    const notices = readFileSync(`${path}.LEGAL.txt`, 'utf8');
    // Every function bundles Powertools' Logger and the SDK; their notices name the package they came from.
    expect(notices).toContain('@aws-lambda-powertools/');
    expect(readFileSync(path, 'utf8')).not.toContain('Bundled license information');
  });

  it.each(FUNCTION_NAMES)('%s: keeps non-ASCII characters as UTF-8, not as \\u escapes', (name) => {
    // Every bundle carries the log redaction's homoglyph table (Cyrillic letters, shared/logs/redaction/lookalikes.ts), and no
    // regular expression or String.raw (the code esbuild prints as written) spells one as an escape: under esbuild's
    // default charset (aws-cdk-lib drops `charset`) each bundle had 31 or more `\u04XX`, and was larger than
    // bundle:sizes measures.
    const code = readFileSync(bundleOf(name).path, 'utf8');
    expect(code).not.toMatch(/\\u04[0-9A-Fa-f]{2}/);
    expect(code).toMatch(/[\u0400-\u04FF]/);
  });

  it.each(FUNCTION_NAMES)('%s: loads the event-stream serde it leaves out only on demand, never at start', (name) => {
    const code = readFileSync(bundleOf(name).path, 'utf8');
    const quoted = JSON.stringify(EVENT_STREAM_SERDE);
    // Left out, the serde is named only by @smithy/core's `import()` for an event-stream operation; a static import
    // would need the runtime's own SDK at every cold start.
    expect(code.includes(`from${quoted}`) || code.includes(`from ${quoted}`)).toBe(false);
    expect(code.includes(`import(${quoted})`)).toBe(!EVENT_STREAM_SERDE_AT_START.has(name));
  });

  /**
   * What a bundle is built from, by the source map: esbuild names every input that put code into it (and none
   * that tree shaking left out), relative to the bundle, so the paths are made relative to the project again.
   */
  const inputsOf = (name: (typeof FUNCTION_NAMES)[number]) => {
    const { path } = bundleOf(name);
    const map = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as { sources: string[] };
    return map.sources.map((source) => relative(PROJECT_ROOT, resolve(dirname(path), source)));
  };

  it.each(FUNCTION_NAMES)('%s: carries none of the local runtime’s stand-ins, embedded services or CLI', (name) => {
    const inputs = inputsOf(name);
    // Sanity: the map names project files as the checks below spell them.
    expect(inputs).toContain(`functions/${name}/handler.ts`);
    expect(inputs.filter((input) => LOCAL_ONLY.some((local) => input.startsWith(local)))).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('%s: carries no event-stream codec, only the stand-in where a client builds one at start', (name) => {
    // The serde and Bedrock's signed payload handler were ≈17 KB of analyze and ≈19 KB of ingest-github, built by the
    // clients' constructors for operations no function sends (shared/adapters/no-event-streams.ts).
    const inputs = inputsOf(name);
    const codec = ['node_modules/@smithy/core/dist-es/submodules/event-streams/', 'node_modules/@aws-sdk/eventstream-handler-node/'];
    expect(inputs.filter((input) => codec.some((prefix) => input.startsWith(prefix)))).toEqual([]);
    expect(inputs.includes(EVENT_STREAM_STAND_IN.slice(2))).toBe(EVENT_STREAM_SERDE_AT_START.has(name));
  });

  it.each(FUNCTION_NAMES)('%s: leaves the SSO token refresh’s client outside, named only by its import()', (name) => {
    // Bundled, the SSO OIDC client (its error classes, schemas, endpoint rules) was ≈22 KB of analyze for a token
    // refresh Lambda never makes; left out, it is loaded from the runtime's SDK if it ever is.
    expect(inputsOf(name).filter((input) => input.startsWith(`node_modules/${SSO_TOKEN_CLIENTS}/`))).toEqual([]);
    const code = readFileSync(bundleOf(name).path, 'utf8');
    expect(code).not.toMatch(new RegExp(String.raw`from\s*"${SSO_TOKEN_CLIENTS}`));
    expect(code.includes(`import("${SSO_TOKEN_CLIENTS}/sso-oidc")`)).toBe(name === 'analyze');
  });

  it.each(FUNCTION_NAMES)('%s: schedules GitHub requests on shared/github/request-limiter.ts, without Bottleneck', (name) => {
    // Octokit's retry and throttling plugins import Bottleneck (≈23 KB), of which they use the part the stand-in is
    // (BUNDLE_ALIASES; test/infra/request-limiter.test.ts compares the two under the plugins).
    const inputs = inputsOf(name);
    expect(inputs.filter((input) => input.startsWith('node_modules/bottleneck/'))).toEqual([]);
    expect(inputs.includes('shared/github/request-limiter.ts')).toBe(inputs.some((input) => input.startsWith('node_modules/@octokit/plugin-throttling/')));
  });

  it.each(FUNCTION_NAMES)('%s: carries the patch check only where a patch is checked (analyze, remediate)', (name) => {
    // An approval request shows a patch's lines (shared/analysis/diff-reading.ts); the check's module builds its command
    // readings when it loads, ≈14 KB of every function that renders one (reconcile, notify, record-outcome) for nothing.
    expect(inputsOf(name).includes('shared/analysis/patch.ts')).toBe(name === 'analyze' || name === 'remediate');
  });

  it.each(FUNCTION_NAMES)('%s: builds the stand-in for DynamoDB endpoint discovery’s cache, which no command it bundles reads', (name) => {
    const inputs = inputsOf(name);
    // The package's LRU cache (mnemonist, obliterator) was ≈8 KB of every bundle; only the discovery middleware uses it.
    expect(inputs.filter((input) => /^node_modules\/(?:mnemonist|obliterator|@aws-sdk\/endpoint-cache)\//.test(input))).toEqual([]);
    expect(inputs).toContain('shared/stores/no-endpoint-cache.ts');
    expect(inputs.filter((input) => input.startsWith('node_modules/@aws-sdk/middleware-endpoint-discovery/dist-es/endpointDiscoveryMiddleware'))).toEqual([]);
  });

  it('classify renames the rule table’s own properties, as synth bundles it', () => {
    // Synth bundles with esbuildOptionsFor (scripts/bundle-function.ts); without its `mangleProps` every rule's
    // `maxLines:` and `lookback:` would be in the bundle (test/infra/mangled-properties.test.ts checks what the renaming keeps).
    const code = readFileSync(bundleOf('classify').path, 'utf8');
    for (const name of MANGLED_PROPERTY_NAMES) expect(code, name).not.toMatch(new RegExp(String.raw`[{,.]${name}\b`));
    expect(code).toContain('"ctest.failed"');
  });

  it('ingest-github verifies signatures with @octokit/webhooks-methods, without the Webhooks class around it', () => {
    const inputs = inputsOf('ingest-github');
    // The class's event names, handlers and middleware (≈10 KB) are never used: only its `verify`, which is this.
    expect(inputs.filter((input) => input.startsWith('node_modules/@octokit/webhooks/'))).toEqual([]);
    expect(inputs.some((input) => input.startsWith('node_modules/@octokit/webhooks-methods/'))).toBe(true);
  });

  it.each(FUNCTION_NAMES)('%s carries none of GitHub’s OAuth client flows: an App authenticates as its installations', (name) => {
    const inputs = inputsOf(name);
    // @octokit/auth-app's OAuth client, user and device flows (~10 KB) are shared/github/no-oauth.ts in the bundles.
    const oauth = ['node_modules/@octokit/auth-oauth-app/', 'node_modules/@octokit/auth-oauth-user/', 'node_modules/@octokit/auth-oauth-device/', 'node_modules/@octokit/oauth-methods/'];
    expect(inputs.filter((input) => oauth.some((prefix) => input.startsWith(prefix)))).toEqual([]);
    // Sanity: where auth-app is bundled, the stand-in is too.
    expect(inputs.some((input) => input.startsWith('node_modules/@octokit/auth-app/'))).toBe(inputs.includes('shared/github/no-oauth.ts'));
  });

  it('remediate carries neither the comment slots nor the approval index: it never comments, never reads approvals', () => {
    const inputs = inputsOf('remediate');
    const commentingOnly = ['shared/github/comment-slot.ts', 'shared/stores/comment-slots.ts', 'shared/remediation/approvals.ts'];
    expect(inputs.filter((input) => commentingOnly.includes(input))).toEqual([]);
    // Sanity: the map names the GitHub client it does build.
    expect(inputs).toContain('shared/github/clients.ts');
  });

  it('remediate carries none of GitHub’s paged listings: it reads one page of labels, files and trees, never pages', () => {
    const inputs = inputsOf('remediate');
    expect(inputs.filter((input) => ['shared/github/listings.ts', 'shared/github/pagination.ts'].includes(input))).toEqual([]);
    // Sanity: the REST access they read through is there.
    expect(inputs).toContain('shared/github/rest.ts');
  });

  it('classify carries none of GitHub’s writes nor the comment slots: it reads a failed run and never writes', () => {
    const inputs = inputsOf('classify');
    // The whole adapter (comments and reactions, labels, re-runs, fix pull requests, collaborators) and the comment
    // slots' store were ≈12 KB of classify (session 59); it builds the run reads alone (shared/github/run-reads-client.ts).
    const writing = [
      'shared/github/client.ts',
      'shared/github/comments.ts',
      'shared/github/comment-slot.ts',
      'shared/stores/comment-slots.ts',
      'shared/github/labels.ts',
      'shared/github/reruns.ts',
      'shared/github/fix-pull-requests.ts',
      'shared/github/collaborators.ts',
    ];
    expect(inputs.filter((input) => writing.includes(input))).toEqual([]);
    // Sanity: the map names the reads it does build.
    expect(inputs).toContain('shared/github/runs.ts');
    expect(inputs).toContain('shared/github/run-reads-client.ts');
  });

  it('remediate reaches SSM Automation without @aws-sdk/client-ssm: its 141 error classes were ≈75 KB of the bundle', () => {
    const inputs = inputsOf('remediate');
    expect(inputs.filter((input) => input.startsWith('node_modules/@aws-sdk/client-ssm/'))).toEqual([]);
    // Sanity: the two Automation calls are in the bundle, signed by the SDK's own signer.
    expect(inputs).toContain('shared/adapters/ssm-automation.ts');
    expect(inputs.some((input) => input.startsWith('node_modules/@smithy/signature-v4/'))).toBe(true);
  });

  it.each(FUNCTION_NAMES)('%s reads secrets without @aws-sdk/client-secrets-manager or Powertools Parameters: ≈18 KB of each bundle for one call', (name) => {
    const inputs = inputsOf(name);
    const secretsClient = ['node_modules/@aws-sdk/client-secrets-manager/', 'node_modules/@aws-lambda-powertools/parameters/'];
    expect(inputs.filter((input) => secretsClient.some((prefix) => input.startsWith(prefix)))).toEqual([]);
  });

  it('analyze carries of the learning loop only the analysis cost it charges: no knowledge base, votes, baselines or experiment store', () => {
    const inputs = inputsOf('analyze');
    // createLearning built all of these (≈50 KB) for the one onAnalyzed call analyze makes.
    const learningOnly = ['shared/knowledge/learning.ts', 'shared/knowledge/votes.ts', 'shared/knowledge/store.ts', 'shared/baselines/store.ts', 'shared/experiments/store.ts'];
    expect(inputs.filter((input) => learningOnly.includes(input))).toEqual([]);
    // Sanity: the map names what charges the cost.
    expect(inputs).toContain('shared/experiments/analysis-cost.ts');
  });

  it.each(['remediate', 'classify', 'analyze'] as const)('%s carries none of the incident store’s index queries: it reads and updates its incident by id', (name) => {
    // The month index's key conditions of listUnfinished and search (shared/stores/incident-store.ts), nowhere else.
    expect(readFileSync(bundleOf(name).path, 'utf8').includes('#month = :month')).toBe(false);
    // Sanity: its store is in the bundle.
    expect(inputsOf(name)).toContain('shared/stores/incident-store.ts');
  });

  /**
   * Built at module level, a value only some functions use ships in every bundle that imports its module: esbuild
   * cannot drop a call it must assume has effects. These are built where esbuild may leave them out.
   */
  it.each(FUNCTION_NAMES)('%s: carries the download-and-run patterns only if its comments warn with them', (name) => {
    // `get_response` is named only by those patterns (DOWNLOADS in shared/analysis/dangerous-code.ts), and only
    // `downloadsAndRuns` reads them: the pull request comment that notify and record-outcome write, and the reconciler
    // when it posts a recovery comment the write budget had refused. (`urlretrieve` was the mark until the patch check
    // named it too, for a download saved to a file: DOWNLOAD_FILE.)
    expect(readFileSync(bundleOf(name).path, 'utf8').includes('get_response')).toBe(['notify', 'record-outcome', 'reconcile'].includes(name));
  });

  it.each(FUNCTION_NAMES)('%s: carries none of the code that computes the log analyzer’s stored data: the build checked it fresh', (name) => {
    // The regular-expression reader's users (the literal reader, the digit-blind test) and the automata compiler were
    // ≈14 KB of classify for a fallback no bundle can take (bundleDefines, infra/constructs/guard-function.ts).
    expect(inputsOf(name).filter((input) => ['shared/logs/literals.ts', 'shared/logs/digit-blind.ts'].includes(input))).toEqual([]);
    const code = readFileSync(bundleOf(name).path, 'utf8');
    // Error messages of the compiler (byte-dfa.ts) and of the reader (regex-syntax.ts), nowhere else.
    expect(code).not.toMatch(/filter automaton over|too many byte classes|unsupported flag v/);
    // Sanity: the analyzer's bundle reads the stored data, and fails on stale data instead of computing it.
    if (name === 'classify') expect(code).toContain('npm run build:line-filter');
  });

  it.each(FUNCTION_NAMES)('%s: carries no table definitions, which only the stack and the local store read', (name) => {
    // `logicalName` is a field of TABLES (shared/stores/tables.ts) alone.
    expect(readFileSync(bundleOf(name).path, 'utf8').includes('logicalName')).toBe(false);
  });

  it.each(FUNCTION_NAMES)('%s: carries zod without its locales', (name) => {
    const code = readFileSync(bundleOf(name).path, 'utf8');
    // The German and Japanese messages live only in zod's locale files.
    expect(code).not.toMatch(/Ungültige Eingabe|無効な入力/);
  });

  // zod/mini is zod's tree-shakable API; one classic schema anywhere a function reaches brought ~60 KB back.
  it.each(FUNCTION_NAMES)('%s: carries zod/mini and none of classic zod', (name) => {
    const zodInputs = inputsOf(name).filter((input) => input.startsWith('node_modules/zod/'));
    expect(zodInputs.filter((input) => input.startsWith('node_modules/zod/v4/mini/'))).not.toEqual([]);
    expect(zodInputs.filter((input) => input.startsWith('node_modules/zod/v4/classic/'))).toEqual([]);
  });

  // The project's sideEffects: false would let esbuild drop shared/zod.ts's `config(en())`, leaving every issue "Invalid input".
  it.each(FUNCTION_NAMES)("%s: carries zod's English messages", (name) => {
    expect(readFileSync(bundleOf(name).path, 'utf8')).toContain('Too big: expected ');
  });

  it.each(FUNCTION_NAMES)('%s: one minified ESM file with a source map and the createRequire banner', (name) => {
    const { path } = bundleOf(name);
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.map`)).toBe(true);
    const code = readFileSync(path, 'utf8');
    expect(code.startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(code.split('\n').length).toBeLessThan(code.length / 200);
  });

  /**
   * Imports each bundle on Node 22 the way Lambda does (ESM, top-level await, bundled CommonJS that calls require)
   * with exactly the environment the stack gives that function, so a setting the code needs at cold start but
   * the stack does not set fails here rather than in AWS. Resource references become stand-in names; secrets are
   * the exception (reading Secrets Manager needs AWS): the webhook secret is passed in plain, as the local runtime
   * does, and the token secret is left out (the functions then run without GitHub). Nothing touches the network.
   */
  const coldStart = (name: (typeof FUNCTION_NAMES)[number], github: Record<string, string> = {}) => {
    const { path, variables } = bundleOf(name);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    for (const [key, value] of Object.entries(variables)) {
      if (key === 'GITHUB_WEBHOOK_SECRET_ARN') env.GITHUB_WEBHOOK_SECRET = 'bundling-test-secret';
      else if (key === 'GITHUB_TOKEN_SECRET_ARN') continue;
      else if (typeof value === 'string') env[key] = value;
      // The stack's own account (`Stack.of(this).account`), a reference CloudFormation fills in.
      else if (JSON.stringify(value) === '{"Ref":"AWS::AccountId"}') env[key] = '123456789012';
      else if (key.endsWith('_TABLE')) env[key] = key.toLowerCase();
      else if (key.endsWith('_ARN')) env[key] = `arn:aws:states:us-east-1:123456789012:stateMachine:${key.toLowerCase()}`;
      else env[key] = 'us-east-1';
    }
    const script = `const m = await import(${JSON.stringify(pathToFileURL(path).href)});
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(2); }
console.log('handler loaded');`;
    const result = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...env, ...github },
    });
    const firstError = result.stderr.split('\n').find((line) => /Error/.test(line)) ?? result.stderr.trim();
    expect(firstError, `${name} failed at cold start`).toBe('');
    expect(result.stdout.trim()).toBe('handler loaded');
    expect(result.status).toBe(0);
  };

  it.each(FUNCTION_NAMES)('%s: cold-starts with the environment the stack gives it', (name) => {
    coldStart(name);
  });

  /**
   * With GitHub credentials (given in plain here, as the local runtime gives them: in AWS they are read from Secrets
   * Manager), a cold start builds the GitHub clients: every Octokit its GraphQL client and the App's auth-app its
   * default token cache, which the bundles take from stand-ins (shared/github/no-graphql.ts, no-lru-cache.ts), and
   * the retry and throttling plugins, which schedule on shared/github/request-limiter.ts instead of Bottleneck.
   */
  it.each(['classify', 'remediate', 'notify'] as const)('%s: cold-starts as a GitHub App and with a token, on the Octokit stand-ins', (name) => {
    coldStart(name, { GITHUB_APP_ID: String(TEST_APP_ID), GITHUB_APP_PRIVATE_KEY: testAppKeys().privateKey });
    coldStart(name, { GITHUB_TOKEN: 'ghp_bundlingtestbundlingtestbundling0000' });
    expect(inputsOf(name)).toEqual(expect.arrayContaining(['shared/github/no-graphql.ts', 'shared/github/no-lru-cache.ts', 'shared/github/request-limiter.ts']));
    expect(inputsOf(name).filter((input) => /^node_modules\/(?:@octokit\/graphql|toad-cache|bottleneck)\//.test(input))).toEqual([]);
  });
});

describe('zod in the bundles', () => {
  /**
   * `import { z } from 'zod'` binds zod's namespace object, which esbuild must then build whole: every schema
   * type and the 40+ locale files (≈340 KB a bundle). `import * as z` lets it keep only the members used.
   */
  it('is imported as a namespace everywhere the functions reach', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && /^import \{[^}]*\bz\b[^}]*\} from 'zod';$/m.test(readFileSync(path, 'utf8'))) offenders.push(relative(PROJECT_ROOT, path));
      }
    };
    for (const dir of ['shared', 'functions']) walk(join(PROJECT_ROOT, dir));
    expect(offenders).toEqual([]);
  });
});
