import { z } from 'zod';
import { defineCommand, UsageError } from '../src/core/index.js';
import { batches, MAX_REASON, mentionsIn, Reason, readLeading, str, UserRefs } from './syntax.js';

const AreaName = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'an area name is letters, digits, ".", "_" and "-" (at most 64)');

const RemoveAreaArgs = z.object({
  batches: z
    .array(z.object({ area: AreaName, users: UserRefs, reason: Reason }))
    .min(1, 'name an area and at least one user, e.g. /remove-area payments @bob'),
  yes: z.boolean(),
});

export default defineCommand({
  name: 'remove-area',
  description: "Remove users from every room of an area and from the area's group",
  usage: '/remove-area <area> @user [@user…] [reason…] [; <area> @user…] [--yes]',
  hint: '<area> @user [@user…] [reason] [; <area> @user…]',
  permission: 'remove-area-user',
  visibleTo: 'manage-roles',
  args: RemoveAreaArgs,
  options: [
    {
      name: 'area',
      description: 'The area',
      type: 'string',
      required: true,
      autocomplete: 'areas',
      maxLength: 64,
    },
    {
      name: 'users',
      description: 'The @users to remove from it',
      type: 'string',
      required: true,
      maxLength: 6000,
    },
    {
      name: 'reason',
      description: 'Why (shown in the channels and the audit log)',
      type: 'string',
      maxLength: MAX_REASON,
    },
  ],
  fromOptions(o) {
    const reason = str(o.reason);
    const batch = { area: str(o.area) ?? '', users: mentionsIn(str(o.users) ?? '', 'users', ['user']).users };
    return { batches: [{ ...batch, ...(reason ? { reason } : {}) }], yes: false };
  },
  fromRefs(refs) {
    const reason = refs.reason ? { reason: refs.reason } : {};
    return { batches: [{ area: refs.area ?? '', users: refs.users, ...reason }], yes: false };
  },
  fromText(tokens, text) {
    let yes = false;
    const parsed = batches(tokens).map(([head, ...rest]) => {
      if (head?.kind !== 'word') {
        throw new UsageError(
          `start each batch with an area name, e.g. /remove-area payments @bob (found "${head?.raw}")`,
        );
      }
      const { users, rooms, flags, reason } = readLeading(rest, text, ['yes']);
      if (rooms.length > 0)
        throw new UsageError(`an area brings its own rooms; to remove from ${rooms[0]} use /kick`);
      if (flags.has('yes')) yes = true;
      return { area: head.raw, users, reason };
    });
    // A batch without a reason takes the reason of the last batch that gives one.
    const lastReason = parsed.findLast((b) => b.reason)?.reason;
    return {
      batches: parsed.map((b) => ({
        area: b.area,
        users: b.users,
        ...((b.reason ?? lastReason) ? { reason: b.reason ?? lastReason } : {}),
      })),
      yes,
    };
  },
  request(args) {
    return {
      kind: 'remove',
      batches: args.batches.map((b) => ({
        area: b.area,
        users: b.users,
        rooms: [],
        ...(b.reason ? { reason: b.reason } : {}),
      })),
      yes: args.yes,
    };
  },
});
