import {
  type CaseQuery,
  type CaseSearchPage,
  type CaseSummary,
  OUTCOME_WORDS,
  SEARCH_CASES,
  SEARCH_RECORDS,
} from '../core/index.js';
import { type AdminView, sendHtml } from './app.js';
import { casePath, sendMessage } from './case-common.js';
import { readSearch, type SearchForm, searchHref } from './cases-query.js';
import { Layout } from './layout.js';

/**
 * `/admin/cases`: the search form (GET, so a search is a link) and the cases it finds, newest first, 20 a page.
 * A page's walk reads at most SEARCH_CASES cases or SEARCH_RECORDS records; past that it says so and offers to
 * search further from where it stopped.
 */
export async function casesPage(view: AdminView): Promise<void> {
  const read = readSearch(view.url);
  if (!read.ok) return sendMessage(view, 400, 'Cases', `This search cannot be run: ${read.problem}.`);
  const { form } = read;
  const reads = view.deps.runtime.core.cases;
  const workspaces = [...(await reads.workspaces())].sort();
  if (form.ws === '') form.ws = workspaces[0] ?? '';
  if (form.ws !== '' && !workspaces.includes(form.ws))
    return sendPage(view, 400, form, workspaces, {
      problem: `no workspace "${form.ws.slice(0, 80)}" has cases`,
    });
  if (form.ws === '') return sendPage(view, 200, form, workspaces, {});
  const query: CaseQuery = { workspace: form.ws };
  for (const [name, kind, what] of [
    ['user', 'user', 'user'],
    ['by', 'user', 'moderator'],
    ['room', 'room', 'room'],
  ] as const) {
    if (form[name] === '') continue;
    const resolved = await reads.resolve(form.ws, form[name], kind);
    if (!resolved.ok)
      return sendPage(view, 400, form, workspaces, { problem: `${what}: ${resolved.message}` });
    query[name] = resolved.value;
  }
  if (form.outcome !== '') query.outcome = form.outcome;
  if (form.fromMs !== undefined) query.from = form.fromMs;
  if (form.toMs !== undefined) query.to = form.toMs;
  if (form.before !== undefined) query.before = form.before;
  sendPage(view, 200, form, workspaces, { found: await reads.search(query) });
}

function sendPage(
  view: AdminView,
  status: number,
  form: SearchForm,
  workspaces: string[],
  about: { problem?: string; found?: CaseSearchPage },
): void {
  sendHtml(
    view.res,
    status,
    <Layout title="Cases" current="/admin/cases" csrf={view.csrf}>
      <SearchFormView form={form} workspaces={workspaces} />
      {about.problem !== undefined && <p role="alert">This search cannot be run: {about.problem}.</p>}
      {workspaces.length === 0 && <p>No cases yet.</p>}
      {about.found && <Results form={form} found={about.found} />}
    </Layout>,
  );
}

function SearchFormView({ form, workspaces }: { form: SearchForm; workspaces: string[] }) {
  const text = (name: 'user' | 'by' | 'room', label: string, hint: string) => (
    <p>
      <label for={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        name={name}
        value={form[name]}
        maxLength={200}
        aria-describedby="f-hint"
        placeholder={hint}
      />
    </p>
  );
  return (
    <search aria-label="Search cases">
      <form method="get" action="/admin/cases" class="search">
        <p>
          <label for="f-ws">Workspace</label>
          <select id="f-ws" name="ws">
            {workspaces.map((w) => (
              <option key={w} value={w} selected={w === form.ws}>
                {w}
              </option>
            ))}
          </select>
        </p>
        {text('user', 'User', '@bob or slack:T1/U123')}
        {text('by', 'Moderator', '@mo')}
        {text('room', 'Room', '#general')}
        <p>
          <label for="f-outcome">Outcome</label>
          <select id="f-outcome" name="outcome">
            <option value="">any</option>
            {Object.entries(OUTCOME_WORDS).map(([value, word]) => (
              <option key={value} value={value} selected={value === form.outcome}>
                {word}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="f-from">From (UTC day)</label>
          <input id="f-from" name="from" type="date" value={form.from} />
        </p>
        <p>
          <label for="f-to">To (UTC day, included)</label>
          <input id="f-to" name="to" type="date" value={form.to} />
        </p>
        <p id="f-hint" class="hint">
          A user, moderator or room is a platform id (console:bob, slack:T1/U123), a mention as typed on that
          platform (@bob, &lt;@U123&gt;, #general), or a name where the platform looks names up.
        </p>
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

function Results({ form, found }: { form: SearchForm; found: CaseSearchPage }) {
  const page = form.trail.length + 1;
  const start = form.before;
  const prev =
    form.trail.length > 0
      ? searchHref(form, { before: form.trail.at(-1), trail: form.trail.slice(0, -1) })
      : undefined;
  const next =
    found.next !== undefined
      ? searchHref(form, { before: found.next, trail: [...form.trail, start ?? 0] })
      : undefined;
  return (
    <section aria-labelledby="results">
      <h2 id="results">
        {found.items.length === 0 ? 'No cases found' : `Cases found, newest first (page ${page})`}
      </h2>
      {found.items.length > 0 && (
        // On a phone the table scrolls inside this labelled box, not the page.
        <section class="table" aria-label="Table of cases">
          <CaseTable workspace={form.ws} items={found.items} />
        </section>
      )}
      {found.bounded && (
        <p role="status">
          This page stopped after reading {found.examined.cases} cases and {found.examined.records} records
          (at most {SEARCH_CASES} cases or {SEARCH_RECORDS.toLocaleString('en')} records a page); older cases
          were not searched yet.
        </p>
      )}
      <nav aria-label="Pages of cases" class="pager">
        {prev !== undefined && (
          <a href={prev} rel="prev">
            Previous page
          </a>
        )}{' '}
        {next !== undefined && (
          <a href={next} rel="next">
            {found.bounded ? `Search further (case ${found.next} and older)` : 'Next page'}
          </a>
        )}
      </nav>
    </section>
  );
}

function CaseTable({ workspace, items }: { workspace: string; items: CaseSummary[] }) {
  return (
    <table class="cases">
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">When (UTC)</th>
          <th scope="col">Moderator</th>
          <th scope="col">Command</th>
          <th scope="col">Pairs</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.case}>
            <td>
              <a href={casePath(workspace, c.case)}>Case {c.case}</a>
            </td>
            <td>{c.at.slice(0, 16).replace('T', ' ')}</td>
            <td>
              {c.by}
              {c.byHand ? ' (by hand)' : ''}
            </td>
            <td>{c.command}</td>
            <td>
              {countsText(c.counts)}
              {c.undoneBy !== undefined ? ` · undone by case ${c.undoneBy}` : ''}
            </td>
            <td>{c.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `removed 3, failed 1`, in the order of OUTCOME_WORDS. */
export const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([outcome, n]) => `${OUTCOME_WORDS[outcome] ?? outcome} ${n.toLocaleString('en')}`)
    .join(', ');
