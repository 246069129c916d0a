/**
 * A typed key for a value that lives in one run's {@link ProcessingContext}, such as a per-file
 * key or an open tee file. Create one per concept, in the package that owns it.
 *
 * @example
 * ```ts
 * export const TeeFileKey = new ContextKey<FileHandle>('@my/plugin-tee/file');
 * context.set(TeeFileKey, handle);
 * ```
 */
export class ContextKey<T> {
  declare readonly valueType?: T;

  /** @param description a namespaced name, shown in errors. */
  constructor(readonly description: string) {}
}
