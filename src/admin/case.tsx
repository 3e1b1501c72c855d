import {
  type AuditRecord,
  type CaseEntry,
  type CaseStory,
  type CaseView,
  caseView,
  type Id,
  OUTCOME_WORDS,
} from '../core/index.js';
import { type AdminView, sendHtml } from './app.js';
import { shownReply } from './case-act.js';
import { casePath, caseTarget, ReplyNote, sendMessage } from './case-common.js';
import { Layout } from './layout.js';

/** Pairs listed on one page of a case. */
export const PAIRS_PER_PAGE = 200;
/** Direct messages listed; the others are counted. */
const DMS_LISTED = 200;

/**
 * `/admin/cases/:ws/:id`: what `/kickbot case N` shows (who, when, the command as typed, reason and its history,
 * notes, timer, DMs, undo, cancel), with every pair by outcome (PAIRS_PER_PAGE a page, `?pairs=N`), and an Undo
 * button when the case can be undone.
 */
export async function casePage(view: AdminView): Promise<void> {
  const target = caseTarget(view);
  if (!target) return;
  const { workspace, caseId } = target;
  const reads = view.deps.runtime.core.cases;
  const story = await reads.story(workspace, caseId);
  if (!story) return sendMessage(view, 404, 'No such case', `There is no case ${caseId} in ${workspace}.`);
  const pageText = view.url.searchParams.get('pairs') ?? '1';
  const pages = Math.max(1, Math.ceil(story.records.length / PAIRS_PER_PAGE));
  const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : 0;
  if (page < 1 || page > pages)
    return sendMessage(
      view,
      404,
      `Case ${caseId}`,
      `Case ${caseId} has no page ${pageText.slice(0, 20)} of pairs.`,
    );
  const [running, reply] = await Promise.all([reads.progress(workspace, caseId), shownReply(view)]);
  const label = (id: Id, kind: 'user' | 'room') => reads.label(id, kind);
  const v = caseView(story, label);
  sendHtml(
    view.res,
    200,
    <Layout title={`Case ${caseId}`} current="/admin/cases" csrf={view.csrf}>
      <ReplyNote text={reply} />
      <Summary v={v} workspace={workspace} />
      {running.running && (
        <p role="status">
          This case is still running: <a href="/admin/batches">see its progress or cancel it</a>.
        </p>
      )}
      {undoable(story) && (
        <p>
          <a class="button" href={`${casePath(workspace, caseId)}/undo`}>
            Undo case {caseId}…
          </a>
        </p>
      )}
      <Pairs story={story} page={page} pages={pages} label={label} path={casePath(workspace, caseId)} />
    </Layout>,
  );
}

/** Whether Undo applies: the case removed someone, is no undo itself, and was not undone yet. */
export function undoable(story: CaseStory): boolean {
  return (
    story.action !== 'restore' &&
    story.undone.length === 0 &&
    story.records.some((r) => r.action !== 'restore' && r.outcome === 'removed')
  );
}

