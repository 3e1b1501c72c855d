import type { AdminAsset, AdminPage } from './app.js';
import { areasPage } from './areas.js';
import { installPage, manifestDownload } from './install.js';
import { overviewPage } from './overview.js';
import { styleAssets } from './style.js';

/** Overview, areas, install (and the manifest's download). */
export const shellPages: AdminPage[] = [overviewPage, areasPage, installPage, manifestDownload];

/** The stylesheet `admin.css` and the install page's `copy.js`. */
export const shellAssets: Record<string, AdminAsset> = styleAssets;
