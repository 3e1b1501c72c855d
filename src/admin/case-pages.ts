import type { AdminAsset, AdminPage } from './app.js';

/** Cases, one case (with Undo), running batches (with live progress and Cancel) (owned by the admin-cases work). */
export const casePages: AdminPage[] = [];

/** The script of the live progress (`progress.js`), and whatever else those pages need. */
export const caseAssets: Record<string, AdminAsset> = {};
