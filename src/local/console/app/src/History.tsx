import { useEffect, useRef, useState } from 'preact/hooks';
import { apiCall } from './api';
import type { ListSummary, ListView } from './TodoApp';

interface EventItem {
  version: number;
  type: string;
  data: unknown;
  at: string;
  userId?: string;
  correlationId?: string;
  causationId?: string;
}
interface Commit {
  version: number;
  at: string;
  userId?: string;
  correlationId?: string;
  causationId?: string;
  events: { type: string; data: unknown }[];
}

const PAGE = 10;

const toCommits = (items: EventItem[]): Commit[] => {
  const commits: Commit[] = [];
  for (const item of items) {
    let commit = commits.at(-1);
    if (!commit || commit.version !== item.version) {
      commit = {
        version: item.version,
        at: item.at,
        userId: item.userId,
        correlationId: item.correlationId,
        causationId: item.causationId,
        events: [],
      };
      commits.push(commit);
    }
    commit.events.push({ type: item.type, data: item.data });
  }
  return commits;
};

/**
 * What caused a commit a reaction ran: `<reaction>:<streamId>:<version>`. A list's own commit links
 * to that version in its history; another stream's (a user's tags) is named.
 */
const Cause = ({ causationId }: { causationId: string }) => {
  const match = /^([^:]+):(.+):([0-9]+)$/.exec(causationId);
  if (!match)
    return (
      <span class="muted">
        caused by <code>{causationId}</code>
      </span>
    );
  const [, reaction, streamId, version] = match;
  const own = !streamId!.includes('#');
  return (
    <span class="cause" data-testid="cause">
      caused by <strong>{reaction}</strong> reacting to{' '}
      {own ? (
        <a href={`#/history/${streamId}`}>
          {streamId} v{version}
        </a>
      ) : (
        <code>
          {streamId} v{version}
        </code>
      )}
    </span>
  );
};

const ListCard = ({
  title,
  view,
  other,
  testId,
}: {
  title: string;
  view: ListView | undefined;
  other?: ListView;
  testId: string;
}) => (
  <section class="panel card" aria-label={title} data-testid={testId}>
    <h3>{title}</h3>
    {!view ? (
      <p class="muted">…</p>
    ) : (
      <>
        <p class="list-title">
          <strong>{view.title}</strong> {view.archived && <span class="badge">archived</span>}
          {other && other.title !== view.title && (
            <span class="changed" title="differs from the other side">
              {' '}
              ≠
            </span>
          )}
        </p>
        {view.todos.length === 0 ? (
          <p class="muted">No todos.</p>
        ) : (
          <ul class="plain">
            {view.todos.map((t) => {
              const there = other?.todos.find((o) => o.todoId === t.todoId);
              const changed = other && (!there || there.title !== t.title || there.completed !== t.completed);
              return (
                <li key={t.todoId} class={changed ? 'changed' : ''}>
                  <span aria-hidden="true">{t.completed ? '☑' : '☐'}</span> {t.title}
                  <span class="visually-hidden">{t.completed ? ' (done)' : ' (open)'}</span>
                </li>
              );
            })}
          </ul>
        )}
      </>
    )}
  </section>
);

const ListPicker = () => {
  const [lists, setLists] = useState<ListSummary[]>();
  useEffect(() => {
    void apiCall<{ items: ListSummary[] }>('GET', '/lists?limit=100').then((a) => a.ok && setLists(a.body.items));
  }, []);
  return (
    <section class="panel">
      <h2>History</h2>
      <p>Pick a list to see its commits and travel through its versions.</p>
      {lists && lists.length === 0 && <p class="muted">No lists yet.</p>}
      <ul class="plain">
        {lists?.map((l) => (
          <li key={l.listId}>
            <a href={`#/history/${l.listId}`}>{l.title}</a> <span class="muted">v{l.version}</span>
          </li>
        ))}
      </ul>
    </section>
  );
};

