import { useEffect, useRef, useState } from 'preact/hooks';
import { apiCall, type Answer } from './api';
import { AnswerError } from './CommandLog';
import { keepFocus } from './focus';
import { Tags, useTags, type TagsState, type TagRef } from './Tags';

export interface ListSummary {
  listId: string;
  title: string;
  openCount: number;
  completedCount: number;
  archived: boolean;
  version: number;
}
export interface Todo {
  todoId: string;
  title: string;
  completed: boolean;
  /** Once the tags API exists. */
  tags?: TagRef[];
}
export interface ListView {
  listId: string;
  title: string;
  archived: boolean;
  todos: Todo[];
  version: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A read that must show at least `minVersion`: the API waits briefly itself and answers 503
 * VIEW_BEHIND when the view is still behind; then we wait as Retry-After says and ask again.
 */
export const readAtLeast = async <T,>(path: string, minVersion?: number): Promise<Answer<T>> => {
  const sep = path.includes('?') ? '&' : '?';
  const url = minVersion === undefined ? path : `${path}${sep}minVersion=${minVersion}`;
  let answer = await apiCall<T>('GET', url);
  for (let i = 0; i < 5 && answer.status === 503 && answer.error?.code === 'VIEW_BEHIND'; i += 1) {
    await sleep(300);
    answer = await apiCall<T>('GET', url);
  }
  return answer;
};

interface Props {
  user: string;
  listId: string | undefined;
  record: (answer: Answer<unknown>) => void;
}

const TitleForm = ({
  id,
  label,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  disabled,
  autoFocus,
}: {
  id: string;
  label: string;
  initial: string;
  submitLabel: string;
  onSubmit: (title: string) => Promise<Answer<unknown>>;
  onCancel?: () => void;
  disabled?: boolean;
  /** Takes focus when it appears (a rename opened by a button). */
  autoFocus?: boolean;
}) => {
  const [title, setTitle] = useState(initial);
  const [refused, setRefused] = useState<Answer<unknown>>();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => setTitle(initial), [initial]);
  useEffect(() => {
    if (autoFocus) field.current?.focus();
  }, []);
  const errorId = `${id}-error`;
  return (
    <form
      class="inline"
      onSubmit={async (e) => {
        e.preventDefault();
        const answer = await onSubmit(title);
        setRefused(answer.ok ? undefined : answer);
        if (answer.ok) setTitle(initial);
      }}
    >
      <label for={id}>{label}</label>
      <input
        id={id}
        ref={field}
        aria-invalid={refused ? 'true' : undefined}
        aria-describedby={refused ? errorId : undefined}
        value={title}
        onInput={(e) => setTitle(e.currentTarget.value)}
        maxLength={200}
        required
        disabled={disabled}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onCancel) onCancel();
        }}
      />
      <button type="submit" disabled={disabled}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
      {refused && <AnswerError id={errorId} answer={refused} />}
    </form>
  );
};

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one page component; the todo pages move to the app in issue 25 goal 2
export const TodoApp = ({ user, listId, record }: Props) => {
  const [lists, setLists] = useState<ListSummary[]>([]);
  const [list, setList] = useState<ListView>();
  const [readError, setReadError] = useState<string>();
  const [renaming, setRenaming] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A checkbox shows what the user asked for while its command runs, not the state before it.
  const [pending, setPending] = useState<Record<string, boolean>>({});

  const loadLists = async (minVersion?: number, forList?: string) => {
    const answer = await readAtLeast<{ items: ListSummary[] }>(
      `/lists?limit=100${forList ? `&listId=${forList}` : ''}`,
      forList ? minVersion : undefined,
    );
    if (answer.ok) setLists(answer.body.items);
    else setReadError(`${answer.error?.code}: ${answer.error?.message}`);
  };
  const loadList = async (id: string, minVersion?: number) => {
    const answer = await readAtLeast<ListView>(`/lists/${id}`, minVersion);
    if (answer.ok) {
      setList(answer.body);
      setReadError(undefined);
    } else {
      setList(undefined);
      setReadError(
        answer.status === 404
          ? `Not your list: ${user} has no list ${id}, and each user sees only their own lists. Sign in as its owner to open it. (404 ${answer.error?.code})`
          : `GET /lists/${id} → ${answer.status} ${answer.error?.code}: ${answer.error?.message}`,
      );
    }
  };

  const tags = useTags(record, () => {
    if (listId) void loadList(listId);
  });

  useEffect(() => {
    void loadLists();
  }, [user]);
  useEffect(() => {
    if (listId) void loadList(listId);
    else setList(undefined);
  }, [listId, user]);

  /** Sends a command, shows its answer, then re-reads the views at the version it returned. */
  const command = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer<{ listId?: string; version?: number }>> =>
    keepFocus(
      async () => {
        setBusy(true);
        try {
          const answer = await apiCall<{ listId?: string; version?: number }>(method, path, body);
          record(answer);
          const id = answer.body?.listId;
          if (answer.ok && id && answer.body.version !== undefined) {
            await Promise.all([
              loadLists(answer.body.version, id),
              id === listId ? loadList(id, answer.body.version) : Promise.resolve(),
            ]);
            if (tags.state.kind === 'available') void tags.reload();
          }
          return answer;
        } finally {
          setBusy(false);
        }
      },
      () => document.getElementById('list-h'),
    );

  const createList = async (title: string) => {
    const answer = await command('POST', '/lists', { title });
    if (answer.ok && answer.body.listId) location.hash = `#/app/${answer.body.listId}`;
    return answer;
  };

  return (
    <div class="app-grid">
      <section class="panel" aria-labelledby="lists-h">
        <h2 id="lists-h">Lists of {user}</h2>
        <TitleForm
          id="new-list"
          label="New list"
          initial=""
          submitLabel="Create list"
          onSubmit={createList}
          disabled={busy}
        />
        {lists.length === 0 ? (
          <p class="muted">No lists yet.</p>
        ) : (
          <ul class="lists" data-testid="lists">
            {lists.map((l) => (
              <li key={l.listId}>
                <a href={`#/app/${l.listId}`} aria-current={l.listId === listId ? 'true' : undefined}>
                  <span class="title">{l.title}</span>
                  <span class="counts">
                    {l.openCount} open · {l.completedCount} done · v{l.version}
                  </span>
                  {l.archived && <span class="badge">archived</span>}
                </a>
              </li>
            ))}
          </ul>
        )}
        <Tags tags={tags} />
      </section>

      <section class="panel" aria-labelledby="list-h" data-testid="list-view">
        {!listId ? (
          <>
            <h2 id="list-h">No list open</h2>
            <p class="muted">Create a list or pick one.</p>
          </>
        ) : !list ? (
          <>
            <h2 id="list-h">List</h2>
            {readError ? (
              <p class="error" role="alert">
                {readError}
              </p>
            ) : (
              <p class="muted">Loading…</p>
            )}
          </>
        ) : (
          <>
            <div class="list-head">
              <h2 id="list-h" tabIndex={-1}>
                {list.title}
              </h2>
              <p class="meta">
                version <strong data-testid="list-version">{list.version}</strong>
                {list.archived && <span class="badge">archived</span>}
                {' · '}
                <a href={`#/history/${list.listId}`}>History and time travel</a>
              </p>
              <p class="meta muted">
                <code>{list.listId}</code>
              </p>
            </div>
            {!list.archived && (
              <div class="actions">
                <TitleForm
                  id="rename-list"
                  label="List title"
                  initial={list.title}
                  submitLabel="Rename list"
                  disabled={busy}
                  onSubmit={(title) => command('PATCH', `/lists/${list.listId}`, { title })}
                />
                <button
                  type="button"
                  class="danger"
                  disabled={busy}
                  onClick={() => command('DELETE', `/lists/${list.listId}`)}
                >
                  Archive list
                </button>
              </div>
            )}
            {!list.archived && (
              <TitleForm
                id="new-todo"
                label="New todo"
                initial=""
                submitLabel="Add todo"
                disabled={busy}
                onSubmit={(title) => command('POST', `/lists/${list.listId}/todos`, { title })}
              />
            )}
            {list.todos.length === 0 ? (
              <p class="muted">No todos.</p>
            ) : (
              <ul class="todos" data-testid="todos">
                {list.todos.map((t) => (
                  <li key={t.todoId} class={t.completed ? 'done' : ''}>
                    {renaming === t.todoId ? (
                      <TitleForm
                        id={`rename-${t.todoId}`}
                        label="Todo title"
                        initial={t.title}
                        submitLabel="Save"
                        disabled={busy}
                        autoFocus
                        onCancel={() => setRenaming(undefined)}
                        onSubmit={async (title) => {
                          const answer = await command('PATCH', `/lists/${list.listId}/todos/${t.todoId}`, { title });
                          if (answer.ok) setRenaming(undefined);
                          return answer;
                        }}
                      />
                    ) : (
                      <>
                        <input
                          type="checkbox"
                          id={`todo-${t.todoId}`}
                          checked={pending[t.todoId] ?? t.completed}
                          disabled={busy || list.archived}
                          onChange={async () => {
                            setPending((p) => ({ ...p, [t.todoId]: !t.completed }));
                            await command(
                              'POST',
                              `/lists/${list.listId}/todos/${t.todoId}/${t.completed ? 'reopen' : 'complete'}`,
                            );
                            setPending(({ [t.todoId]: _done, ...rest }) => rest);
                          }}
                        />
                        <label for={`todo-${t.todoId}`} class="todo-title">
                          {t.title}
                        </label>
                        {!list.archived && (
                          <span class="todo-actions">
                            <button
                              type="button"
                              class="secondary"
                              disabled={busy}
                              onClick={() => setRenaming(t.todoId)}
                              aria-label={`Rename ${t.title}`}
                            >
                              Rename
                            </button>
                            <button
                              type="button"
                              class="secondary"
                              disabled={busy}
                              onClick={() => command('DELETE', `/lists/${list.listId}/todos/${t.todoId}`)}
                              aria-label={`Remove ${t.title}`}
                            >
                              Remove
                            </button>
                          </span>
                        )}
                        <TodoTags
                          state={tags.state}
                          todo={t}
                          disabled={busy || list.archived}
                          onTag={(tagId) => command('PUT', `/lists/${list.listId}/todos/${t.todoId}/tags/${tagId}`)}
                          onUntag={(tagId) =>
                            command('DELETE', `/lists/${list.listId}/todos/${t.todoId}/tags/${tagId}`)
                          }
                        />
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {!list.archived && list.todos.some((t) => t.completed) && (
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => command('POST', `/lists/${list.listId}/clear-completed`)}
              >
                Clear completed
              </button>
            )}
          </>
        )}
      </section>
    </div>
  );
};

/** A todo's tags (chips that untag) and a picker to add one; nothing until the tags API answers. */
const TodoTags = ({
  state,
  todo,
  disabled,
  onTag,
  onUntag,
}: {
  state: TagsState;
  todo: Todo;
  disabled: boolean;
  onTag: (tagId: string) => void;
  onUntag: (tagId: string) => void;
}) => {
  const [pick, setPick] = useState('');
  if (state.kind !== 'available') return null;
  const own = todo.tags ?? [];
  const free = state.tags.filter((tag) => !own.some((o) => o.tagId === tag.tagId));
  return (
    <div class="todo-tags">
      {own.map((tag) => (
        <span class="chip" key={tag.tagId}>
          {tag.name}
          {!disabled && (
            <button
              type="button"
              class="chip-x"
              aria-label={`Remove tag ${tag.name} from ${todo.title}`}
              onClick={() => onUntag(tag.tagId)}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {!disabled && free.length > 0 && (
        <form
          class="inline small"
          onSubmit={(e) => {
            e.preventDefault();
            if (pick) onTag(pick);
            setPick('');
          }}
        >
          <label for={`tag-${todo.todoId}`} class="visually-hidden">
            Tag {todo.title}
          </label>
          <select id={`tag-${todo.todoId}`} value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
            <option value="">Add a tag…</option>
            {free.map((tag) => (
              <option key={tag.tagId} value={tag.tagId}>
                {tag.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary" disabled={!pick} aria-label={`Add the tag to ${todo.title}`}>
            Tag
          </button>
        </form>
      )}
    </div>
  );
};
