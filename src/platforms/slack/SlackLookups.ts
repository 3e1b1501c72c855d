import type { WebClient } from '@slack/web-api';
import { TtlCache } from '../ttl-cache.js';
import { lookupError, slackError } from './answers.js';

export interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface SlackChannel {
  id: string;
  name?: string;
  is_private?: boolean;
  is_group?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  is_general?: boolean;
  is_archived?: boolean;
}

export interface SlackUsergroup {
  id: string;
  handle?: string;
  name?: string;
  /** With `include_users`. */
  users?: string[];
}

/** What `usergroups.list` answers on a plan without user groups (Slack Free): no group lists anyone. */
const NO_USERGROUPS = new Set(['plan_upgrade_required', 'paid_teams_only']);

/**
 * What Slack knows about users, channels and user groups, looked up through the Web API and kept for a short
 * while (`cacheTtlMs`), so that one command asks about each thing once.
 */
export class SlackLookups {
  readonly #client: WebClient;
  readonly #users: TtlCache<SlackUser | null>;
  readonly #lists: TtlCache<unknown[]>;

  constructor(client: WebClient, cacheTtlMs: number) {
    // Every lookup fails as a ConnectorError when Slack cannot be reached, so that the core can say so.
    this.#client = client;
    this.#users = new TtlCache(cacheTtlMs);
    this.#lists = new TtlCache(cacheTtlMs);
  }

  async user(local: string): Promise<SlackUser | undefined> {
    const user = await this.#users.get(local, async () => {
      try {
        return ((await this.#client.users.info({ user: local })).user as SlackUser | undefined) ?? null;
      } catch (error) {
        if (slackError(error) === 'user_not_found') return null;
        throw lookupError(error);
      }
    });
    return user ?? undefined;
  }

  async allUsers(): Promise<SlackUser[]> {
    return (await this.#list('users.list', 'members')) as SlackUser[];
  }

  async usergroup(id: string): Promise<SlackUsergroup | undefined> {
    return ((await this.#list('usergroups.list', 'usergroups')) as SlackUsergroup[]).find((g) => g.id === id);
  }

  /**
   * The channel, or undefined when it does not exist or the bot cannot see it. A direct message (D…) is known
   * without asking; a group DM answers `missing_scope` (kickbot does not ask for `mpim:read`), so that is one too.
   */
  async channel(id: string): Promise<SlackChannel | undefined> {
    if (id.startsWith('D')) return { id, is_im: true };
    try {
      return (await this.#client.conversations.info({ channel: id })).channel as SlackChannel;
    } catch (error) {
      const code = slackError(error);
      if (code === 'channel_not_found') return undefined;
      if (code === 'missing_scope') return { id, is_mpim: true };
      throw lookupError(error);
    }
  }

  /** A channel id for a name the bot can see, or `#name` (which no channel has: rule 1 answers room-not-found). */
  async channelByName(name: string): Promise<string> {
    const channels = (await this.#list('conversations.list', 'channels', {
      types: 'public_channel,private_channel',
      exclude_archived: true,
    })) as SlackChannel[];
    return channels.find((c) => c.name === name.toLowerCase())?.id ?? `#${name}`;
  }

  async channelMembers(channel: string): Promise<string[]> {
    const members: string[] = [];
    try {
      for await (const page of this.#client.paginate('conversations.members', { channel, limit: 1000 })) {
        members.push(...((page as { members?: string[] }).members ?? []));
      }
    } catch (error) {
      if (slackError(error) === 'channel_not_found') return [];
      throw lookupError(error);
    }
    return members;
  }

  /**
   * The channels (public and private, archived included) the user is in that the bot can see, a page of Slack's
   * `users.conversations` at a time; none for a user Slack does not know. Not cached: removals change it.
   */
  async *userChannels(user: string): AsyncIterable<SlackChannel[]> {
    try {
      const pages = this.#client.paginate('users.conversations', {
        user,
        types: 'public_channel,private_channel',
        limit: 200,
      });
      for await (const page of pages) {
        const channels = (page as { channels?: SlackChannel[] }).channels ?? [];
        if (channels.length > 0) yield channels;
      }
    } catch (error) {
      if (slackError(error) === 'user_not_found') return;
      throw lookupError(error);
    }
  }

  /**
   * The user groups (enabled ones) that list the user: one `usergroups.list` with every group's members
   * (`include_users`), kept only for that user. Not cached: removals change it.
   */
  async groupsOf(user: string): Promise<SlackUsergroup[]> {
    try {
      const { usergroups } = await this.#client.usergroups.list({
        include_users: true,
        include_disabled: false,
      });
      return ((usergroups ?? []) as SlackUsergroup[]).filter((g) => g.users?.includes(user));
    } catch (error) {
      if (NO_USERGROUPS.has(slackError(error) ?? '')) return [];
      throw lookupError(error);
    }
  }

  async groupMembers(usergroup: string): Promise<string[] | undefined> {
    try {
      return ((await this.#client.usergroups.users.list({ usergroup })).users as string[] | undefined) ?? [];
    } catch (error) {
      if (slackError(error) === 'no_such_subteam') return undefined;
      throw lookupError(error);
    }
  }

  /** A whole paginated list, cached for a short while (`users.list`, `conversations.list`, `usergroups.list`). */
  #list(
    method: 'users.list' | 'conversations.list' | 'usergroups.list',
    key: string,
    args: Record<string, unknown> = {},
  ) {
    return this.#lists.get(`${method} ${JSON.stringify(args)}`, async () => {
      try {
        if (method === 'usergroups.list') {
          return (
            ((await this.#client.usergroups.list({ include_disabled: false })).usergroups as unknown[]) ?? []
          );
        }
        const items: unknown[] = [];
        for await (const page of this.#client.paginate(method, { ...args, limit: 200 })) {
          items.push(...((page as unknown as Record<string, unknown[] | undefined>)[key] ?? []));
        }
        return items;
      } catch (error) {
        throw lookupError(error);
      }
    });
  }
}
