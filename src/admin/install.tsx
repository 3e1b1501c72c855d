import { commands } from '../../commands/index.js';
import { inviteUrl } from '../platforms/discord/manifest.js';
import { PLACEHOLDER_URL, slackManifest } from '../platforms/slack/manifest.js';
import { ADMIN_HEADERS, type AdminPage, type AdminView, sendHtml } from './app.js';
import { Layout } from './layout.js';
import { ownOrigin } from './request.js';
import { COPY_SCRIPT } from './style.js';

/**
 * `/admin/install`: what installing kickbot on a platform needs, filled in for this deployment: the Slack app
 * manifest (as `kickbot manifest slack --url` prints it, in JSON) to copy or download, the Discord invite URL
 * (as `kickbot invite-url discord`) and the command that registers the Discord commands.
 */

const DOWNLOAD = '/admin/install/slack-manifest.json';

/** This deployment's base URL: KICKBOT_PUBLIC_URL, else the address the page was reached at. */
function baseUrl(view: AdminView): string {
  return view.deps.publicUrl ?? ownOrigin(view.req) ?? PLACEHOLDER_URL;
}

function manifestJson(view: AdminView): string {
  const { env } = view.deps;
  const manifest = slackManifest(commands, {
    ...(env.SLACK_APP_TOKEN ? { socketMode: true } : { url: baseUrl(view) }),
    ...(env.SLACK_COMMAND_PREFIX ? { prefix: env.SLACK_COMMAND_PREFIX } : {}),
  });
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const installPage: AdminPage = {
  pattern: '/admin/install',
  async GET(view) {
    const { env } = view.deps;
    const base = baseUrl(view);
    sendHtml(
      view.res,
      200,
      <Layout title="Install" current="/admin/install" csrf={view.csrf} scripts={[COPY_SCRIPT]}>
        <section aria-labelledby="slack">
          <h2 id="slack">Slack</h2>
          <p>
            Create an app at api.slack.com/apps › Create New App › From a manifest, and paste this manifest.{' '}
            {env.SLACK_APP_TOKEN
              ? 'It is for Socket Mode (SLACK_APP_TOKEN is set): no request URL.'
              : `Slack will send commands and events to ${base}/slack/events.`}
          </p>
          {!env.SLACK_APP_TOKEN && !base.startsWith('https:') && (
            <p class="bad">
              Slack sends only to https:// addresses: set KICKBOT_PUBLIC_URL to this deployment's public https
              URL.
            </p>
          )}
          <label for="manifest">Slack app manifest (JSON)</label>
          <textarea id="manifest" readonly rows={16} spellcheck={false}>
            {manifestJson(view)}
          </textarea>
          <p>
            <button type="button" data-copy="manifest" data-status="copy-status" hidden>
              Copy manifest
            </button>{' '}
            <a href={DOWNLOAD} download="kickbot-slack-manifest.json">
              Download the manifest
            </a>{' '}
            <span id="copy-status" role="status" aria-live="polite" />
          </p>
        </section>
        <section aria-labelledby="discord">
          <h2 id="discord">Discord</h2>
          {env.DISCORD_APPLICATION_ID ? (
            <>
              <p>Open this address to add kickbot to a server, with the permissions it needs:</p>
              <p>
                <a href={inviteUrl(env.DISCORD_APPLICATION_ID)}>{inviteUrl(env.DISCORD_APPLICATION_ID)}</a>
              </p>
            </>
          ) : (
            <p>
              Set DISCORD_APPLICATION_ID (Developer Portal › your app › General Information › Application ID)
              to see the invite URL here, or run <code>kickbot invite-url discord</code> with DISCORD_TOKEN
              set.
            </p>
          )}
          <p>Then register kickbot's commands (with DISCORD_TOKEN set):</p>
          <ul>
            <li>
              <code>kickbot register discord</code>: in every server (global commands may take up to an hour
              to appear)
            </li>
            <li>
              <code>kickbot register discord --guild G</code>: in one server, at once (G: the server's id)
            </li>
          </ul>
        </section>
      </Layout>,
    );
  },
};

/** The manifest as a file to save (`content-disposition: attachment`). */
export const manifestDownload: AdminPage = {
  pattern: DOWNLOAD,
  async GET(view) {
    view.res.writeHead(200, {
      ...ADMIN_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="kickbot-slack-manifest.json"',
    });
    view.res.end(manifestJson(view));
  },
};
