/**
 * `build`'s result, built on the first call and the same one after. For schemas a function may
 * never use: a module-level schema is built at every cold start, used or not (bench part 6).
 */
export const once = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
};
