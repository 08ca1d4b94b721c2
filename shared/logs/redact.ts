/**
 * Secret redaction for every excerpt that leaves the classify stage (LLM prompt, PR comment, incident table).
 *
 * ANSI codes are stripped first: a coloured log can split a token with escape codes (`ghp_ab\x1b[0mcd…`), which
 * would otherwise slip past every pattern. Patterns are anchored on fixed prefixes or bounded character classes
 * so they run in linear time on hostile input.
 */
import { RedactionError } from '../errors.js';
import { stripAnsi } from './reader.js';

/** One redaction pattern. `keep` is the number of leading capture groups kept verbatim (the key name, a prefix). */
export interface SecretPattern {
  readonly id: string;
  readonly re: RegExp;
  readonly keep?: number;
}

/** The supported secret formats, most specific first (a GitHub token inside `token=` is labelled as GitHub). */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'private-key', re: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g },
  { id: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g },
  { id: 'github-pat', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { id: 'gitlab-token', re: /\bgl(?:pat|rt|dt|ptt|cbt|imt|oas|soat|ft|agent)-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g },
  {
    id: 'aws-secret-access-key',
    re: /\b((?:aws_?)?secret_?access_?key(?:_id)?["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}\b/gi,
    keep: 1,
  },
  { id: 'aws-session-token', re: /\b(aws_?session_?token["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{16,}/gi, keep: 1 },
  { id: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { id: 'slack-token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g },
  { id: 'slack-webhook', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{20,}/g },
  { id: 'stripe-key', re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { id: 'stripe-webhook-secret', re: /\bwhsec_[A-Za-z0-9]{24,}/g },
  { id: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}/g },
  { id: 'google-oauth-secret', re: /\bGOCSPX-[A-Za-z0-9_-]{20,}/g },
  { id: 'google-oauth-token', re: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  { id: 'azure-storage-key', re: /\b(AccountKey=)[A-Za-z0-9+/=]{20,}/gi, keep: 1 },
  { id: 'azure-sas-signature', re: /([?&]sig=)[A-Za-z0-9%+/=]{16,}/gi, keep: 1 },
  { id: 'azure-connection-secret', re: /\b(SharedAccessKey=)[A-Za-z0-9+/=]{16,}/gi, keep: 1 },
  { id: 'azure-client-secret', re: /\b[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}\b/g },
  { id: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'npmrc-auth', re: /(:_(?:authToken|auth|password)\s*=\s*)\S+/g, keep: 1 },
  { id: 'pypi-token', re: /\bpypi-[A-Za-z0-9_-]{50,}/g },
  { id: 'docker-hub-token', re: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g },
  { id: 'openai-key', re: /\bsk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{32,}/g },
  { id: 'huggingface-token', re: /\bhf_[A-Za-z0-9]{30,}\b/g },
  { id: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  { id: 'twilio-key', re: /\bSK[0-9a-f]{32}\b/g },
  { id: 'mailgun-key', re: /\bkey-[0-9a-f]{32}\b/g },
  { id: 'shopify-token', re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { id: 'vault-token', re: /\bhv[sbr]\.[A-Za-z0-9_-]{24,}/g },
  { id: 'databricks-token', re: /\bdapi[0-9a-f]{32}\b/g },
  { id: 'authorization-basic', re: /\b(Authorization:\s*Basic\s+)[A-Za-z0-9+/=]{8,}/gi, keep: 1 },
  { id: 'bearer-token', re: /\b((?:Authorization:\s*)?(?:Bearer|token)\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, keep: 1 },
  { id: 'url-password', re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,128}:)[^\s@/]{1,256}(?=@)/gi, keep: 1 },
  {
    id: 'key-value-secret',
    re: /\b([A-Za-z0-9_.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key)[A-Za-z0-9_.-]{0,40}["']?\s{0,4}[:=]\s{0,4}["']?)(?!\[REDACTED)[^\s"'`&,;<>]{4,}/gi,
    keep: 1,
  },
];

function replacement(id: string, match: string, kept: string): string {
  // Keep line breaks so a redacted multi-line block still lines up with its line numbers.
  const newlines = match.slice(kept.length).split('\n').length - 1;
  return `${kept}[REDACTED:${id}]${'\n'.repeat(newlines)}`;
}

/**
 * Replaces every secret found in `text` with `[REDACTED:<kind>]`. ANSI escape codes are removed first.
 *
 * @throws RedactionError when the input is not a string or a pattern fails; callers must then withhold the
 * text instead of sending it on unredacted.
 */
export function redactSecrets(text: string): string {
  if (typeof text !== 'string') throw new RedactionError(`cannot redact a ${typeof text}`);
  try {
    let out = stripAnsi(text);
    for (const { id, re, keep } of SECRET_PATTERNS) {
      re.lastIndex = 0;
      out = out.replace(re, (match: string, ...groups: unknown[]) => {
        let kept = '';
        for (let i = 0; i < (keep ?? 0); i++) kept += typeof groups[i] === 'string' ? (groups[i] as string) : '';
        // A value an earlier, more specific pattern already replaced keeps its more telling label.
        if (match.startsWith('[REDACTED:', kept.length)) return match;
        return replacement(id, match, kept);
      });
    }
    return out;
  } catch (error) {
    throw new RedactionError('secret redaction failed', { cause: error });
  }
}

/** Text shown instead of an excerpt whose redaction failed. */
export const WITHHELD_TEXT = '[withheld: secret redaction failed]';

/**
 * Redacts several lines together (a private key spans lines) and returns them in the same order. If redaction
 * fails, every line is replaced by {@link WITHHELD_TEXT}: fail closed, never pass raw text on.
 */
export function redactLines(texts: readonly string[], redact: (text: string) => string = redactSecrets): string[] {
  try {
    const out = redact(texts.join('\n')).split('\n');
    if (out.length !== texts.length) throw new RedactionError('redaction changed the number of lines');
    return out;
  } catch {
    return texts.map(() => WITHHELD_TEXT);
  }
}
