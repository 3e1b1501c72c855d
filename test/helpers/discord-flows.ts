import { vi } from 'vitest';
import type { AuditRecord } from '../../src/core/index.js';
import {
  type CommandOption,
  type FakeDiscord,
  type FakeInteraction,
  perms,
  type RecordedCall,
} from '../fakes/discord/FakeDiscord.js';
import { D, type DiscordRig } from './discord-rig.js';

/** Shared pieces of the Discord front-end tests (HTTP interactions mode and gateway mode). */

export const ORIGINAL = '/webhooks/:application/:token/messages/@original';
const CALLBACK = '/interactions/:interaction/:token/callback';
export const OVERWRITE = '/channels/:channel/permissions/:overwrite';
export const THREAD_MEMBER = '/channels/:channel/thread-members/:user';
export const MEMBER_ROLE = '/guilds/:guild/members/:user/roles/:role';
export const MEMBER = '/guilds/:guild/members/:user';
export const MESSAGES = '/channels/:channel/messages';

/** Option types of a chat-input command (Discord's numbers). */
export const OPT = { subcommand: 1, string: 3, integer: 4, user: 6, channel: 7 } as const;

export const VIEW = 1n << 10n;
export const CONNECT = 1n << 20n;

/** What kickbot sends when it edits a reply (`PATCH …/@original`). */
export interface EditBody {
  content: string;
  embeds: { title?: string; description?: string; color?: number; footer?: { text: string } }[];
  components: { type: number; components: { type: number; custom_id: string; label: string }[] }[];
  allowed_mentions?: { parse?: string[]; users?: string[] };
}

/** `/kick` as carol (a moderator) would type it, from #private unless `from` says otherwise. */
export function kick(
  fake: FakeDiscord,
  o: {
    user: string;
    channel?: string;
    reason?: string;
    more?: string;
    by?: string;
    from?: string;
    id?: string;
  },
): FakeInteraction {
  const options: CommandOption[] = [{ name: 'user', type: OPT.user, value: o.user }];
  if (o.channel) options.push({ name: 'channel', type: OPT.channel, value: o.channel });
  if (o.reason) options.push({ name: 'reason', type: OPT.string, value: o.reason });
  if (o.more) options.push({ name: 'more', type: OPT.string, value: o.more });
  return fake.commandInteraction({
    name: 'kick',
    user: o.by ?? D.users.carol,
    channel: o.from ?? D.channels.private,
    options,
    ...(o.id ? { id: o.id } : {}),
  });
}

/** `/remove-area area:… users:…`. */
export function removeArea(
  fake: FakeDiscord,
  o: { area: string; users: string; reason?: string; by?: string },
): FakeInteraction {
  return fake.commandInteraction({
    name: 'remove-area',
    user: o.by ?? D.users.carol,
    channel: D.channels.private,
    options: [
      { name: 'area', type: OPT.string, value: o.area },
      { name: 'users', type: OPT.string, value: o.users },
      ...(o.reason ? [{ name: 'reason', type: OPT.string, value: o.reason }] : []),
    ],
  });
}

/** `/kickbot <sub> …`. */
export function kickbot(
  fake: FakeDiscord,
  sub: 'help' | 'undo' | 'cases' | 'case' | 'note' | 'reason' | 'cancel',
  options: CommandOption[] = [],
  by: string = D.users.carol,
): FakeInteraction {
  return fake.commandInteraction({
    name: 'kickbot',
    user: by,
    channel: D.channels.private,
    options: [{ name: sub, type: OPT.subcommand, ...(options.length ? { options } : {}) }],
  });
}

export const undoCase = (fake: FakeDiscord, caseId: number) =>
  kickbot(fake, 'undo', [{ name: 'case', type: OPT.integer, value: caseId }]);

/** Every REST call kickbot made (the rig's forwarding of HTTP answers to the callback route left out). */
export const kickbotCalls = (fake: FakeDiscord): RecordedCall[] =>
  fake.calls.filter((c) => c.route !== CALLBACK);

/** Calls that change something in the guild: not reads, not the interaction's own reply. */
export const guildWrites = (fake: FakeDiscord): RecordedCall[] =>
  fake.calls.filter((c) => c.method !== 'GET' && c.route !== CALLBACK && !c.path.startsWith('/webhooks/'));

