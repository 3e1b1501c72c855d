import type { ComponentChildren } from 'preact';
import type { Id } from '../core/index.js';
import { type AdminView, sendHtml } from './app.js';
import { Layout } from './layout.js';

/** What the case pages share: their URLs, a page that only says something, a reply shown after an action. */

export const casePath = (workspace: Id, caseId: number) =>
  `/admin/cases/${encodeURIComponent(workspace)}/${caseId}`;
export const batchPath = (workspace: Id, caseId: number) =>
  `/admin/batches/${encodeURIComponent(workspace)}/${caseId}`;

/** A page with a title and a sentence: a refusal, a bad address, nothing found. */
export function sendMessage(
  view: AdminView,
  status: number,
  title: string,
  text: string,
  current = '/admin/cases',
): void {
  sendHtml(
    view.res,
    status,
    <Layout title={title} current={current} csrf={view.csrf}>
      <p role={status >= 400 ? 'alert' : 'status'}>{text}</p>
      <p>
        <a href={current}>Back to {current === '/admin/batches' ? 'running batches' : 'cases'}</a>
      </p>
    </Layout>,
  );
}

/** A platform-prefixed workspace id (`slack:T1`, `discord:123`, `console:acme`). */
const WORKSPACE = /^[a-z][a-z0-9-]*:\S{1,200}$/;

/**
 * The `:ws/:id` of a case's URL, checked: a case number (1–999,999,999) in something shaped like a workspace id
 * (whether the case exists is for the page to find, with the read it makes anyway). Anything else answers a 404
 * page here and gives undefined.
 */
export function caseTarget(
  view: AdminView,
  current = '/admin/cases',
): { workspace: Id; caseId: number } | undefined {
  const { ws = '', id = '' } = view.params;
  const caseId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  if (caseId >= 1 && WORKSPACE.test(ws)) return { workspace: ws, caseId };
  const what =
    caseId >= 1 ? `"${ws.slice(0, 80)}" is not a workspace id.` : 'A case number is a whole number from 1.';
  sendMessage(view, 404, 'No such case', what, current);
  return undefined;
}

/** What the last action said (Undo, Cancel), at the top of the page it led to. */
export function ReplyNote({ text }: { text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <section class="reply" aria-label="Result">
      <pre role="status">{text}</pre>
    </section>
  );
}

/** A form that changes something: POST, with the session's CSRF token and the form's key. */
export function ActionForm(props: {
  action: string;
  csrf: string;
  formKey: string;
  label: string;
  children?: ComponentChildren;
}) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="key" value={props.formKey} />
      {props.children}
      <button type="submit">{props.label}</button>
    </form>
  );
}
