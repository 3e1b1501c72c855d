import { z } from 'zod';
import { defineCommand } from '../src/core/index.js';
import {
  DM_OPTION,
  FlagArgs,
  FOR_OPTION,
  flagOptions,
  flagsOf,
  MAX_REASON,
  mentionsIn,
  REMOVAL_FLAGS,
  Reason,
  RoomRefs,
  readLeading,
  refFlags,
  removalFlags,
  str,
  UserRefs,
  VALUED_FLAGS,
} from './syntax.js';

const KickArgs = z.object({
  users: UserRefs,
  rooms: RoomRefs,
  reason: Reason,
  yes: z.boolean(),
  ...FlagArgs,
});

export default defineCommand({
  name: 'kick',
  description: 'Remove users from rooms (no room = this room)',
  usage: '/kick @user [@user…] [#room…] [reason…] [--for 2h] [--dm|--no-dm] [--yes]',
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
    FOR_OPTION,
    DM_OPTION,
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
      ...flagOptions(o),
    };
  },
  fromRefs(refs) {
    return {
      users: refs.users,
      rooms: refs.rooms,
      ...(refs.reason ? { reason: refs.reason } : {}),
      yes: false,
      ...refFlags(refs),
    };
  },
  fromText(tokens, text) {
    const leading = readLeading(tokens, text, REMOVAL_FLAGS, VALUED_FLAGS);
    const { users, rooms, flags, reason } = leading;
    return { users, rooms, ...(reason ? { reason } : {}), yes: flags.has('yes'), ...removalFlags(leading) };
  },
  request(args) {
    return {
      kind: 'remove',
      batches: [{ users: args.users, rooms: args.rooms, ...(args.reason ? { reason: args.reason } : {}) }],
      yes: args.yes,
      ...flagsOf(args),
    };
  },
});
