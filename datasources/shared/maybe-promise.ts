/**
 * What a lookup that may be answered from this process's cache returns: the value itself on a
 * fresh hit (no promise, no microtask), a promise otherwise. Callers `await` it either way.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Maps wire objects to models once: cached DTOs are shared and immutable, so the model made
 * from one can be shared too (fewer allocations on the hot path). Null maps to null.
 */
export function mapOnce<D extends object, M>(map: (dto: D) => M): (dto: D | null) => M | null {
  const made = new WeakMap<D, M>();
  return (dto) => {
    if (dto === null) return null;
    let model = made.get(dto);
    if (model === undefined) {
      model = map(dto);
      made.set(dto, model);
    }
    return model;
  };
}
