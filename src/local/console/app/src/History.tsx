/**
 * A stream's history, from the queries the app declares for it (its events page, and its state
 * with `atVersion`): the commits with who, when, why (causation) and their events, ids shown by
 * name; and time travel, the state at any version beside the state now, differences marked.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiCall } from './api';
import { fillPath, idsFor, type Declaration, type KnownModel } from './declaration';
import { JsonView } from './JsonView';

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
 * What caused a commit a reaction ran: `<reaction>:<streamId>:<version>`. A commit of a stream of this history links
 * to that version in its history; another aggregate's stream (with a prefix) is named.
 */
const Cause = ({ causationId, historyOf }: { causationId: string; historyOf: string }) => {
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
        <a href={`#/history/${historyOf}/${streamId}`}>
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

const StateCard = ({
  title,
  view,
  other,
  testId,
  known,
}: {
  title: string;
  view: unknown;
  other?: unknown;
  testId: string;
  known: KnownModel;
}) => (
  <section class="panel card" aria-label={title} data-testid={testId}>
    <h3>{title}</h3>
    {view === undefined ? <p class="muted">…</p> : <JsonView value={view} known={known} other={other} />}
  </section>
);

/** Every stream history the app declares, opened for an id that was seen or typed. */
const HistoryPicker = ({ declaration, known }: { declaration: Declaration; known: KnownModel }) => (
  <section class="panel">
    <h2>History</h2>
    <p>Pick a stream to see its commits and travel through its versions.</p>
    {declaration.histories.length === 0 && <p class="muted">This app declares no query of a stream's events.</p>}
    {declaration.histories.map((h) => {
      const param = h.pathParams.at(-1) ?? '';
      const ids = idsFor(known, param);
      const summary = declaration.operations.find((o) => o.name === h.events)?.summary ?? h.events;
      return (
        <section key={h.events} aria-label={summary}>
          <h3>{summary}</h3>
          {ids.length === 0 ? (
            <p class="muted">No {param} seen yet.</p>
          ) : (
            <ul class="plain">
              {ids.map((id) => (
                <li key={id}>
                  <a href={`#/history/${h.events}/${id}`}>{known.label(id)}</a> <code class="muted id">{id}</code>
                </li>
              ))}
            </ul>
          )}
        </section>
      );
    })}
  </section>
);

type State = Record<string, unknown> & { version?: number };

export const History = ({
  declaration,
  known,
  name,
  ids,
}: {
  declaration: Declaration;
  known: KnownModel;
  name: string | undefined;
  ids: readonly string[];
}) => {
  const history = declaration.histories.find((h) => h.events === name);
  const events = declaration.operations.find((o) => o.name === history?.events);
  const state = declaration.operations.find((o) => o.name === history?.state);
  const params = Object.fromEntries((history?.pathParams ?? []).map((p, i) => [p, ids[i] ?? '']));
  const streamName = known.label(ids.at(-1) ?? '');
  const [current, setCurrent] = useState<State>();
  const [commits, setCommits] = useState<Commit[]>([]);
  const [nextToken, setNextToken] = useState<string>();
  const [error, setError] = useState<string>();
  const [at, setAt] = useState<number>();
  const [past, setPast] = useState<State>();
  const latest = useRef(0);

  const loadPage = async (token?: string) => {
    if (!events) return;
    const answer = await apiCall<{ items: EventItem[]; nextToken?: string }>(
      'GET',
      `${fillPath(events.path, params)}?limit=${PAGE}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`,
    );
    if (!answer.ok) return setError(`${answer.status} ${answer.error?.code}: ${answer.error?.message}`);
    known.learn(answer.body.items.map((i) => i.data));
    setCommits((before) => [...(token ? before : []), ...toCommits(answer.body.items)]);
    setNextToken(answer.body.nextToken);
  };

  const travel = async (version: number) => {
    setAt(version);
    if (!state) return;
    const ticket = ++latest.current;
    const answer = await apiCall<State>('GET', `${fillPath(state.path, params)}?atVersion=${version}`);
    // Only the last position of the slider counts, whatever order the answers come in.
    if (ticket !== latest.current) return;
    if (answer.ok) setPast(answer.body);
    else setError(`${answer.status} ${answer.error?.code}: ${answer.error?.message}`);
  };

  useEffect(() => {
    if (!history || !events) return;
    setError(undefined);
    void (async () => {
      if (!state) return loadPage();
      const answer = await apiCall<State>('GET', fillPath(state.path, params));
      if (!answer.ok) return setError(`${answer.status} ${answer.error?.code}: ${answer.error?.message}`);
      known.learn(answer.body);
      setCurrent(answer.body);
      await Promise.all([loadPage(), travel(Number(answer.body.version ?? 1))]);
    })();
  }, [name, ids.join('/')]);

  if (!history || ids.length < history.pathParams.length || ids.some((i) => !i))
    return <HistoryPicker declaration={declaration} known={known} />;
  const head = Number(current?.version ?? commits.at(-1)?.version ?? 0);
  return (
    <div class="history">
      <section class="panel" aria-labelledby="tt-h">
        <h2 id="tt-h">Time travel: {streamName}</h2>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {current && at !== undefined && state && (
          <>
            <div class="slider">
              <label for="tt-version">
                Version{' '}
                <output for="tt-version" data-testid="tt-version">
                  {at}
                </output>{' '}
                of {head}
              </label>
              <input
                id="tt-version"
                type="range"
                min={1}
                max={head}
                step={1}
                value={at}
                onInput={(e) => void travel(Number(e.currentTarget.value))}
              />
            </div>
            <div class="compare">
              <StateCard
                title={`As of version ${past?.version ?? at}`}
                view={past}
                other={current}
                testId="tt-past"
                known={known}
              />
              <StateCard
                title={`Now (version ${head})`}
                view={current}
                other={past}
                testId="tt-current"
                known={known}
              />
            </div>
          </>
        )}
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
                  aria-label={`v${c.version}: show the state at this version`}
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
                {c.causationId && <Cause causationId={c.causationId} historyOf={history.events} />}
              </div>
              <ul class="events">
                {c.events.map((e, i) => (
                  <li key={i}>
                    <code class="event-type">{e.type}</code> <JsonView value={e.data} known={known} />
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
