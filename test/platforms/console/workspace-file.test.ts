import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/index.js';
import { loadWorkspaceFile, parseWorkspace } from '../../../src/platforms/console/workspace-file.js';

const DEMO = fileURLToPath(new URL('../../../examples/demo-workspace.yaml', import.meta.url));

/** A valid workspace; the broken ones below change one thing in it. Line numbers are in the comments. */
const GOOD = [
  'bot: kickbot', // 1
  'owner: ada', // 2
  'users:', // 3
  '  - { id: ada, roles: [admin] }', // 4
  '  - { id: mo, roles: [moderator] }', // 5
  '  - { id: bob }', // 6
  '  - { id: kickbot, roles: [bot] }', // 7
  'rooms:', // 8
  '  - id: general', // 9
  '    members:', // 10
  '      - ada', // 11
  '      - mo', // 12
  '      - bob', // 13
  '    owners: [ada]', // 14
  '',
].join('\n');

/** GOOD with `from` replaced by `to` (which must occur). */
function edit(from: string, to: string, text = GOOD): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** The 1-based line of the first line of `text` that is exactly `line`. */
function lineOf(text: string, line: string): number {
  const at = text.split('\n').indexOf(line);
  expect(at).toBeGreaterThanOrEqual(0);
  return at + 1;
}

