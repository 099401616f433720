/**
 * An insertion-ordered set of objects that each keep their own index in it, for sets that gain
 * and lose a member on every operation of a hot path (the events an object has in flight, the
 * statements its cursors hold). Adding and removing cost an array write: a Map or Set that
 * grows and shrinks by one entry each time reallocates its table about as often, which costs
 * more than everything else those paths do.
 *
 * Invariant: `member.slot` is its index in the array, or -1 when it is in no set; a removed
 * member leaves a hole, and the holes are squeezed out (in order) once they are half the array.
 * A member belongs to at most one SlotSet at a time.
 *
 * A set that holds one member at a time (an object serving one call after another) keeps a
 * one-slot array and reuses it: emptying an array and pushing onto it again would allocate a
 * new 17-slot backing store each time, and keeping that larger one would cost memory per object.
 * Likewise a compaction moves the members down in place, and later members fill the slots it
 * freed: a new array per compaction, and the pushes that regrew it, were about 45 bytes of
 * garbage per call to an object with 100 calls in flight. The array is let go when the set
 * empties, as the spare for the next set that needs one: an object with 100 callers empties
 * its set of events in flight each time calls from outside wait for a turn of the event loop
 * (every millisecond or so, util/turn.ts), and regrowing a new array from one slot was about
 * 7 bytes of garbage per call.
 */

/**
 * The last array (longer than one slot, all its slots empty) a set let go of, for the next set
 * that needs one: one for the process, not one per set, which every idle object would keep,
 * and not a huge one that a burst grew (it would only ever be refilled in part).
 */
let spareSlots: undefined[] | undefined;
const MAX_SPARE_SLOTS = 1024;

export interface Slotted {
  slot: number;
}

export class SlotSet<T extends Slotted> {
  #slots: Array<T | undefined> = [];
  /** Where the next member goes: the slots from here on are empty. */
  #end = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(member: T): void {
    if (member.slot !== -1) return;
    const slots = this.#slots;
    const end = this.#end;
    if (end < slots.length) slots[end] = member;
    else if (end === 0) this.#slots = withFirst(member);
    else slots.push(member);
    member.slot = end;
    this.#end = end + 1;
    this.#size++;
  }

  /** Removes `member`; false if it was not in the set. */
  delete(member: T): boolean {
    const slot = member.slot;
    if (slot === -1 || this.#slots[slot] !== member) return false;
    member.slot = -1;
    this.#slots[slot] = undefined;
    this.#size--;
    // Emptied: a one-slot array stays (a hole) for the next member; a larger one goes.
    if (this.#size === 0) {
      this.#end = 0;
      if (this.#slots.length > 1) {
        if (this.#slots.length <= MAX_SPARE_SLOTS) spareSlots = this.#slots as undefined[];
        this.#slots = [];
      }
    } else if (this.#size * 2 < this.#end) this.#compact();
    return true;
  }

  /** Empties the set and returns what it held, in the order it was added. */
  drain(): T[] {
    const members: T[] = [];
    const slots = this.#slots;
    for (let i = 0; i < this.#end; i++) {
      const member = slots[i];
      if (member === undefined) continue;
      member.slot = -1;
      members.push(member);
    }
    this.#slots = [];
    this.#end = 0;
    this.#size = 0;
    return members;
  }

  /** Squeezes the holes out, in order, within the same array. */
  #compact(): void {
    const slots = this.#slots;
    const end = this.#end;
    let next = 0;
    for (let i = 0; i < end; i++) {
      const member = slots[i];
      if (member === undefined) continue;
      slots[next] = member;
      member.slot = next++;
    }
    slots.fill(undefined, next, end);
    this.#end = next;
  }
}

/** An array for a set whose first member is `member`: the spare, if there is one. */
function withFirst<T>(member: T): Array<T | undefined> {
  const slots: Array<T | undefined> | undefined = spareSlots;
  if (slots === undefined) return [member];
  spareSlots = undefined;
  slots[0] = member;
  return slots;
}
