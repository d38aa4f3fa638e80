/**
 * The app's page, rendered from its declaration alone: a form for every command (its path
 * parameters from the ids selected, its JSON body from the body's schema) and the answers of
 * every query, read again at the version each command answers (read-your-writes). A new
 * aggregate, command or query appears here with no console code.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiCall, type Answer } from './api';
import { AnswerError } from './CommandLog';
import { fillPath, idsFor, type Declaration, type JsonSchema, type KnownModel, type Operation } from './declaration';
import { keepFocus } from './focus';
import { JsonView } from './JsonView';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A read that must show at least `minVersion`: on 503 VIEW_BEHIND it asks again, a few times. */
const readAtLeast = async (path: string) => {
  let answer = await apiCall('GET', path);
  for (let i = 0; i < 5 && answer.status === 503 && answer.error?.code === 'VIEW_BEHIND'; i += 1) {
    await sleep(300);
    answer = await apiCall('GET', path);
  }
  return answer;
};

/** The last command's answer, by the fields a query may wait on. */
interface Written {
  readonly seq: number;
  readonly body: Readonly<Record<string, unknown>>;
}

const fieldId = (operation: Operation, field: string) => `${operation.name}-${field}`;

/** A path parameter or id field: typed, or picked from the ids seen (shown by name). */
const IdField = ({
  operation,
  field,
  value,
  onInput,
  known,
  describedBy,
}: {
  operation: Operation;
  field: string;
  value: string;
  onInput: (value: string) => void;
  known: KnownModel;
  describedBy?: string;
}) => {
  const id = fieldId(operation, field);
  const ids = idsFor(known, field);
  return (
    <span class="field-pair">
      <label for={id}>{field}</label>
      <input
        id={id}
        list={ids.length > 0 ? `${id}-known` : undefined}
        value={value}
        required
        aria-describedby={describedBy}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {ids.length > 0 && (
        <datalist id={`${id}-known`}>
          {ids.map((i) => (
            <option key={i} value={i}>
              {known.label(i)}
            </option>
          ))}
        </datalist>
      )}
      {value && known.names[value] !== undefined && <span class="muted id-name">{known.names[value]}</span>}
    </span>
  );
};

type Fields = Readonly<Record<string, JsonSchema>>;
const bodyFields = (operation: Operation): Fields =>
  (operation.body?.properties as Fields | undefined) ?? ({} as Fields);

