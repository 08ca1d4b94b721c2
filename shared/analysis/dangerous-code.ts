/**
 * Code that runs something nobody can review: a download piped into a shell, a decoded blob handed to `eval`, a
 * reverse shell, a workflow that dumps its secrets or checks out a fork's head with write access. An honest fix
 * for a CI failure never adds one, so the patch check refuses a patch that adds any, and the model's answer is
 * treated as steered when it recommends one. In a job's log the same commands are ordinary (install scripts), so
 * the injection detector gives them a weak weight there only.
 *
 * Matched case-insensitively; callers pass text already cleaned of invisible characters and homoglyphs where
 * that matters (the injection detector's normalized forms).
 */

// `sudo -E bash`, `/bin/sh`; `python3 -m json.tool` formats a download rather than running it.
const SHELL = String.raw`(?:sudo(?:\s+-\S+)*\s+)?(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|fish|python[23]?(?!\s+-m\b)|node|perl|ruby|php|iex|pwsh|powershell)\b`;
const FETCH = String.raw`(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)`;
const DECODE = String.raw`(?:atob|buffer\.from|base64\.b64decode|b64decode|bytes\.fromhex|codecs\.decode|base64_decode|decode64|frombase64string)`;

export interface DangerousCode {
  readonly id: string;
  readonly re: RegExp;
}

