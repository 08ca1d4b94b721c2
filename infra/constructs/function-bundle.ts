/**
 * How a function's code is bundled, as esbuild's own options: one definition for synth (through
 * scripts/bundle-function.ts, which {@link GuardFunction} runs for each function's asset), `npm run bundle:sizes` and
 * the tests that build a bundle. It runs esbuild's API, not its command line as aws-cdk-lib's NodejsFunction does,
 * because {@link packageVersionsOnly}, {@link nativeSha256Only}, {@link noInstanceMetadataRegion} and
 * {@link literalSchemaTraitKeys} are plugins, which only the API takes.
 */
import { readFile } from 'node:fs/promises';
import type { BuildOptions, Plugin } from 'esbuild';
import { BUNDLE_ALIASES, CHARSET, EVENT_STREAM_ALIASES, EVENT_STREAM_SERDE_AT_START, LEGAL_COMMENTS, MANGLED_PROPERTIES, PROJECT_ROOT, bundlingOptionsFor, functionEntry } from './bundle-settings.js';
import type { FunctionName } from '../table-access.js';

/** A package manifest that bundled code imports: `@aws-sdk/client-*` reads its own for the version in its user agent. */
export const IMPORTED_PACKAGE_JSON = /[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+[\\/]package\.json$/;

/** The fields of a package manifest that the bundled code reads (test/infra/package-json.test.ts checks the readers). */
export const PACKAGE_JSON_FIELDS_READ = ['name', 'version'] as const;

/**
 * Each SDK client imports its `package.json` for its version (`packageInfo.version`, the user agent's
 * `aws-sdk-js/3.x`), and esbuild inlines the whole manifest: its dependencies, scripts and devDependencies, ≈2.3 KB
 * of a client. This gives such an import only {@link PACKAGE_JSON_FIELDS_READ}, with the manifest's own values.
 */
export const packageVersionsOnly: Plugin = {
  name: 'package-versions-only',
  setup(build) {
    build.onLoad({ filter: IMPORTED_PACKAGE_JSON }, async ({ path }) => {
      const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      const read = Object.fromEntries(PACKAGE_JSON_FIELDS_READ.filter((field) => field in manifest).map((field) => [field, manifest[field]]));
      return { contents: JSON.stringify(read), loader: 'json' };
    });
  },
};

/** The pure-JavaScript SHA-256 of `@smithy/core` (its `checksum` submodule's `Sha256Js`), by its path under node_modules. */
export const SHA256_JS = /(?:^|[\\/])node_modules[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]checksum[\\/]sha256[\\/]Sha256Js\.js$/;

/**
 * The SDK signs every request with `Sha256Node`, which hashes with `node:crypto` and falls back to `Sha256Js` (≈3.3 KB
 * of every bundle) only where `createHash('sha256')` throws: never on Lambda's Node.js, whose OpenSSL has SHA-256. The
 * bundles get a `Sha256Js` that says so if it is ever made, instead of hashing in JavaScript; the SDK's own code
 * chooses as before (test/infra/sha256.test.ts compares the signatures with and without this).
 */
export const nativeSha256Only: Plugin = {
  name: 'native-sha256-only',
  setup(build) {
    build.onLoad({ filter: SHA256_JS }, () => ({
      contents: 'export class Sha256Js { constructor() { throw new Error("node:crypto has no sha256 here, and this bundle has no SHA-256 in JavaScript"); } }',
      loader: 'js',
    }));
  },
};

/** `@smithy/core`'s region lookup in the EC2 instance metadata service (its `config` submodule), by its path under node_modules. */
export const INSTANCE_METADATA_REGION = /(?:^|[\\/])node_modules[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]config[\\/]config-resolver[\\/]regionConfig[\\/]getInstanceMetadataRegion\.js$/;

/**
 * The SDK asks the EC2 instance metadata service for the region (≈1.3 KB of every bundle: two HTTP requests and their
 * endpoints) only where none is configured, and for `defaultsMode: 'auto'` only where `AWS_EXECUTION_ENV` or
 * `AWS_REGION` is unset: Lambda sets all three, and has no instance metadata service to ask. The bundles get a lookup
 * that finds no region, what the service's absence answers, without asking; the SDK's own code chooses as before
 * (test/infra/instance-metadata.test.ts compares the regions and modes a client resolves with and without this).
 */
export const noInstanceMetadataRegion: Plugin = {
  name: 'no-instance-metadata-region',
  setup(build) {
    build.onLoad({ filter: INSTANCE_METADATA_REGION }, () => ({
      contents: 'export const getInstanceMetadataRegion = async () => undefined;',
      loader: 'js',
    }));
  },
};

/** An SDK client's schemas: one module of every shape and operation the service has, by its path under node_modules. */
export const CLIENT_SCHEMAS = /(?:^|[\\/])node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/;

/** A schemas module's top-level statement that declares an error schema (`[-3, namespace, name, traits, …]`). */
const ERROR_SCHEMA_STATEMENT = /^export var \w+\$ = \[-3,/;

/** A schemas module's constant that names a trait key, at its top level: `const _h = "http";`. */
const TRAIT_KEY_CONSTANT = /^const (_\w+) = ("[^"\\\n]*");$/gm;

/**
 * A schemas module's text (group 1: a string, a template literal or a comment, kept as written, since a `[_h]:` in it is
 * data), or a trait key in an object literal's key position, after `{` or `,` (group 2 what precedes it, group 3 its
 * constant's name): not an array that is a conditional's branch (`c ? [_h]: d`), which written as a literal would be a
 * string instead.
 */
const TRAIT_KEY_OR_TEXT = /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|([{,]\s*)\[(_\w+)\]:/g;

/**
 * Whether a schemas module (`code`, its texts left out) may bind a trait key's constant again: a function's or a
 * catch's parameter, a class, or a declaration inside a block or an expression, where `[_h]` would name that binding
 * and not the constant. The SDK's schemas have none (their only functions are thunks, `() => Shape$`, and they declare
 * at the top level alone); a module that has one is another shape, left as written rather than rewritten wrong.
 */
function mayRebind(code: string): boolean {
  const arrows = code.match(/=>/g)?.length ?? 0;
  const thunks = code.match(/\(\)\s*=>/g)?.length ?? 0;
  const declarations = code.match(/\b(?:let|const|var)\b/g)?.length ?? 0;
  const topLevelDeclarations = code.match(/^(?:export )?(?:let|const|var)\b/gm)?.length ?? 0;
  return /\b(?:function|class|catch)\b/.test(code) || arrows !== thunks || declarations !== topLevelDeclarations;
}

/**
 * A schemas module names its trait keys by module constants (`const _h = "http";`) and spells each trait object
 * with a computed key (`{ [_h]: ["POST", "/model/{modelId}/converse", 200] }`). esbuild keeps every statement that
 * has a computed key (it cannot tell that converting the key to a string runs no code), and with it every schema the
 * statement reaches: each client bundled every operation of its service with their request and response shapes, of
 * which Pipeline Guard sends one to four (Bedrock's 12 operations were ≈10 KB of analyze, Lambda's ≈42 KB of
 * ingest-github). This writes such a key as the constant's string literal (`{ "http": [...] }`): the same object,
 * so the schemas the commands use read as before, and tree shaking leaves out the ones no command reaches. Error
 * schemas stay as written: the module registers them as it loads, so they are kept either way, and a literal key is
 * longer than the minified constant. A key `__proto__` would mean something else written as a literal: left as is.
 * A module of another shape (an SDK upgrade) where a key might not mean its constant ({@link mayRebind}), or whose
 * template literals span lines or hold code, is bundled as written: the same client, only larger (the bundle tests
 * that the functions' bundles leave out the routes they do not send then fail), never one that sends other requests.
 */
export const literalSchemaTraitKeys: Plugin = {
  name: 'literal-schema-trait-keys',
  setup(build) {
    build.onLoad({ filter: CLIENT_SCHEMAS }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const texts: string[] = [];
      const code = source.replace(TRAIT_KEY_OR_TEXT, (match, text: string | undefined) => {
        if (text === undefined) return match;
        texts.push(text);
        return '""';
      });
      // A template over lines would be cut by the statement split below, and one with `${…}` holds code read as text.
      if (mayRebind(code) || texts.some((text) => text.startsWith('`') && /\n|\$\{/.test(text))) return undefined;
      const constants = new Map<string, string>();
      for (const [, name, literal] of source.matchAll(TRAIT_KEY_CONSTANT)) {
        if (name !== undefined && literal !== undefined && literal !== '"__proto__"') constants.set(name, literal);
      }
      const rewrite = (match: string, text: string | undefined, before: string, name: string) => {
        const literal = text === undefined ? constants.get(name) : undefined;
        return literal === undefined ? match : `${before}${literal}:`;
      };
      const statements = source.split(/\n(?=\S)/);
      const rewritten = statements.map((statement) => (ERROR_SCHEMA_STATEMENT.test(statement) ? statement : statement.replace(TRAIT_KEY_OR_TEXT, rewrite)));
      return { contents: rewritten.join('\n'), loader: 'js' };
    });
  },
};

/** esbuild's options for function `name`'s bundle at `outfile` (its `index.mjs`), as deployed. */
export function esbuildOptionsFor(name: FunctionName, outfile: string) {
  const options = bundlingOptionsFor(name);
  return {
    entryPoints: [functionEntry(name)],
    absWorkingDir: PROJECT_ROOT,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: options.target,
    minify: options.minify,
    sourcemap: options.sourceMap,
    mainFields: options.mainFields,
    banner: { js: options.banner },
    define: options.define,
    charset: CHARSET,
    legalComments: LEGAL_COMMENTS,
    alias: { ...BUNDLE_ALIASES, ...(EVENT_STREAM_SERDE_AT_START.has(name) ? EVENT_STREAM_ALIASES : {}) },
    mangleProps: MANGLED_PROPERTIES,
    external: options.externalModules,
    plugins: [packageVersionsOnly, nativeSha256Only, noInstanceMetadataRegion, literalSchemaTraitKeys],
    logLevel: 'warning',
  } satisfies BuildOptions;
}
