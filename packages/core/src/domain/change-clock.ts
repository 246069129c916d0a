/** The last time {@link changeTime} handed out, in ms since the epoch. */
let lastChange = 0;

/**
 * The time to stamp on a created or changed entity: now, but always later than every time this
 * process stamped before (and than `after`), so a pipeline whose stage changed in the same
 * millisecond as its last change still reports a later `updatedAt`.
 */
export function changeTime(after?: Date): Date {
  lastChange = Math.max(Date.now(), lastChange + 1, (after?.getTime() ?? 0) + 1);
  return new Date(lastChange);
}