export const DANGEROUS_CODE: readonly DangerousCode[] = [
  {
    id: 'remote-script',
    re: new RegExp(
      [
        String.raw`\b${FETCH}\b[^|\n]{0,200}\|\s*${SHELL}`,
        String.raw`\b(?:bash|sh|zsh|source|\.)\s+<\(\s*${FETCH}\b`,
        String.raw`\b(?:eval|(?:ba|z)?sh\s+-c)\s+["']?\$\(\s*${FETCH}\b`,
        // Downloaded to a file, then that file run: `curl -so /tmp/f URL && sh /tmp/f`.
        String.raw`\b(?:curl|wget)\b[^\n]{0,200}?\s-(?:[A-Za-z]*[oO]|-output)\s*(\S+)[^\n]{0,200}(?:&&|;)\s*(?:sudo\s+)?(?:sh|bash|zsh|source|\.)\s+\1(?![\w./-])`,
        String.raw`\bnpx\s+(?:(?:-y|--yes)\s+)?https?:\/\/`,
        // The same said in words: "fetches https://… and pipes it into sh".
        String.raw`\bpip(?:e|es|ed|ing)\b[^\n]{0,20}\b(?:into|to|through)\s+(?:sudo\s+)?(?:sh|bash|zsh|a shell|the shell)\b`,
      ].join('|'),
      'i',
    ),
  },
  {
    id: 'decode-exec',
    re: new RegExp(
      [
        String.raw`\bbase64\s+(?:-d|--decode|-D)\b[^\n]{0,100}\|\s*${SHELL}`,
        String.raw`\bxxd\s+-r\b[^\n]{0,100}\|\s*${SHELL}`,
        String.raw`\b(?:eval|exec|execsync|spawnsync|system|popen|function)\s*\(\s*(?:new\s+)?${DECODE}`,
        String.raw`\b(?:eval|exec|execsync|system|popen)\s*\([^\n]{0,80}${DECODE}\s*\([^\n]{0,200}\)`,
      ].join('|'),
      'i',
    ),
  },
  {
    id: 'fetch-exec',
    // The fetch inside the call's parentheses: `exec(urlopen(…).read())`, `eval(await fetch(…))`. (Running curl,
    // as `cy.exec('curl …/health')` does, only downloads.)
    re: /\b(?:eval|exec|execsync|system|popen)\s*\(\s*[^\n)]{0,160}?\b(?:urlopen|urllib\.request\.urlopen|requests\.get|https?\.get|fetch)\s*\(/i,
  },
  { id: 'reverse-shell', re: /\/dev\/tcp\/|\bnc(?:at)?\s+(?:-\w+\s+)*-[ec]\s|\bsocat\b[^\n]{0,80}\bexec:/i },
  { id: 'secrets-dump', re: /\btojson\(\s*secrets\s*\)|\bpermissions\s*:\s*write-all\b/i },
  {
    id: 'fork-checkout-with-secrets',
    re: /\bpull_request_target\b[^\n]{0,300}(?:\bhead[._ ](?:sha|ref)\b|\bhead_ref\b|\bpull_request\.head\b|\bcheck(?:s|ing)? ?out (?:the )?(?:pr|pull request|fork|head)\b)|\b(?:head[._](?:sha|ref)|head_ref|pull_request\.head)\b[^\n]{0,300}\bpull_request_target\b/i,
  },
];

/**
 * A download of code and a way to run code, each anywhere in a text: the patterns above read one line, and
 * `payload = urlopen(url).read()` then `exec(payload)` on the next line is the same download-and-run. Only for a
 * patch's added lines, where an honest fix for a CI failure has no reason to add both; in a log or a model's prose
 * the two are ordinary apart (an install step downloads, a test step runs a shell).
 */
const DOWNLOADS = new RegExp(
  [
    String.raw`\b${FETCH}\s+\S`,
    String.raw`\b(?:urlopen|urlretrieve|requests\.(?:get|request)|httpx\.(?:get|request)|https?\.(?:get|request)|fetch|axios(?:\.(?:get|request))?|uri\.open|net::http\.get|downloadstring|downloadfile)\s*\(`,
  ].join('|'),
  'i',
);
/** What runs code: builtins and process calls (not a regex's `.exec(`), and a shell or interpreter given a file. */
const RUNS = new RegExp(
  [
    String.raw`(?<![.\w])(?:eval|exec|system|popen|compile|__import__|instance_eval|class_eval|execsync|execfilesync|execfile|spawnsync|spawn|invoke-expression|iex)\s*\(`,
    String.raw`\b(?:subprocess\.\w+|os\.(?:system|popen|exec\w*)|child_process\.\w+|shell\.exec|runpy\.\w+|importlib\.\w+|vm\.run\w*)\s*\(`,
    String.raw`\bnew\s+function\s*\(`,
    String.raw`\b(?:sh|bash|zsh|source|python[23]?|node|perl|ruby|pwsh|powershell)\s+["'$]?[\w./\${}-]*(?:\/tmp\/|\$\{?\w)`,
  ].join('|'),
  'gi',
);
/** A call's argument that starts with a download command: `system("wget -q URL -O fixture.json")` only downloads. */
const DOWNLOAD_ARGUMENT = new RegExp(String.raw`^\s*[\[\`'"]?\s*${FETCH}\b`, 'i');

/** Whether `text` downloads and, elsewhere, runs something other than that download (see {@link DOWNLOADS}). */
function downloadsAndRuns(text: string): boolean {
  if (!DOWNLOADS.test(text)) return false;
  for (const run of text.matchAll(RUNS)) {
    const argument = text.slice((run.index ?? 0) + run[0].length, (run.index ?? 0) + run[0].length + 40);
    if (!run[0].endsWith('(') || !DOWNLOAD_ARGUMENT.test(argument)) return true;
  }
  return false;
}

/**
 * The ids of the dangerous-code patterns `text` contains; empty for ordinary code and prose. With `acrossLines`,
 * also `download-and-run` when the text both downloads and runs code on separate lines (see {@link DOWNLOADS}).
 */
export function dangerousCodeSignals(text: string, options: { acrossLines?: boolean } = {}): string[] {
  const ids = DANGEROUS_CODE.filter((pattern) => pattern.re.test(text)).map((pattern) => pattern.id);
  if (options.acrossLines && ids.length === 0 && downloadsAndRuns(text)) ids.push('download-and-run');
  return ids;
}
