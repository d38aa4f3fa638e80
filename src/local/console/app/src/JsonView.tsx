/**
 * Any answer of the API as readable nested lists: an object that has an id (`…Id`) and a name
 * (`title` or `name`) is headed by its name, ids elsewhere show the name they stand for, and,
 * given `other` (time travel), what differs from it is marked.
 */
import type { ComponentChildren } from 'preact';
import { idFieldOf, type KnownModel } from './declaration';

interface Props {
  readonly value: unknown;
  readonly known: KnownModel;
  /** The same answer at another time: differences are marked. */
  readonly other?: unknown;
  /** Offers "Select" on objects with an id (their id is then used by commands). */
  readonly selectable?: boolean;
  readonly depth?: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The item of `others` with the same id as `item`, or the one at the same place. */
const counterpart = (item: unknown, index: number, others: unknown) => {
  if (!Array.isArray(others)) return undefined;
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const field = idFieldOf(item as Record<string, unknown>);
    if (field) {
      const id = (item as Record<string, unknown>)[field];
      return others.find((o) => o && typeof o === 'object' && (o as Record<string, unknown>)[field] === id);
    }
  }
  return others[index];
};

const Changed = ({ changed, children }: { changed: boolean; children: ComponentChildren }) =>
  changed ? (
    <span class="changed">
      {children}
      <span class="visually-hidden"> (differs)</span>
    </span>
  ) : (
    children
  );

const Scalar = ({ value, field, known }: { value: unknown; field: string; known: KnownModel }) => {
  if (typeof value === 'boolean') return <span>{value ? '✓ yes' : '✗ no'}</span>;
  if (typeof value === 'string' && /Id$/.test(field) && known.names[value] !== undefined)
    return (
      <span title={value}>
        <strong>{known.names[value]}</strong> <code class="muted id">{value.slice(0, 8)}</code>
      </span>
    );
  if (typeof value === 'string') return <span class="text">{value}</span>;
  return <code>{JSON.stringify(value)}</code>;
};

const ObjectView = ({ value, known, other, selectable, depth = 0 }: Props & { value: Record<string, unknown> }) => {
  const idField = idFieldOf(value);
  const id = idField ? (value[idField] as string) : undefined;
  const own = typeof value.title === 'string' ? value.title : typeof value.name === 'string' ? value.name : undefined;
  // An event that names a thing only by its id (`{ itemId }`) is shown with the name seen for it.
  const name = own ?? (id === undefined ? undefined : known.names[id]);
  const selected = idField && id ? known.selected[idField] === id : false;
  const otherObject = other && typeof other === 'object' ? (other as Record<string, unknown>) : undefined;
  return (
    <div class={`object${selected ? ' selected' : ''}`}>
      {idField && id && (
        <p class="object-head">
          <strong class="text">{name ?? id}</strong> <code class="muted id">{idField}</code>
          {selectable && (
            <button
              type="button"
              class="secondary small"
              aria-pressed={selected}
              onClick={() => known.select(idField, id)}
            >
              {`Select ${name ?? id}`}
            </button>
          )}
        </p>
      )}
      <dl>
        {Object.entries(value)
          .filter(([k]) => k !== idField && !(own !== undefined && (k === 'title' || k === 'name')))
          .map(([k, v]) => (
            <div key={k} class="field">
              <dt>{k}</dt>
              <dd>
                <JsonView
                  value={v}
                  known={known}
                  other={otherObject ? (otherObject[k] ?? null) : undefined}
                  selectable={selectable}
                  depth={depth + 1}
                  field={k}
                />
              </dd>
            </div>
          ))}
      </dl>
    </div>
  );
};

export const JsonView = ({ value, known, other, selectable, depth = 0, field = '' }: Props & { field?: string }) => {
  const compare = other !== undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    return (
      <ul class="json-list">
        {value.map((item, i) => {
          const there = compare ? counterpart(item, i, other) : undefined;
          return (
            <li key={i} class={compare && !same(item, there) ? 'changed' : ''}>
              {compare && there === undefined && <span class="badge">only here</span>}
              <JsonView
                value={item}
                known={known}
                other={compare ? (there ?? null) : undefined}
                selectable={selectable}
                depth={depth + 1}
                field={field}
              />
            </li>
          );
        })}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object')
    return (
      <ObjectView
        value={value as Record<string, unknown>}
        known={known}
        other={other}
        selectable={selectable}
        depth={depth}
      />
    );
  return (
    <Changed changed={compare && !same(value, other)}>
      <Scalar value={value} field={field} known={known} />
    </Changed>
  );
};
