import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORTED_PACKAGE_JSON, PACKAGE_JSON_FIELDS_READ } from '../../infra/constructs/function-bundle.js';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import { FUNCTION_NAMES, bundledLikeSynth, functionBundle } from './support.js';

/**
 * The bundles give an imported package manifest only the fields its importers read (`packageVersionsOnly`,
 * infra/constructs/function-bundle.ts): every SDK client's user agent must still name the client's own version.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-package-json-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The SDK clients the functions build: the module exporting each, and its client class. */
const CLIENTS = [
  ['@aws-sdk/client-dynamodb', 'DynamoDBClient'],
  ['@aws-sdk/client-sfn', 'SFNClient'],
  ['@aws-sdk/client-sns', 'SNSClient'],
  ['@aws-sdk/client-lambda', 'LambdaClient'],
  ['@aws-sdk/client-cloudwatch', 'CloudWatchClient'],
  ['@aws-sdk/client-bedrock-runtime', 'BedrockRuntimeClient'],
] as const;

type UserAgent = Array<[string, string?]>;

/**
 * The user agent (`defaultUserAgentProvider`'s sections) of each of {@link CLIENTS} as bundled with synth's options
 * (esbuildOptionsFor), with the plugins it is given or none. Bundled, as the functions run them: the packages'
 * CommonJS builds, which Node would load here, inline a version of their own (client-dynamodb's says 3.1161.0 where
 * its package.json says 3.1162.0), the ESM builds the bundles take read package.json.
 */
async function bundledUserAgents(label: string, withPlugins: boolean): Promise<UserAgent[]> {
  const source = [
    ...CLIENTS.map(([module, name]) => `import { ${name} } from ${JSON.stringify(module)};`),
    `const agent = (Client) => new Client({ region: 'eu-west-1' }).config.defaultUserAgentProvider();`,
    `export const agents = await Promise.all([${CLIENTS.map(([, name]) => `agent(${name})`).join(', ')}]);`,
  ].join('\n');
  const { code, module } = await bundledLikeSynth<{ agents: UserAgent[] }>(outdir, label, source, withPlugins);
  // Sanity: with the plugin, the manifests are trimmed (a whole one has its dependencies and scripts).
  expect(/[{,]"?devDependencies"?:/.test(code)).toBe(!withPlugins);
  return module.agents;
}

describe('package manifests in the bundles', () => {
  it('every SDK client, bundled as synth bundles it, sends the user agent it sent with the whole manifest, naming its version', async () => {
    const trimmed = await bundledUserAgents('trimmed', true);
    const whole = await bundledUserAgents('whole', false);
    expect(trimmed).toEqual(whole);
    const require = createRequire(join(PROJECT_ROOT, 'package.json'));
    for (const [index, [module]] of CLIENTS.entries()) {
      const { version } = require(`${module}/package.json`) as { version: string };
      expect(trimmed[index], module).toContainEqual(['aws-sdk-js', version]);
    }
  });

  it(`no bundled code reads a field of a package manifest other than ${PACKAGE_JSON_FIELDS_READ.join(', ')}`, async () => {
    const readers = new Map<string, Set<string>>();
    for (const name of FUNCTION_NAMES) {
      const { metafile } = await functionBundle(name);
      for (const [input, { imports }] of Object.entries(metafile.inputs)) {
        for (const imported of imports) {
          if (!IMPORTED_PACKAGE_JSON.test(`/${imported.path}`)) continue;
          if (!readers.has(input)) readers.set(input, new Set());
          readers.get(input)?.add(imported.original ?? imported.path);
        }
      }
    }
    // Sanity: the SDK clients' runtime configurations import theirs.
    expect([...readers.keys()]).toContain('node_modules/@aws-sdk/client-dynamodb/dist-es/runtimeConfig.js');

    const fieldsRead = new Set<string>();
    for (const [reader, specifiers] of readers) {
      const source = readFileSync(join(PROJECT_ROOT, reader), 'utf8');
      for (const specifier of specifiers) {
        const binding = new RegExp(String.raw`import\s+(\w+)\s+from\s+["']${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`).exec(source)?.[1];
        expect(binding, `${reader} imports ${specifier} as a default binding`).toBeDefined();
        const uses = [...source.matchAll(new RegExp(String.raw`\b${binding}\b(\.\w+)?`, 'g'))].slice(1);
        // Each use reads a field by name: the manifest is never passed on whole, spread or indexed.
        for (const use of uses) {
          expect(use[1], `${reader}: ${use[0]}`).toBeDefined();
          fieldsRead.add((use[1] as string).slice(1));
        }
      }
    }
    expect([...fieldsRead].filter((field) => !(PACKAGE_JSON_FIELDS_READ as readonly string[]).includes(field))).toEqual([]);
  });
});
