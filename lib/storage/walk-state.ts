import { appendOwn } from "../util/own-arrays.js";

/** Past this many objects, a walk's record of those it saw becomes a Set. */
const FEW_SEEN = 16;

/** A stack grown past this many slots by a large value is dropped when its walk ends, not kept. */
const MAX_KEPT_SLOTS = 1024;

/**
 * What a walk over a value's object graph holds (codec.ts, needsCopy): what is left to visit, a
 * stack, and the objects seen. Storage walks every object value it writes, and most hold a few
 * objects: a stack and a list made for each walk were about 400 bytes of garbage a put() (an
 * array grows to 17 slots at its first push), so one of each is kept between walks. A walk that
 * starts inside another (an API object's prototype may be a Proxy whose trap stores a value) gets
 * a state of its own (see begin).
 *
 * Slots are written in place, and a slot past the end is defined (see util/own-arrays), so Worker
 * code that patches Array.prototype never sees what the walk holds. A slot is cleared as its
 * value leaves, so a kept state holds no value of the code's once its walk is over.
 */
export class WalkState {
  /** Slots [0, #top) hold what is left to visit, the last pushed on top; the slots above are cleared. */
  #pending: unknown[] = [];
  #top = 0;
  /** The objects seen while they are few, in slots [0, #fewCount); past FEW_SEEN, in #many. */
  #few: object[] = [];
  #fewCount = 0;
  #many: Set<object> | undefined;

  /** The state kept for the next walk; taken by a walk while it runs. */
  static #spare: WalkState | undefined = new WalkState();

  /** A cleared state for a walk that starts at `root`; end() it when the walk is over. */
  static begin(root: unknown): WalkState {
    const state = WalkState.#spare ?? new WalkState();
    WalkState.#spare = undefined;
    state.push(root);
    return state;
  }

  /** Clears the state and keeps it for the next walk (however the walk ended). */
  end(): void {
    const pending = this.#pending;
    while (this.#top > 0) pending[--this.#top] = undefined;
    if (pending.length > MAX_KEPT_SLOTS) this.#pending = [];
    const few = this.#few;
    while (this.#fewCount > 0) few[--this.#fewCount] = undefined as unknown as object;
    this.#many = undefined;
    WalkState.#spare = this;
  }

  /** The number of values left to visit: where the next push lands (see reverseFrom). */
  get size(): number {
    return this.#top;
  }

  push(value: unknown): void {
    const pending = this.#pending;
    if (this.#top < pending.length) pending[this.#top] = value;
    else appendOwn(pending, value);
    this.#top++;
  }

  /** Takes the value on top (the stack is not empty). */
  pop(): unknown {
    const pending = this.#pending;
    const value = pending[--this.#top];
    pending[this.#top] = undefined;
    return value;
  }

  /** Reverses the values pushed since the stack held `from`, so the first pushed is visited first. */
  reverseFrom(from: number): void {
    const pending = this.#pending;
    for (let i = from, j = this.#top - 1; i < j; i++, j--) {
      const value = pending[i];
      pending[i] = pending[j];
      pending[j] = value;
    }
  }

  /**
   * Records `value` as seen; false if it was seen already. Most values hold a few objects, which
   * a scan finds faster than a Set is made and hashed into.
   */
  add(value: object): boolean {
    const many = this.#many;
    if (many !== undefined) {
      if (many.has(value)) return false;
      many.add(value);
      return true;
    }
    const few = this.#few;
    const count = this.#fewCount;
    for (let i = 0; i < count; i++) if (few[i] === value) return false;
    if (count < FEW_SEEN) {
      if (count < few.length) few[count] = value;
      else appendOwn(few, value);
      this.#fewCount = count + 1;
      return true;
    }
    const seen = new Set<object>();
    for (let i = 0; i < count; i++) seen.add(few[i]!);
    this.#many = seen.add(value);
    return true;
  }
}
