#!/usr/bin/env node
// The README's screenshots of the admin page, from the built dist (`npm run build` first):
//   node scripts/admin-screenshots.mjs
// Starts the case pages on a console workspace with a few cases made by real commands (kicks, a note, a new reason,
// an undo), and saves docs/admin-case.png and docs/admin-overview.png at 1200×800 in Debian's Chromium.
//
// Until the admin shell (sign-in, routing, overview, admin.css) is merged, the pages are served by the case pages'
// own test rig (dist/test/admin/cases-rig.js), which calls them signed in; the overview is then the cases search.
// After the merge, point `serve()` at the real routes and sign in once with the token on /admin/sign-in.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => import(join(root, 'dist', path));

const WORKSPACE = `
name: acme
bot: kickbot
owner: ada
users:
  - { id: ada, roles: [admin] }
  - { id: mo, roles: [moderator] }
  - { id: bob }
  - { id: carol }
  - { id: dave }
  - { id: kickbot, roles: [bot] }
rooms:
  - { id: general, type: public, members: [ada, mo, bob, carol, dave, kickbot], owners: [ada] }
  - { id: random, type: public, members: [ada, mo, bob, carol, kickbot] }
`;

async function serve() {
  const { startCasesRig } = await dist('test/admin/cases-rig.js');
  const rig = await startCasesRig(WORKSPACE);
  const run = async (as, room, line) => {
    const reply = await rig.run(as, room, line);
    if (reply.kind !== 'result' && reply.kind !== 'info') throw new Error(`${line}: ${reply.message}`);
  };
  await run('mo', 'general', '/kick @bob @carol #general #random posting spam links');
  await run('mo', 'general', '/kickbot note 1 warned twice in #random before');
  await run('ada', 'general', '/kickbot reason 1 spam links, reported by three members');
  await run('ada', 'general', '/kick @dave #general flooding');
  await run('ada', 'general', '/kickbot undo 2');
  return rig;
}

const rig = await serve();
const { launchBrowser } = await dist('test/helpers/browser.js');
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  mkdirSync(join(root, 'docs'), { recursive: true });
  for (const [path, file] of [
    ['/admin/cases/console%3Aacme/1', 'admin-case.png'],
    ['/admin/cases', 'admin-overview.png'],
  ]) {
    await page.goto(`${rig.url}${path}`);
    await page.screenshot({ path: join(root, 'docs', file) });
    console.log(`docs/${file}`);
  }
} finally {
  await browser.close();
  await rig.close();
}
