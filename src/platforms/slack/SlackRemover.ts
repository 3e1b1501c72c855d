import type { WebClient } from '@slack/web-api';
import type {
  HeldRoom,
  Id,
  Membership,
  RemovalTarget,
  RemoveResult,
  Remover,
  RestoreResult,
  RoomInfo,
  RoomRole,
} from '../../core/index.js';
import { removeOutcome, restoreOutcome } from './answers.js';
import { isUsergroup, SLACK, slackId, splitSlackId } from './ids.js';
import type { SlackChannel, SlackLookups, SlackUsergroup } from './SlackLookups.js';
import type { UsergroupEditor } from './usergroups.js';

/**
 * Removals on Slack: `conversations.kick` out of a channel (`conversations.invite` to undo), a user group's list
 * rewritten for an area's group. Rooms come from `conversations.info`, members from `conversations.members`, one
 * user's channels from `users.conversations`.
 */
export class SlackRemover implements Remover {
  readonly system = SLACK;
  readonly ratePerSecond: number;
  readonly #client: WebClient;
  readonly #lookups: SlackLookups;
  readonly #groups: UsergroupEditor;

  constructor(options: {
    client: WebClient;
    lookups: SlackLookups;
    groups: UsergroupEditor;
    ratePerSecond: number;
  }) {
    this.#client = options.client;
    this.#lookups = options.lookups;
    this.#groups = options.groups;
    this.ratePerSecond = options.ratePerSecond;
  }

  async room(room: Id): Promise<RoomInfo | undefined> {
    const { local } = splitSlackId(room);
    if (isUsergroup(local)) {
      const group = await this.#lookups.usergroup(local);
      return group && groupInfo(room, group);
    }
    if (local.startsWith('#')) return undefined;
    const channel = await this.#lookups.channel(local);
    return channel && channelInfo(room, channel);
  }

  async members(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const { local } = splitSlackId(room);
    const members = isUsergroup(local)
      ? new Set((await this.#lookups.groupMembers(local)) ?? [])
      : new Set(await this.#lookups.channelMembers(local));
    const out = new Map<Id, Membership>();
    for (const user of users) if (members.has(splitSlackId(user).local)) out.set(user, { roles: [] });
    return out;
  }

  /**
   * The channels the user is in, a page of `users.conversations` at a time, with the facts that page gives; then
   * the user groups that list them, as one last page.
   */
  async *memberships(user: Id): AsyncIterable<readonly HeldRoom[]> {
    const { team, local } = splitSlackId(user);
    for await (const page of this.#lookups.userChannels(local)) {
      yield page.map((c) => ({ room: channelInfo(slackId(team, c.id), c), roles: [] }));
    }
    const groups = await this.#lookups.groupsOf(local);
    if (groups.length > 0) yield groups.map((g) => ({ room: groupInfo(slackId(team, g.id), g), roles: [] }));
  }

  async remove(target: RemovalTarget): Promise<RemoveResult> {
    const { team, local: channel } = splitSlackId(target.room);
    const user = splitSlackId(target.user).local;
    if (isUsergroup(channel)) return this.#groups.change(team, channel, user, 'remove');
    try {
      await this.#client.conversations.kick({ channel, user });
      return { outcome: 'removed' };
    } catch (error) {
      return removeOutcome(error);
    }
  }

  async restore(target: RemovalTarget, _roles?: readonly RoomRole[]): Promise<RestoreResult> {
    const { team, local: channel } = splitSlackId(target.room);
    const user = splitSlackId(target.user).local;
    if (isUsergroup(channel)) {
      const result = await this.#groups.change(team, channel, user, 'add');
      if (result.outcome === 'removed') return { outcome: 'restored' };
      if (result.outcome === 'not_member') return { outcome: 'already_member' };
      return { outcome: 'failed', code: 'code' in result ? result.code : 'failed' };
    }
    try {
      await this.#client.conversations.invite({ channel, users: user });
      return { outcome: 'restored' };
    } catch (error) {
      return restoreOutcome(error);
    }
  }
}

/** A user group as a room (an area's group; a group that lists someone being offboarded). */
function groupInfo(room: Id, group: SlackUsergroup): RoomInfo {
  const name = group.handle ?? group.name ?? group.id;
  // `@handle`, not <!subteam^…>: a notice must not ping the group
  return { id: room, name, type: 'group', owners: 0, label: `@${name}` };
}

/** A channel's facts as the rules read them, from a `conversations.info` or `users.conversations` channel object. */
function channelInfo(room: Id, channel: SlackChannel): RoomInfo {
  const local = channel.id;
  const direct = channel.is_im || channel.is_mpim;
  const unsupported = channel.is_general
    ? {
        code: 'cant_kick_from_general',
        hint: "nobody can be removed from the workspace's #general channel",
      }
    : channel.is_archived
      ? { code: 'is_archived', hint: 'the channel is archived' }
      : undefined;
  return {
    id: room,
    name: channel.name ?? local,
    type: direct ? 'direct' : channel.is_private || channel.is_group ? 'private' : 'public',
    owners: 0, // Slack has no channel owners that the API shows; rule 8 never applies
    label: `<#${local}>`,
    ...(unsupported ? { unsupported } : {}),
  };
}
