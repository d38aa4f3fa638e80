/**
 * What a view store last wrote, per stream, so that a warm applier of a stream nobody else wrote
 * since (the header's `writeId` is still the one it wrote) reads only the header, not every child
 * of the view again. Bounded: the least recently written stream is dropped first.
 */
export const warmViews = <TWarm extends { readonly writeId: string }>(capacity: number) => {
  const views = new Map<string, TWarm>();
  return {
    /** What was last written of `streamId`, if the stored header still carries that write's id. */
    still: (streamId: string, writeId: unknown) => {
      const known = views.get(streamId);
      return known !== undefined && known.writeId === writeId ? known : undefined;
    },
    forget: (streamId: string) => views.delete(streamId),
    remember(streamId: string, view: TWarm) {
      views.delete(streamId);
      views.set(streamId, view);
      if (views.size > capacity) views.delete(views.keys().next().value as string);
    },
  };
};

/** How many views a store remembers by default. */
export const WARM_VIEWS = 100;
