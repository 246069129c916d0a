const allowed = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Why `name` cannot name a stored file, or `undefined` when it can: 1–128 characters of letters,
 * digits, `.`, `_` and `-`, starting with a letter or digit — so no path separators, no `..`, and
 * no clash with the hidden temporary files of atomic writes.
 */
export function fileNameProblem(name: string): string | undefined {
  if (allowed.test(name)) return undefined;
  return `file names are 1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit (no path separators); found ${JSON.stringify(name.slice(0, 140))}`;
}
