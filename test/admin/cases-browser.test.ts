import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { SMALL_WORKSPACE } from '../helpers/console.js';
import { bulkWorkspace, kickAll } from '../helpers/jobs.js';
import { type CasesRig, startCasesRig } from './cases-rig.js';

/** The case pages in Debian's Chromium: a search, an undo, a batch's live progress. */

let browser: Browser;
let page: Page;
let rig: CasesRig | undefined;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.close();
  rig?.connector.release(1_000);
  await rig?.close();
  rig = undefined;
});

async function open(r: CasesRig, path: string): Promise<Page> {
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(`${r.url}${path}`);
  return page;
}

describe('GIVEN the case pages in a browser', () => {
  it('WHEN a moderator is searched for THEN the form submits and lists their cases', async () => {
    rig = await startCasesRig(SMALL_WORKSPACE);
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
    rig = await startCasesRig(SMALL_WORKSPACE);
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
    rig = await startCasesRig(bulkWorkspace({ name: 'bulk', users: 12, rooms: 1 }), {
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
});
