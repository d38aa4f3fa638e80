import { useEffect, useState } from 'preact/hooks';
import { consoleCall, plural, type Answer } from './api';

interface StreamLag {
  streamId: string;
  viewVersion: number;
  headVersion: number;
  pendingMs: number;
}
interface ViewStatus {
  name: string;
  functionName: string;
  streams: number;
  streamsBehind: number;
  commitsBehind: number;
  oldestPendingMs: number;
  behind: StreamLag[];
  problems: number;
  deadLetters: number;
}
interface Status {
  at: string;
  views: ViewStatus[];
  totals: { streams: number; commits: number; commitsBehind: number };
  recent: { at: string; views: Record<string, { commitsBehind: number; oldestPendingMs: number }> }[];
  checkpoints: { functionName: string; shardId: string; sequenceNumber: string }[];
  updatedAt?: string;
}
interface DeadLetter {
  functionName: string;
  view?: string;
  at: string;
  reason: string;
  sequenceNumber?: string;
  streamId?: string;
  version?: number;
  eventTypes: string[];
}
interface Difference {
  view: string;
  key: string;
  kind: string;
  expected?: unknown;
  actual?: unknown;
}

const ms = (n: number) =>
  n < 1000 ? `${Math.round(n)} ms` : n < 120_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n / 60_000)} min`;

/** The last samples of one view's lag as bars (height: commits behind). */
const Sparkline = ({ status, view }: { status: Status; view: string }) => {
  const values = status.recent.map((s) => s.views[view]?.commitsBehind ?? 0);
  const max = Math.max(1, ...values);
  const worst = status.recent.reduce((n, s) => Math.max(n, s.views[view]?.oldestPendingMs ?? 0), 0);
  return (
    <div class="lag">
      <svg
        class="spark"
        viewBox={`0 0 ${values.length * 4} 20`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${view}: commits behind over the last ${plural(values.length, 'sample')}, at most ${Math.max(0, ...values)}`}
      >
        {values.map((v, i) => (
          <rect
            key={i}
            x={i * 4}
            y={20 - Math.max(2, (v / max) * 20)}
            width="3"
            height={Math.max(2, (v / max) * 20)}
            class={v ? 'behind' : 'ok'}
          />
        ))}
      </svg>
      <span class="muted small">
        max {Math.max(0, ...values)} behind{worst ? `, ${ms(worst)} pending` : ''} in {plural(values.length, 'sample')}
      </span>
    </div>
  );
};

