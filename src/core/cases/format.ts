/** How cases read in a line of text: outcome words, times, counts. */

/** Each outcome as the case lines say it, in the order they list them. */
export const OUTCOME_WORDS: Record<string, string> = {
  removed: 'removed',
  restored: 're-added',
  not_member: 'not a member',
  already_member: 'already a member',
  denied: 'denied',
  unsupported: 'unsupported',
  failed: 'failed',
  cancelled: 'cancelled',
};

export const fmt = (n: number) => n.toLocaleString('en');

/** `2026-12-06 14:00 UTC` */
export const whenText = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const iso = (ms: number) => new Date(ms).toISOString();

/** Text a moderator typed, cut for a one-line listing. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
