/**
 * The body of BetterForms' `POST /message/removeuser` (anchors §2.4). Pure, so that the connector only sends and
 * groups; `answers.ts` reads what comes back.
 */

export type ChannelMode = 'ignore' | 'listen' | 'receive';

/** The REST shape, not the FileMaker script's (`users` a string, `channels` at the top): the doc warns they differ. */
export interface RemoveUserBody {
  apiKey: string;
  users: { id: string; channels: { name: string; mode: ChannelMode }[] }[];
}

export function removeUserBody(
  apiKey: string,
  channel: string,
  mode: ChannelMode,
  users: readonly string[],
): RemoveUserBody {
  return { apiKey, users: users.map((id) => ({ id, channels: [{ name: channel, mode }] })) };
}
