import { z } from 'zod';
import { controlIn, defineCommand, sinceProblem, type Token, UsageError } from '../src/core/index.js';
import { MAX_REASON, mention, str } from './syntax.js';

const fmt = (n: number) => n.toLocaleString('en');

const CaseId = z.number().int('a case number is a whole number').positive('case numbers start at 1');

/** A note's or a new reason's text: as a command's reason is checked (commands/syntax.ts `Reason`), but required. */
const caseText = (what: 'note' | 'reason') =>
  z
    .string()
    .trim()
    .min(1, `the ${what} is empty: write it after the case number`)
    .max(MAX_REASON, {
      error: (issue) =>
        `the ${what} is too long: ${fmt(String(issue.input).length)} characters (limit ${fmt(MAX_REASON)})`,
    })
    .refine((text) => controlIn(text) === undefined, {
      error: (issue) => `the ${what} contains a control character (${controlIn(String(issue.input))})`,
    });

const Since = z.string().refine((raw) => sinceProblem(raw) === undefined, {
  error: (issue) => sinceProblem(String(issue.input)) ?? 'bad since',
});

const KickbotArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('help') }),
  z.object({ sub: z.literal('undo'), caseId: CaseId }),
  z.object({
    sub: z.literal('cases'),
    user: z.string().optional(),
    by: z.string().optional(),
    since: Since.optional(),
    page: z.number().int('a page number is a whole number').positive('pages start at 1').optional(),
  }),
  z.object({ sub: z.literal('case'), caseId: CaseId }),
  z.object({ sub: z.literal('note'), caseId: CaseId, text: caseText('note') }),
  z.object({ sub: z.literal('reason'), caseId: CaseId, text: caseText('reason') }),
  z.object({ sub: z.literal('cancel'), caseId: CaseId }),
]);

type KickbotArgs = z.infer<typeof KickbotArgs>;

const SUBCOMMANDS = ['help', 'undo', 'cases', 'case', 'note', 'reason', 'cancel'];

const EXAMPLE: Record<string, string> = {
  undo: '/kickbot undo 12',
  case: '/kickbot case 12',
  note: '/kickbot note 12 warned twice before',
  reason: '/kickbot reason 12 spam links',
  cancel: '/kickbot cancel 12',
};

/** What `/kickbot help` says of each subcommand, after the usage of every command. */
const SUBCOMMAND_HELP = [
  '/kickbot subcommands:',
  '  cases [@user] [by @moderator] [since 7d|2026-11-01] [page N]: the latest cases; filters combine',
  '  case <N>: one case, whole: who, when, the command, its reason and notes, its pairs, undo and timer',
  '  note <N> <text>: add a note to a case (its moderator or an admin); notes never replace the reason',
  '  reason <N> <text>: give a case a new reason; the old one stays in its history',
  '  undo <N>: re-add the people a case removed',
  '  cancel <N>: stop a running batch; pairs not yet started end cancelled',
];

