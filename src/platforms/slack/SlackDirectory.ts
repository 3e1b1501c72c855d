import type { WebClient } from '@slack/web-api';
import type { Config } from '../../config/config-file.js';
import {
  type AreaInfo,
  ConnectorError,
  type Directory,
  type GlobalRole,
  type Id,
  type Logger,
  type Resolved,
  type Scope,
  type UserInfo,
} from '../../core/index.js';
import { configArea } from '../config-area.js';
import { PlatformCallError, safeError } from '../log-safe.js';
import { lookupError, retryable, slackError } from './answers.js';
import { defuseMentions } from './blocks.js';
import { isUsergroup, SLACK, slackId, splitSlackId } from './ids.js';
import { parseSlackMention } from './mentions.js';
import type { SlackLookups, SlackUser } from './SlackLookups.js';

/** Up to this many users are looked up one by one (users.info); more, through users.list. */
const USERS_INFO_MAX = 20;
/** A user id as Slack writes it (`U…`, `W…` on Enterprise Grid). */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** Enough of an address to ask Slack about (at most 254 characters, RFC 5321). */
const EMAIL = /^(?=.{3,254}$)[^\s@]+@[^\s@]+$/;
/** A channel id as Slack writes it (a name is anything else). */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/**
 * Slack as moderators type in it: mentions to ids (users, user groups, channels), the config's areas, users'
 * roles from `users.info`, and confirmations posted with `chat.postMessage` (and to the mod-log channel).
 */
export class SlackDirectory implements Directory {
  readonly platform = SLACK;
  readonly #client: WebClient;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #lookups: SlackLookups;
  #whoami: Promise<{ team?: string; user?: string }> | undefined;

  constructor(options: { client: WebClient; config: Config; logger: Logger; lookups: SlackLookups }) {
    this.#client = options.client;
    this.#config = options.config;
    this.#logger = options.logger;
    this.#lookups = options.lookups;
  }

