import { UsageError } from '../core/index.js';

/**
 * `kickbot manifest slack` flags: `--url` is kickbot's public base URL, https:// (Slack posts only to HTTPS request
 * URLs), and it has no use in Socket Mode, so `--socket --url` is a usage error rather than a URL silently dropped.
 */
export function checkSlackManifestFlags(opts: { url?: string; socket?: boolean }): void {
  if (opts.url === undefined) return;
  if (opts.socket) {
    throw new UsageError(
      '--url is unused with --socket: Socket Mode has no public URL. Drop --url (Socket Mode) or --socket (HTTP mode)',
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(opts.url);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.search || url.hash) {
    throw new UsageError(
      `--url: kickbot's public base URL, like https://kickbot.example.org (Slack posts only to https://), got ${JSON.stringify(opts.url)}`,
    );
  }
}
