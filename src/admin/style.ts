import type { AdminAsset } from './app.js';

/**
 * The admin page's one stylesheet: system fonts, the browser's own controls, a visible focus ring, tables that
 * scroll inside their box on a phone instead of widening the page. No framework: a page of tables and forms.
 */
const CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; background: #fafafa; overflow-wrap: break-word; }
a { color: #3b2d8f; }
:focus-visible { outline: 3px solid #c2410c; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; padding: .5rem 1rem; background: #fff; }
.skip:focus { left: .5rem; top: .5rem; z-index: 1; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1rem; background: #3b2d4f; color: #fff; }
header a, header button { color: #fff; }
header nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; list-style: none; }
header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
header form { margin-left: auto; }
header button { background: transparent; border: 1px solid #fff; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
section { margin-bottom: 1.5rem; }
.table { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f0eef5; }
td ul { margin: 0; padding-left: 1.1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.ok { color: #166534; }
.bad, .error { color: #b91c1c; }
.error { font-weight: 600; }
.hint { color: #555; font-size: .9rem; margin: 0; }
.stack { display: grid; gap: .5rem; max-width: 28rem; }
input, textarea, select, button { font: inherit; max-width: 100%; }
input, select { padding: .4rem; border: 1px solid #767676; border-radius: 4px; }
textarea { width: 100%; min-height: 16rem; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
button, a.button { padding: .4rem .9rem; border: 1px solid #3b2d4f; border-radius: 4px; background: #3b2d4f; color: #fff; cursor: pointer; }
a.button { display: inline-block; text-decoration: none; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; }
pre { white-space: pre-wrap; background: #fff; padding: .5rem; border: 1px solid #ddd; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dt { margin-top: .5rem; } header form { margin-left: 0; } }
`.trim();

/**
 * The install page's Copy button: shown only when this runs (the page works without it, the text is selectable),
 * it copies the textarea it names and says so in a live region.
 */
const COPY_JS = `
for (const button of document.querySelectorAll('button[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.status);
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = 'Copied.';
    } catch {
      source.select();
      status.textContent = 'Select the text and copy it (the browser did not allow copying).';
    }
  });
}
`.trim();

export const STYLESHEET = 'admin.css';
export const COPY_SCRIPT = 'copy.js';

export const styleAssets: Record<string, AdminAsset> = {
  [STYLESHEET]: { type: 'text/css', body: CSS },
  [COPY_SCRIPT]: { type: 'text/javascript', body: COPY_JS },
};