const capital = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function Entries({ title, entries }: { title: string; entries: CaseEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        <ul>
          {entries.map((e) => (
            <li key={`${e.at}${e.text}`}>
              {when(e.at)} · {e.by}: {e.text}
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

function Summary({ v, workspace }: { v: CaseView; workspace: Id }) {
  const t = v.timer;
  const timer =
    t?.state === 'restored'
      ? `restored${t.restoreCase !== undefined ? ` in case ${t.restoreCase}` : ''}`
      : t?.state === 'cancelled'
        ? 'timer cancelled'
        : t?.state === 'set' && !t.durable
          ? 'timer kept in one process (lost if it stops)'
          : 'timer set';
  const dms = v.dms.slice(0, DMS_LISTED);
  return (
    <dl class="case">
      <dt>Workspace</dt>
      <dd>{workspace}</dd>
      <dt>When</dt>
      <dd>{when(v.at)}</dd>
      <dt>Moderator</dt>
      <dd>
        {v.by}
        {v.byHand ? ` · made by hand (${v.byHand.via}${v.byHand.detail ? `: ${v.byHand.detail}` : ''})` : ''}
      </dd>
      <dt>Command</dt>
      <dd>
        <code>{v.command}</code>
      </dd>
      {v.undoOf !== undefined && (
        <>
          <dt>Undo of</dt>
          <dd>
            <a href={casePath(workspace, v.undoOf)}>case {v.undoOf}</a>
          </dd>
        </>
      )}
      <dt>Reason</dt>
      <dd>{v.reason ?? '(none given)'}</dd>
      {v.reasonHistory.length > 1 && <Entries title="Reason history" entries={v.reasonHistory} />}
      <Entries title="Notes" entries={v.notes} />
      {v.until !== undefined && (
        <>
          <dt>Until</dt>
          <dd>
            {when(v.until)} · {timer}
          </dd>
        </>
      )}
      {v.dms.length > 0 && (
        <>
          <dt>Direct messages</dt>
          <dd>
            {dms
              .map((d) => `${d.user} ${d.ok ? 'sent' : `failed${d.code ? ` (${d.code})` : ''}`}`)
              .join(', ')}
            {v.dms.length > dms.length ? ` and ${v.dms.length - dms.length} more` : ''}
          </dd>
        </>
      )}
      <dt>Undo</dt>
      <dd>
        {v.undoneBy.length === 0
          ? 'not undone'
          : v.undoneBy.map((c, i) => (
              <span key={c}>
                {i > 0 ? ', ' : 'undone by '}
                <a href={casePath(workspace, c)}>case {c}</a>
              </span>
            ))}
      </dd>
      {v.cancelled && (
        <>
          <dt>Cancelled</dt>
          <dd>
            by {v.cancelled.by} at {when(v.cancelled.at)}
          </dd>
        </>
      )}
    </dl>
  );
}

function Pairs(props: {
  story: CaseStory;
  page: number;
  pages: number;
  label: (id: Id, kind: 'user' | 'room') => string;
  path: string;
}) {
  const { story, page, pages, label, path } = props;
  const order = Object.keys(OUTCOME_WORDS);
  const rank = (o: string) => (order.includes(o) ? order.indexOf(o) : order.length);
  const counts = new Map<string, number>();
  for (const r of story.records) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const sorted = [...story.records].sort((a, b) => rank(a.outcome) - rank(b.outcome));
  const shown = sorted.slice((page - 1) * PAIRS_PER_PAGE, page * PAIRS_PER_PAGE);
  const groups = new Map<string, AuditRecord[]>();
  for (const r of shown) groups.set(r.outcome, [...(groups.get(r.outcome) ?? []), r]);
  return (
    <section aria-labelledby="pairs">
      <h2 id="pairs">
        Pairs ({story.records.length.toLocaleString('en')}){pages > 1 ? ` · page ${page} of ${pages}` : ''}
      </h2>
      {story.records.length === 0 && <p>No pairs recorded yet.</p>}
      {[...groups].map(([outcome, rows]) => (
        <section key={outcome} aria-label={OUTCOME_WORDS[outcome] ?? outcome}>
          <h3>
            {capital(OUTCOME_WORDS[outcome] ?? outcome)} ({(counts.get(outcome) ?? 0).toLocaleString('en')})
          </h3>
          <ul class="pairs">
            {rows.map((r) => (
              <li key={`${r.room}|${r.target}`}>
                {label(r.target, 'user')} in {label(r.room, 'room')}
                {r.area !== undefined ? ` (area ${r.area})` : ''}
                {r.code ? ` (${r.code})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {pages > 1 && (
        <nav aria-label="Pages of pairs" class="pager">
          {page > 1 && <a href={`${path}?pairs=${page - 1}`}>Previous pairs</a>}{' '}
          {page < pages && <a href={`${path}?pairs=${page + 1}`}>Next pairs</a>}
        </nav>
      )}
    </section>
  );
}
