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
 */

export interface Slotted {
  slot: number;
}

export class SlotSet<T extends Slotted> {
  #slots: Array<T | undefined> = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(member: T): void {
    if (member.slot !== -1) return;
    const slots = this.#slots;
    if (this.#size === 0 && slots.length <= 1) {
      if (slots.length === 0) this.#slots = [member];
      else slots[0] = member;
      member.slot = 0;
    } else {
      member.slot = slots.push(member) - 1;
    }
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
      if (this.#slots.length > 1) this.#slots = [];
    } else if (this.#size * 2 < this.#slots.length) this.#compact();
    return true;
  }

  /** Empties the set and returns what it held, in the order it was added. */
  drain(): T[] {
    const members: T[] = [];
    for (const member of this.#slots) {
      if (member === undefined) continue;
      member.slot = -1;
      members.push(member);
    }
    this.#slots = [];
    this.#size = 0;
    return members;
  }

  #compact(): void {
    const slots: T[] = [];
    for (const member of this.#slots) {
      if (member === undefined) continue;
      member.slot = slots.push(member) - 1;
    }
    this.#slots = slots;
  }
}
