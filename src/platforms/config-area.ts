import type { Config } from '../config/config-file.js';
import type { AreaInfo, Id } from '../core/index.js';

/** How a platform names what an area of the config file lists. */
export interface AreaIds {
  /** A room as the config writes it (a name or an id) to the platform's room id. */
  room(ref: string): Promise<Id>;
  /** The area's own group (a Slack user group, a Discord role) to a room id. */
  group(id: string): Id;
  user(id: string): Id;
}

/** An area of the config file as Slack or Discord sees it: its rooms, its group and its managers there. */
export async function configArea(
  config: Config,
  name: string,
  platform: 'slack' | 'discord',
  ids: AreaIds,
): Promise<AreaInfo | undefined> {
  const area = config.areas.find((a) => a.id.toLowerCase() === name.toLowerCase());
  if (!area) return undefined;
  const rooms: Id[] = [];
  for (const room of area.rooms) rooms.push(await ids.room(room));
  const group = area.groups?.[platform];
  if (group) rooms.push(ids.group(group));
  return {
    id: area.id,
    name: area.name ?? area.id,
    rooms,
    managers: (area.managers?.[platform] ?? []).map(ids.user),
  };
}
