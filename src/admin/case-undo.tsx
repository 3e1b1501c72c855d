import type { CaseStory, Id } from '../core/index.js';
import { renderText } from '../render/text.js';
import { type AdminView, seeOther, sendHtml } from './app.js';
import { undoable } from './case.js';
import { actAsAdmin, formKey, keyOf } from './case-act.js';
import { ActionForm, casePath, caseTarget, sendMessage } from './case-common.js';
import { Layout } from './layout.js';

/**
 * `/admin/cases/:ws/:id/undo`: GET asks first ("Undo case 12: bob and 2 others come back to #general"); POST
 * runs `/kickbot undo 12` as the admin page and goes to the new case, where the reply is shown. A case that
 * cannot be undone (already undone, an undo itself, nobody removed) gets a sentence saying so, never an error.
 */

async function undoTarget(view: AdminView): Promise<{ workspace: Id; story: CaseStory } | undefined> {
  const target = caseTarget(view);
  if (!target) return undefined;
  const story = await view.deps.runtime.core.cases.story(target.workspace, target.caseId);
  if (!story) {
    sendMessage(view, 404, 'No such case', `There is no case ${target.caseId} in ${target.workspace}.`);
    return undefined;
  }
  if (!undoable(story)) {
    sendMessage(view, 200, `Undo case ${story.caseId}`, whyNot(story));
    return undefined;
  }
  return { workspace: target.workspace, story };
}

function whyNot(story: CaseStory): string {
  const undone = story.undone.at(-1);
  if (undone)
    return `Case ${story.caseId} was already undone by case ${undone.restoreCase}; there is nothing to undo.`;
  if (story.action === 'restore') return `Case ${story.caseId} is itself an undo; there is nothing to undo.`;
  return `Case ${story.caseId} removed nobody; there is nothing to undo.`;
}

export async function undoConfirm(view: AdminView): Promise<void> {
  const found = await undoTarget(view);
  if (!found) return;
  const { workspace, story } = found;
  const label = view.deps.runtime.core.cases.label;
  const removed = story.records.filter((r) => r.outcome === 'removed');
  const people = [...new Set(removed.map((r) => r.target))];
  const rooms = [...new Set(removed.map((r) => r.room))];
  const some = (ids: Id[], kind: 'user' | 'room', others: string) =>
    `${label(ids[0] as Id, kind)}${ids.length > 1 ? ` and ${ids.length - 1} ${others}${ids.length > 2 ? 's' : ''}` : ''}`;
  const path = casePath(workspace, story.caseId);
  sendHtml(
    view.res,
    200,
    <Layout title={`Undo case ${story.caseId}?`} current="/admin/cases" csrf={view.csrf}>
      <p>
        Undo case {story.caseId}: {some(people, 'user', 'other')} come back to{' '}
        {some(rooms, 'room', 'other room')}. The undo is a new case, made by the admin page, and every room is
        told as for <code>/kickbot undo</code>.
      </p>
      <ActionForm
        action={`${path}/undo`}
        csrf={view.csrf}
        formKey={formKey()}
        label={`Undo case ${story.caseId}`}
      />
      <p>
        <a href={path}>No, back to case {story.caseId}</a>
      </p>
    </Layout>,
  );
}

export async function undoRun(view: AdminView): Promise<void> {
  const found = await undoTarget(view);
  if (!found) return;
  const { workspace, story } = found;
  const key = keyOf(view.form);
  const channel = story.channel ?? story.records[0]?.room ?? workspace;
  const reply = await actAsAdmin(view, workspace, channel, `undo ${story.caseId}`, key);
  if (reply.kind === 'result') return seeOther(view.res, `${casePath(workspace, reply.caseId)}?reply=${key}`);
  // A refusal (the rules, a key used for another request) is a message; only a failure is an error.
  sendMessage(view, reply.kind === 'error' ? 500 : 200, `Undo case ${story.caseId}`, renderText(reply));
}
