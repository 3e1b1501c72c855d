import type { FakeSlack } from '../fakes/slack/FakeSlack.js';

/**
 * The fake Slack gives every user `profile.display_name = name`. Real workspaces let people choose a display
 * name of their own; this wraps the fake's `users.info` and `users.list` answers (without changing the fake) so
 * that the given users show the given display names.
 */

type Handler = (this: FakeSlack, args: Record<string, unknown>) => Record<string, unknown>;
type UserObject = { id?: string; profile?: Record<string, unknown> };

export function setDisplayNames(fake: FakeSlack, names: Record<string, string>): void {
  const handlers = (fake as unknown as { handlers: Record<string, Handler> }).handlers;
  const patch = (u: UserObject) => {
    const name = u.id ? names[u.id] : undefined;
    if (name === undefined) return u;
    return { ...u, profile: { ...u.profile, display_name: name, display_name_normalized: name } };
  };
  const info = handlers['users.info'];
  const list = handlers['users.list'];
  if (!info || !list) throw new Error('FakeSlack serves no users.info / users.list');
  handlers['users.info'] = function (args) {
    const out = info.call(this, args);
    return { ...out, user: patch(out.user as UserObject) };
  };
  handlers['users.list'] = function (args) {
    const out = list.call(this, args);
    return { ...out, members: (out.members as UserObject[]).map(patch) };
  };
}
