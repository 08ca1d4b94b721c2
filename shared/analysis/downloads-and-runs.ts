/**
 * The approval request's "downloads and runs" warning, apart from the patch check (dangerous-code.ts): the comments
 * and e-mails that show a proposal (notify, record-outcome, the reconciler's recovery comments) need only this, and
 * the patch check's module-level tables would otherwise ship in each of their bundles.
 */
import { BITS_CMDLET, DOWNLOAD_PROGRAMS, GH_DOWNLOADS, WEB_CMDLETS } from './downloaders.js';

/**
 * A downloader: curl, wget, PowerShell's, Windows' own (`certutil -urlcache`, `bitsadmin /transfer`, `Start-BitsTransfer`:
 * certutil and bitsadmin only when told to download, they do much else), and GitHub's CLI where what it prints or saves
 * is a file of someone's choosing (`gh api …/contents/x`, `gh release download -O -`, `gh gist view --raw`, `gh run download`), and a registry's package saved (`npm pack x`, `pip download x`).
 */
export const FETCH = String.raw`(?:(?:${DOWNLOAD_PROGRAMS})(?:\.exe)?|${WEB_CMDLETS}|${BITS_CMDLET}|certutil(?:\.exe)?(?=\s[^\n|;&]{0,80}?[-/]urlcache\b)|bitsadmin(?:\.exe)?(?=\s[^\n|;&]{0,80}?[-/](?:transfer|addfile)\b)|${GH_DOWNLOADS}|npm\s+pack|pip[\d.]*\s+download)`;

/**
 * A download and, elsewhere, a way to run code (the patch check refuses one whose run a name links to the download:
 * `payload = urlopen(url).read()`, then `exec(payload)`; review 67). Otherwise whether what runs is
 * what was downloaded is a question of data flow that patterns cannot answer: a test that starts a server and
 * fetches its health page has both and is honest, while a patch that writes the download to a file and requires it
 * has no run call a list could name. So this is a warning for the person asked to approve a fix PR (the approval
 * is the control), never a refusal: it names what to look at.
 */
const DOWNLOADS = /* @__PURE__ */ (() => new RegExp(
  [
    // A downloader as a command, or as an argument list's program (`["curl", "-o", f, url]`).
    String.raw`\b${FETCH}\s+\S|["'\x60]${FETCH}["'\x60]\s*,`,
    // `fetch(` as a function, not a method (`ENV.fetch`, `map.fetch`), except on the global object.
    String.raw`(?<![\w])(?:urlopen|urlretrieve)\s*\(|(?:(?<![.\w$])|\b(?:globalthis|window|self)\s*\.\s*)(?:fetch|got|axios)\s*\(`,
    String.raw`\b(?:requests|httpx|session|urllib\.request|https?|axios|got|uri|open-uri|net::http|webclient|http)\s*(?:\(\s*\))?\s*[.:]+\s*(?:get|post|request|urlopen|open|get_response|downloadstring|downloadfile)\b`,
  ].join('|'),
  'i',
))();
/** What runs code: builtins, process and interpreter calls (not a regex's `.exec(`), and a shell given a script. */
const RUNS = /* @__PURE__ */ (() => new RegExp(
  [
    String.raw`(?<![\w$.])(?:eval|exec|system|popen|compile|__import__|instance_eval|class_eval|execsync|execfilesync|execfile|spawnsync|spawn|fork)\s*\(|,\s*eval\s*\)\s*\(`,
    String.raw`(?<![\w$-])(?:iex|invoke-expression)\s`,
    String.raw`\.(?:execsync|execfilesync|execfile|spawnsync|spawn|fork|popen|system|eval)\s*\(|\bbuiltins\.(?:exec|eval)\s*\(|(?<![\w$])run(?:innew|inthis|in)?context\s*\(`,
    String.raw`\b(?:subprocess|child_process|runpy|importlib)\b|\b(?:pickle|marshal)\.loads?\s*\(|\bexec\.command(?:context)?\s*\(|\b(?:kernel|io)\.(?:exec|system|eval|spawn|popen)\b`,
    // A module imported by a value or by a file path (`import('/tmp/p.mjs')`): not a relative path or a package's name.
    String.raw`(?<![\w$.])import\s*\(\s*(?![\x60'"](?:\.{1,2}\/|(?!(?:file|https?|data|blob):)[\w@][\w@:./-]*[\x60'"]))|\bchmod\s+(?:[ugoa]*\+x|0?[0-7]{2}[1357])\b`,
    String.raw`\b(?:sh|bash|zsh|source|python[23]?|node|perl|ruby|pwsh|powershell)\s+["'$]?[\w./\${}-]*(?:\/tmp\/|\$\{?\w|\.(?:sh|py|js|mjs|rb|pl|ps1)\b)`,
  ].join('|'),
  'gi',
))();
/** JavaScript's `Function` constructor, with or without `new` (case matters: `function (` declares one). */
const FUNCTION_CONSTRUCTOR = /(?<![\w$.])Function\s*\(/g;
/** A call's argument that is only a download command: `system("wget -q URL -O fixture.json")` runs nothing else. */
const DOWNLOAD_ONLY_ARGUMENT = /* @__PURE__ */ (() => new RegExp(String.raw`^\s*[\[\x60'"]?\s*${FETCH}\b[^\n&;|\x60'"]*[\x60'"\]]`, 'i'))();

/**
 * Whether `text` (a patch's added lines) downloads and, elsewhere, runs something other than that download, for the
 * approval request to say so (see {@link DOWNLOADS}); looks through compatibility forms as the patch check's `dangerousCodeSignals` does.
 */
export function downloadsAndRuns(text: string): boolean {
  const folded = text.normalize('NFKC');
  if (!DOWNLOADS.test(folded)) return false;
  for (const run of [...folded.matchAll(RUNS), ...folded.matchAll(FUNCTION_CONSTRUCTOR)]) {
    const at = (run.index ?? 0) + run[0].length;
    if (!run[0].endsWith('(') || !DOWNLOAD_ONLY_ARGUMENT.test(folded.slice(at, at + 300))) return true;
  }
  return false;
}
