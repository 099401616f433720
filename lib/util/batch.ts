/**
 * Items gathered in one turn and handled together later (at the turn's end, in the next one),
 * over and over. Its two arrays are kept and take turns (one fills while the other is
 * drained), so a turn allocates nothing for it: a new array per turn, grown by push, cost a
 * 17-slot store each time. Each entry is cleared as
 * it is handled, so nothing is kept alive; one whose handling throws drops the rest of its
 * batch, as a loop over a fresh array did.
 */
export class Batch<T> {
  #items: Array<T | undefined> = [];
  #spare: Array<T | undefined> = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `item`; returns how many the batch holds now (1: the first, which schedules the run). */
  add(item: T): number {
    this.#items[this.#size] = item;
    return ++this.#size;
  }

  /**
   * Passes each item of the batch to `fn`, in order; what is added meanwhile starts the next
   * batch. (Never called from inside `fn`: a batch is drained by a turn-end or next-turn task.)
   */
  drain(fn: (item: T) => void): void {
    const items = this.#items;
    const size = this.#size;
    this.#items = this.#spare;
    this.#size = 0;
    let i = 0;
    try {
      for (; i < size; i++) {
        const item = items[i]!;
        items[i] = undefined;
        fn(item);
      }
    } finally {
      for (; i < size; i++) items[i] = undefined;
      // After a burst, a huge array is not kept (it would only ever be refilled in part).
      if (size > 1024) items.length = 0;
      this.#spare = items;
    }
  }
}
