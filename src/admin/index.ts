import type { Route } from '../http/server.js';
import type { AdminAsset, AdminDeps, AdminPage } from './app.js';
import { caseAssets, casePages } from './case-pages.js';
import { shellAssets, shellPages } from './shell-pages.js';

/**
 * The routes of the admin page on kickbot's HTTP port: `/admin` and everything under it. Sign-in, the session
 * cookie, the CSRF check, assets and the dispatch to `shellPages` and `casePages` are the admin-shell work's
 * (this file and auth.ts); until then, nothing is served.
 */
export function adminRoutes(deps: AdminDeps): Record<string, Route> {
  const pages: AdminPage[] = [...shellPages, ...casePages];
  void deps;
  const assets: Record<string, AdminAsset> = { ...shellAssets, ...caseAssets };
  void pages;
  void assets;
  return {};
}
