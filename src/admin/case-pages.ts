import type { AdminAsset, AdminPage } from './app.js';
import { batchesPage, cancelBatch } from './batches.js';
import { casePage } from './case.js';
import { undoConfirm, undoRun } from './case-undo.js';
import { casesPage } from './cases.js';
import { progressScript } from './progress-script.js';
import { progressEvents, STREAM_DEFAULTS, type StreamSettings } from './progress-stream.js';

/**
 * Cases, one case (with Undo), running batches (with live progress and Cancel). Made by a function so that a
 * test can bound the progress streams its own way; `casePages` is this process's set.
 */
export function createCasePages(streams: StreamSettings = STREAM_DEFAULTS): AdminPage[] {
  return [
    { pattern: '/admin/cases', GET: casesPage },
    { pattern: '/admin/cases/:ws/:id', GET: casePage },
    { pattern: '/admin/cases/:ws/:id/undo', GET: undoConfirm, POST: undoRun },
    { pattern: '/admin/batches', GET: batchesPage },
    { pattern: '/admin/batches/:ws/:id/events', GET: progressEvents(streams) },
    { pattern: '/admin/batches/:ws/:id/cancel', POST: cancelBatch },
  ];
}

export const casePages: AdminPage[] = createCasePages();

/** The script of the live progress. */
export const caseAssets: Record<string, AdminAsset> = { 'progress.js': progressScript };
