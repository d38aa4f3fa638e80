/**
 * Tags (a second aggregate, per user). The console asks GET /tags once: a 404 means this
 * API has no tags routes yet, and the tags UI stays hidden behind a one-line note.
 */
import { useEffect, useState } from 'preact/hooks';
import { apiCall, type Answer } from './api';
import { keepFocus } from './focus';

/** A field that appears on a click (rename) takes focus. */
const focusOnMount = (field: HTMLInputElement | null) => field?.focus();

export interface TagRef {
  tagId: string;
  name: string;
}
export interface Tag extends TagRef {
  todoCount: number;
}
export type TagsState = { kind: 'unknown' } | { kind: 'missing'; reason: string } | { kind: 'available'; tags: Tag[] };

export interface TagsModel {
  readonly state: TagsState;
  reload(): Promise<void>;
  command(method: string, path: string, body?: unknown, settled?: TagsSettled): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What GET /tags must show once a tag command's effect has reached the tags view. */
export type TagsSettled = (tags: Tag[], answer: { tagId?: string }) => boolean;

export const useTags = (record: (answer: Answer<unknown>) => void, onChanged?: () => void): TagsModel => {
  const [state, setState] = useState<TagsState>({ kind: 'unknown' });
  const read = async (): Promise<Tag[] | undefined> => {
    const answer = await apiCall<{ items: Tag[] }>('GET', '/tags');
    if (answer.ok) setState({ kind: 'available', tags: answer.body.items });
    else if (answer.status === 404) setState({ kind: 'missing', reason: 'this API has no /tags route yet' });
    else setState({ kind: 'missing', reason: `GET /tags → ${answer.status} ${answer.error?.code ?? ''}` });
    return answer.ok ? answer.body.items : undefined;
  };
  const reload = async () => void (await read());
  useEffect(() => {
    void reload();
  }, []);
  /**
   * GET /tags has no minVersion: after a command, read again until the view shows its effect
   * (`settled`), for up to 3 s, so the page does not show the tags as they were before.
   */
  const command = async (method: string, path: string, body?: unknown, settled?: TagsSettled) => {
    const answer = await apiCall<{ tagId?: string }>(method, path, body);
    record(answer);
    if (answer.ok) {
      for (let i = 0; i < 15; i += 1) {
        const tags = await read();
        if (!tags || !settled || settled(tags, answer.body)) break;
        await sleep(200);
      }
      onChanged?.();
    }
    return answer.ok;
  };
  return { state, reload, command };
};

export const Tags = ({ tags }: { tags: TagsModel }) => {
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<string>();
  const [newName, setNewName] = useState('');
  const { state } = tags;
  if (state.kind === 'unknown') return null;
  if (state.kind === 'missing')
    return (
      <p class="muted small" data-testid="tags-missing">
        Tags: not available ({state.reason}).
      </p>
    );
  return (
    <section aria-labelledby="tags-h" class="tags" data-testid="tags">
      <h3 id="tags-h" tabIndex={-1}>
        Tags
      </h3>
      <form
        class="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await tags.command('POST', '/tags', { name }, (all, a) => all.some((t) => t.tagId === a.tagId)))
            setName('');
        }}
      >
        <label for="new-tag">New tag</label>
        <input id="new-tag" value={name} maxLength={40} required onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit">Create tag</button>
      </form>
      {state.tags.length === 0 ? (
        <p class="muted">No tags yet.</p>
      ) : (
        <ul class="tag-list">
          {state.tags.map((tag) => (
            <li key={tag.tagId}>
              {editing === tag.tagId ? (
                <form
                  class="inline"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    const wanted = newName.trim();
                    if (
                      await tags.command('PATCH', `/tags/${tag.tagId}`, { name: wanted }, (all) =>
                        all.some((t) => t.tagId === tag.tagId && t.name === wanted),
                      )
                    )
                      setEditing(undefined);
                  }}
                >
                  <label for={`tag-name-${tag.tagId}`}>Tag name</label>
                  <input
                    id={`tag-name-${tag.tagId}`}
                    ref={focusOnMount}
                    value={newName}
                    maxLength={40}
                    required
                    onInput={(e) => setNewName(e.currentTarget.value)}
                  />
                  <button type="submit">Save</button>
                  <button type="button" class="secondary" onClick={() => setEditing(undefined)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <span class="chip">{tag.name}</span>{' '}
                  <span class="muted">
                    {tag.todoCount} todo{tag.todoCount === 1 ? '' : 's'}
                  </span>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`Rename tag ${tag.name}`}
                    onClick={() => {
                      setEditing(tag.tagId);
                      setNewName(tag.name);
                    }}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`Delete tag ${tag.name}`}
                    onClick={() => {
                      // Deleting a tag takes it off every todo: asked first, as a rebuild is.
                      if (!confirm(`Delete the tag ${tag.name}? It is taken off every todo that has it.`)) return;
                      void keepFocus(
                        () =>
                          tags.command(
                            'DELETE',
                            `/tags/${tag.tagId}`,
                            undefined,
                            (all) => !all.some((t) => t.tagId === tag.tagId),
                          ),
                        () => document.getElementById('tags-h'),
                      );
                    }}
                  >
                    Delete
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
