import { z } from 'zod';
import { defineCommand, UsageError } from '../src/core/index.js';
import { mention, str } from './syntax.js';

const KickbotArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('help') }),
  z.object({
    sub: z.literal('undo'),
    caseId: z.number().int('a case number is a whole number').positive('case numbers start at 1'),
  }),
  z.object({
    sub: z.literal('cases'),
    user: z.string().optional(),
    page: z.number().int('a page number is a whole number').positive('pages start at 1').optional(),
  }),
  z.object({
    sub: z.literal('cancel'),
    caseId: z.number().int('a case number is a whole number').positive('case numbers start at 1'),
  }),
]);

const SUBCOMMANDS = ['help', 'undo', 'cases'];

export default defineCommand({
  name: 'kickbot',
  description: 'Help, undo a case, list recent cases',
  usage: '/kickbot help | undo <case> | cases [@user] [page N]',
  hint: 'help | undo <case> | cases [@user] [page N]',
  permission: 'leave-room',
  visibleTo: 'everyone',
  args: KickbotArgs,
  options: [
    { name: 'help', description: 'What kickbot can do', type: 'subcommand' },
    {
      name: 'undo',
      description: 'Re-add the people a case removed',
      type: 'subcommand',
      options: [
        { name: 'case', description: 'The case number', type: 'integer', required: true, minValue: 1 },
      ],
    },
    {
      name: 'cases',
      description: 'The latest cases',
      type: 'subcommand',
      options: [
        { name: 'user', description: 'Only cases about this user', type: 'user' },
        { name: 'page', description: 'Older cases: page 2, 3…', type: 'integer', minValue: 1 },
      ],
    },
  ],
  fromOptions(o) {
    const sub = str(o.subcommand) ?? 'help';
    if (sub === 'undo') return { sub, caseId: Number(o.case) };
    if (sub === 'cases')
      return {
        sub,
        ...(str(o.user) ? { user: str(o.user) } : {}),
        ...(o.page !== undefined ? { page: Number(o.page) } : {}),
      };
    return { sub };
  },
  fromText(tokens) {
    const [sub, ...rest] = tokens;
    const name = sub?.raw.toLowerCase() ?? 'help';
    const extra = (allowed: number) => {
      const surplus = rest[allowed];
      if (surplus) throw new UsageError(`unexpected "${surplus.raw}" after /kickbot ${name}`);
    };
    if (name === 'help') {
      extra(0);
      return { sub: 'help' };
    }
    if (name === 'undo' || name === 'cancel') {
      extra(1);
      const raw = rest[0]?.raw.replace(/^#/, '');
      if (!raw) throw new UsageError(`${name} needs a case number, e.g. /kickbot ${name} 12`);
      if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`"${rest[0]?.raw}" is not a case number`);
      return { sub: name, caseId: Number(raw) };
    }
    if (name === 'cases') {
      const user = rest[0]?.kind === 'user' ? rest[0] : undefined;
      const after = rest.slice(user ? 1 : 0);
      let page: number | undefined;
      if (after[0]?.raw.toLowerCase() === 'page') {
        const raw = after[1]?.raw;
        if (!raw) throw new UsageError('page needs a number, e.g. /kickbot cases page 2');
        if (!/^\d{1,6}$/.test(raw)) throw new UsageError(`"${raw}" is not a page number`);
        page = Number(raw);
        after.splice(0, 2);
      }
      const surplus = after[0];
      if (surplus && surplus === rest[0]) {
        throw new UsageError(`cases takes an @user or page N, not "${surplus.raw}"`);
      }
      if (surplus) throw new UsageError(`unexpected "${surplus.raw}" after /kickbot cases`);
      return {
        sub: 'cases',
        ...(user ? { user: mention(user.raw, 'user') } : {}),
        ...(page !== undefined ? { page } : {}),
      };
    }
    throw new UsageError(`unknown subcommand "${sub?.raw}" (known: ${SUBCOMMANDS.join(', ')})`);
  },
  request(args, commands) {
    if (args.sub === 'undo') return { kind: 'undo', caseId: args.caseId };
    if (args.sub === 'cancel') return { kind: 'cancel', caseId: args.caseId };
    if (args.sub === 'cases') return { kind: 'cases', user: args.user, page: args.page };
    const lines = commands.map((c) => `${c.usage}\n    ${c.description}`);
    return {
      kind: 'reply',
      reply: {
        kind: 'info',
        message: [
          'kickbot commands:',
          ...lines,
          'Batches over the confirmation threshold ask before they run; every action gets a case number.',
        ].join('\n'),
      },
    };
  },
});
