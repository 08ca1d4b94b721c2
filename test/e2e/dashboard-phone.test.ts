import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, launch } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_DIR, type RecordedWebhook, deliverAlarm, deliverWebhook, fetchIncident, loadAlarmEvent } from '../../infra/local/replay.js';
import { failedRunDelivery } from '../support/fakes.js';
import { type Harness, apiRequest, startHarness } from '../support/harness.js';
import { README_EXAMPLE_EXPERIMENT } from '../fixtures/experiments/readme-example.js';

/**
 * The dashboard on a phone at 3 a.m., showing incidents whose text an attacker wrote: the local runtime (the shared
 * harness, with a fake GitHub serving the job logs), real incidents made by its pipeline, and Debian's chromium at
 * a phone's width. Skipped, like dashboard.test.ts, when chromium is not installed (CI requires it).
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => Boolean(p && existsSync(p)));
if (!CHROMIUM && process.env.CI) throw new Error('chromium is not installed: the browser test must run in CI (apt-get install -y chromium)');

const SECRET = 'dashboard-phone-secret';
const REPO_ID = 714523861;
const PHONE = { width: 375, height: 812 };
/** A git ref may be this long; nothing in it is a place to break a line. */
const LONG_BRANCH = `feature/${'a'.repeat(240)}`;
const MARKUP = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
const HOSTILE_RUN = 900001;
const HOSTILE = `gh-${REPO_ID}-${HOSTILE_RUN}-1`;
const PLAIN_RUN = 900002;
const PLAIN = `gh-${REPO_ID}-${PLAIN_RUN}-1`;
/** A repository whose policy asks a person before a re-run. */
const PAYMENTS = { id: 800000001, name: 'payments' };
const WAITING_RUN = 900003;
const WAITING = `gh-${PAYMENTS.id}-${WAITING_RUN}-1`;
const GATE_TOKEN = 'dashboard-phone-gate-token-0123456789';

let harness: Harness;
let browser: Browser;
let page: Page;
let url: string;
let alarmId: string;

/** A failed run of the sample repository whose one job's log and names are `over` and `log`. */
function failedRun(runId: number, log: string, over: Record<string, unknown>, jobName = 'test (node 22)', repo?: { id: number; name: string }): RecordedWebhook {
  harness.github.serveFailedJob(runId, runId + 1, log, jobName);
  return failedRunDelivery(runId, { repository: repo, run: over, deliveryId: `phone-${runId}` });
}

