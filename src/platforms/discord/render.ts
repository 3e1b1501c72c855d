import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord-api-types/v10';
import type { Id, Reply } from '../../core/index.js';
import { confirmLines, renderText, resultLines, systemLine } from '../../render/text.js';

/** A reply as a Discord message: an embed with the details, and the plain text as `content` (the fallback). */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  flags?: number;
  allowed_mentions: { parse: [] };
}

export const CONFIRM = 'kickbot:confirm:';
export const CANCEL = 'kickbot:cancel:';
/** The Cancel button of a running batch's progress edit: `kickbot:cancel-case:<N>`. */
export const STOP = 'kickbot:cancel-case:';

const COLORS = { ok: 0x2e7d32, partial: 0xf9a825, error: 0xc62828, info: 0x455a64 } as const;
const MAX_LINES = 40;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function discordMessage(reply: Reply): DiscordMessage {
  const text = renderText(reply);
  const base = { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] as [] }, components: [] };
  switch (reply.kind) {
    case 'result': {
      const label = (id: Id) => reply.labels[id] ?? id;
      const lines = resultLines(reply.results, label, MAX_LINES);
      for (const a of reply.areas ?? []) {
        lines.push(
          `area **${a.area}**: removed ${a.users.length}, not in the area ${a.usersNotUpdated.length}, not removed ${a.errors.length}`,
        );
      }
      for (const sys of reply.systems ?? []) lines.push(systemLine(sys));
      if (reply.note) lines.push(`⚠️ ${reply.note}`);
      return {
        ...base,
        content: clip(`${reply.summary} · case ${reply.caseId}`, 2000),
        embeds: [
          {
            title: clip(reply.summary, 256),
            description: clip(lines.join('\n'), 4096),
            color: COLORS[reply.status],
            footer: { text: `case ${reply.caseId} · /kickbot undo case:${reply.caseId} re-adds them` },
          },
        ],
      };
    }
    case 'confirm': {
      const plan = confirmLines(reply);
      return {
        ...base,
        content: clip(reply.message, 2000),
        embeds: plan.length ? [{ description: clip(plan.join('\n'), 4096), color: COLORS.partial }] : [],
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Danger,
                custom_id: `${CONFIRM}${reply.confirmId}`,
                label: `Remove ${reply.removals.toLocaleString('en')}`,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                custom_id: `${CANCEL}${reply.confirmId}`,
                label: 'Cancel',
              },
            ],
          },
        ],
      };
    }
    default:
      return { ...base, content: clip(text, 2000), embeds: [] };
  }
}

/** A running batch's progress line, with a Cancel button once the batch has a case (`/kickbot cancel <N>`). */
export function progressMessage(content: string, caseId: number | undefined): DiscordMessage {
  return {
    content,
    embeds: [],
    components:
      caseId === undefined
        ? []
        : [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Secondary,
                  custom_id: `${STOP}${caseId}`,
                  label: 'Cancel',
                },
              ],
            },
          ],
    allowed_mentions: { parse: [] },
  };
}
