import type { AppendInput, Commit, DomainEvent, InMemoryEventStore } from '../../src';

/**
 * Makes the store's next append lose a race: just before it, `rival` writes its own commits
 * through `write` (the real append), as another process would between our load and our
 * append. Later appends go through untouched. Returns the append spy.
 */
export const rivalWritesFirst = (
  store: InMemoryEventStore,
  rival: (write: (input: AppendInput) => Promise<Commit>, ours: AppendInput) => Promise<unknown>,
) => {
  const append = store.append.bind(store);
  let raced = false;
  return jest.spyOn(store, 'append').mockImplementation(async <E extends DomainEvent>(input: AppendInput<E>) => {
    if (!raced) {
      raced = true;
      await rival((i) => append(i), input);
    }
    return append(input);
  });
};

/** A rival's commit of one event after `ours` expected version (+ `offset`). */
export const rivalCommit = (
  ours: AppendInput,
  events: readonly DomainEvent[],
  commandId: string,
  offset = 0,
): AppendInput => ({
  ...ours,
  expectedVersion: ours.expectedVersion + offset,
  events,
  commandId,
});
