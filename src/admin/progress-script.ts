import type { AdminAsset } from './app.js';

/**
 * `progress.js`: the running batches page live. Each element with `data-events` listens to its case's
 * server-sent events and shows what they say (the server writes the line, so page and script read the same);
 * without JavaScript the page keeps the numbers it had at load, and its Refresh link.
 */
export const progressScript: AdminAsset = {
  type: 'text/javascript',
  body: `'use strict';
for (const box of document.querySelectorAll('[data-events]')) {
  const bar = box.querySelector('progress');
  const text = box.querySelector('[data-progress-text]');
  const source = new EventSource(box.getAttribute('data-events'));
  const show = (event) => {
    const p = JSON.parse(event.data);
    text.textContent = p.text;
    if (bar && p.total !== undefined) {
      bar.max = p.total;
      bar.value = p.settled;
    }
  };
  source.addEventListener('progress', show);
  source.addEventListener('done', (event) => {
    show(event);
    source.close();
    box.setAttribute('data-state', 'done');
  });
}
`,
};
