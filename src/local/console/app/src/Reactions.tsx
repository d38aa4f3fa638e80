import { useEffect, useState } from 'preact/hooks';
import { consoleCall } from './api';

interface ReactionLag {
  streamId: string;
  reactedTo: number;
  pendingTo: number;
  pendingCommits: number;
  pendingSince: string;
}
interface ReactionDeadLetter {
  streamId: string;
  fromVersion: number;
  toVersion: number;
  error: string;
  failedAt: string;
  failures: number;
}
interface ReactionStatus {
  name: string;
  functionName: string;
  on: string;
  events: string[];
  behind: ReactionLag[];
  deadLetters: ReactionDeadLetter[];
}
interface IntegrationEvent {
  id: string;
  source: string;
  type: string;
  time: string;
  detail: Record<string, unknown>;
}

const ago = (iso: string) => {
  const ms = Math.max(0, Date.now() - Date.parse(iso));
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
};

/**
 * Reactions (handlers/reactions.ts): per reaction, the streams with events it has not yet reacted to
 * and for how long, its dead letters with a redrive, and the integration events published locally.
 */
export const Reactions = () => {
  const [reactions, setReactions] = useState<ReactionStatus[]>();
  const [events, setEvents] = useState<IntegrationEvent[]>([]);
  const [error, setError] = useState<string>();
  const [log, setLog] = useState<string[]>();

  const refresh = async () => {
    const answer = await consoleCall<{ reactions: ReactionStatus[]; integrationEvents: IntegrationEvent[] }>(
      'GET',
      '/console/reactions',
    );
    if (!answer.ok) return setError(`${answer.error?.code}: ${answer.error?.message}`);
    setError(undefined);
    setReactions(answer.body.reactions);
    setEvents(answer.body.integrationEvents);
  };
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 3000);
    return () => clearInterval(timer);
  }, []);

  const redrive = async () => {
    const answer = await consoleCall<{ log: string[] }>('POST', '/console/reactions/redrive');
    setLog(answer.ok ? answer.body.log : [`${answer.error?.code}: ${answer.error?.message}`]);
    await refresh();
  };

  return (
    <section class="panel" aria-labelledby="reactions-h" data-testid="reactions">
      <h2 id="reactions-h">Reactions</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!reactions ? (
        <p class="muted">…</p>
      ) : (
        // One card per reaction on a narrow screen, as the projections' table.
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">reaction</th>
              <th scope="col">follows</th>
              <th scope="col">streams behind</th>
              <th scope="col">events pending</th>
              <th scope="col">oldest pending</th>
              <th scope="col">dead letters</th>
            </tr>
          </thead>
          <tbody>
            {reactions.map((r) => {
              const oldest = r.behind.map((b) => b.pendingSince).sort()[0];
              return (
                <tr key={r.name} data-testid={`reaction-${r.name}`}>
                  <th scope="row">
                    <code>{r.name}</code>
                  </th>
                  <td class="small" data-label="follows">
                    {r.on}: {r.events.join(', ')}
                  </td>
                  <td data-label="streams behind">{r.behind.length}</td>
                  <td data-label="events pending">{r.behind.reduce((n, b) => n + b.pendingCommits, 0)}</td>
                  <td data-label="oldest pending">{oldest ? ago(oldest) : '—'}</td>
                  <td data-label="dead letters">{r.deadLetters.length}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {reactions?.some((r) => r.deadLetters.length > 0) && (
        <>
          <ul class="plain">
            {reactions.flatMap((r) =>
              r.deadLetters.map((d) => (
                <li key={`${r.name}-${d.streamId}`}>
                  <code>{r.name}</code> <code>{d.streamId}</code> from v{d.fromVersion}: {d.error}
                </li>
              )),
            )}
          </ul>
          <button type="button" onClick={() => void redrive()}>
            Redrive the reactions
          </button>
        </>
      )}
      {log && <pre class="log">{log.join('\n')}</pre>}
      <h3>Integration events (published locally)</h3>
      {events.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <ol class="plain" data-testid="integration-events">
          {[...events].reverse().map((e) => (
            <li key={e.id}>
              <code class="event-type">{e.type}</code> <code>{e.id}</code>{' '}
              <code class="data">{JSON.stringify(e.detail)}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
