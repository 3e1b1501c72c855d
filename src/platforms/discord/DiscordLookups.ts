import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIOverwrite,
  type APIThreadChannel,
  type APIUser,
  type APIVoiceState,
  OverwriteType,
  type RESTGetAPICurrentUserGuildsResult,
  Routes,
} from 'discord-api-types/v10';
import { TtlCache } from '../ttl-cache.js';
import { retryable } from './answers.js';
import { bits, type GuildFacts } from './permissions.js';

/** Discord's JSON error codes kickbot reads (docs: "JSON Error Codes"). */
export const UNKNOWN_CHANNEL = 10003;
export const UNKNOWN_MEMBER = 10007;
export const UNKNOWN_ROLE = 10011;
export const UNKNOWN_USER = 10013;
export const UNKNOWN_VOICE_STATE = 10065;
export const MISSING_ACCESS = 50001;

/** More users than this in one command: read the member list once instead of one lookup each. */
export const MEMBER_LOOKUPS_MAX = 20;

/** How stale a channel may be when kickbot rewrites a member's overwrite from it. */
const FRESH_MS = 5_000;

const codeOf = (error: unknown) => (error instanceof DiscordAPIError ? error.code : undefined);

/** A lookup that answers undefined for "unknown …" errors, and a retryable ConnectorError when Discord is away. */
async function orMissing<T>(call: () => Promise<T>, ...missing: number[]): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const code = codeOf(error);
    if (code !== undefined && missing.includes(Number(code))) return undefined;
    throw retryable(error) ?? error;
  }
}

/**
 * What Discord knows about a guild, its channels and members, read through REST (so the same in gateway and
 * HTTP-interactions mode) and kept for a short while, so that one command asks about each thing once.
 */
export class DiscordLookups {
  readonly #rest: REST;
  readonly #cache: TtlCache<unknown>;
  /** Channels as they are now, give or take a few seconds: what an overwrite is rewritten from. */
  readonly #fresh: TtlCache<APIChannel | undefined>;

  constructor(rest: REST, cacheTtlMs: number) {
    this.#rest = rest;
    this.#cache = new TtlCache(cacheTtlMs);
    this.#fresh = new TtlCache(FRESH_MS);
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.#cache.get(key, load) as Promise<T>;
  }

  async me(): Promise<APIUser> {
    return this.#cached('me', () =>
      orMissing(() => this.#rest.get(Routes.user('@me')) as Promise<APIUser>),
    ) as Promise<APIUser>;
  }