export const Projections = ({ record }: { record: (answer: Answer<unknown>) => void }) => {
  const [status, setStatus] = useState<Status>();
  const [deadLetters, setDeadLetters] = useState<DeadLetter[]>([]);
  const [error, setError] = useState<string>();
  const [auto, setAuto] = useState(true);
  const [busy, setBusy] = useState<string>();
  const [verify, setVerify] = useState<{ differences: Difference[]; behind: number; log: string[] }>();
  const [opResult, setOpResult] = useState<string[]>();

  const refresh = async () => {
    const [s, d] = await Promise.all([
      consoleCall<Status>('GET', '/console/projections'),
      consoleCall<{ items: DeadLetter[] }>('GET', '/console/dead-letters'),
    ]);
    if (s.ok) setStatus(s.body);
    if (d.ok) setDeadLetters(d.body.items);
    setError(
      s.ok ? (d.ok ? undefined : `${d.error?.code}: ${d.error?.message}`) : `${s.error?.code}: ${s.error?.message}`,
    );
  };
  useEffect(() => {
    void refresh();
    if (!auto) return undefined;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [auto]);

  const operation = async (name: string, path: string, body: unknown) => {
    setBusy(name);
    try {
      const answer = await consoleCall<{ log: string[]; differences?: Difference[]; behind?: number }>(
        'POST',
        path,
        body,
      );
      record(answer);
      if (!answer.ok) setOpResult([`${answer.error?.code}: ${answer.error?.message}`]);
      else if (path === '/console/verify')
        setVerify({
          differences: answer.body.differences ?? [],
          behind: answer.body.behind ?? 0,
          log: answer.body.log,
        });
      else setOpResult(answer.body.log);
      await refresh();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="projections">
      <section class="panel" aria-labelledby="proj-h">
        <h2 id="proj-h">Projections</h2>
        <div class="toolbar">
          <label class="check">
            <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.currentTarget.checked)} /> Refresh every 2
            s
          </label>
          <button type="button" class="secondary" onClick={() => void refresh()}>
            Refresh now
          </button>
          <button
            type="button"
            onClick={() => void operation('verify', '/console/verify', { view: 'all' })}
            disabled={!!busy}
          >
            {busy === 'verify' ? 'Verifying…' : 'Verify every view'}
          </button>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {status && (
          <>
            <p data-testid="projection-totals">
              Event store: <strong>{status.totals.streams}</strong> streams, <strong>{status.totals.commits}</strong>{' '}
              commits. Views behind by <strong data-testid="total-behind">{status.totals.commitsBehind}</strong> commits
              in all.
              <span class="muted"> Sampled {new Date(status.at).toLocaleTimeString()}.</span>
            </p>
            <div class="table-wrap">
              <table class="cards" data-testid="projection-status">
                <caption class="visually-hidden">How far each view is behind the event store</caption>
                <thead>
                  <tr>
                    <th scope="col">View</th>
                    <th scope="col">Streams behind</th>
                    <th scope="col">Commits behind</th>
                    <th scope="col">Oldest pending</th>
                    <th scope="col">Recent lag</th>
                    <th scope="col">Dead letters</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {status.views.map((v) => (
                    <tr key={v.name}>
                      <th scope="row">
                        {v.name} <span class="muted">({v.functionName})</span>
                      </th>
                      <td data-label="Streams behind">
                        {v.streamsBehind} of {v.streams}
                      </td>
                      <td data-label="Commits behind" class={v.commitsBehind ? 'warn' : 'good'}>
                        {v.commitsBehind === 0 ? 'up to date' : v.commitsBehind}
                      </td>
                      <td data-label="Oldest pending">{v.oldestPendingMs ? ms(v.oldestPendingMs) : '—'}</td>
                      <td data-label="Recent lag">
                        <Sparkline status={status} view={v.name} />
                      </td>
                      <td data-label="Dead letters" class={v.deadLetters ? 'warn' : ''}>
                        {v.deadLetters}
                      </td>
                      <td data-label="Actions">
                        {/* The buttons flow in a box of their own: a td laid out as flex loses its row's borders. */}
                        <div class="row-actions">
                          <button
                            type="button"
                            class="secondary"
                            disabled={!!busy}
                            onClick={() => void operation(`redrive-${v.name}`, '/console/redrive', { view: v.name })}
                          >
                            Redrive {v.name}
                          </button>
                          <button
                            type="button"
                            class="secondary"
                            disabled={!!busy}
                            onClick={() => {
                              if (confirm(`Rebuild the ${v.name} view from the event store?`))
                                void operation(`rebuild-${v.name}`, '/console/rebuild', { view: v.name });
                            }}
                          >
                            Rebuild {v.name}
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {status.views.some((v) => v.behind.length > 0) && (
              <>
                <h3>Streams behind</h3>
                <ul class="plain" data-testid="streams-behind">
                  {status.views.flatMap((v) =>
                    v.behind.map((s) => (
                      <li key={`${v.name}-${s.streamId}`}>
                        {v.name}:{' '}
                        <a href={`#/history/${s.streamId}`}>
                          <code>{s.streamId}</code>
                        </a>{' '}
                        at v{s.viewVersion} of v{s.headVersion}, pending {ms(s.pendingMs)}
                      </li>
                    )),
                  )}
                </ul>
              </>
            )}
            <details>
              <summary>Stream checkpoints ({status.checkpoints.length})</summary>
              <p class="muted small">
                Where the local stream runner stopped per projection and shard
                {status.updatedAt ? `, last written ${new Date(status.updatedAt).toLocaleTimeString()}` : ''}.
              </p>
              <ul class="plain small">
                {status.checkpoints.map((c) => (
                  <li key={`${c.functionName}${c.shardId}`}>
                    <strong>{c.functionName}</strong> <code>{c.shardId}</code> → <code>{c.sequenceNumber}</code>
                  </li>
                ))}
              </ul>
            </details>
          </>
        )}
        {opResult && (
          <div class="result" role="status">
            <h3>Last operation</h3>
            <pre>{opResult.join('\n') || '(nothing to say)'}</pre>
          </div>
        )}
      </section>

      {verify && (
        <section class="panel" aria-labelledby="verify-h" data-testid="verify-result">
          <h2 id="verify-h">Verify: each view against a fresh fold of the event store</h2>
          <p role="status">
            {verify.differences.length === 0 ? (
              <strong class="good">No differences.</strong>
            ) : (
              <strong class="warn">{plural(verify.differences.length, 'difference')}.</strong>
            )}
            {verify.behind > 0 && <> {plural(verify.behind, 'item')} still catching up (not counted).</>}
          </p>
          <pre class="small">{verify.log.join('\n')}</pre>
          {verify.differences.map((d, i) => (
            <details key={i}>
              <summary>
                {d.view}: {d.kind} <code>{d.key}</code>
              </summary>
              <div class="compare">
                <pre>expected {JSON.stringify(d.expected, null, 2)}</pre>
                <pre>actual {JSON.stringify(d.actual, null, 2)}</pre>
              </div>
            </details>
          ))}
        </section>
      )}

      <section class="panel" aria-labelledby="dl-h">
        <h2 id="dl-h">Dead letters</h2>
        {deadLetters.length === 0 ? (
          <p class="muted" data-testid="no-dead-letters">
            None: every record reached its view.
          </p>
        ) : (
          <ul class="dead-letters" data-testid="dead-letters">
            {deadLetters.map((d, i) => (
              <li key={i}>
                <strong>{d.functionName}</strong> ·{' '}
                {d.streamId ? (
                  <a href={`#/history/${d.streamId}`}>
                    <code>{d.streamId}</code>
                  </a>
                ) : (
                  '?'
                )}{' '}
                v{d.version ?? '?'}
                {' · '}
                {d.eventTypes.join(', ')}
                <div class="error">{d.reason}</div>
                <span class="muted small">
                  dead-lettered {d.at ? new Date(d.at).toLocaleString() : '?'}
                  {d.sequenceNumber ? ` · sequence ${d.sequenceNumber}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
};
