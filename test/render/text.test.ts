import { describe, expect, it } from 'vitest';
import type { ConfirmReply, PairResult, ResultReply } from '../../src/core/index.js';
import { discordMessage } from '../../src/platforms/discord/render.js';
import { slackMessage } from '../../src/platforms/slack/blocks.js';
import { exitCode, toRunJson } from '../../src/render/json.js';
import { renderText, resultLines } from '../../src/render/text.js';

const pair = (user: string, outcome: string, code?: string): PairResult<string> => ({
  room: 'console:general',
  user: `console:${user}`,
  outcome,
  ...(code ? { code } : {}),
});

/** A 300-user batch: 28 removed, 270 not members, and two denials at the very end. */
function bigBatch(): ResultReply {
  const results = [
    ...Array.from({ length: 270 }, (_, i) => pair(`n${i}`, 'not_member')),
    ...Array.from({ length: 28 }, (_, i) => pair(`r${i}`, 'removed')),
    pair('boss', 'denied', 'protected'),
    pair('owner', 'denied', 'last-owner'),
  ];
  return {
    kind: 'result',
    action: 'remove',
    caseId: 7,
    status: 'partial',
    results,
    summary: 'Removed 28 | Not a member 270 | Denied 2 | Failed 0',
    labels: {},
  };
}

const label = (id: string) => id.replace(/^console:/, '');

describe('result lines: problems first', () => {
  it('GIVEN every outcome THEN lines go denied, failed, unsupported, removed, not a member, each in the order given', () => {
    const lines = resultLines(
      [
        pair('a', 'not_member'),
        pair('b', 'removed'),
        pair('c', 'unsupported', 'undeletable'),
        pair('d', 'failed', 'timeout'),
        pair('e', 'denied', 'self'),
        pair('f', 'removed'),
        pair('g', 'denied', 'protected'),
      ],
      label,
      30,
    );
    expect(lines.map((l) => /^\S+ (\w+)/.exec(l)?.[1])).toEqual(['e', 'g', 'd', 'c', 'b', 'f', 'a']);
  });

  it('GIVEN 300 users with two denials at the end THEN the text shows both denials first and counts what it left out', () => {
    const lines = renderText(bigBatch()).split('\n');
    expect(lines[0]).toBe('✗ console:boss in console:general: denied (protected): this user is protected');
    expect(lines[1]).toMatch(/^✗ console:owner in console:general: denied \(last-owner\)/);
    expect(lines[2]).toBe('✓ console:r0 removed from console:general');
    expect(lines).toHaveLength(30 + 1);
    expect(lines[29]).toBe('…and 271 more: 1 removed, 270 not a member (the summary counts them all)');
  });

  it('GIVEN 60 denials and 500 not members THEN 50 denials are shown, then a count of the other problems', () => {
    const results = [
      ...Array.from({ length: 500 }, (_, i) => pair(`n${i}`, 'not_member')),
      ...Array.from({ length: 60 }, (_, i) => pair(`d${i}`, 'denied', 'protected')),
    ];
    const lines = resultLines(results, label, 30);
    expect(lines.slice(0, 50).every((l) => l.startsWith('✗ d'))).toBe(true);
    expect(lines.slice(50)).toEqual([
      '…and 10 more refused, failed or unsupported (the summary counts them all)',
      '…and 500 more: 500 not a member (the summary counts them all)',
    ]);
  });

  it('GIVEN the 300-user batch on Slack and Discord THEN both show the denials before anything else', () => {
    const slack = slackMessage(bigBatch());
    const body = slack.blocks
      .slice(1)
      .flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []))
      .join('\n');
    expect(body.split('\n')[0]).toContain('console:boss');
    expect(body.split('\n')[1]).toContain('console:owner');
    expect(body).toContain('…and 261 more: 261 not a member');

    const discord = discordMessage(bigBatch());
    const description = discord.embeds[0]?.description ?? '';
    expect(description.split('\n')[0]).toContain('console:boss');
    expect(description.split('\n')[1]).toContain('console:owner');
    expect(description).toContain('…and 261 more: 261 not a member');
  });

  it('GIVEN a confirmation prompt THEN Slack and Discord show the same plan as the text: who goes from where, who is absent, who is refused', () => {
    const reply: ConfirmReply = {
      kind: 'confirm',
      confirmId: 'c1',
      expiresAt: 0,
      removals: 25,
      notMember: 1,
      refused: [{ user: 'console:boss', room: 'console:general', outcome: 'denied', code: 'protected' }],
      removing: [
        {
          room: 'console:general',
          users: Array.from({ length: 20 }, (_, i) => `console:u${i}`),
          more: 5,
        },
      ],
      absent: [{ room: 'console:general', users: ['console:gone'], more: 0 }],
      message: 'This would remove 25 (room, user) pairs; 1 already absent; 1 refused.',
      labels: { 'console:general': '#general' },
    };
    const plan = [
      `Would remove from #general: ${Array.from({ length: 20 }, (_, i) => `console:u${i}`).join(', ')} and 5 more`,
      'Already absent from #general: console:gone',
      '✗ console:boss in #general: denied (protected): this user is protected',
    ];
    expect(renderText(reply).split('\n').slice(1)).toEqual(plan.map((l) => `  ${l}`));
    const slack = slackMessage(reply).blocks.flatMap((b) =>
      b.type === 'section' && b.text ? [b.text.text] : [],
    );
    expect(slack.slice(1).join('\n')).toBe(plan.join('\n'));
    expect(discordMessage(reply).embeds[0]?.description).toBe(plan.join('\n'));
  });
});

