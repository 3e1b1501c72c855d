import type { AdminAsset, AdminPage } from './app.js';

/** Overview, areas, install (owned by the admin-shell work). */
export const shellPages: AdminPage[] = [];

/** The stylesheet `admin.css` and whatever else those pages need. */
export const shellAssets: Record<string, AdminAsset> = {};