async function reaches(id: string, status: string): Promise<void> {
  for (let i = 0; i < 150; i += 1) {
    const incident = await fetchIncident(url, id).catch(() => null);
    if (incident?.status === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`incident ${id} did not become ${status}`);
}

/** Opens a dashboard route and waits for its `selector`. */
async function open(route: string, selector: string): Promise<void> {
  await page.goto(`${url}/${route}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector(selector, { timeout: 15_000 });
}

/** How far the page is wider than the screen (0 when it fits). */
function overflow(): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;
}

describe.skipIf(!CHROMIUM)('dashboard on a phone, with incident text an attacker wrote', () => {
  beforeAll(async () => {
    const policy = { repositories: { [`acme-shop/${PAYMENTS.name}`]: { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } } };
    harness = await startHarness({ secret: SECRET, github: { auth: 'token' }, name: 'dashboard-phone', env: { POLICY_JSON: JSON.stringify(policy), GATE_TOKEN: GATE_TOKEN } });
    url = harness.runtime.url;
    const jestLog = readFileSync(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
    const hostileLog = jestLog.replace('Expected: 107.1', `Expected: 107.1 ${'9'.repeat(300)} ${MARKUP}`);
    expect((await deliverWebhook(url, failedRun(HOSTILE_RUN, hostileLog, { head_branch: LONG_BRANCH, name: MARKUP }, MARKUP), SECRET)).status).toBe(202);
    expect((await deliverWebhook(url, failedRun(PLAIN_RUN, jestLog, {}), SECRET)).status).toBe(202);
    const alarm = await deliverAlarm(url, loadAlarmEvent('alarm-state-alarm'));
    expect(alarm.status).toBe(202);
    alarmId = String(alarm.body.incidentId);
    expect((await apiRequest(url, 'POST', '/experiments', README_EXAMPLE_EXPERIMENT, GATE_TOKEN)).status).toBe(201);
    const networkLog = readFileSync(join(EVENTS_DIR, 'logs', 'github-actions-npm-network-failure.log'), 'utf8');
    expect((await deliverWebhook(url, failedRun(WAITING_RUN, networkLog, {}, 'build', PAYMENTS), SECRET)).status).toBe(202);
    await Promise.all([reaches(HOSTILE, 'notified'), reaches(PLAIN, 'notified'), reaches(alarmId, 'notified'), reaches(WAITING, 'awaiting_approval')]);
    browser = await launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    await page.setViewport({ ...PHONE, isMobile: true, hasTouch: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('fits the list, an incident with a 248-character branch and the metrics into a phone screen, the long text wrapped and not cut', async () => {
    await open('', `tr[data-incident="${HOSTILE}"]`);
    expect(await overflow()).toBe(0);

    await open(`#/incidents/${HOSTILE}`, '[data-section="timeline"] tr');
    expect(await overflow()).toBe(0);
    // Wrapped, not hidden: the heading holds the whole branch and shows all of it.
    const heading = (await page.$eval('h1', (h) => ({ text: h.textContent ?? '', scroll: h.scrollWidth, client: h.clientWidth }))) as { text: string; scroll: number; client: number };
    expect(heading.text).toContain(LONG_BRANCH);
    expect(heading.scroll).toBeLessThanOrEqual(heading.client);

    await open('#/metrics', 'figure.chart svg');
    expect(await overflow()).toBe(0);

    await open(`#/experiments/${README_EXAMPLE_EXPERIMENT.id}`, 'article table svg');
    expect(await overflow()).toBe(0);
  });

  it('shows markup from the run, the job and the log as text: nothing runs, nothing loads', async () => {
    await open(`#/incidents/${HOSTILE}`, '[data-section="failure-lines"] pre');
    const main = (await page.$eval('main', (m) => ({ text: m.textContent ?? '', images: m.querySelectorAll('img, script').length }))) as { text: string; images: number };
    expect(main.images).toBe(0);
    expect(main.text).toContain(MARKUP);
    expect(await page.title()).not.toBe('pwned');
  });

  it('names the time zone of the times it shows, the reader\'s own', async () => {
    const far = await browser.newPage();
    try {
      await far.emulateTimezone('Asia/Kolkata');
      await far.goto(`${url}/#/incidents/${alarmId}`, { waitUntil: 'networkidle0' });
      await far.waitForSelector('[data-section="timeline"] tr', { timeout: 15_000 });
      // The alarm's state changed at 2026-11-20T10:03:12Z (events/cloudwatch/alarm-state-alarm.json): 15:33:12 in India.
      const failed = (await far.evaluate(
        `[...document.querySelectorAll('.facts dt')].find((dt) => dt.textContent === 'failed').nextElementSibling.textContent`,
      )) as string;
      // The zone's name as this browser writes it (GMT+5:30 in English).
      const zone = (await far.evaluate(
        `new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date('2026-11-20T10:03:12Z')).find((p) => p.type === 'timeZoneName').value`,
      )) as string;

      expect(failed).toContain('3:33:12');
      expect(failed).toContain(zone);

      // The charts count by UTC day, which is not the reader's.
      await far.goto(`${url}/#/metrics`, { waitUntil: 'networkidle0' });
      const days = await far.waitForSelector('[data-section="days"]', { timeout: 15_000 });
      expect(await days?.evaluate((p) => p.textContent)).toBe(`Days are UTC days, not ${zone} ones: an incident counts on its date in UTC.`);
      expect(zone).not.toBe('');
    } finally {
      await far.close();
    }
  });

  it('says first whether a person must act and what to do: approve on the pull request, look at an escalated alarm, or nothing', async () => {
    const notice = () => page.$eval('[data-section="next-step"]', (el) => el.textContent ?? '');
    const waiting = await harness.incident(WAITING);

    await open('', `tr[data-incident="${WAITING}"]`);
    const marked = await page.$$eval('tr[data-incident]', (rows) => rows.filter((r) => r.textContent?.includes('needs a person')).map((r) => r.getAttribute('data-incident')));
    expect(marked.sort()).toEqual([alarmId, WAITING].sort());

    await open(`#/incidents/${WAITING}`, '[data-section="next-step"]');
    expect(await notice()).toContain(`Needs a person. Waiting for approval to re-run the failed jobs. Someone with write access replies on acme-shop/${PAYMENTS.name}#1287`);
    expect(await page.$$eval('[data-section="next-step"] code', (codes) => codes.map((c) => c.textContent))).toEqual([
      `/guard approve ${WAITING} ${waiting.approval?.digest}`,
      `/guard reject ${WAITING} <reason>`,
    ]);

    await open(`#/incidents/${alarmId}`, '[data-section="next-step"]');
    expect(await notice()).toMatch(/^Needs a person\. A person must look at this failure: .*On-call was sent the escalation\./);
    expect(await page.$$eval('[data-section="next-step"] ol li', (steps) => steps.length)).toBeGreaterThan(0);

    await open(`#/incidents/${PLAIN}`, '[data-section="next-step"]');
    expect(await notice()).toBe('No action needed. Nothing for on-call: the pull request comment tells its author what failed.');
  });

  it('by keyboard: Enter on an incident puts the focus on its heading, the tab is named after it, the nav says where it is', async () => {
    await open('', `tr[data-incident="${PLAIN}"]`);
    expect(await page.$eval('header nav a[aria-current="page"]', (a) => a.textContent)).toBe('Incidents');
    expect(await page.title()).toBe('Incidents · Pipeline Guard');

    await page.focus(`tr[data-incident="${PLAIN}"] a`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-section="timeline"] tr', { timeout: 15_000 });

    await page.waitForFunction("document.activeElement?.tagName === 'H1'", { timeout: 5_000 });
    expect(await page.title()).toBe('acme-shop/checkout-service · CI · on feature/tax-rounding · Pipeline Guard');
    // The timeline's columns are named for a screen reader moving across a row.
    expect(await page.$$eval('[data-section="timeline"] th', (headers) => headers.map((th) => th.textContent))).toEqual(['time', 'kind', 'what happened']);
  });

  it('says a knowledge search found nothing, rather than showing an empty page', async () => {
    await open('#/knowledge', 'input[name="q"]');

    await page.type('input[name="q"]', 'zzqxv');
    await page.keyboard.press('Enter');

    const said = await page.waitForFunction("[...document.querySelectorAll('section > p.muted')].map((p) => p.textContent).find((t) => t.includes('zzqx'))", { timeout: 15_000 });
    expect(await said.jsonValue()).toBe('No knowledge entry matches “zzqxv”.');
  });

  it('on the address of an incident that is not there says so, and does not keep showing the incident it came from', async () => {
    await open(`#/incidents/${HOSTILE}`, '[data-section="timeline"] tr');

    await page.evaluate(`location.hash = '#/incidents/gh-${REPO_ID}-1-1'`);
    const alert = await page.waitForSelector('[role="alert"]', { timeout: 15_000 });

    expect(await alert?.evaluate((el) => el.textContent)).toContain('not found');
    expect(await page.$eval('main', (m) => m.textContent ?? '')).not.toContain(LONG_BRANCH);
    expect(await page.title()).toBe(`incident gh-${REPO_ID}-1-1 · Pipeline Guard`);
  });

  it('says an open incident is not up to date when the API stops answering, and keeps what it read', async () => {
    await open(`#/incidents/${PLAIN}`, '[data-section="timeline"] tr');
    expect(await page.$('[role="alert"]')).toBeNull();

    await page.setOfflineMode(true);
    try {
      // The next live refresh fails.
      const alert = await page.waitForSelector('[role="alert"]', { timeout: 15_000 });
      expect(await alert?.evaluate((el) => el.textContent)).toMatch(/^Not up to date: the API did not answer.*Shown as read at/);
      expect(await page.$eval('[data-section="failure-lines"]', (el) => el.textContent ?? '')).toContain('Expected: 107.1');
    } finally {
      await page.setOfflineMode(false);
    }
  });
});
