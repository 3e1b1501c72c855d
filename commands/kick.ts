import { z } from 'zod';
import { defineCommand } from '../src/core/index.js';
import { MAX_REASON, mentionsIn, Reason, RoomRefs, readLeading, str, UserRefs } from './syntax.js';

const KickArgs = z.object({ users: UserRefs, rooms: RoomRefs, reason: Reason, yes: z.boolean() });

export default defineCommand({
  name: 'kick',
  description: 'Remove users from rooms (no room = this room)',
  usage: '/kick @user [@user…] [#room…] [reason…] [--yes]',
  hint: '@user [@user…] [#room…] [reason]',
  permission: 'remove-user',
  visibleTo: 'kick',
  args: KickArgs,
  options: [
    { name: 'user', description: 'Who to remove', type: 'user', required: true },
    { name: 'channel', description: 'Where from (default: this channel)', type: 'channel' },
    {
      name: 'reason',
      description: 'Why (shown in the channel and the audit log)',
      type: 'string',
      maxLength: MAX_REASON,
    },
    { name: 'more', description: 'More @users and #channels for a batch', type: 'string', maxLength: 6000 },
  ],
  fromOptions(o) {
    const more = mentionsIn(str(o.more) ?? '', 'more', ['user', 'room']);
    const channel = str(o.channel);
    const reason = str(o.reason);
    return {
      users: [...(str(o.user) ? [str(o.user) as string] : []), ...more.users],
      rooms: [...(channel ? [channel] : []), ...more.rooms],
      ...(reason ? { reason } : {}),
      yes: false,
    };
  },
  fromRefs(refs) {
    return {
      users: refs.users,
      rooms: refs.rooms,
      ...(refs.reason ? { reason: refs.reason } : {}),
      yes: false,
    };
  },
  fromText(tokens, text) {
    const { users, rooms, flags, reason } = readLeading(tokens, text, ['yes']);
    return { users, rooms, ...(reason ? { reason } : {}), yes: flags.has('yes') };
  },
  request(args) {
    return {
      kind: 'remove',
      batches: [{ users: args.users, rooms: args.rooms, ...(args.reason ? { reason: args.reason } : {}) }],
      yes: args.yes,
    };
  },
});
