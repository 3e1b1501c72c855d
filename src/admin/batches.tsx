import { type CaseStory, caseView, type Id } from '../core/index.js';
import { renderText } from '../render/text.js';
import { type AdminView, seeOther, sendHtml } from './app.js';
import { actAsAdmin, formKey, keyOf, shownReply } from './case-act.js';
import { ActionForm, batchPath, casePath, caseTarget, ReplyNote, sendMessage } from './case-common.js';
import { Layout } from './layout.js';
import { progressText } from './progress-text.js';

/**
 * `/admin/batches`: the cases still running, found by their running markers among the last RECENT_CASES cases of
 * each workspace (one marker read each), with their progress at load, live through `progress.js`, and Cancel.
 */
export const RECENT_CASES = 50;

export async function batchesPage(view: AdminView): Promise<void> {
  const reads = view.deps.runtime.core.cases;
  const running = await reads.running(RECENT_CASES);
  const rows = await Promise.all(
    running.map(async ({ workspace, caseId }) => ({
      workspace,
      caseId,
      story: await reads.story(workspace, caseId),
      progress: await reads.progress(workspace, caseId),
    })),
  );
  const reply = await shownReply(view);
  sendHtml(
    view.res,
    200,
    <Layout title="Running batches" current="/admin/batches" csrf={view.csrf} scripts={['progress.js']}>
      <ReplyNote text={reply} />
      <p>
        Cases still running among the last {RECENT_CASES} of each workspace. The numbers follow live where
        JavaScript runs; otherwise <a href="/admin/batches">Refresh</a>.
      </p>
      {rows.length === 0 && <p>No batch is running.</p>}
      {rows.map((r) => (
        <section key={`${r.workspace}#${r.caseId}`} aria-labelledby={`b-${r.caseId}`} class="batch">
          <h2 id={`b-${r.caseId}`}>
            <a href={casePath(r.workspace, r.caseId)}>Case {r.caseId}</a> · {r.workspace}
          </h2>
          {r.story && <About story={r.story} label={reads.label} />}
          <div data-events={`${batchPath(r.workspace, r.caseId)}/events`}>
            <progress
              max={r.progress.total ?? undefined}
              value={r.progress.total !== undefined ? r.progress.settled : undefined}
              aria-labelledby={`t-${r.caseId}`}
            />
            <p id={`t-${r.caseId}`} data-progress-text aria-live="polite">
              {progressText(r.progress)}
            </p>
          </div>
          <ActionForm
            action={`${batchPath(r.workspace, r.caseId)}/cancel`}
            csrf={view.csrf}
            formKey={formKey()}
            label={`Cancel case ${r.caseId}`}
          />
        </section>
      ))}
    </Layout>,
  );
}

function About({ story, label }: { story: CaseStory; label: (id: Id, kind: 'user' | 'room') => string }) {
  const v = caseView(story, label);
  return (
    <p>
      {v.by} · <code>{v.command}</code> · since {v.at.slice(0, 16).replace('T', ' ')} UTC
    </p>
  );
}

/** POST `/admin/batches/:ws/:id/cancel`: `/kickbot cancel N` as the admin page, then back to the list with its reply. */
export async function cancelBatch(view: AdminView): Promise<void> {
  const target = caseTarget(view, '/admin/batches');
  if (!target) return;
  const { workspace, caseId } = target;
  const story = await view.deps.runtime.core.cases.story(workspace, caseId);
  if (!story)
    return sendMessage(
      view,
      404,
      'No such case',
      `There is no case ${caseId} in ${workspace}.`,
      '/admin/batches',
    );
  const key = keyOf(view.form);
  const channel = story.channel ?? story.records[0]?.room ?? workspace;
  const reply = await actAsAdmin(view, workspace, channel, `cancel ${caseId}`, key);
  if (reply.kind === 'error')
    return sendMessage(view, 500, `Cancel case ${caseId}`, renderText(reply), '/admin/batches');
  seeOther(view.res, `/admin/batches?reply=${key}`);
}
