import type { KnownBlock } from '@slack/types';
import type { Id, Reply } from '../../core/index.js';
import { confirmLines, renderText, resultLines, systemLine } from '../../render/text.js';

/** How a reply looks in Slack: Block Kit, with the plain text as the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const CONFIRM_ACTION = 'kickbot_confirm';
export const CANCEL_ACTION = 'kickbot_cancel';
/** The Cancel button of a running batch's progress message; its value is the case number. */
export const STOP_ACTION = 'kickbot_cancel_case';

const SECTION_LIMIT = 2_900; // Slack allows 3,000 characters in a section's text
const MAX_PAIR_LINES = 40;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** Lines packed into as few sections as fit Slack's limits. */
function sections(lines: readonly string[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 1 > SECTION_LIMIT) {
      out.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) out.push(section(chunk));
  return out;
}

export function slackMessage(reply: Reply): SlackMessage {
  const text = renderText(reply);
  switch (reply.kind) {
    case 'result': {
      const label = (id: Id) => reply.labels[id] ?? id;
      const lines = resultLines(reply.results, label, MAX_PAIR_LINES);
      for (const a of reply.areas ?? []) {
        lines.push(
          `area *${a.area}*: removed ${a.users.length}, not in the area ${a.usersNotUpdated.length}, not removed ${a.errors.length}`,
        );
      }
      for (const sys of reply.systems ?? []) lines.push(systemLine(sys));
      return {
        text,
        blocks: [
          section(`*${reply.summary}*`),
          ...sections(lines),
          ...(reply.note ? [section(`:warning: ${reply.note}`)] : []),
          context(`case ${reply.caseId} · \`/kickbot undo ${reply.caseId}\` re-adds them`),
        ],
      };
    }
    case 'confirm': {
      return {
        text,
        blocks: [
          section(`:warning: ${reply.message}`),
          ...sections(confirmLines(reply)),
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: CONFIRM_ACTION,
                value: reply.confirmId,
                style: 'danger',
                text: { type: 'plain_text', text: `Remove ${reply.removals.toLocaleString('en')}` },
              },
              {
                type: 'button',
                action_id: CANCEL_ACTION,
                value: reply.confirmId,
                text: { type: 'plain_text', text: 'Cancel' },
              },
            ],
          },
          context(
            `Only you can answer; the prompt expires <!date^${Math.floor(reply.expiresAt / 1000)}^{time}|in 5 minutes>.`,
          ),
        ],
      };
    }
    case 'usage':
      return {
        text,
        blocks: [
          section(`:information_source: ${reply.message}`),
          ...(reply.usage ? [context(`Usage: \`${reply.usage}\``)] : []),
        ],
      };
    case 'error':
      return { text, blocks: [section(`:x: ${reply.message}`)] };
    case 'refused':
      return { text, blocks: [section(`:no_entry: ${reply.message}`)] };
    case 'info':
      return { text, blocks: sections(reply.message.split('\n')) };
  }
}

/** A running batch's progress line, with a Cancel button once the batch has a case (`/kickbot cancel <N>`). */
export function progressMessage(text: string, caseId: number | undefined): SlackMessage {
  if (caseId === undefined) return { text, blocks: [section(text)] };
  return {
    text,
    blocks: [
      section(text),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: STOP_ACTION,
            value: String(caseId),
            text: { type: 'plain_text', text: 'Cancel' },
          },
        ],
      },
      context(`case ${caseId} · Cancel stops the pairs not yet started; those in flight finish.`),
    ],
  };
}

/** Text a moderator typed, made safe to post back: it must not ping @here, @channel or a user group. */
export function defuseMentions(text: string): string {
  return text
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+\|@?([^>]*)>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)>/g, '@$1');
}
