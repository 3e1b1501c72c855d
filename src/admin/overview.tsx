import type { Health } from '../cli/health.js';
import { OUTCOME_WORDS } from '../core/cases/format.js';
import { type AdminPage, sendHtml } from './app.js';
import { Layout } from './layout.js';
import { JOB_STATES, type JobCounts, type OverviewData, overviewData, type Part } from './overview-data.js';
import { TODAY_RECORDS, TODAY_WORKSPACES, type TodayCounts } from './today.js';

/** `/admin`: the store, persistence, each platform's state, the job queues and today's counts, read now. */
export const overviewPage: AdminPage = {
  pattern: '/admin',
  async GET(view) {
    const data = await overviewData(view.deps);
    sendHtml(
      view.res,
      200,
      <Layout title="Overview" current="/admin" csrf={view.csrf}>
        <Overview data={data} timers={view.deps.runtime.timersLabel} />
      </Layout>,
    );
  },
};

function Overview({ data, timers }: { data: OverviewData; timers: string | undefined }) {
  return (
    <>
      <section aria-labelledby="store">
        <h2 id="store">Store</h2>
        <Missing part={data.health}>{(h) => <StoreState health={h} />}</Missing>
      </section>
      <section aria-labelledby="platforms">
        <h2 id="platforms">Platforms</h2>
        <Platforms data={data} />
      </section>
      <section aria-labelledby="queue">
        <h2 id="queue">Queue</h2>
        {data.queues ? (
          <Missing part={data.queues}>{(q) => <Queues counts={q} />}</Missing>
        ) : (
          <p>In-process: bulk jobs run in this process (no Redis, so no BullMQ queue to count).</p>
        )}
        {timers && <p class="hint">Note: {timers}.</p>}
      </section>
      <section aria-labelledby="today">
        <h2 id="today">Today</h2>
        <Missing part={data.today}>{(t) => <Today counts={t} />}</Missing>
      </section>
    </>
  );
}

/** A part's content, or why it is missing. */
function Missing<T>({ part, children }: { part: Part<T>; children: (value: T) => preact.JSX.Element }) {
  return part.ok ? children(part.value) : <p class="bad">Not available: {part.why}.</p>;
}

function StoreState({ health }: { health: Health }) {
  return (
    <dl>
      <dt>Store</dt>
      <dd>
        {health.store === 'memory' ? (
          'memory (state lasts as long as this process)'
        ) : (
          <>
            redis: <span class={health.redis === 'up' ? 'ok' : 'bad'}>{health.redis ?? 'unknown'}</span>
          </>
        )}
      </dd>
      <dt>Persistence</dt>
      <dd>
        {health.store === 'memory' ? (
          'none (memory store)'
        ) : (
          <span class={health.persistence === 'none' ? 'bad' : undefined}>
            {health.persistence ?? 'unknown'}
            {health.persistence === 'none' && ': a Redis restart loses the audit log'}
          </span>
        )}
      </dd>
      <dt>Worker in this process</dt>
      <dd>{health.worker ? 'yes' : 'no'}</dd>
      <dt>Health</dt>
      <dd class={health.ok ? 'ok' : 'bad'}>{health.ok ? 'ok (/healthz 200)' : 'degraded (/healthz 503)'}</dd>
    </dl>
  );
}

function Platforms({ data }: { data: OverviewData }) {
  const systems = data.health.ok ? data.health.value.platforms : [];
  return (
    <>
      <div class="table">
        <table>
          <caption class="hint">Where moderators type commands</caption>
          <thead>
            <tr>
              <th scope="col">Front</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {data.fronts.map((f) => (
              <tr key={f.name}>
                <th scope="row">{f.name}</th>
                <td class={f.ok ? 'ok' : 'bad'}>{f.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Systems kickbot removes from: {systems.length > 0 ? systems.join(', ') : 'none'}
        {!data.health.ok && ' (unknown: the health check did not answer)'}.
      </p>
    </>
  );
}

function Queues({ counts }: { counts: { bulk: JobCounts; timers: JobCounts } }) {
  const rows = [
    ['bulk', 'Bulk jobs', counts.bulk],
    ['timers', 'Timed restores', counts.timers],
  ] as const;
  return (
    <div class="table">
      <table>
        <caption class="hint">BullMQ jobs in Redis, by state</caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            {JOB_STATES.map((s) => (
              <th scope="col" key={s}>
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, label, c]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {JOB_STATES.map((s) => (
                <td key={s}>{c[s] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Today({ counts }: { counts: TodayCounts }) {
  const atLeast = counts.partial ? 'at least ' : '';
  const outcomes = Object.entries(counts.pairs).sort(([, a], [, b]) => b - a);
  return (
    <>
      <p>
        Since {new Date(counts.since).toISOString().slice(0, 10)} 00:00 UTC: {atLeast}
        <strong>{counts.cases}</strong> {counts.cases === 1 ? 'case' : 'cases'} opened.
      </p>
      {outcomes.length === 0 ? (
        <p>No pairs recorded today.</p>
      ) : (
        <div class="table">
          <table>
            <caption class="hint">Pairs recorded today, by outcome</caption>
            <thead>
              <tr>
                <th scope="col">Outcome</th>
                <th scope="col">Pairs</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map(([outcome, n]) => (
                <tr key={outcome}>
                  <th scope="row">{OUTCOME_WORDS[outcome] ?? outcome}</th>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">
        Counted from the audit log: the newest {TODAY_RECORDS.toLocaleString('en')} records of each of at most{' '}
        {TODAY_WORKSPACES} workspaces{counts.partial ? '; today had more, so these are lower bounds' : ''}.
      </p>
    </>
  );
}
