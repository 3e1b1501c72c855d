import type { AdminPage } from './app.js';

/** Overview, areas, install (owned by the admin-shell work). */
export const shellPages: AdminPage[] = [];
