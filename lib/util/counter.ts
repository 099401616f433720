/**
 * Counts that pair up (locks and unlocks, holds and releases, pins and unpins) must never go
 * below zero: one more release than acquisitions is a durasim bug that would silently open a
 * gate or commit under a transaction. Decrementing through here turns it into a loud failure.
 */
export function decrement(count: number, what: string): number {
  if (count <= 0) throw new Error(`durasim internal: ${what} released more often than taken`);
  return count - 1;
}