  async bot(scope: Scope): Promise<Id | undefined> {
    const team = splitSlackId(scope.workspace).team;
    try {
      const { user } = await this.#auth();
      return user ? slackId(team, user) : undefined;
    } catch (error) {
      this.#logger.warn(
        { err: safeError(error) },
        'auth.test failed: the bot is not protected by rule 5 for this command',
      );
      return undefined;
    }
  }

  /** `slack:<team>/<key>`, the team being the token's: a config identity link's Slack user id. */
  async personId(key: string): Promise<Id | undefined> {
    return USER_ID.test(key) ? slackId(await this.#tokenTeam(), key) : undefined;
  }

  /** The user with this address (`users.lookupByEmail`, scope `users:read.email`); a deactivated one is no one. */
  async findByEmail(email: string): Promise<Id | undefined> {
    if (!EMAIL.test(email)) return undefined;
    let user: SlackUser | undefined;
    try {
      user = (await this.#client.users.lookupByEmail({ email })).user as SlackUser | undefined;
    } catch (error) {
      if (slackError(error) === 'users_not_found') return undefined;
      throw lookupError(error);
    }
    return user?.id && !user.deleted ? slackId(await this.#tokenTeam(), user.id) : undefined;
  }

  /**
   * A direct message before a removal: `chat.postMessage` with the user's id as the channel (Slack opens the app's
   * IM with them; scope `im:write`). Slack's refusal is the code: `messages_tab_disabled` (the person turned the
   * app's Messages tab off) is `dm-closed`; `cannot_dm_bot`, `user_not_found`… as Slack says them.
   */
  async dm(user: Id, text: string): Promise<void> {
    const channel = splitSlackId(user).local;
    try {
      await this.#client.chat.postMessage({
        channel,
        text: defuseMentions(text),
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      const code = slackError(error);
      if (code) throw new ConnectorError(code === 'messages_tab_disabled' ? 'dm-closed' : code);
      throw retryable(error) ?? new ConnectorError('slack-unreachable');
    }
  }

  async #tokenTeam(): Promise<string> {
    const { team } = await this.#auth();
    if (!team) throw new ConnectorError('slack-no-team', { message: 'auth.test named no team' });
    return team;
  }

  /** Who the token is (`auth.test`: the bot user and its team), asked once; a failure is asked again next time. */
  #auth(): Promise<{ team?: string; user?: string }> {
    this.#whoami ??= this.#client.auth.test().then(
      (auth) => ({
        ...(auth.team_id ? { team: auth.team_id } : {}),
        ...(auth.user_id ? { user: auth.user_id } : {}),
      }),
      (error: unknown) => {
        this.#whoami = undefined;
        throw lookupError(error);
      },
    );
    return this.#whoami;
  }

  async resolveUsers(ref: string, scope: Scope): Promise<Resolved<Id[]>> {
    const team = splitSlackId(scope.workspace).team;
    const mention = parseSlackMention(ref);
    switch (mention.kind) {
      case 'user':
        // Slack wrote this id itself (escaping is on): it names a real user, no lookup needed.
        return { ok: true, value: [slackId(team, mention.id)] };
      case 'usergroup': {
        const members = await this.#lookups.groupMembers(mention.id);
        if (!members) return { ok: false, message: `unknown user group ${ref}` };
        return { ok: true, value: members.map((u) => slackId(team, u)) };
      }
      case 'user-name': {
        const wanted = mention.name.toLowerCase();
        const users = await this.#lookups.allUsers();
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
      return { ok: true, value: slackId(team, await this.#lookups.channelByName(mention.name)) };
    return {
      ok: false,
      message: mention.kind === 'invalid' ? mention.reason : `${ref} is a user, not a channel`,
    };
  }

  async area(name: string, scope: Scope): Promise<AreaInfo | undefined> {
    const team = splitSlackId(scope.workspace).team;
    return configArea(this.#config, name, 'slack', {
      room: async (ref) =>
        slackId(team, CHANNEL_ID.test(ref) ? ref : await this.#lookups.channelByName(ref.replace(/^#/, ''))),
      group: (id) => slackId(team, id),
      user: (id) => slackId(team, id),
    });
  }

  async areas(_scope?: Scope): Promise<string[]> {
    return this.#config.areas.map((a) => a.id);
  }

  async users(ids: readonly Id[]): Promise<Map<Id, UserInfo>> {
    const out = new Map<Id, UserInfo>();
    // users.info is Tier 4 (about 100 a minute): for a big batch one pass over users.list costs far fewer calls.
    const everyone =
      ids.length > USERS_INFO_MAX
        ? new Map((await this.#lookups.allUsers()).map((u) => [u.id, u]))
        : undefined;
    await Promise.all(
      ids.map(async (id) => {
        const { local } = splitSlackId(id);
        const user = everyone ? everyone.get(local) : await this.#lookups.user(local);
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

  label(target: Id, kind: 'user' | 'room'): string {
    const { local } = splitSlackId(target);
    if (kind === 'user') return `<@${local}>`;
    if (isUsergroup(local)) return `@${local}`;
    return local.startsWith('#') ? local : `<#${local}>`;
  }

  /** `<@U1>`; `<#C1>` for a channel id, `#name` for anything else (a name the directory resolves). */
  mention(target: Id, kind: 'user' | 'room'): string {
    const { local } = splitSlackId(target);
    if (kind === 'user') return `<@${local}>`;
    const bare = local.replace(/^#/, '');
    return CHANNEL_ID.test(bare) ? `<#${bare}>` : `#${bare}`;
  }

  async notice(room: Id, text: string): Promise<void> {
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

  /** The config's `modLog.slack` channel only (removals made by hand, rejoins); false when none is set. */
  async modLog(_workspace: Id, text: string): Promise<boolean> {
    const modLog = this.#config.modLog?.slack;
    if (!modLog) return false;
    await this.#client.chat
      .postMessage({ channel: modLog, text: defuseMentions(text), unfurl_links: false, unfurl_media: false })
      .catch((error: unknown) => {
        throw new PlatformCallError(error); // the core logs it: not the text it carried
      });
    return true;
  }
}