/** Edits of an interaction's reply, in order. */
export const editsOf = (fake: FakeDiscord, interaction: FakeInteraction): RecordedCall[] =>
  fake.callsTo('PATCH', (c) => c.route === ORIGINAL && c.params.token === interaction.token);

/**
 * The first edit of the interaction's reply that `match` accepts. The body is what kickbot sent: over HTTP the
 * rig tells the fake about kickbot's inline answer only after receiving it, so an edit that needs no lookup at
 * all can reach the fake first and be refused there (10008); what kickbot sent is the same either way.
 */
export async function edit(
  fake: FakeDiscord,
  interaction: FakeInteraction,
  match: (body: EditBody) => boolean = () => true,
  timeoutMs = 3000,
): Promise<EditBody> {
  const call = await fake.waitFor(
    () => editsOf(fake, interaction).find((c) => match(c.body as EditBody)),
    timeoutMs,
    `an edit of the reply to ${interaction.id}`,
  );
  return call.body as EditBody;
}

/** The final answer of a command: an edit that is not a progress report. */
export const result = (fake: FakeDiscord, interaction: FakeInteraction, timeoutMs?: number) =>
  edit(fake, interaction, (b) => !/^Removed [\d,]+ of [\d,]+ \(/.test(b.content), timeoutMs);

/** The embed's description and the content, as one text to search. */
export const textOf = (b: EditBody) => [b.content, ...b.embeds.map((e) => e.description ?? '')].join('\n');

/** The audit records of a case, oldest first, as (room, user, outcome, code) with local ids. */
export async function caseRows(
  rig: DiscordRig,
  caseId: number,
): Promise<{ room: string; user: string; outcome: string; code?: string }[]> {
  const records: AuditRecord[] = await rig.store.readAudit({ workspace: `discord:${D.guildId}`, caseId });
  const local = (id: string) => id.slice(id.indexOf('/') + 1);
  return records
    .slice()
    .reverse()
    .map((r) => ({
      room: local(r.room),
      user: local(r.target),
      outcome: r.outcome,
      ...(r.code ? { code: r.code } : {}),
    }));
}

/** Whether the user can see the channel in the fake's model (Discord's own arithmetic). */
export const sees = (fake: FakeDiscord, channel: string, user: string): boolean =>
  (fake.channelPermissions(channel, user) & VIEW) !== 0n;

/** The default voice channel made private: hidden from @everyone, open to Member and the bot's role. */
export function privateVoice(fake: FakeDiscord): void {
  const voice = fake.guild(D.guildId)?.channels.get(D.channels.voice);
  if (!voice) throw new Error('no voice channel in the fake');
  voice.permission_overwrites = [
    { id: D.roles.everyone, type: 0, allow: '0', deny: perms('ViewChannel') },
    { id: D.roles.member, type: 0, allow: perms('ViewChannel', 'Connect'), deny: '0' },
    { id: D.roles.kickbot, type: 0, allow: perms('ViewChannel', 'Connect'), deny: '0' },
  ];
}

/** Adds `count` members with the Member role (they see #private); their ids, in order. */
export function addMembers(fake: FakeDiscord, count: number, roles: string[] = [D.roles.member]): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `13000000000000010${String(i).padStart(2, '0')}`;
    fake.addMember(D.guildId, { user: { id, username: `member${i}` }, roles: [...roles] });
    ids.push(id);
  }
  return ids;
}

/** Sets a role's permissions in the fake (before kickbot first reads the guild; it keeps it 30 s). */
export function setRolePermissions(fake: FakeDiscord, role: string, permissions: string): void {
  const r = fake.guild(D.guildId)?.roles.get(role);
  if (!r) throw new Error(`no role ${role}`);
  r.permissions = permissions;
}

export const mentions = (ids: readonly string[]) => ids.map((id) => `<@${id}>`).join(' ');

/**
 * `Date.now()` under the test's control: `advance(ms)` moves it, and everything that reads it (flow.ts, the
 * store, the fake's token lifetime; kickbot's caches too when this is called before the rig is built), without
 * waiting. Undone by `vi.restoreAllMocks()`.
 */
export function controlledNow(): { advance(ms: number): void } {
  const real = Date.now.bind(Date);
  let offset = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
  return {
    advance(ms) {
      offset += ms;
    },
  };
}
