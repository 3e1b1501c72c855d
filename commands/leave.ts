import { z } from 'zod';
import { defineCommand, UsageError } from '../src/core/index.js';
import { mention, str } from './syntax.js';

export default defineCommand({
  name: 'leave',
  description: 'Leave a room yourself (no room = this room)',
  usage: '/leave [#room]',
  hint: '[#room]',
  permission: 'leave-room',
  visibleTo: 'everyone',
  args: z.object({ room: z.string().optional() }),
  options: [{ name: 'channel', description: 'Which channel (default: this one)', type: 'channel' }],
  fromOptions(o) {
    const room = str(o.channel);
    return room ? { room } : {};
  },
  fromText(tokens) {
    const [first, ...rest] = tokens;
    if (!first) return {};
    if (first.kind !== 'room' || rest.length > 0) {
      throw new UsageError(
        `/leave takes at most one #room (found "${(first.kind === 'room' ? rest[0] : first)?.raw}")`,
      );
    }
    return { room: mention(first.raw, 'room') };
  },
  request(args) {
    return { kind: 'leave', room: args.room };
  },
});
