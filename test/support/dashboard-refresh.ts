import type { Page } from 'puppeteer-core';

/** The dashboard's live refresh period (REFRESH_MS in infra/dashboard/src/main.tsx). */
export const REFRESH_MS = 5_000;

/**
 * How much faster {@link withFasterRefresh} runs the page's refresh timer: a period of 1 s, which Chrome still keeps
 * in a background tab (it runs a hidden page's timers at most once a second).
 */
export const FASTER = 5;

/** Two of the page's refresh periods as {@link withFasterRefresh} runs them, and a tenth of one more. */
export const TWO_FASTER_PERIODS_MS = (2.2 * REFRESH_MS) / FASTER;

/**
 * Runs `body` with every page `target` loads meanwhile starting its `setInterval` timers (the dashboard has one, the
 * live refresh) {@link FASTER} times faster. For a row that checks what happens at each refresh (none while unticked
 * or in the background), not the period's length: waited out at 5 s, two periods cost 11 s of a file's wall time.
 * Not for a row that loads a page with `networkidle0`: a request a second keeps the network from going idle for long
 * (dashboard-phone's failed-refresh row, tried: its load took longer by what the faster refresh saved). `body` loads the page itself, after this; a page loaded after it has the real timer.
 */
export async function withFasterRefresh(target: Page, body: () => Promise<void>): Promise<void> {
  const { identifier } = await target.evaluateOnNewDocument(
    `{ const real = window.setInterval; window.setInterval = (handler, ms, ...rest) => real(handler, (Number(ms) || 0) / ${FASTER}, ...rest); }`,
  );
  try {
    await body();
  } finally {
    await target.removeScriptToEvaluateOnNewDocument(identifier);
  }
}
