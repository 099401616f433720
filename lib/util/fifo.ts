/**
 * A first-in, first-out queue in a ring of slots, for queues that stay long while items pass
 * through them one at a time (an object's input gate with 100 callers waiting). Taking from the
 * front and adding at the back cost a slot write each and allocate nothing: an array's shift()
 * either moves every item down (O(n) per call) or trims the front off its store, which the next
 * push then regrows into a new store, about 20 bytes of garbage per call at a steady 100 long.
 * The ring grows (doubling, keeping the order) only when full, and is never shrunk.
 */
export class Fifo<T> {
  /** A power of two long, so the index wraps with a mask. */
  #slots: Array<T | undefined> = [undefined, undefined, undefined, undefined];
  /** Where the first item is. */
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    if (this.#size === this.#slots.length) this.#grow();
    const slots = this.#slots;
    slots[(this.#head + this.#size) & (slots.length - 1)] = item;
    this.#size++;
  }

  /** Takes the item at the front; the queue must hold one. */
  shift(): T {
    const slots = this.#slots;
    const head = this.#head;
    const item = slots[head]!;
    // Cleared, so a queue that stays keeps nothing it handed out alive.
    slots[head] = undefined;
    this.#head = (head + 1) & (slots.length - 1);
    this.#size--;
    return item;
  }

  /** How many items it has room for before it grows. */
  get capacity(): number {
    return this.#slots.length;
  }

  /** The `index`th item from the front (below size). */
  at(index: number): T {
    const slots = this.#slots;
    return slots[(this.#head + index) & (slots.length - 1)]!;
  }

  /** The items, front first, in a new array. */
  toArray(): T[] {
    const items = new Array<T>(this.#size);
    for (let i = 0; i < items.length; i++) items[i] = this.at(i);
    return items;
  }

  /** Twice the slots, the items moved to the front in order. */
  #grow(): void {
    const slots = new Array<T | undefined>(this.#slots.length * 2).fill(undefined);
    for (let i = 0; i < this.#size; i++) slots[i] = this.at(i);
    this.#slots = slots;
    this.#head = 0;
  }
}
