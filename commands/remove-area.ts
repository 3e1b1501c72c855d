import { z } from 'zod';
import { defineCommand, UsageError } from '../src/core/index.js';
import {
  batches,
  DM_OPTION,
  FlagArgs,
  FOR_OPTION,
  flagOptions,
  flagsOf,
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

const AreaName = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'an area name is letters, digits, ".", "_" and "-" (at most 64)');

const RemoveAreaArgs = z.object({
  batches: z
    .array(z.object({ area: AreaName, users: UserRefs, reason: Reason }))
    .min(1, 'name an area and at least one user, e.g. /remove-area payments @bob'),
  yes: z.boolean(),
  ...FlagArgs,
});

export default defineCommand({
  name: 'remove-area',
  description: "Remove users from every room of an area and from the area's group",
  usage: '/remove-area <area> @user [@user…] [reason…] [; <area> @user…] [--for 2h] [--dm|--no-dm] [--yes]',
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
    FOR_OPTION,
    DM_OPTION,
  ],
  fromOptions(o) {
    const reason = str(o.reason);
    const batch = { area: str(o.area) ?? '', users: mentionsIn(str(o.users) ?? '', 'users', ['user']).users };
    return { batches: [{ ...batch, ...(reason ? { reason } : {}) }], yes: false, ...flagOptions(o) };
  },
  fromRefs(refs) {
    const reason = refs.reason ? { reason: refs.reason } : {};
    return {
      batches: [{ area: refs.area ?? '', users: refs.users, ...reason }],
      yes: false,
      ...refFlags(refs),
    };
  },
  fromText(tokens, text) {
    let yes = false;
    // Flags hold for the whole command, in whichever batch they stand (once each).
    const flags = new Set<string>();
    const values = new Map<string, string>();
    const parsed = batches(tokens).map(([head, ...rest]) => {
      if (head?.kind !== 'word') {
        throw new UsageError(
          `start each batch with an area name, e.g. /remove-area payments @bob (found "${head?.raw}")`,
        );
      }
      const leading = readLeading(rest, text, REMOVAL_FLAGS, VALUED_FLAGS);
      const { users, rooms, reason } = leading;
      if (rooms.length > 0)
        throw new UsageError(`an area brings its own rooms; to remove from ${rooms[0]} use /kick`);
      for (const flag of leading.flags) {
        if (flags.has(flag) && leading.values.has(flag)) throw new UsageError(`--${flag} is given twice`);
        flags.add(flag);
      }
      for (const [k, v] of leading.values) values.set(k, v);
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
      ...removalFlags({ flags, values }),
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
      ...flagsOf(args),
    };
  },
});
