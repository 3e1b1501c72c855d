import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../src/config/config-file.js';
import { parseYaml } from '../../src/config/yaml-file.js';
import { plainIssue } from '../../src/config/yaml-issues.js';
import { UsageError } from '../../src/core/index.js';
import { parseWorkspace } from '../../src/platforms/console/workspace-file.js';

/** Every problem of a YAML file in one run, in the order of the file, in plain words. */

function problems(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected a UsageError');
}

/** Seven mistakes: schema problems and references, mixed. */
const WORKSPACE = [
  'bot: robo', // 1: no such user
  'users:', // 2
  '  - { id: ada, roles: [admin] }', // 3
  '  - { id: mo, rank: high }', // 4: not a number
  '  - { id: bob, roles: [boss] }', // 5: no such role
  '  - { id: "carol smith" }', // 6: bad id
  'rooms:', // 7
  '  - id: general', // 8
  '    type: secret', // 9: no such type
  '    members: [ada, mo, zed]', // 10: no such user
  '    colour: red', // 11: unknown key
  '',
].join('\n');

describe('a file with several mistakes: all of them, in one run', () => {
  it('GIVEN a workspace file with seven mistakes THEN seven lines, in file order, each with file:line and plain words', () => {
    expect(problems(() => parseWorkspace(WORKSPACE, 'ws.yaml'))).toEqual([
      'ws.yaml:1: bot: no user "robo" in users (add it with roles: [bot])',
      'ws.yaml:4: users[1].rank: a number, got "high"',
      'ws.yaml:5: users[2].roles[0]: one of "admin", "moderator", "user", "bot", got "boss"',
      'ws.yaml:6: users[3].id: an id is letters, digits, ".", "_" and "-" (at most 64), got "carol smith"',
      'ws.yaml:9: rooms[0].type: one of "public", "private", "direct", got "secret"',
      'ws.yaml:10: rooms[0].members[2]: no user "zed" in users',
      'ws.yaml:11: rooms[0].colour: unknown key "colour"',
    ]);
  });

  it('GIVEN a config file with several mistakes THEN each is named, with its line', () => {
    const text = [
      'connectors:', // 1
      '  docspace: { url: "ftp://x", apiKey: "abc123" }', // 2: URL and a secret written out
      'areas:', // 3
      '  - id: pay', // 4
      '    targets:', // 5
      '      - { connector: mudbase, chat: c1 }', // 6: not configured
      '  - id: pay', // 7: twice
      '    rooms: general', // 8: not a list
      'identities:', // 9
      '  - { console: bob }', // 10: one system only
      'modLog: { zulip: x }', // 11: unknown platform
      '',
    ].join('\n');
    expect(problems(() => parseConfig(text, 'kickbot.yaml'))).toEqual([
      'kickbot.yaml:2: connectors.docspace.url: an http:// or https:// URL, got "ftp://x"',
      'kickbot.yaml:2: connectors.docspace.apiKey: a secret is never written in the file: write { env: VARIABLE_NAME }, got "abc123"',
      'kickbot.yaml:6: areas[0].targets[0].connector: mudbase is not configured under connectors',
      'kickbot.yaml:7: areas[1].id: area "pay" is listed twice',
      'kickbot.yaml:8: areas[1].rooms: a list, got "general"',
      'kickbot.yaml:10: identities[0]: an identity links at least two systems, got a mapping',
      'kickbot.yaml:11: modLog.zulip: unknown key "zulip"',
    ]);
  });

  it('GIVEN several YAML syntax errors THEN each with its line and column', () => {
    const lines = problems(() => parseYaml('a: [1\nb: 2\nc: {x\nd: "\n', 'f.yaml', z.unknown()));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^f\.yaml:2:1: not valid YAML: /);
    expect(lines[2]).toMatch(/^f\.yaml:5:1: not valid YAML: .*quote/);
  });
});

describe('plainIssue: zod issues in plain words', () => {
  const Schema = z.strictObject({
    n: z.number().optional(),
    whole: z.number().int().optional(),
    positive: z.number().positive().optional(),
    name: z.string().min(1).optional(),
    list: z.array(z.string()).min(1).optional(),
    flag: z.boolean().optional(),
    url: z.url().optional(),
    kind: z
      .discriminatedUnion('type', [z.object({ type: z.literal('a') }), z.object({ type: z.literal('b') })])
      .optional(),
    needed: z.string(),
  });
  const said = (value: unknown) => {
    const parsed = Schema.safeParse(value, { reportInput: true });
    if (parsed.success) throw new Error('expected issues');
    return parsed.error.issues
      .flatMap((i) => plainIssue(i as z.core.$ZodIssue))
      .map((p) => `${p.path.join('.')}: ${p.message}`);
  };

  it.each([
    [{ n: 'high' }, 'n: a number, got "high"'],
    [{ whole: 2.5 }, 'whole: a whole number, got 2.5'],
    [{ positive: 0 }, 'positive: more than 0, got 0'],
    [{ name: '' }, 'name: not empty, got ""'],
    [{ list: [] }, 'list: at least 1 entry, got none'],
    [{ list: 'x' }, 'list: a list, got "x"'],
    [{ flag: 'yes' }, 'flag: true or false, got "yes"'],
    [{ flag: null }, 'flag: true or false, got nothing'],
    [{ url: 'notaurl' }, 'url: a URL, got "notaurl"'],
    [{ kind: { type: 'c' } }, 'kind.type: one of "a", "b", got "c"'],
    [{ extra: 1, more: 2 }, 'extra: unknown key "extra"'],
    [{ extra: 1, more: 2 }, 'more: unknown key "more"'],
  ])('GIVEN %j THEN "%s"', (value, line) => {
    expect(said({ needed: 'x', ...value })).toContain(line);
  });

  it('GIVEN a required key left out THEN "missing", and what it should be', () => {
    expect(said({})).toEqual(['needed: missing: expected text']);
  });
});
