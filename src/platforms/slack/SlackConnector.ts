import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config/config-file.js';
import type {
  AreaInfo,
  Capabilities,
  Connector,
  GlobalRole,
  Id,
  Logger,
  Membership,
  RemovalTarget,
  RemoveResult,
  Resolved,
  RestoreResult,
  RoomInfo,
  RoomRole,
  Scope,
  UserInfo,
} from '../../core/index.js';
import { configArea } from '../config-area.js';
import { PlatformCallError, safeError } from '../log-safe.js';
import { defuseMentions } from './blocks.js';
import { removeOutcome, restoreOutcome } from './errors.js';
import { isUsergroup, SLACK, slackId, splitSlackId } from './ids.js';
import { parseSlackMention } from './mentions.js';
import { SlackDirectory, type SlackUser } from './SlackDirectory.js';
import { type GroupLocks, UsergroupEditor } from './usergroups.js';

/** Up to this many users are looked up one by one (users.info); more, through users.list. */
const USERS_INFO_MAX = 20;

export interface SlackConnectorOptions {
  client: WebClient;
  config: Config;
  logger: Logger;
  /** `conversations.kick` is Tier 3, about 50 a minute per workspace; every replica paces itself together. */
  ratePerSecond?: number;
  /** How long what Slack said about users, channels and user groups is reused. */
  cacheTtlMs?: number;
  /** The store's locks: a user group's read-modify-write is one at a time across replicas (else per process). */
  locks?: GroupLocks;
}

/**
 * The Slack connector: Web API calls, one per fact or removal, through an injected `WebClient` (which retries
 * 429s after `Retry-After` and network errors). Roles come from `users.info`, rooms from `conversations.info`,
 * an area's group is a Slack user group.
 */
export class SlackConnector implements Connector {
  readonly platform = SLACK;
  readonly capabilities: Capabilities;
  readonly #client: WebClient;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #dir: SlackDirectory;
  readonly #bots = new Map<string, Id>();
  readonly #groups: UsergroupEditor;

  constructor(options: SlackConnectorOptions) {
    this.#client = options.client;
    this.#config = options.config;
    this.#logger = options.logger;
    this.capabilities = { undo: true, concurrency: 4, ratePerSecond: options.ratePerSecond ?? 50 / 60 };
    this.#dir = new SlackDirectory(options.client, options.cacheTtlMs ?? 60_000);
    this.#groups = new UsergroupEditor(options.client, this.#dir, options.locks);
  }