export default defineCommand({
  name: 'kickbot',
  description: 'Help, cases (list, show, note, reason), undo, cancel a running batch',
  usage:
    '/kickbot help | undo <case> | cases [@user] [by @moderator] [since 7d|2026-11-01] [page N] | case <N> | note <N> <text> | reason <N> <text> | cancel <N>',
  hint: 'help | undo <case> | cases [@user] [by @mod] [since 7d] [page N] | case <N> | note <N> <text> | reason <N> <text> | cancel <N>',
  permission: 'leave-room',
  visibleTo: 'everyone',
  args: KickbotArgs,
  options: [
    { name: 'help', description: 'What kickbot can do', type: 'subcommand' },
    {
      name: 'undo',
      description: 'Re-add the people a case removed',
      type: 'subcommand',
      options: [caseOption()],
    },
    {
      name: 'cases',
      description: 'The latest cases, newest first; the filters combine',
      type: 'subcommand',
      options: [
        { name: 'user', description: 'Only cases about this user', type: 'user' },
        { name: 'by', description: 'Only cases this moderator opened', type: 'user' },
        {
          name: 'since',
          description: 'Only cases since a time back (30m, 12h, 7d, 2w) or a date (2026-11-01)',
          type: 'string',
          maxLength: 10,
        },
        { name: 'page', description: 'Older cases: page 2, 3…', type: 'integer', minValue: 1 },
      ],
    },
    {
      name: 'case',
      description: 'One case, whole: reason and its history, notes, pairs, undo and timer',
      type: 'subcommand',
      options: [caseOption()],
    },
    {
      name: 'note',
      description: "Add a note to a case (the case's moderator or an admin)",
      type: 'subcommand',
      options: [caseOption(), textOption('The note')],
    },
    {
      name: 'reason',
      description: 'Give a case a new reason; the old one stays in its history',
      type: 'subcommand',
      options: [caseOption(), textOption('The new reason')],
    },
    {
      name: 'cancel',
      description: 'Stop a running batch: pairs not yet started end cancelled',
      type: 'subcommand',
      options: [caseOption()],
    },
  ],
  fromOptions(o) {
    const sub = str(o.subcommand) ?? 'help';
    if (sub === 'undo' || sub === 'case' || sub === 'cancel') return { sub, caseId: Number(o.case) };
    if (sub === 'note' || sub === 'reason') return { sub, caseId: Number(o.case), text: str(o.text) ?? '' };
    if (sub === 'cases')
      return {
        sub,
        ...(str(o.user) ? { user: str(o.user) } : {}),
        ...(str(o.by) ? { by: str(o.by) } : {}),
        ...(str(o.since) ? { since: str(o.since) } : {}),
        ...(o.page !== undefined ? { page: Number(o.page) } : {}),
      };
    return { sub };
  },
  fromText(tokens, text) {
    const [sub, ...rest] = tokens;
    const name = sub?.raw.toLowerCase() ?? 'help';
    const extra = (allowed: number) => {
      const surplus = rest[allowed];
      if (surplus) throw new UsageError(`unexpected "${surplus.raw}" after /kickbot ${name}`);
    };
    switch (name) {
      case 'help':
        extra(0);
        return { sub: 'help' };
      case 'undo':
      case 'case':
      case 'cancel':
        extra(1);
        return { sub: name, caseId: caseNumber(rest[0], name) };
      case 'note':
      case 'reason': {
        const caseId = caseNumber(rest[0], name);
        const first = rest[1];
        if (!first)
          throw new UsageError(`${name} needs its text after the case number, e.g. ${EXAMPLE[name]}`);
        return { sub: name, caseId, text: text.slice(first.start).trim() };
      }
      case 'cases':
        return casesArgs(rest);
    }
    throw new UsageError(`unknown subcommand "${sub?.raw}" (known: ${SUBCOMMANDS.join(', ')})`);
  },
  request(args: KickbotArgs, commands) {
    switch (args.sub) {
      case 'undo':
      case 'case':
      case 'cancel':
        return { kind: args.sub, caseId: args.caseId };
      case 'note':
      case 'reason':
        return { kind: args.sub, caseId: args.caseId, text: args.text };
      case 'cases':
        return {
          kind: 'cases',
          user: args.user,
          page: args.page,
          ...(args.by !== undefined ? { by: args.by } : {}),
          ...(args.since !== undefined ? { since: args.since } : {}),
        };
      case 'help':
        break;
    }
    const lines = commands.map((c) => `${c.usage}\n    ${c.description}`);
    return {
      kind: 'reply',
      reply: {
        kind: 'info',
        message: [
          'kickbot commands:',
          ...lines,
          ...SUBCOMMAND_HELP,
          'Batches over the confirmation threshold ask before they run; every action gets a case number.',
        ].join('\n'),
      },
    };
  },
});

function caseOption() {
  return {
    name: 'case',
    description: 'The case number',
    type: 'integer',
    required: true,
    minValue: 1,
  } as const;
}

function textOption(description: string) {
  return { name: 'text', description, type: 'string', required: true, maxLength: MAX_REASON } as const;
}

/** `12` or `#12`: a case number (a room mention's sigil is forgiven: people write case numbers like that). */
function caseNumber(token: Token | undefined, sub: string): number {
  const raw = token?.raw.replace(/^#/, '');
  if (!token || !raw) {
    const example = EXAMPLE[sub] ?? `/kickbot ${sub} 12`;
    throw new UsageError(`${sub} needs a case number, e.g. ${example}`);
  }
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`"${token.raw}" is not a case number`);
  return Number(raw);
}

/** `cases [@user] [by @moderator] [since 7d|2026-11-01] [page N]`, in any order, each at most once. */
function casesArgs(rest: readonly Token[]) {
  const out: { sub: 'cases'; user?: string; by?: string; since?: string; page?: number } = { sub: 'cases' };
  const once = (key: 'user' | 'by' | 'since' | 'page', what: string, found: string, hint = '') => {
    if (out[key] !== undefined) throw new UsageError(`cases takes one ${what} (found "${found}" too${hint})`);
  };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as Token;
    const word = token.kind === 'word' ? token.raw.toLowerCase() : undefined;
    if (token.kind === 'user') {
      once('user', '@user', token.raw, `; for a moderator write by ${token.raw}`);
      out.user = mention(token.raw, 'user');
      continue;
    }
    const next = rest[i + 1];
    if (word === 'by') {
      if (next?.kind !== 'user') {
        const found = next ? ` (found "${next.raw}")` : '';
        throw new UsageError(`by needs a moderator, e.g. /kickbot cases by @mo${found}`);
      }
      once('by', 'by @moderator', next.raw);
      out.by = mention(next.raw, 'user');
      i++;
      continue;
    }
    if (word === 'since') {
      if (!next)
        throw new UsageError(
          'since needs a time back or a date, e.g. /kickbot cases since 7d or since 2026-11-01',
        );
      once('since', 'since', next.raw);
      const problem = sinceProblem(next.raw);
      if (problem) throw new UsageError(problem);
      out.since = next.raw;
      i++;
      continue;
    }
    if (word === 'page') {
      if (!next) throw new UsageError('page needs a number, e.g. /kickbot cases page 2');
      if (!/^\d{1,6}$/.test(next.raw)) throw new UsageError(`"${next.raw}" is not a page number`);
      once('page', 'page', next.raw);
      out.page = Number(next.raw);
      i++;
      continue;
    }
    throw new UsageError(
      `cases takes @user, by @moderator, since 7d|2026-11-01 and page N, not "${token.raw}"`,
    );
  }
  return out;
}