/** The UsageError parseWorkspace throws on `text`. */
function failure(text: string, file = 'ws.yaml'): UsageError {
  try {
    parseWorkspace(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected parseWorkspace to throw a UsageError');
}

describe('parseWorkspace: good files', () => {
  it('reads users, rooms and areas, with their defaults', () => {
    const ws = parseWorkspace(GOOD, 'ws.yaml');
    expect(ws.name).toBe('ws');
    expect(ws.bot).toBe('kickbot');
    expect(ws.owner).toBe('ada');
    expect(ws.users.map((u) => u.id)).toEqual(['ada', 'mo', 'bob', 'kickbot']);
    expect(ws.users.find((u) => u.id === 'bob')?.roles).toEqual(['user']);
    expect(ws.users.find((u) => u.id === 'mo')?.roles).toEqual(['moderator']);
    expect(ws.rooms).toEqual([
      {
        id: 'general',
        type: 'public',
        members: ['ada', 'mo', 'bob'],
        owners: ['ada'],
        moderators: [],
        undeletable: false,
      },
    ]);
    expect(ws.areas).toEqual([]);
    expect(ws.permissions).toBeUndefined();
  });

  it('GIVEN users with an email THEN it is kept as written', () => {
    const ws = parseWorkspace(edit('{ id: bob }', '{ id: bob, email: Bob@Example.com }'), 'ws.yaml');
    expect(ws.users.find((u) => u.id === 'bob')?.email).toBe('Bob@Example.com');
    expect(ws.users.find((u) => u.id === 'ada')).not.toHaveProperty('email');
  });

  it('takes the name from the file unless the file names itself', () => {
    expect(parseWorkspace(GOOD, 'some/dir/team.yml').name).toBe('team');
    expect(parseWorkspace(`name: acme\n${GOOD}`, 'ws.yaml').name).toBe('acme');
  });

  it('accepts every room type, areas, room moderators, ranks and permission overrides', () => {
    const text =
      `${edit('    owners: [ada]', '    owners: [ada]\n    moderators: [mo]\n    undeletable: true')}${[
        '  - { id: hidden, type: private, members: [ada, bob] }',
        '  - { id: dm, type: direct, members: [ada, bob] }',
        'areas:',
        '  - { id: pay, name: Payments, rooms: [general, hidden], members: [bob], managers: [mo] }',
        'permissions:',
        '  kick-user-from-any-p-room: [admin, moderator]',
        '  leave-room: [everyone]',
        '',
      ].join('\n')}`.replace('{ id: bob }', '{ id: bob, name: Bob, rank: 3 }');
    const ws = parseWorkspace(text, 'ws.yaml');
    expect(ws.rooms.map((r) => [r.id, r.type])).toEqual([
      ['general', 'public'],
      ['hidden', 'private'],
      ['dm', 'direct'],
    ]);
    expect(ws.rooms[0]).toMatchObject({ moderators: ['mo'], undeletable: true });
    expect(ws.users.find((u) => u.id === 'bob')).toMatchObject({ name: 'Bob', rank: 3 });
    expect(ws.areas).toEqual([
      { id: 'pay', name: 'Payments', rooms: ['general', 'hidden'], members: ['bob'], managers: ['mo'] },
    ]);
    expect(ws.permissions).toEqual({
      'kick-user-from-any-p-room': ['admin', 'moderator'],
      'leave-room': ['everyone'],
    });
  });
});

describe('parseWorkspace: broken files name the file, the line, the key and the problem', () => {
  it('invalid YAML: file:line:col', () => {
    const text = 'bot: kickbot\nusers:\n  - { id: ada\nrooms: []\n';
    const error = failure(text);
    expect(error.message).toMatch(/^ws\.yaml:\d+:\d+: not valid YAML: \S/);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('invalid YAML: the line and column of the problem', () => {
    const error = failure('bot: kickbot\nbot: other\n');
    expect(error.message).toMatch(/^ws\.yaml:2:1: not valid YAML: .*unique/);
  });

  it('an empty file or a file that is not a mapping', () => {
    expect(failure('').message).toMatch(/^ws\.yaml(:\d+)?: \(top level\): missing: expected a mapping/);
    expect(failure('just words\n').message).toMatch(
      /^ws\.yaml(:\d+)?: \(top level\): a mapping \(key: value\), got "just words"$/,
    );
  });

  it('missing `bot`', () => {
    expect(failure(edit('bot: kickbot\n', '')).message).toMatch(/^ws\.yaml:\d+: bot: \S/);
  });

  it('`bot` that is not a user', () => {
    expect(failure(edit('bot: kickbot', 'bot: robo')).message).toBe(
      'ws.yaml:1: bot: no user "robo" in users (add it with roles: [bot])',
    );
  });

  it('an unknown top-level key, on its own line', () => {
    const lines = GOOD.split('\n').length;
    expect(failure(`${GOOD}colour: red\n`).message).toBe(`ws.yaml:${lines}: colour: unknown key "colour"`);
  });

  it('GIVEN an email that is not an address THEN the line, the key and what an email is', () => {
    expect(failure(edit('{ id: bob }', '{ id: bob, email: bob-at-home }')).message).toBe(
      'ws.yaml:6: users[2].email: an email address (name@example.com), got "bob-at-home"',
    );
  });

  it('GIVEN two users with one address, whatever its case THEN the second names the first', () => {
    const text = edit(
      '{ id: mo, roles: [moderator] }',
      '{ id: mo, roles: [moderator], email: Bob@Example.com }',
    );
    expect(failure(edit('{ id: bob }', '{ id: bob, email: bob@example.com }', text)).message).toBe(
      'ws.yaml:6: users[2].email: bob@example.com is already the address of "mo"',
    );
  });

  it('an unknown key in a user', () => {
    expect(failure(edit('{ id: bob }', '{ id: bob, age: 3 }')).message).toBe(
      'ws.yaml:6: users[2].age: unknown key "age"',
    );
  });

  it('a role that does not exist', () => {
    const message = failure(edit('{ id: bob }', '{ id: bob, roles: [boss] }')).message;
    expect(message).toMatch(/^ws\.yaml:6: users\[2\]\.roles\[0\]: /);
    expect(message).toContain('"moderator"');
  });

  it('a bad room type', () => {
    const message = failure(edit('  - id: general\n', '  - id: general\n    type: secret\n')).message;
    expect(message).toMatch(/^ws\.yaml:10: rooms\[0\]\.type: /);
    expect(message).toContain('"private"');
  });

  it('an id with spaces', () => {
    expect(failure(edit('{ id: bob }', '{ id: "bob smith" }')).message).toMatch(
      /^ws\.yaml:6: users\[2\]\.id: an id is /,
    );
  });

  it('no users at all', () => {
    expect(failure('bot: kickbot\nusers: []\nrooms: [{ id: general }]\n').message).toMatch(
      /^ws\.yaml:2: users: \S/,
    );
  });

  it('a member that is not a user, on the line of that entry', () => {
    const text = edit('      - bob\n', '      - zed\n');
    expect(failure(text).message).toBe(
      `ws.yaml:${lineOf(text, '      - zed')}: rooms[0].members[2]: no user "zed" in users`,
    );
    expect(lineOf(text, '      - zed')).toBe(13);
  });

  it('a member that is not a user, in a flow sequence of a later room', () => {
    const text = `${GOOD}  - { id: random, members: [ada, zed] }\n`;
    expect(failure(text).message).toBe(`ws.yaml:15: rooms[1].members[1]: no user "zed" in users`);
  });

  it('a room owner or moderator who is not among the members', () => {
    expect(failure(edit('owners: [ada]', 'owners: [kickbot]')).message).toBe(
      `ws.yaml:14: rooms[0].owners[0]: "kickbot" is not in this room's members`,
    );
    expect(failure(edit('owners: [ada]', 'owners: [ada]\n    moderators: [mo, kickbot]')).message).toBe(
      `ws.yaml:15: rooms[0].moderators[1]: "kickbot" is not in this room's members`,
    );
  });

  it('a room owner who is not a user at all', () => {
    expect(failure(edit('owners: [ada]', 'owners: [zed]')).message).toBe(
      'ws.yaml:14: rooms[0].owners[0]: no user "zed" in users',
    );
  });

  it('a workspace owner who is not a user', () => {
    expect(failure(edit('owner: ada', 'owner: zed')).message).toBe(
      'ws.yaml:2: owner: no user "zed" in users',
    );
  });

  it('a user listed twice', () => {
    expect(failure(edit('{ id: bob }', '{ id: mo }')).message).toBe(
      [
        'ws.yaml:6: users[2].id: user "mo" is listed twice',
        'ws.yaml:13: rooms[0].members[2]: no user "bob" in users', // bob is gone with it: said in the same run
      ].join('\n'),
    );
  });

  it('a room listed twice', () => {
    expect(failure(`${GOOD}  - { id: general }\n`).message).toBe(
      'ws.yaml:15: rooms[1].id: room "general" is listed twice',
    );
  });

  it('an area listed twice', () => {
    expect(failure(`${GOOD}areas:\n  - { id: pay }\n  - { id: pay }\n`).message).toBe(
      'ws.yaml:17: areas[1].id: area "pay" is listed twice',
    );
  });

  it('an area naming an unknown room', () => {
    const text = `${GOOD}areas:\n  - id: pay\n    rooms:\n      - general\n      - nowhere\n`;
    expect(failure(text).message).toBe(
      `ws.yaml:${lineOf(text, '      - nowhere')}: areas[0].rooms[1]: no room "nowhere" in rooms`,
    );
  });

  it('an area naming an unknown manager or member', () => {
    expect(failure(`${GOOD}areas:\n  - { id: pay, managers: [mo, zed] }\n`).message).toBe(
      'ws.yaml:16: areas[0].managers[1]: no user "zed" in users',
    );
    expect(failure(`${GOOD}areas:\n  - { id: pay, members: [zed] }\n`).message).toBe(
      'ws.yaml:16: areas[0].members[0]: no user "zed" in users',
    );
  });

  it('a permission override with an unknown permission', () => {
    expect(failure(`${GOOD}permissions:\n  fly: [admin]\n`).message).toMatch(
      /^ws\.yaml:1[56]: permissions\.fly: unknown key "fly"$/,
    );
  });

  it('a permission override with an unknown role', () => {
    const message = failure(`${GOOD}permissions:\n  remove-user: [admin, boss]\n`).message;
    expect(message).toMatch(/^ws\.yaml:1[56]: permissions\.remove-user\[1\]: /);
    expect(message).toContain('"everyone"');
  });

  it('names the file it was given', () => {
    expect(failure(edit('owner: ada', 'owner: zed'), 'conf/team.yaml').message).toMatch(
      /^conf\/team\.yaml:2: owner: /,
    );
  });
});

describe('loadWorkspaceFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kickbot-ws-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the demo workspace', () => {
    const ws = loadWorkspaceFile(DEMO);
    expect(ws.name).toBe('demo');
    expect(ws.bot).toBe('kickbot');
    expect(ws.owner).toBe('ada');
    expect(ws.users.find((u) => u.id === 'mo')?.roles).toEqual(['moderator']);
    expect(ws.rooms.map((r) => r.id)).toEqual([
      'general',
      'random',
      'secret',
      'design',
      'lobby',
      'dm-ada-bob',
    ]);
    expect(ws.rooms.find((r) => r.id === 'lobby')?.undeletable).toBe(true);
    expect(ws.areas.map((a) => a.id)).toEqual(['payments', 'support']);
    expect(ws.users.find((u) => u.id === 'bob')?.email).toBe('bob@example.com');
  });

  it('names a missing file and says there is no such file', () => {
    expect(() => loadWorkspaceFile('nope.yaml')).toThrow(UsageError);
    expect(() => loadWorkspaceFile('nope.yaml')).toThrow(
      'nope.yaml: cannot read the workspace file (no such file)',
    );
  });

  it('reads a file from disk, naming it by its path and its name', () => {
    const file = join(dir, 'team.yml');
    writeFileSync(file, GOOD);
    expect(loadWorkspaceFile(file).name).toBe('team');
    writeFileSync(file, edit('owner: ada', 'owner: zed'));
    expect(() => loadWorkspaceFile(file)).toThrow(`${file}:2: owner: no user "zed" in users`);
  });
});
