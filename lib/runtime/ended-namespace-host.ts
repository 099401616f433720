import type { Persistence } from "../storage/persist/persistence.js";
import type { CodeFeatures } from "./code-features.js";
import { DISPOSED_MESSAGE } from "./emulator-lifetime.js";
import { type Clock, wallTime } from "./lifecycle/clock.js";
import type { EvictionPolicy } from "./lifecycle/eviction.js";
import type { NamespaceHost } from "./namespace.js";
import type { DurableObjectState } from "./object/state.js";

/**
 * What a namespace of a disposed emulator keeps of its host: the values it last read, not the
 * host. The live host reaches its emulator's configuration and Workers through closures, and
 * user code keeps namespaces past dispose() (a stub, an env binding in a suite's module-level
 * variable), each of which would keep all of that reachable per disposed emulator. Every use
 * of the namespace still fails with the disposed error; what code of an instance the end reset
 * may still read (the clock, the time, the eviction policy, the Worker's env and features)
 * answers as before.
 */
export class EndedNamespaceHost implements NamespaceHost {
  /** The time object code sees, as the live host gives it. */
  readonly now = wallTime;
  /** Nothing loads for an ended emulator: a call goes straight to assertUsable()'s refusal. */
  readonly ready = undefined;

  constructor(
    readonly clock: Clock,
    readonly eviction: EvictionPolicy,
    readonly persistence: Persistence | undefined,
    /** The hosting Worker's, when its host had been settled (else no instance ever read them). */
    readonly env: object,
    readonly deleteAllDeletesAlarm: boolean,
    readonly codeFeatures: CodeFeatures | undefined,
  ) {}

  exportedClass(): new (ctx: DurableObjectState, env: object) => object {
    throw new Error(DISPOSED_MESSAGE);
  }

  assertUsable(): void {
    throw new Error(DISPOSED_MESSAGE);
  }

  ended(): NamespaceHost {
    return this;
  }
}
