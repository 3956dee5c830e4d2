/**
 * The dashboard in a real browser: headless Chromium signs in with HTTP Basic (an admin key as the
 * password) and watches a live campaign — 3,000 recipients on a channel limited to 200 sends/s, so
 * it lasts ~15 s — through the page alone: the sent count rises between two reads, Pause turns the
 * status to `paused` on the page and in Postgres, Resume runs it to `completed`. One screenshot of
 * the detail page (with its sends-per-second plot) is left in a temp dir for a person to look at.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`); skipped, saying so, without it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { campaignStatus, waitFor } from '../integration/dispatch/fixtures.js';
import { startLiveStack, type LiveStack } from '../integration/admin/live-stack.js';

const CHROMIUM = '/usr/bin/chromium';
const COUNT = 3_000;
const RATE_PER_SECOND = 200;
const haveChromium = existsSync(CHROMIUM);
jest.setTimeout(180_000);

if (!haveChromium) {
  // eslint-disable-next-line no-console
  console.warn(`test/browser/admin.test.ts skipped: no Chromium at ${CHROMIUM} (install it with: apt-get install -y chromium)`);
}
const describeWithChromium = haveChromium ? describe : describe.skip;

describeWithChromium('the /admin dashboard in headless Chromium', () => {
  let stack: LiveStack;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    stack = await startLiveStack('admin_browser', { ratePerSecond: RATE_PER_SECOND });
    profile = await mkdtemp(join(tmpdir(), 'cd-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      httpCredentials: { username: 'operator', password: stack.keys.admin },
      viewport: { width: 1280, height: 860 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await stack?.close();
  });

  /** The number in a `data-field` cell, or -1 while it still shows a placeholder. */
  async function numberIn(page: Page, selector: string): Promise<number> {
    const text = (await page.locator(selector).textContent()) ?? '';
    return /^\d+$/.test(text.trim()) ? Number(text.trim()) : -1;
  }

  test('shows the campaign moving, pauses it, resumes it to completion', async () => {
    const id = await stack.startCampaign('browser-watched', COUNT);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });

    const response = await page.goto(`${stack.baseUrl}/admin`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    const row = `tr[data-id="${id}"]`;

    // Two reads of the sent count, a refresh apart, from the page the script keeps current.
    await waitFor('the page to show sends', async () => (await numberIn(page, `${row} [data-field="sent"]`)) > 0, 30_000);
    const first = await numberIn(page, `${row} [data-field="sent"]`);
    await waitFor('the sent count to rise', async () => (await numberIn(page, `${row} [data-field="sent"]`)) > first, 30_000);
    expect(first).toBeLessThan(COUNT);

    await page.locator(`${row} button[data-action="pause"]`).click();
    await page.locator(`${row} [data-field="status"]`).filter({ hasText: /^paused$/ }).waitFor({ timeout: 15_000 });
    expect(await campaignStatus(stack.db.pool, id)).toBe('paused');
    await expect(page.locator(`${row} button[data-action="pause"]`).isHidden()).resolves.toBe(true);

    // The detail page: resume there, and keep one screenshot of it mid-run (the plot shows the pause).
    await page.locator(`${row} a[data-field="link"]`).click();
    await page.waitForURL(`**/admin/campaigns/${id}`);
    await page.locator('button[data-action="resume"]').click();
    await page.locator('[data-field="status"]').filter({ hasText: /^running$/ }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(3_000);
    const shot = join(await mkdtemp(join(tmpdir(), 'cd-admin-shot-')), 'admin-detail.png');
    await page.screenshot({ path: shot, fullPage: true });
    // eslint-disable-next-line no-console
    console.log(`dashboard screenshot: ${shot}`);

    await page.locator('[data-field="status"]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 120_000 });
    expect(await campaignStatus(stack.db.pool, id)).toBe('completed');
    expect(await numberIn(page, '[data-field="sent"]')).toBe(COUNT);
    expect(stack.sim.acceptedSends()).toHaveLength(COUNT);
    expect(problems).toEqual([]);
    await page.close();
  });
});
