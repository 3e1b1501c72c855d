import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { Reason, RoomRefs, readLeading, removalsFit, tooManyRemovals, UserRefs } from './syntax.js';

const KickArgs = z
  .object({ users: UserRefs, rooms: RoomRefs, reason: Reason, yes: z.boolean() })
  .refine((a) => removalsFit(a.users.length * Math.max(a.rooms.length, 1)), {
    error: (issue) => {
      const a = issue.input as { users: unknown[]; rooms: unknown[] };
      return tooManyRemovals(a.users.length * Math.max(a.rooms.length, 1));
    },
  });

export default defineCommand({
  name: 'kick',
  description: 'Remove users from rooms (no room = this room)',
  usage: '/kick @user [@user…] [#room…] [reason…] [--yes]',
  hint: '@user [@user…] [#room…] [reason]',
  permission: 'remove-user',
  args: KickArgs,
  fromText(tokens, text) {
    const { users, rooms, flags, reason } = readLeading(tokens, text, ['yes']);
    return { users, rooms, ...(reason ? { reason } : {}), yes: flags.has('yes') };
  },
  run(args, ctx) {
    return ctx.remove({
      batches: [{ users: args.users, rooms: args.rooms, ...(args.reason ? { reason: args.reason } : {}) }],
      yes: args.yes,
    });
  },
});