/** A body field's value as the schema wants it (a number field sends a number). */
const typed = (schema: JsonSchema, text: string): unknown => {
  if (schema.type === 'integer' || schema.type === 'number') return text.trim() === '' ? undefined : Number(text);
  if (schema.type === 'boolean') return text === 'true';
  if (schema.type === 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const CommandForm = ({
  operation,
  known,
  busy,
  send,
}: {
  operation: Operation;
  known: KnownModel;
  busy: boolean;
  send: (operation: Operation, path: string, body: unknown) => Promise<Answer<unknown>>;
}) => {
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<Answer<unknown>>();
  const fields = bodyFields(operation);
  const errorId = `${operation.name}-error`;
  const refused = answer && !answer.ok;
  const submit = async (e: Event) => {
    e.preventDefault();
    const params = Object.fromEntries(operation.pathParams.map((p) => [p, known.selected[p] ?? '']));
    const path = fillPath(operation.path, params);
    if (operation.destructive && !confirm(`${operation.summary}? (${operation.method} ${path}) It cannot be undone.`))
      return;
    const body = operation.body
      ? Object.fromEntries(
          Object.entries(fields)
            .map(([k, schema]) => [k, typed(schema, values[k] ?? '')] as const)
            .filter(([, v]) => v !== undefined),
        )
      : undefined;
    const sent = await send(operation, path, body);
    setAnswer(sent);
    if (sent.ok) setValues({});
  };
  return (
    <form class="command" aria-label={operation.summary} onSubmit={submit} data-testid={`command-${operation.name}`}>
      <div class="command-fields">
        {operation.pathParams.map((p) => (
          <IdField
            key={p}
            operation={operation}
            field={p}
            value={known.selected[p] ?? ''}
            onInput={(v) => known.select(p, v)}
            known={known}
            describedBy={refused ? errorId : undefined}
          />
        ))}
        {Object.entries(fields).map(([k, schema]) =>
          /Id$/.test(k) ? (
            <IdField
              key={k}
              operation={operation}
              field={k}
              value={values[k] ?? ''}
              onInput={(v) => setValues((before) => ({ ...before, [k]: v }))}
              known={known}
              describedBy={refused ? errorId : undefined}
            />
          ) : (
            <span class="field-pair" key={k}>
              <label for={fieldId(operation, k)}>{k}</label>
              <input
                id={fieldId(operation, k)}
                inputMode={schema.type === 'integer' || schema.type === 'number' ? 'numeric' : undefined}
                value={values[k] ?? ''}
                maxLength={typeof schema.maxLength === 'number' ? schema.maxLength : undefined}
                aria-invalid={refused ? 'true' : undefined}
                aria-describedby={refused ? errorId : undefined}
                disabled={busy}
                onInput={(e) => setValues((before) => ({ ...before, [k]: e.currentTarget.value }))}
              />
            </span>
          ),
        )}
        <button type="submit" class={operation.destructive ? 'danger' : ''} disabled={busy}>
          {operation.summary}
        </button>
        <code class="muted route">
          {operation.method} {operation.path}
        </code>
      </div>
      {refused && <AnswerError id={errorId} answer={answer} />}
      {answer?.ok && (
        <p class="muted small" role="status">
          {answer.status} · {JSON.stringify(answer.body)}
        </p>
      )}
    </form>
  );
};

/**
 * Read-your-writes: a query that takes `minVersion` waits for the version the command answered,
 * for the stream the command wrote (the ids of its answer that the query takes).
 */
const waitFor = (operation: Operation, params: Readonly<Record<string, string>>, after: Written | undefined) => {
  const query = new URLSearchParams();
  const body = after?.body ?? {};
  const names = operation.queryParams.map((q) => q.name);
  if (!names.includes('minVersion') || typeof body.version !== 'number') return query;
  if (operation.pathParams.some((p) => body[p] !== undefined && body[p] !== params[p])) return query;
  const ids = names.filter((n) => typeof body[n] === 'string');
  if (!operation.pathParams.some((p) => body[p] === params[p]) && ids.length === 0) return query;
  query.set('minVersion', String(body.version));
  for (const n of ids) query.set(n, String(body[n]));
  return query;
};

const QueryPanel = ({
  operation,
  known,
  written,
  historyLink,
}: {
  operation: Operation;
  known: KnownModel;
  written: Written | undefined;
  historyLink?: string;
}) => {
  const [answer, setAnswer] = useState<Answer<unknown>>();
  const params = Object.fromEntries(operation.pathParams.map((p) => [p, known.selected[p] ?? '']));
  const ready = operation.pathParams.every((p) => params[p]);
  const path = fillPath(operation.path, params);
  const ticket = useRef(0);
  const shown = useRef<Answer<unknown> | undefined>(undefined);
  const read = async (after?: Written) => {
    const query = waitFor(operation, params, after);
    const mine = ++ticket.current;
    const url = `${path}${query.size > 0 ? `?${query}` : ''}`;
    let got = await readAtLeast(url);
    // A query that cannot wait for a version (no minVersion) is read again for a moment, until
    // the command's effect shows (its answer changes), so the page does not show what was before.
    const before = JSON.stringify(shown.current?.body);
    for (let i = 0; after && !query.has('minVersion') && i < 8 && JSON.stringify(got.body) === before; i += 1) {
      await sleep(250);
      if (mine !== ticket.current) return;
      got = await readAtLeast(url);
    }
    if (mine !== ticket.current) return;
    shown.current = got;
    setAnswer(got);
    if (got.ok) known.learn(got.body);
  };
  useEffect(() => {
    if (ready && !historyLink) void read(written);
    else setAnswer(undefined);
  }, [path, written?.seq]);
  const headingId = `${operation.name}-h`;
  return (
    <section class="query" aria-labelledby={headingId} data-testid={`query-${operation.name}`}>
      <h3 id={headingId}>
        {operation.summary} <code class="muted route">GET {operation.path}</code>
      </h3>
      {historyLink ? (
        <p>
          <a href={historyLink}>History and time travel</a>
        </p>
      ) : !ready ? (
        <p class="muted">Select {operation.pathParams.filter((p) => !params[p]).join(', ')} to read it.</p>
      ) : !answer ? (
        <p class="muted">Loading…</p>
      ) : answer.ok ? (
        <JsonView value={answer.body} known={known} selectable />
      ) : (
        <p class="error" role="alert">
          {answer.status === 404
            ? `Not found for ${known.label(params[operation.pathParams.at(-1) ?? ''] ?? '')}: ` +
              `each user sees only their own data, and another user's is "not found" too. Sign in as its owner to read it. `
            : ''}
          ({answer.status} {answer.error?.code}: {answer.error?.message})
        </p>
      )}
    </section>
  );
};

export const Explorer = ({
  declaration,
  known,
  user,
  record,
}: {
  declaration: Declaration;
  known: KnownModel;
  user: string;
  record: (answer: Answer<unknown>) => void;
}) => {
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<Written>();
  const queries = declaration.operations.filter((o) => o.kind === 'query');
  const histories = new Map(declaration.histories.map((h) => [h.events, h]));
  const send = (operation: Operation, path: string, body: unknown) =>
    keepFocus(
      async () => {
        setBusy(true);
        try {
          const answer = await apiCall(operation.method, path, body);
          record(answer);
          if (answer.ok) {
            known.learn(answer.body, true);
            if (answer.body && typeof answer.body === 'object')
              setWritten((w) => ({ seq: (w?.seq ?? 0) + 1, body: answer.body as Record<string, unknown> }));
          }
          return answer;
        } finally {
          setBusy(false);
        }
      },
      () => document.getElementById('commands-h'),
    );
  const selected = Object.entries(known.selected);
  return (
    <div class="app-grid">
      <section class="panel" aria-labelledby="reads-h">
        <h2 id="reads-h">What {user} can read</h2>
        <p class="selection" aria-live="polite" data-testid="selection">
          {selected.length === 0
            ? 'Nothing selected: a command that creates something selects it; "Select" picks another.'
            : selected.map(([param, id]) => (
                <span key={param} class="chip">
                  {param} = {known.label(id)}
                </span>
              ))}
        </p>
        {queries.map((q) => {
          const history = histories.get(q.name);
          const link = history
            ? `#/history/${history.events}/${history.pathParams.map((p) => known.selected[p] ?? '').join('/')}`
            : undefined;
          return (
            <QueryPanel key={`${q.name}-${user}`} operation={q} known={known} written={written} historyLink={link} />
          );
        })}
      </section>
      <section class="panel" aria-labelledby="commands-h">
        <h2 id="commands-h" tabIndex={-1}>
          Commands
        </h2>
        {declaration.aggregates.map((a) => (
          <section key={a.streamType} aria-labelledby={`agg-${a.streamType}`} class="aggregate">
            <h3 id={`agg-${a.streamType}`}>
              On the <code>{a.streamType}</code> streams
            </h3>
            {a.commands.map((name) => {
              const operation = declaration.operations.find((o) => o.name === name);
              return operation ? (
                <CommandForm key={name} operation={operation} known={known} busy={busy} send={send} />
              ) : null;
            })}
          </section>
        ))}
      </section>
    </div>
  );
};
