import { z } from 'zod';
import { defineCommand, UsageError } from '../src/core/index.js';
import {
  DM_OPTION,
  flagOptions,
  MAX_REASON,
  mentionsIn,
  REMOVAL_FLAGS,
  Reason,
  readLeading,
  refFlags,
  removalFlags,
  str,
  UserRefs,
  VALUED_FLAGS,
} from './syntax.js';

const OffboardArgs = z.object({
  users: UserRefs,
  reason: Reason,
  yes: z.boolean(),
  dm: z.boolean().optional(),
});

export default defineCommand({
  name: 'offboard',
  description: 'Remove users from everything kickbot reaches (shows the plan first)',
  usage: '/offboard @user [@user…] [reason…] [--dm|--no-dm] [--yes]',
  hint: '@user [@user…] [reason]',
  permission: 'offboard-user',
  visibleTo: 'kick',
  args: OffboardArgs,
  options: [
    { name: 'user', description: 'Who to take out of everything', type: 'user', required: true },
    {
      name: 'reason',
      description: 'Why (shown in the case and the mod-log)',
      type: 'string',
      maxLength: MAX_REASON,
    },
    { name: 'more', description: 'More @users for a batch', type: 'string', maxLength: 6000 },
    DM_OPTION,
  ],
  fromOptions(o) {
    const more = mentionsIn(str(o.more) ?? '', 'more', ['user']);
    const reason = str(o.reason);
    return {
      users: [...(str(o.user) ? [str(o.user) as string] : []), ...more.users],
      ...(reason ? { reason } : {}),
      yes: false,
      ...flagOptions(o, false),
    };
  },
  fromRefs(refs) {
    if (refs.rooms.length > 0 || refs.area !== undefined)
      throw new UsageError('/offboard takes users only: it reaches every room by itself');
    return {
      users: refs.users,
      ...(refs.reason ? { reason: refs.reason } : {}),
      yes: false,
      ...refFlags(refs, false),
    };
  },
  fromText(tokens, text) {
    const leading = readLeading(tokens, text, REMOVAL_FLAGS, VALUED_FLAGS);
    const { users, rooms, flags, reason } = leading;
    if (rooms.length > 0) {
      throw new UsageError(
        `/offboard takes no rooms (found ${rooms.join(', ')}): it reaches every room by itself; use /kick for some rooms`,
      );
    }
    return { users, ...(reason ? { reason } : {}), yes: flags.has('yes'), ...removalFlags(leading, false) };
  },
  request(args) {
    return {
      kind: 'offboard',
      users: args.users,
      ...(args.reason ? { reason: args.reason } : {}),
      yes: args.yes,
      ...(args.dm !== undefined ? { dm: args.dm } : {}),
    };
  },
});