describe('cancelled pairs', () => {
  const cancelledBatch = (): ResultReply => ({
    kind: 'result',
    action: 'remove',
    caseId: 9,
    status: 'partial',
    results: [
      pair('a', 'removed'),
      ...Array.from({ length: 60 }, (_, i) => pair(`c${i}`, 'cancelled')),
      pair('d', 'denied', 'protected'),
    ],
    summary: 'Removed 1 | Not a member 0 | Denied 1 | Failed 0 | Cancelled 60',
    labels: {},
  });

  it('GIVEN cancelled pairs THEN they follow the refusals, say they never started, and are counted as not done past the cap', () => {
    const lines = resultLines(cancelledBatch().results, label, 30);
    expect(lines[0]).toMatch(/^✗ d in general: denied/);
    expect(lines[1]).toBe('✗ c0 in general: cancelled before it started');
    expect(lines[50]).toBe('…and 11 more cancelled (the summary counts them all)');
    expect(lines.at(-1)).toBe('…and 1 more: 1 removed (the summary counts them all)');
  });

  it('GIVEN a cancelled batch THEN --json says partial with each cancelled pair and exits 3; nothing removed THEN error', () => {
    const json = toRunJson(cancelledBatch(), 'console');
    expect(json.status).toBe('partial');
    expect(json.results.filter((r) => r.outcome === 'cancelled')).toHaveLength(60);
    expect(json.message).toContain('| Cancelled 60');
    expect(exitCode(cancelledBatch())).toBe(3);
    const none: ResultReply = { ...cancelledBatch(), status: 'error', results: [pair('c', 'cancelled')] };
    expect(toRunJson(none, 'console').status).toBe('error');
    expect(exitCode(none)).toBe(3);
  });

  it('GIVEN a cancelled batch on Slack and Discord THEN the summary names the cancelled pairs and the lines show them', () => {
    const slack = slackMessage(cancelledBatch());
    expect(slack.blocks[0]).toMatchObject({ text: { text: expect.stringContaining('| Cancelled 60') } });
    expect(JSON.stringify(slack.blocks)).toContain('cancelled before it started');
    const discord = discordMessage(cancelledBatch());
    expect(discord.embeds[0]?.title).toContain('| Cancelled 60');
    expect(discord.embeds[0]?.description).toContain('cancelled before it started');
  });
});
