import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { type GatedAdmin, startGatedAdmin } from '../helpers/gated-runtime.js';
import { bulkWorkspace, kickAll } from '../helpers/jobs.js';

/** The case pages in Debian's Chromium: a search, an undo, a batch's live progress. */

let browser: Browser;
let page: Page;
let rig: GatedAdmin | undefined;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.context().close();
  rig?.connector.release(1_000);
  await rig?.close();
  rig = undefined;
});

/** A new browser context signed in through the form, then at `path`. */
async function open(r: GatedAdmin, path: string): Promise<Page> {
  page = await r.rig.signInPage(browser, { viewport: { width: 1200, height: 800 } });
  await page.goto(`${r.rig.url}${path}`);
  return page;
}

/** Presses Tab until the focused element is the one `name`s (at most 40 times): what a keyboard user does. */
async function tabTo(p: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await p.keyboard.press('Tab');
    const focused = await p.evaluate(() => document.activeElement?.textContent?.trim());
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

describe('GIVEN the case pages in a browser', () => {
  it('WHEN a moderator is searched for THEN the form submits and lists their cases', async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    await rig.run('mo', 'general', '/kick @bob #general spam');
    await rig.run('ada', 'secret', '/kick @bob #secret flood');
    const p = await open(rig, '/admin/cases');
    await p.getByLabel('Moderator').fill('@ada');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.waitForURL(/by=%40ada/);
    const rows = p.locator('table.cases tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('/kick bob from #secret');
  });

  it('WHEN a case is undone from its page THEN the confirmation runs it and the new case says so', async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    await rig.run('mo', 'general', '/kick @bob @carol #general spam');
    const p = await open(rig, '/admin/cases/console%3Asmall/1');
    await p.getByRole('link', { name: 'Undo case 1…' }).click();
    await p.getByText('Undo case 1: bob and 1 other come back to #general.').waitFor();
    await p.getByRole('button', { name: 'Undo case 1' }).click();
    await p.waitForURL(/\/admin\/cases\/console%3Asmall\/2\?reply=/);
    expect(await p.locator('section.reply').textContent()).toContain('Restored 2');
    expect(await p.locator('dl.case a').first().getAttribute('href')).toBe('/admin/cases/console%3Asmall/1');
    const back = [...(await rig.state.allMembers('general')).keys()];
    expect(back).toEqual(expect.arrayContaining(['bob', 'carol']));
  });

  it('WHEN a batch runs THEN its progress moves without a reload as pairs settle, and it ends Finished', async () => {
    rig = await startGatedAdmin(bulkWorkspace({ name: 'bulk', users: 12, rooms: 1 }), {
      streams: { pollMs: 50 },
    });
    rig.connector.gated = true;
    const run = rig.run('mo', 'r00', kickAll(12, 1));
    const r = rig;
    await expect.poll(() => r.connector.waiting).toBeGreaterThan(0);
    const p = await open(rig, '/admin/batches');
    const text = p.locator('[data-progress-text]');
    expect(await text.textContent()).toBe('0 of 12 pairs settled');
    let loads = 0;
    p.on('load', () => loads++);
    rig.connector.release(2);
    await p.waitForFunction(() =>
      /^[1-9]\d* of 12 pairs settled · removed/.test(
        document.querySelector('[data-progress-text]')?.textContent ?? '',
      ),
    );
    expect(await p.locator('progress').evaluate((el) => (el as HTMLProgressElement).value)).toBeGreaterThan(
      0,
    );
    expect(loads).toBe(0);
    rig.connector.release(12);
    await run;
    await p.waitForFunction(() =>
      (document.querySelector('[data-progress-text]')?.textContent ?? '').startsWith('Finished: 12 pairs'),
    );
  });

  it('WHEN a keyboard user tabs to Undo and presses Enter THEN the confirmation, then Enter on its button undoes', async () => {
    rig = await startGatedAdmin(SMALL_WORKSPACE);
    await rig.run('mo', 'general', '/kick @bob @carol #general spam');
    const p = await open(rig, '/admin/cases/console%3Asmall/1');
    await tabTo(p, 'Undo case 1…');
    expect(await p.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).not.toBe(
      'none',
    );
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/admin\/cases\/console%3Asmall\/1\/undo$/);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Undo case 1?');
    expect([...(await rig.state.allMembers('general')).keys()]).not.toContain('bob'); // asking changed nothing
    await tabTo(p, 'Undo case 1');
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/admin\/cases\/console%3Asmall\/2\?reply=/);
    expect(await p.locator('section.reply').textContent()).toContain('Restored 2');
    expect([...(await rig.state.allMembers('general')).keys()]).toEqual(
      expect.arrayContaining(['bob', 'carol']),
    );
  });

  it('WHEN a keyboard user tabs to Cancel and presses Enter THEN the batch is cancelled as the admin page', async () => {
    rig = await startGatedAdmin(bulkWorkspace({ name: 'bulk', users: 12, rooms: 1 }));
    rig.connector.gated = true;
    const run = rig.run('mo', 'r00', kickAll(12, 1));
    const r = rig;
    await expect.poll(() => r.connector.waiting).toBeGreaterThan(0);
    const p = await open(rig, '/admin/batches');
    await tabTo(p, 'Cancel case 1');
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/admin\/batches\?reply=/);
    expect(await p.locator('section.reply').textContent()).toContain('Cancelling case 1');
    const events = await rig.store.readCaseEvents(rig.workspace, 1);
    expect(events.find((e) => e.kind === 'cancel')).toMatchObject({ by: 'admin:web' });
    rig.connector.release(12);
    await run;
  });
});
