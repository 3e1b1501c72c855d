import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  type Id,
  localOf,
  type RemovalTarget,
  silentLogger,
} from '../../../src/core/index.js';
import { MudbaseConnector } from '../../../src/platforms/mudbase/MudbaseConnector.js';
import { ADD_ROUTE, FakeMudbase, REMOVE_ROUTE } from '../../fakes/mudbase/FakeMudbase.js';
import { type SeedRig, seedContract } from '../seeds/contract.js';

/**
 * The Mudbase connector against the fake Mudbase chat API on loopback: the contract every seed connector
 * keeps, then the request Mudbase's docs describe (DELETE with a JSON body, the project and chat in the path,
 * a Bearer JWT), how each answer becomes an outcome (both kinds of 404 apart), and undo through the POST.
 */

const JWT = 'fake-mudbase-jwt-0001';
const PROJECT = 'proj_kickbot0001';
const CHAT = 'chat_ops';
const U = { ada: 'usr_ada', bob: 'usr_bob', cyd: 'usr_cyd', dan: 'usr_dan' } as const;

const room = (chatId: string): Id => `mudbase:${chatId}`;
const user = (userId: string): Id => `mudbase:${userId}`;
const target = (userId: string, chatId: string = CHAT): RemovalTarget => ({
  room: room(chatId),
  user: user(userId),
  actor: 'console:ada',
  reason: 'offboarding',
  caseId: 3,
});

async function startFake(): Promise<FakeMudbase> {
  return FakeMudbase.start({
    projectId: PROJECT,
    jwt: JWT,
    chats: { [CHAT]: { [U.ada]: 'admin', [U.bob]: 'member', [U.cyd]: 'member' } },
  });
}

function connectorFor(
  fake: FakeMudbase,
  opts: { url?: string; projectId?: string; jwt?: string } = {},
): MudbaseConnector {
  return new MudbaseConnector({
    url: opts.url ?? fake.url,
    projectId: opts.projectId ?? PROJECT,
    jwt: opts.jwt ?? JWT,
    logger: silentLogger,
  });
}

seedContract('mudbase', async (): Promise<SeedRig> => {
  const fake = await startFake();
  return {
    remover: connectorFor(fake),
    room: room(CHAT),
    member: user(U.bob),
    member2: user(U.cyd),
    outsider: user(U.dan),
    unknownRoom: room('chat_nowhere'),
    isMember: (r, u) => fake.isParticipant(localOf(r), localOf(u)),
    revokeCredentials: () => fake.revoke(),
    failNextRemoval: (status) =>
      fake.failNext(REMOVE_ROUTE, { status, body: { message: `status ${status}` } }),
    removalRequests: () => fake.callsTo(REMOVE_ROUTE).length,
    secrets: [JWT],
    close: () => fake.close(),
  };
});

