/**
 * The app the console shows, as its server describes it (GET /console/app, read from the app's
 * declaration and OpenAPI document), and what the console learnt while using it: the ids it has
 * seen by parameter name (`<name>Id`), the one selected for each, and the names
 * (a `title` or `name` beside an id) to show instead of ids.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AppMetadata as Declaration } from '../../metadata';
import { consoleCall } from './api';

export type {
  AppMetadata as Declaration,
  JsonSchema,
  OperationMetadata as Operation,
  StreamHistoryMetadata as StreamHistory,
} from '../../metadata';

export const loadDeclaration = async (): Promise<Declaration | string> => {
  const answer = await consoleCall<Declaration>('GET', '/console/app');
  return answer.ok
    ? answer.body
    : `GET /console/app → ${answer.status} ${answer.error?.code}: ${answer.error?.message}`;
};

/** A path with its `{param}`s filled in (encoded). */
export const fillPath = (path: string, values: Readonly<Record<string, string>>) =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));

const ID_FIELD = /^([a-z][A-Za-z0-9]*)?Id$/;
/** The field of an object that names it: `title` or `name`. */
const nameOf = (value: Record<string, unknown>) =>
  typeof value.title === 'string' ? value.title : typeof value.name === 'string' ? value.name : undefined;
/** The id field an object is identified by: the first `…Id` field holding a string. */
export const idFieldOf = (value: Record<string, unknown>) =>
  Object.keys(value).find((k) => ID_FIELD.test(k) && typeof value[k] === 'string');

export interface Known {
  /** Ids seen, by parameter name, newest first. */
  readonly ids: Readonly<Record<string, readonly string[]>>;
  /** The id selected for each parameter: commands and queries use it. */
  readonly selected: Readonly<Record<string, string>>;
  /** Names by id. */
  readonly names: Readonly<Record<string, string>>;
}

export interface KnownModel extends Known {
  select(param: string, id: string | undefined): void;
  /** Learns the ids and names in an answer; `pick` also selects the ids of a command's answer. */
  learn(body: unknown, pick?: boolean): void;
  /** An id as people read it: its name when known, else the id. */
  label(id: string): string;
}

const walk = (value: unknown, visit: (object: Record<string, unknown>) => void, depth = 0) => {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, depth + 1);
    return;
  }
  const object = value as Record<string, unknown>;
  visit(object);
  for (const v of Object.values(object)) walk(v, visit, depth + 1);
};

const KNOWN_KEY = 'cqrs-console-known';
const remembered = (): Known => {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KNOWN_KEY) ?? 'null') as Known | null;
    if (saved && typeof saved === 'object' && saved.ids && saved.selected && saved.names) return saved;
  } catch {
    // below
  }
  return { ids: {}, selected: {}, names: {} };
};

/** What the console learnt, kept for the tab's life: a reload keeps the selection. */
export const useKnown = (): KnownModel => {
  const [known, setKnown] = useState<Known>(remembered);
  useEffect(() => sessionStorage.setItem(KNOWN_KEY, JSON.stringify(known)), [known]);
  const learn = (body: unknown, pick = false) =>
    setKnown((before) => {
      const ids: Record<string, readonly string[]> = { ...before.ids };
      const names: Record<string, string> = { ...before.names };
      const selected: Record<string, string> = { ...before.selected };
      const add = (param: string, id: string) => {
        ids[param] = [id, ...(ids[param] ?? []).filter((i) => i !== id)].slice(0, 100);
      };
      walk(body, (object) => {
        const field = idFieldOf(object);
        if (!field) return;
        const id = object[field] as string;
        add(field, id);
        const name = nameOf(object);
        if (name !== undefined) names[id] = name;
      });
      if (pick && body && typeof body === 'object')
        for (const [k, v] of Object.entries(body))
          if (ID_FIELD.test(k) && typeof v === 'string') {
            add(k, v);
            selected[k] = v;
          }
      return { ids, names, selected };
    });
  const select = (param: string, id: string | undefined) =>
    setKnown((before) => {
      const { [param]: _dropped, ...rest } = before.selected;
      return { ...before, selected: id ? { ...rest, [param]: id } : rest };
    });
  return { ...known, select, learn, label: (id) => known.names[id] ?? id };
};

/** The known ids a field can take: those of the parameter its name ends with (`toParentId` → `parentId`). */
export const idsFor = (known: Known, field: string): readonly string[] => {
  const direct = known.ids[field];
  if (direct) return direct;
  const match = Object.keys(known.ids).find((p) => field.toLowerCase().endsWith(p.toLowerCase()));
  return match ? (known.ids[match] ?? []) : [];
};
