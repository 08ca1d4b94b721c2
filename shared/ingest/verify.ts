import * as z from '../zod.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../validation.js';

/** A transport-neutral webhook request: what API Gateway and the local server both provide. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  body: string | null;
  isBase64Encoded: boolean;
}

export interface WebhookResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

/** Checks `X-Hub-Signature-256` (`sha256=<hex HMAC>`) against the body as sent; resolves to whether it matches. */
export interface WebhookVerifier {
  verify(payload: string, signature: string): Promise<boolean>;
}

export interface VerifyDeps {
  /** Built once per process from the webhook secret; verifies `X-Hub-Signature-256`. */
  webhooks: WebhookVerifier;
  maxBodyBytes: number;
  /** GITHUB_OWNERS: deliveries for repositories of other accounts are answered 202 and ignored; empty: none are. */
  allowedOwners?: readonly string[];
}

export type VerifiedDelivery =
  | { ok: true; event: string; deliveryId: string | null; payload: unknown }
  | { ok: false; response: WebhookResponse };

export function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export const reply = (statusCode: number, body: Record<string, unknown>): WebhookResponse => ({ statusCode, body });
export const refuse = (statusCode: number, message: string): WebhookResponse => reply(statusCode, { message });

/**
 * Where a deployer reads these answers is GitHub's "Recent Deliveries" list, so a refusal that comes from the
 * deployment's own settings names the setting to change. Nothing here is secret: the names are in the README.
 */
const SECRET_SETTING = "the deployment's webhook secret (GITHUB_WEBHOOK_SECRET; in AWS the GitHubWebhookSecretArn secret)";

/** The 413 answer, for a body of `bytes` (null: cut off unread past the limit) over `limit`. */
export function bodyTooLargeMessage(limit: number, bytes: number | null = null): string {
  const size = bytes === null ? 'body is' : `body is ${bytes} bytes,`;
  return `${size} over the ${limit}-byte limit (MAX_WEBHOOK_BYTES; CDK: -c maxWebhookBytes)`;
}

const repositoryOwner = z.object({ repository: z.object({ owner: z.object({ login: z.string().check(z.maxLength(100)) }) }) });

/** The delivery's repository owner when `allowed` names accounts and it is not one of them (or there is none). */
function ownerNotAllowed(payload: unknown, allowed: readonly string[] | undefined): string | null {
  if (!allowed || allowed.length === 0) return null;
  const parsed = repositoryOwner.safeParse(payload);
  const owner = parsed.success ? parsed.data.repository.owner.login : null;
  if (owner !== null && allowed.some((account) => account.toLowerCase() === owner.toLowerCase())) return null;
  return owner ?? '(no repository)';
}

/**
 * Whether GitHub sent the delivery form-encoded: the webhook's other content type, and the API's default for a
 * repository webhook. The JSON is then the form field `payload`; the signature is over the form body as sent.
 */
function formEncoded(headers: WebhookRequest['headers']): boolean {
  return header(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The checks every delivery passes before anything reads it: size cap, HMAC over the raw (base64-decoded)
 * bytes, the event header, then JSON (as sent, or the `payload` field of a form-encoded body). Each failure is a 4xx with a one-line reason. A delivery for another
 * account's repository than GITHUB_OWNERS allows is answered 202 (GitHub then does not show it as failed) and
 * goes no further.
 */
export async function verifyDelivery(request: WebhookRequest, deps: VerifyDeps): Promise<VerifiedDelivery> {
  const raw = request.body ?? '';
  const bytes = request.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const fail = (response: WebhookResponse): VerifiedDelivery => ({ ok: false, response });
  if (bytes.length > deps.maxBodyBytes) return fail(refuse(413, bodyTooLargeMessage(deps.maxBodyBytes, bytes.length)));
  const signature = header(request.headers, 'x-hub-signature-256');
  if (!signature) return fail(refuse(401, `missing X-Hub-Signature-256 header: give the webhook (or the App) a Secret, ${SECRET_SETTING}`));
  const text = bytes.toString('utf8');
  const valid = await deps.webhooks.verify(text, signature).catch(() => false);
  if (!valid) return fail(refuse(401, `X-Hub-Signature-256 does not match the body: the webhook's (or the App's) Secret must be ${SECRET_SETTING}`));
  const event = header(request.headers, 'x-github-event');
  if (!event) return fail(refuse(400, 'missing X-GitHub-Event header'));
  const json = formEncoded(request.headers) ? new URLSearchParams(text).get('payload') : text;
  if (json === null) return fail(refuse(400, 'form-encoded body has no payload field'));
  if (jsonNestsDeeperThan(json)) return fail(refuse(400, `body nests deeper than ${MAX_JSON_DEPTH} levels`));
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return fail(refuse(400, 'body is not valid JSON'));
  }
  const stranger = event === 'ping' ? null : ownerNotAllowed(payload, deps.allowedOwners);
  if (stranger !== null) return fail(reply(202, { ignored: `repositories of ${stranger} are not in GITHUB_OWNERS` }));
  return { ok: true, event, deliveryId: header(request.headers, 'x-github-delivery')?.slice(0, 100) ?? null, payload };
}
