import type { AdminPage } from './app.js';

/** Cases, one case (with Undo), running batches (with live progress and Cancel) (owned by the admin-cases work). */
export const casePages: AdminPage[] = [];