  async bot(scope: Scope): Promise<Id | undefined> {
    const team = splitSlackId(scope.workspace).team;
    const known = this.#bots.get(team);
    if (known) return known;
    try {
      const auth = await this.#client.auth.test();
      if (!auth.user_id) return undefined;
      const id = slackId(team, auth.user_id);
      this.#bots.set(team, id);
      return id;
    } catch (error) {
      this.#logger.warn(
        { err: safeError(error) },
        'auth.test failed: the bot is not protected by rule 5 for this command',
      );
      return undefined;
    }
  }

  async resolveUsers(ref: string, scope: Scope): Promise<Resolved<Id[]>> {
    const team = splitSlackId(scope.workspace).team;
    const mention = parseSlackMention(ref);
    switch (mention.kind) {
      case 'user':
        // Slack wrote this id itself (escaping is on): it names a real user, no lookup needed.
        return { ok: true, value: [slackId(team, mention.id)] };
      case 'usergroup': {
        const members = await this.#dir.groupMembers(mention.id);
        if (!members) return { ok: false, message: `unknown user group ${ref}` };
        return { ok: true, value: members.map((u) => slackId(team, u)) };
      }
      case 'user-name': {
        const wanted = mention.name.toLowerCase();
        const users = await this.#dir.allUsers();
        const user = users.find(
          (u) =>
            !u.deleted &&
            [u.name, u.profile?.display_name, u.real_name].some((n) => n?.toLowerCase() === wanted),
        );
        return user
          ? { ok: true, value: [slackId(team, user.id)] }
          : {
              ok: false,
              message: `no Slack user named @${mention.name} (pick them from the @ menu so that Slack sends their id)`,
            };
      }
      default:
        return {
          ok: false,
          message: mention.kind === 'invalid' ? mention.reason : `${ref} is a channel, not a user`,
        };
    }
  }

  async resolveRoom(ref: string, scope: Scope): Promise<Resolved<Id>> {
    const team = splitSlackId(scope.workspace).team;
    const mention = parseSlackMention(ref);
    if (mention.kind === 'channel') return { ok: true, value: slackId(team, mention.id) };
    if (mention.kind === 'channel-name')
      return { ok: true, value: slackId(team, await this.#dir.channelByName(mention.name)) };
    return {
      ok: false,
      message: mention.kind === 'invalid' ? mention.reason : `${ref} is a user, not a channel`,
    };
  }

  async getArea(name: string, scope: Scope): Promise<AreaInfo | undefined> {
    const team = splitSlackId(scope.workspace).team;
    return configArea(this.#config, name, 'slack', {
      room: async (ref) =>
        slackId(
          team,
          /^[CG][A-Z0-9]{2,}$/.test(ref) ? ref : await this.#dir.channelByName(ref.replace(/^#/, '')),
        ),
      group: (id) => slackId(team, id),
      user: (id) => slackId(team, id),
    });
  }

  async listAreas(_scope?: Scope): Promise<string[]> {
    return this.#config.areas.map((a) => a.id);
  }

  async getUsers(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
    const out = new Map<Id, UserInfo>();
    // users.info is Tier 4 (about 100 a minute): for a big batch one pass over users.list costs far fewer calls.
    const everyone =
      ids.length > USERS_INFO_MAX ? new Map((await this.#dir.allUsers()).map((u) => [u.id, u])) : undefined;
    await Promise.all(
      ids.map(async (id) => {
        const { local } = splitSlackId(id);
        const user = everyone ? everyone.get(local) : await this.#dir.user(local);
        if (user && !user.deleted) out.set(id, this.#userInfo(id, user)); // a deactivated user is no one
      }),
    );
    return out;
  }

  #userInfo(id: Id, user: SlackUser): UserInfo {
    const roles = new Set<GlobalRole>();
    if (user.is_admin || user.is_owner || user.is_primary_owner) roles.add('admin');
    if (user.is_bot) roles.add('bot');
    for (const role of this.#config.grants?.slack?.[user.id] ?? []) roles.add(role);
    if (roles.size === 0) roles.add('user');
    return {
      id,
      name: user.profile?.display_name || user.real_name || user.name || user.id,
      roles: [...roles],
      label: `<@${user.id}>`,
      ...(user.is_primary_owner ? { owner: true } : {}),
      ...(user.is_bot ? { bot: true } : {}),
    };
  }

  async getRoom(room: Id): Promise<RoomInfo | undefined> {
    const { local } = splitSlackId(room);
    if (isUsergroup(local)) {
      const group = await this.#dir.usergroup(local);
      return group
        ? {
            id: room,
            name: group.handle ?? group.name ?? local,
            type: 'group',
            owners: 0,
            label: `@${group.handle ?? group.name ?? local}`, // not <!subteam^…>: a notice must not ping the group
          }
        : undefined;
    }
    if (local.startsWith('#')) return undefined;
    const channel = await this.#dir.channel(local);
    if (!channel) return undefined;
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

  async getMembers(room: Id, users: readonly Id[]): Promise<Map<Id, Membership>> {
    const { local } = splitSlackId(room);
    const members = isUsergroup(local)
      ? new Set((await this.#dir.groupMembers(local)) ?? [])
      : new Set(await this.#dir.channelMembers(local));
    const out = new Map<Id, Membership>();
    for (const user of users) if (members.has(splitSlackId(user).local)) out.set(user, { roles: [] });
    return out;
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

  label(target: Id, kind: 'user' | 'room'): string {
    const { local } = splitSlackId(target);
    if (kind === 'user') return `<@${local}>`;
    if (isUsergroup(local)) return `@${local}`;
    return local.startsWith('#') ? local : `<#${local}>`;
  }

  async postNotice(room: Id, text: string): Promise<void> {
    const channel = splitSlackId(room).local;
    if (isUsergroup(channel) || channel.startsWith('#')) return; // a user group has no channel to tell
    const safe = defuseMentions(text); // a reason must not ping @channel or a user group
    const modLog = this.#config.modLog?.slack;
    for (const to of modLog && modLog !== channel ? [channel, modLog] : [channel]) {
      await this.#client.chat
        .postMessage({ channel: to, text: safe, unfurl_links: false, unfurl_media: false })
        .catch((error: unknown) => {
          throw new PlatformCallError(error); // the core logs it: not the text it carried
        });
    }
  }
}