  async guild(id: string): Promise<GuildFacts | undefined> {
    return this.#cached(`guild ${id}`, async () => {
      const guild = await orMissing(() => this.#rest.get(Routes.guild(id)) as Promise<APIGuild>, 10004);
      if (!guild) return undefined;
      return {
        id: guild.id,
        ownerId: guild.owner_id,
        name: guild.name,
        roles: new Map(
          guild.roles.map((r) => [
            r.id,
            { position: r.position, permissions: bits(r.permissions), name: r.name, managed: r.managed },
          ]),
        ),
      };
    });
  }

  /**
   * The one guild the bot is in, or undefined when it is in none or several (then a bare user id names no one for
   * sure). One page of two is enough to tell.
   */
  async soleGuild(): Promise<string | undefined> {
    return this.#cached('sole guild', async () => {
      const guilds = await orMissing(
        () =>
          this.#rest.get(Routes.userGuilds(), {
            query: new URLSearchParams({ limit: '2' }),
          }) as Promise<RESTGetAPICurrentUserGuildsResult>,
      );
      return guilds?.length === 1 ? guilds[0]?.id : undefined;
    });
  }

  /** A channel or thread of the guild, or undefined when there is none the bot can see. */
  async channel(guild: string, id: string): Promise<APIChannel | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    const channel = await this.#cached(`channel ${id}`, () =>
      orMissing(
        () => this.#rest.get(Routes.channel(id)) as Promise<APIChannel>,
        UNKNOWN_CHANNEL,
        MISSING_ACCESS,
      ),
    );
    return channel && 'guild_id' in channel && channel.guild_id === guild ? channel : undefined;
  }

  /** The channel read again unless it was read (or changed by kickbot) in the last few seconds. */
  async freshChannel(guild: string, id: string): Promise<APIChannel | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    const channel = await this.#fresh.get(id, async () => {
      this.#cache.delete(`channel ${id}`);
      return this.channel(guild, id);
    });
    return channel && 'guild_id' in channel && channel.guild_id === guild ? channel : undefined;
  }

  async channels(guild: string): Promise<APIChannel[]> {
    return this.#cached(
      `channels ${guild}`,
      async () =>
        (await orMissing(() => this.#rest.get(Routes.guildChannels(guild)) as Promise<APIChannel[]>)) ?? [],
    );
  }

  async member(guild: string, user: string): Promise<APIGuildMember | undefined> {
    // A member list read moments ago already knows them: no request of Discord's 50 a second spent on it.
    const listed = (await this.#cache.peek(`members ${guild}`)?.catch(() => undefined)) as
      | APIGuildMember[]
      | undefined;
    if (listed) return listed.find((m) => m.user?.id === user);
    return this.#cached(`member ${guild} ${user}`, () =>
      orMissing(
        () => this.#rest.get(Routes.guildMember(guild, user)) as Promise<APIGuildMember>,
        UNKNOWN_MEMBER,
        UNKNOWN_USER,
      ),
    );
  }

  /**
   * Every member of the guild, a page of 1,000 at a time; `undefined` when Discord refuses the list (50001:
   * the Server Members intent is off in the Developer Portal).
   */
  async members(guild: string): Promise<APIGuildMember[] | undefined> {
    return this.#cached(`members ${guild}`, async () => {
      const all: APIGuildMember[] = [];
      let after = '0';
      for (;;) {
        const page = await orMissing(
          () =>
            this.#rest.get(Routes.guildMembers(guild), {
              query: new URLSearchParams({ limit: '1000', after }),
            }) as Promise<APIGuildMember[]>,
          MISSING_ACCESS,
        );
        if (!page) return undefined;
        all.push(...page);
        const last = page.at(-1);
        if (page.length < 1000 || !last?.user) return all;
        after = last.user.id;
      }
    });
  }

  /**
   * How to look up `count` members: one by one for a few, from the member list (read once) for many — or one
   * by one after all when the list is refused.
   */
  async lookup(guild: string, count: number): Promise<(user: string) => Promise<APIGuildMember | undefined>> {
    const list = count > MEMBER_LOOKUPS_MAX ? await this.members(guild) : undefined;
    if (!list) return (user) => this.member(guild, user);
    const byId = new Map(list.map((m) => [m.user?.id ?? '', m]));
    return async (user) => byId.get(user);
  }

  /** Whether the user is in the thread (not cached: it changes with every removal). */
  async inThread(thread: APIThreadChannel, user: string): Promise<boolean> {
    const member = await orMissing(
      () => this.#rest.get(Routes.threadMembers(thread.id, user)),
      UNKNOWN_MEMBER,
      10008,
    );
    return member !== undefined;
  }

  async voiceState(guild: string, user: string): Promise<APIVoiceState | undefined> {
    return orMissing(
      () => this.#rest.get(`/guilds/${guild}/voice-states/${user}`) as Promise<APIVoiceState>,
      UNKNOWN_VOICE_STATE,
      UNKNOWN_MEMBER,
    );
  }

  /**
   * Records a member overwrite kickbot itself just set (or deleted) in the cached channel, so that the next
   * removal in that channel needs no new read: each removal then costs one request of Discord's 50 a second.
   */
  async noteOverwrite(channel: string, user: string, overwrite: APIOverwrite | undefined): Promise<void> {
    const cached = (await this.#cache.peek(`channel ${channel}`)?.catch(() => undefined)) as
      | APIChannel
      | undefined;
    if (!cached || !('permission_overwrites' in cached)) return;
    const others = (cached.permission_overwrites ?? []).filter(
      (o) => !(o.type === OverwriteType.Member && o.id === user),
    );
    cached.permission_overwrites = overwrite ? [...others, overwrite] : others;
  }

  /** Forgets what a change made stale. */
  forget(key: 'channel' | 'member', ...parts: string[]): void {
    this.#cache.delete(`${key} ${parts.join(' ')}`);
    if (key === 'channel') this.#fresh.delete(parts[0] ?? '');
    if (key === 'member') this.#cache.delete(`members ${parts[0]}`);
  }
}
