import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type AdminRig, startAdminRig } from '../helpers/admin-rig.js';
import { launchBrowser } from '../helpers/browser.js';
import { startGatedAdmin } from '../helpers/gated-runtime.js';

/** The admin shell in Debian's Chromium: sign-in, the overview after a real /kick, keyboard, phone width, no JS. */

let browser: Browser;
let rig: AdminRig;
beforeAll(async () => {
  [browser, rig] = await Promise.all([launchBrowser(), startAdminRig()]);
});
afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

const READING = ['/admin', '/admin/areas', '/admin/install'];
const PHONE = { viewport: { width: 375, height: 740 } };

/** Each page at the phone's width is no wider than the window (a table may scroll inside its own box). */
async function expectNoSidewaysScroll(page: Page, base: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const res = await page.goto(`${base}${path}`);
    expect(res?.status(), path).toBe(200);
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0], path).toBeLessThanOrEqual(widths[1] ?? 0);
  }
}

/** Errors the page logged (a CSP refusal, a missing asset), but for the 401 of a wrong token. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 401')) errors.push(m.text());
  });
  return errors;
}

describe('the admin shell in a browser', () => {
  it('GIVEN the sign-in form WHEN a wrong token, then the right one THEN the message, then the page asked for', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${rig.url}/admin/areas`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.getByLabel('Admin token').fill('not-the-token-000000');
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(wrong.status()).toBe(401);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That is not the admin token');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${rig.url}/admin/areas`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Areas');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('GIVEN a /kick through the console core THEN the overview shows the store and today’s counts', async () => {
    const handled = await rig.run('ada', 'general', '/kick @bob spam');
    expect(JSON.stringify(handled)).toContain('removed');
    const page = await rig.signInPage(browser);
    const store = page.getByRole('region', { name: 'Store' });
    expect(await store.textContent()).toContain('memory (state lasts as long as this process)');
    const today = await page.getByRole('region', { name: 'Today' }).textContent();
    expect(today).toMatch(/1 case opened/);
    expect(await page.getByRole('row', { name: /removed/ }).textContent()).toMatch(/removed\s*1/);
    await page.context().close();
  });

  it('GIVEN the keyboard THEN Tab reaches the skip link (visible, outlined), then the navigation', async () => {
    const page = await rig.signInPage(browser);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0).toBe(true);
    expect(await skip.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overview');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cases');
    await page.context().close();
  });

  it('GIVEN a phone (375 px) THEN no page scrolls sideways', async () => {
    const page = await rig.signInPage(browser, PHONE);
    await expectNoSidewaysScroll(page, rig.url, [...READING, '/admin/sign-in']);
    await page.context().close();
  });

  it('GIVEN a phone (375 px), a case with long names and a running batch THEN the case pages do not scroll sideways either', async () => {
    const users = Array.from({ length: 12 }, (_, i) => `member-with-a-rather-long-name-${i}`);
    const yaml = [
      'name: phone',
      'bot: kickbot',
      'users:',
      '  - { id: mo, roles: [moderator] }',
      '  - { id: kickbot, roles: [bot] }',
      ...users.map((u) => `  - { id: ${u} }`),
      'rooms:',
      `  - { id: announcements-and-long-discussions, members: [mo, kickbot, ${users.join(', ')}] }`,
    ].join('\n');
    const room = '#announcements-and-long-discussions';
    const cases = await startGatedAdmin(yaml);
    try {
      const at = (line: string) => cases.run('mo', 'announcements-and-long-discussions', line);
      await at(`/kick @${users[0]} ${room} posted the same invitation link in every channel for an hour`);
      await at('/kickbot note 1 warned twice before, see the moderation channel for the thread');
      cases.connector.gated = true;
      const running = at(
        `/kick ${users
          .slice(1)
          .map((u) => `@${u}`)
          .join(' ')} ${room} spam --yes`,
      );
      await expect.poll(() => cases.connector.waiting).toBeGreaterThan(0);
      const page = await cases.rig.signInPage(browser, PHONE);
      const ws = 'console%3Aphone';
      await expectNoSidewaysScroll(page, cases.rig.url, [
        `/admin/cases/${ws}/1`,
        `/admin/cases/${ws}/1/undo`,
        `/admin/cases/${ws}/2`,
        '/admin/batches',
        `/admin/cases?user=%40${users[0]}&outcome=removed`,
        '/admin/cases',
      ]);
      // The list's table is wider than a phone: it scrolls inside its labelled box, and the box can.
      const box = page.getByRole('region', { name: 'Table of cases' });
      expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      await page.goto(`${cases.rig.url}/admin/batches`);
      expect(await page.getByRole('button', { name: 'Cancel case 2' }).isVisible()).toBe(true);
      await page.context().close();
      cases.connector.release(100);
      await running;
    } finally {
      await cases.close();
    }
  });

  it('GIVEN no JavaScript THEN sign-in and the reading pages work, and Copy is not offered', async () => {
    const page = await rig.signInPage(browser, { javaScriptEnabled: false });
    for (const path of READING) {
      await page.goto(`${rig.url}${path}`);
      expect(await page.getByRole('heading', { level: 1 }).isVisible(), path).toBe(true);
    }
    expect(await page.getByLabel('Slack app manifest (JSON)').inputValue()).toContain('/slack/events');
    expect(await page.getByRole('button', { name: 'Copy manifest' }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Download the manifest' }).isVisible()).toBe(true);
    await page.context().close();
  });

  it('GIVEN JavaScript THEN Copy copies the manifest and says so', async () => {
    const page = await rig.signInPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    const errors = consoleErrors(page);
    await page.goto(`${rig.url}/admin/install`);
    await page.getByRole('button', { name: 'Copy manifest' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('/slack/events');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('GIVEN Sign out THEN the sign-in form, and the pages ask for it again', async () => {
    const page = await rig.signInPage(browser);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${rig.url}/admin/sign-in`);
    await page.goto(`${rig.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.context().close();
  });
});
