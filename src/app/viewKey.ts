/**
 * A stream view's item stores its stream id under the view's `key`: a field of the view of that
 * name would be overwritten. These refuse it where the kit can see it: a field that is not a
 * string at compile time, and one that holds anything but the stream id on the first event that
 * makes it so (in the view's own specs, not in a table).
 */
import type { CommitInfo, DomainEvent } from '../contracts';

/** A view's `key` as declared: the key attribute holds the stream id, so a field it names must be a string. */
export type ViewKey<TView, K extends string> = K extends keyof TView
  ? TView[K] extends string
    ? K
    : `${K} is a field of the view that is not a string: the key attribute would overwrite it with the stream id`
  : K;

/** `evolve`, throwing when its view holds a field named `key` with anything but the stream id. */
export const keyCheckedEvolve =
  <TView extends object, TEvent extends DomainEvent>(
    view: { readonly name: string; readonly key: string },
    evolve: (view: TView | null, event: TEvent, commit: CommitInfo) => TView | null,
  ) =>
  (state: TView | null, event: TEvent, commit: CommitInfo): TView | null => {
    const next = evolve(state, event, commit);
    const field =
      next === null || !Object.hasOwn(next, view.key) ? undefined : (next as Record<string, unknown>)[view.key];
    if (field !== undefined && field !== commit.streamId) {
      throw new Error(
        `View ${view.name}: its key ${view.key} holds the stream id (${commit.streamId}), and would overwrite the ` +
          `view's field ${view.key} (${JSON.stringify(field)}): name the key otherwise (left out, it is \`streamId\`)`,
      );
    }
    return next;
  };
