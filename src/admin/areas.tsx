import type { AreaConfig, TargetConfig } from '../config/config-file.js';
import type { ConsoleFront } from '../platforms/console/platform.js';
import { type AdminPage, sendHtml } from './app.js';
import { Layout } from './layout.js';

/**
 * `/admin/areas`: the config file's areas, each with its rooms per system and its managers per platform, and
 * the console workspace's areas when this process runs it (the config's are merged into those by id).
 */
export const areasPage: AdminPage = {
  pattern: '/admin/areas',
  async GET(view) {
    const { runtime } = view.deps;
    const console = runtime.fronts.find((f): f is ConsoleFront => f.name === 'console' && 'platform' in f);
    sendHtml(
      view.res,
      200,
      <Layout title="Areas" current="/admin/areas" csrf={view.csrf}>
        <section aria-labelledby="config-areas">
          <h2 id="config-areas">From the config file</h2>
          {runtime.config.areas.length === 0 ? (
            <p>The config file (--config or KICKBOT_CONFIG) lists no areas.</p>
          ) : (
            <AreaTable rows={runtime.config.areas.map(configRow)} caption="Areas of the config file" />
          )}
        </section>
        {console && (
          <section aria-labelledby="console-areas">
            <h2 id="console-areas">Console workspace “{console.platform.data.name}”</h2>
            <AreaTable
              caption="Areas of the console workspace file, with the config's merged in"
              rows={console.platform.data.areas.map((a) => ({
                id: a.id,
                name: a.name,
                rooms: [['console', a.rooms.map((r) => `#${r}`)]],
                managers: [['console', a.managers]],
              }))}
            />
          </section>
        )}
      </Layout>,
    );
  },
};

type Listed = [system: string, items: readonly string[]][];

interface AreaRow {
  id: string;
  name: string | undefined;
  rooms: Listed;
  managers: Listed;
}

/** A config area as a row: its rooms (on the platform a command is typed on), groups, targets. */
function configRow(area: AreaConfig): AreaRow {
  const bySystem = new Map<string, string[]>();
  const add = (system: string, item: string) => bySystem.set(system, [...(bySystem.get(system) ?? []), item]);
  for (const room of area.rooms) add('any platform (by name)', room);
  for (const [platform, group] of Object.entries(area.groups ?? {})) {
    if (group) add(platform, `group ${group}`);
  }
  for (const target of area.targets ?? []) add(target.connector, targetText(target));
  return {
    id: area.id,
    name: area.name,
    rooms: [...bySystem],
    managers: Object.entries(area.managers ?? {}).filter((e): e is [string, string[]] => e[1] !== undefined),
  };
}

function targetText(t: TargetConfig): string {
  switch (t.connector) {
    case 'rocketchat':
      return `room ${t.room}${t.type ? ` (${t.type})` : ''}`;
    case 'docspace':
      return `group ${t.group}`;
    case 'feedbackhouse':
      return `area ${t.area}`;
    case 'mudbase':
      return `chat ${t.chat}`;
    case 'betterforms':
      return `channel ${t.channel} (${t.mode}${t.anonymous ? ', anonymous' : ''})`;
  }
}

function AreaTable({ rows, caption }: { rows: AreaRow[]; caption: string }) {
  return (
    <div class="table">
      <table>
        <caption class="hint">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Area</th>
            <th scope="col">Rooms, by system</th>
            <th scope="col">Managers</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                {a.id}
                {a.name && a.name !== a.id && <div class="hint">{a.name}</div>}
              </th>
              <td>
                <BySystem listed={a.rooms} none="no rooms" />
              </td>
              <td>
                <BySystem listed={a.managers} none="none (admins only)" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BySystem({ listed, none }: { listed: Listed; none: string }) {
  const shown = listed.filter(([, items]) => items.length > 0);
  if (shown.length === 0) return <span class="hint">{none}</span>;
  return (
    <ul>
      {shown.map(([system, items]) => (
        <li key={system}>
          <strong>{system}</strong>: {items.join(', ')}
        </li>
      ))}
    </ul>
  );
}
