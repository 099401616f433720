/**
 * `emu.snapshot()` / `emu.restore()`: an emulator's state is made of parts (Durable Objects'
 * storage and alarms, KV namespaces, R2 buckets, ...), each able to capture its state as an
 * immutable value and to go back to one. A part registers once, by name, when the emulator is
 * built; a snapshot is the map of every part's value, so it can be restored any number of
 * times and in any order (nested use, re-restoring). Parts keep snapshots cheap themselves:
 * copy-on-write structures, and reusing the previous value for state that has not changed.
 */
export interface StatefulPart<S> {
  snapshot(): S;
  restore(snapshot: S): void;
}

/** An emulator's state at one moment: opaque; pass it to the same emulator's `restore()`. */
export interface EmulatorSnapshot {
  readonly values: ReadonlyMap<string, unknown>;
}

export class StateRegistry {
  readonly #parts = new Map<string, StatefulPart<unknown>>();
  /** Snapshots this registry made: restore() accepts only those. */
  readonly #made = new WeakSet<object>();

  register<S>(name: string, part: StatefulPart<S>): void {
    if (this.#parts.has(name)) throw new Error(`durasim internal: state part "${name}" registered twice`);
    this.#parts.set(name, part as StatefulPart<unknown>);
  }

  snapshot(): EmulatorSnapshot {
    const values = new Map<string, unknown>();
    for (const [name, part] of this.#parts) values.set(name, part.snapshot());
    const snapshot: EmulatorSnapshot = Object.freeze({ values });
    this.#made.add(snapshot);
    return snapshot;
  }

  /** Whether `snapshot` came from this registry's snapshot(). */
  owns(snapshot: unknown): snapshot is EmulatorSnapshot {
    return typeof snapshot === "object" && snapshot !== null && this.#made.has(snapshot);
  }

  restore(snapshot: EmulatorSnapshot): void {
    for (const [name, part] of this.#parts) {
      if (snapshot.values.has(name)) part.restore(snapshot.values.get(name));
    }
  }
}
