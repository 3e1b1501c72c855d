import type { Id } from '../ids.js';
import type { AreaInfo, Resolved, Scope, UserInfo } from './facts.js';

/**
 * What a system people type commands in knows (Slack, Discord, the console): who and where a moderator means,
 * its areas, how it writes ids, and how to post in its rooms. The systems kickbot only reaches (the seed
 * systems) have no directory.
 */
export interface Directory {
  /** The id prefix of the platform (`slack`, `discord`, `console`). */
  readonly platform: string;
  /** The bot's own user id in this workspace, if it has one. */
  bot(scope: Scope): Promise<Id | undefined>;
  /** `@bob`, `<@U123|bob>`, a user group… to user ids (a group gives many). */
  resolveUsers(ref: string, scope: Scope): Promise<Resolved<Id[]>>;
  /** `#general`, `<#C123|general>` to a room id; an unknown room still resolves (rule 1 answers for it). */
  resolveRoom(ref: string, scope: Scope): Promise<Resolved<Id>>;
  area(name: string, scope: Scope): Promise<AreaInfo | undefined>;
  areas(scope: Scope): Promise<string[]>;
  /** What the platform knows of these users; an unknown id is left out. */
  users(ids: readonly Id[]): Promise<Map<Id, UserInfo>>;
  /** How the platform writes an id in a message without looking anything up (`<@U1>`, `#general`). */
  label(id: Id, kind: 'user' | 'room'): string;
  /** How a moderator types this id in a command on this platform (`<@U1>`, `@bob`, `#general`). */
  mention(id: Id, kind: 'user' | 'room'): string;
  /**
   * The id of the person a config identity link names on this platform (`U024BE7LH` → `slack:T1/U024BE7LH`), when
   * the platform serves one workspace (Slack: the team of its token, from `auth.test`); undefined when it cannot tell.
   */
  personId?(key: string): Promise<Id | undefined>;
  /** The user with this email address (the console workspace's `email:`, Slack `users.lookupByEmail`), if any. */
  findByEmail?(email: string): Promise<Id | undefined>;
  /** A confirmation in one of its rooms (or the mod-log channel). */
  notice(room: Id, text: string): Promise<void>;
  /**
   * A direct message to a user, sent before their removal (Slack `chat.postMessage` to the user, a Discord DM
   * channel, the console's `DM to bob: …`). Throws a `ConnectorError` whose code says why it failed (closed DMs).
   */
  dm?(user: Id, text: string): Promise<void>;
  /** A message to the workspace's mod-log channel only (removals made by hand, rejoins); false when none is set. */
  modLog?(workspace: Id, text: string): Promise<boolean>;
}