export const History = ({ listId }: { listId: string | undefined }) => {
  const [current, setCurrent] = useState<ListView>();
  const [commits, setCommits] = useState<Commit[]>([]);
  const [nextToken, setNextToken] = useState<string>();
  const [error, setError] = useState<string>();
  const [at, setAt] = useState<number>();
  const [past, setPast] = useState<ListView>();
  const latest = useRef(0);

  const loadPage = async (token?: string) => {
    const answer = await apiCall<{ items: EventItem[]; nextToken?: string }>(
      'GET',
      `/lists/${listId}/events?limit=${PAGE}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
    );
    if (!answer.ok) return setError(`${answer.status} ${answer.error?.code}: ${answer.error?.message}`);
    setCommits((before) => [...(token ? before : []), ...toCommits(answer.body.items)]);
    setNextToken(answer.body.nextToken);
  };

  const travel = async (version: number) => {
    setAt(version);
    const ticket = ++latest.current;
    const answer = await apiCall<ListView>('GET', `/lists/${listId}?atVersion=${version}`);
    // Only the last position of the slider counts, whatever order the answers come in.
    if (ticket !== latest.current) return;
    if (answer.ok) setPast(answer.body);
    else setError(`${answer.status} ${answer.error?.code}: ${answer.error?.message}`);
  };

  useEffect(() => {
    if (!listId) return;
    setError(undefined);
    void (async () => {
      const answer = await apiCall<ListView>('GET', `/lists/${listId}`);
      if (!answer.ok) return setError(`${answer.status} ${answer.error?.code}: ${answer.error?.message}`);
      setCurrent(answer.body);
      await Promise.all([loadPage(), travel(answer.body.version)]);
    })();
  }, [listId]);

  if (!listId) return <ListPicker />;
  return (
    <div class="history">
      <section class="panel" aria-labelledby="tt-h">
        <h2 id="tt-h">Time travel{current ? `: ${current.title}` : ''}</h2>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {current && at !== undefined && (
          <>
            <div class="slider">
              <label for="tt-version">
                Version{' '}
                <output for="tt-version" data-testid="tt-version">
                  {at}
                </output>{' '}
                of {current.version}
              </label>
              <input
                id="tt-version"
                type="range"
                min={1}
                max={current.version}
                step={1}
                value={at}
                onInput={(e) => void travel(Number(e.currentTarget.value))}
              />
            </div>
            <div class="compare">
              <ListCard title={`As of version ${past?.version ?? at}`} view={past} other={current} testId="tt-past" />
              <ListCard title={`Now (version ${current.version})`} view={current} testId="tt-current" />
            </div>
          </>
        )}
        <p>
          <a href={`#/app/${listId}`}>Back to the list</a>
        </p>
      </section>
      <section class="panel" aria-labelledby="commits-h">
        <h2 id="commits-h">Commits</h2>
        <ol class="commits" data-testid="commits">
          {commits.map((c) => (
            <li key={c.version} class={c.version === at ? 'selected' : ''}>
              <div class="commit-head">
                <button
                  type="button"
                  class="link"
                  onClick={() => void travel(c.version)}
                  // The name starts with the text shown, so that "click v3" works by voice.
                  aria-label={`v${c.version}: show the list at this version`}
                >
                  v{c.version}
                </button>
                <time dateTime={c.at}>{new Date(c.at).toLocaleString()}</time>
                <span>
                  by <strong>{c.userId ?? '?'}</strong>
                </span>
                <span class="muted">
                  correlation <code>{c.correlationId ?? '—'}</code>
                </span>
                {c.causationId && <Cause causationId={c.causationId} />}
              </div>
              <ul class="events">
                {c.events.map((e, i) => (
                  <li key={i}>
                    <code class="event-type">{e.type}</code> <code class="data">{JSON.stringify(e.data)}</code>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
        {nextToken && (
          <button type="button" class="secondary" onClick={() => void loadPage(nextToken)}>
            Load the next {PAGE} commits
          </button>
        )}
        {!nextToken && commits.length > 0 && <p class="muted">All {commits.length} commits shown.</p>}
      </section>
    </div>
  );
};