describe('mudbase: requests and answers', () => {
  let fake: FakeMudbase;
  let mudbase: MudbaseConnector;
  beforeEach(async () => {
    fake = await startFake();
    mudbase = connectorFor(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN a removal THEN one DELETE on the project and chat path, Bearer JWT, the JSON body {"userId"} exactly', async () => {
    expect(await mudbase.remove(target(U.bob))).toEqual({ outcome: 'removed' });
    const calls = fake.callsTo(REMOVE_ROUTE);
    expect(calls).toHaveLength(1);
    const call = calls[0];
    expect(call?.path).toBe(`/api/chat/projects/${PROJECT}/chats/${CHAT}/participants`);
    expect(call?.headers.authorization).toBe(`Bearer ${JWT}`);
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.raw).toBe(`{"userId":"${U.bob}"}`);
    expect(call?.status).toBe(200);
  });

  it('GIVEN a chat id with a slash and a space THEN it stays one path segment', async () => {
    fake.addChat('team/a b', [U.bob]);
    expect(await mudbase.remove(target(U.bob, 'team/a b'))).toEqual({ outcome: 'removed' });
    expect(fake.calls[0]?.path).toBe(`/api/chat/projects/${PROJECT}/chats/team%2Fa%20b/participants`);
    expect(fake.isParticipant('team/a b', U.bob)).toBe(false);
  });

  it('GIVEN any chat THEN room describes a private chat without asking Mudbase', async () => {
    expect(await mudbase.room(room('chat_nowhere'))).toEqual({
      id: 'mudbase:chat_nowhere',
      name: 'chat_nowhere',
      type: 'private',
      owners: 0,
      label: 'Mudbase chat chat_nowhere',
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('GIVEN someone who is not a participant (404 Participant not found) THEN not_member', async () => {
    expect(await mudbase.remove(target(U.dan))).toEqual({ outcome: 'not_member' });
    expect(fake.calls[0]).toMatchObject({ status: 404, body: { userId: U.dan } });
  });

  it('GIVEN an unknown chat (404 Chat not found) THEN denied room-not-found naming the chat', async () => {
    const result = await mudbase.remove(target(U.bob, 'chat_nowhere'));
    expect(result).toEqual({
      outcome: 'denied',
      code: 'room-not-found',
      hint: `Mudbase has no chat chat_nowhere in project ${PROJECT}`,
    });
  });

  it('GIVEN a project Mudbase does not know THEN denied room-not-found, and the chat is untouched', async () => {
    const other = connectorFor(fake, { projectId: 'proj_other' });
    expect(await other.remove(target(U.bob))).toMatchObject({ outcome: 'denied', code: 'room-not-found' });
    expect(fake.isParticipant(CHAT, U.bob)).toBe(true);
  });

  it('GIVEN a 404 without a Mudbase message (a wrong base URL) THEN failed not-found, never not_member', async () => {
    const wrong = connectorFor(fake, { url: `${fake.url}/v2` });
    const result = await wrong.remove(target(U.bob));
    expect(result).toMatchObject({ outcome: 'failed', code: 'not-found' });
    expect('hint' in result ? result.hint : '').toContain('connectors.mudbase.url');
  });

  it('GIVEN an empty user id THEN Mudbase answers 400 and the outcome is failed bad-request with its message', async () => {
    const result = await mudbase.remove({ ...target(U.bob), user: 'mudbase:' });
    expect(result).toEqual({
      outcome: 'failed',
      code: 'bad-request',
      hint: 'Mudbase rejected the request: userId is required',
    });
    expect(fake.calls[0]?.status).toBe(400);
  });

  it('GIVEN a 400 that echoes the JWT THEN the hint carries the message without the JWT', async () => {
    fake.failNext(REMOVE_ROUTE, { status: 400, body: { message: `invalid request for token ${JWT}` } });
    const result = await mudbase.remove(target(U.bob));
    expect(result).toMatchObject({ outcome: 'failed', code: 'bad-request' });
    const hint = 'hint' in result ? (result.hint ?? '') : '';
    expect(hint).toContain('invalid request for token');
    expect(hint).not.toContain(JWT);
  });

  it('GIVEN a JWT Mudbase does not accept THEN failed unauthorized with the JWT hint, and nobody removed', async () => {
    const stale = connectorFor(fake, { jwt: 'fake-mudbase-jwt-stale' });
    const result = await stale.remove(target(U.bob));
    expect(result).toEqual({
      outcome: 'failed',
      code: 'unauthorized',
      hint: "Mudbase refused kickbot's JWT (expired or invalid token)",
    });
    expect(fake.calls[0]?.status).toBe(401);
    expect(fake.isParticipant(CHAT, U.bob)).toBe(true);
  });

  it("GIVEN a 403 THEN denied not-allowed: the JWT's user may not manage this chat", async () => {
    fake.failNext(REMOVE_ROUTE, { status: 403, body: { message: 'Forbidden' } });
    const result = await mudbase.remove(target(U.bob));
    expect(result).toMatchObject({ outcome: 'denied', code: 'not-allowed' });
    expect('hint' in result ? result.hint : '').toMatch(
      /may not manage the participants of Mudbase chat chat_ops/,
    );
    expect(fake.isParticipant(CHAT, U.bob)).toBe(true);
  });

  it('GIVEN a status the docs do not list THEN failed mudbase-<status> with its message', async () => {
    fake.failNext(REMOVE_ROUTE, { status: 409, body: { message: 'Cannot remove the chat owner' } });
    expect(await mudbase.remove(target(U.ada))).toEqual({
      outcome: 'failed',
      code: 'mudbase-409',
      hint: 'Mudbase answered 409: Cannot remove the chat owner',
    });
  });

  it('GIVEN a 429 with Retry-After THEN a retryable ratelimited error that waits as told', async () => {
    fake.failNext(REMOVE_ROUTE, { status: 429, headers: { 'retry-after': '3' } });
    const error = await mudbase.remove(target(U.bob)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'ratelimited', retryable: true, retryAfterMs: 3000 });
  });

  it('GIVEN a removed participant THEN restore POSTs {"userId","role":"member"} with the JWT and re-adds them as member', async () => {
    await mudbase.remove(target(U.ada));
    expect(await mudbase.restore(target(U.ada), [])).toEqual({ outcome: 'restored' });
    const calls = fake.callsTo(ADD_ROUTE);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(`/api/chat/projects/${PROJECT}/chats/${CHAT}/participants`);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${JWT}`);
    expect(calls[0]?.raw).toBe(`{"userId":"${U.ada}","role":"member"}`);
    expect(fake.roleOf(CHAT, U.ada)).toBe('member');
  });

  it('GIVEN someone already in the chat (409) THEN already_member, and their role is unchanged', async () => {
    expect(await mudbase.restore(target(U.ada), [])).toEqual({ outcome: 'already_member' });
    expect(fake.callsTo(ADD_ROUTE)[0]?.status).toBe(409);
    expect(fake.roleOf(CHAT, U.ada)).toBe('admin');
  });

  it('GIVEN restore into an unknown chat, with a refused JWT, or a 403 THEN failed with the removal codes', async () => {
    expect(await mudbase.restore(target(U.bob, 'chat_nowhere'), [])).toMatchObject({
      outcome: 'failed',
      code: 'room-not-found',
    });
    fake.failNext(ADD_ROUTE, { status: 403, body: { message: 'Forbidden' } });
    expect(await mudbase.restore(target(U.dan), [])).toMatchObject({
      outcome: 'failed',
      code: 'not-allowed',
    });
    fake.revoke();
    const refused = await mudbase.restore(target(U.dan), []);
    expect(refused).toMatchObject({ outcome: 'failed', code: 'unauthorized' });
    expect(JSON.stringify(refused)).not.toContain(JWT);
    expect(fake.isParticipant(CHAT, U.dan)).toBe(false);
  });

  it('GIVEN restore of a user Mudbase does not know (404 User not found) THEN failed user-not-found', async () => {
    fake.failNext(ADD_ROUTE, { status: 404, body: { message: 'User not found' } });
    expect(await mudbase.restore(target('usr_ghost'), [])).toMatchObject({
      outcome: 'failed',
      code: 'user-not-found',
    });
  });
});
