import { decrement } from "../util/counter.js";
import { holdTimers } from "../util/ready-io.js";
import { atTurnEnd, nextTurn } from "../util/turn.js";
import type { StorageBackend } from "./backend.js";
import type { StorageIoType } from "./io-types.js";
import type { StorageMeter } from "./meter.js";
import type { StoragePolicy } from "./policy.js";

/** Confirmed writes are in the open batch (they hold the output gate). */
const CONFIRMED_PENDING = 1;
/**
 * Confirmed writes a finished transaction committed at once (see commitAndConfirm): an outcome
 * leaving before the turn ends still waits for their confirmation, as for writes in the batch.
 */
const CONFIRMATION_OWED = 2;
/**
 * The first bit of the flags field a subclass (the object's record) may use for flags of its
 * own (see flagged): one field for both, as every object has both.
 */
export const FIRST_SUBCLASS_FLAG = 4;

/** How many turns after its own a commit's confirmation comes (see confirmAtTurnEnd). */
const CONFIRMATION_TURNS = 2;

/** A confirmation begun: it ends after CONFIRMATION_TURNS turns once its own turn has ended. */
class PendingConfirmation {
  turnsLeft = CONFIRMATION_TURNS;
  /** Its own turn has ended: the turns that count come after it. */
  counting = false;
  constructor(readonly end: () => void) {}
}

/** An event's outcome queued by holdOutcome(). */
export interface LeavingOutcome {
  /** The object reset before it left: it leaves now, as the reset error `broken` if there is one (once: it is dequeued). */
  leave(broken: Error | undefined): void;
}

/**
 * A coalescer's state that most objects never use, kept apart so that an object without it
 * costs one field: fault injection, waiters for the batch, and the holds of explicit
 * transactions (SQLite backend).
 */
interface Extras {
  injectedFailure: Error | undefined;
  /** Waiting for the open batch to end (see settled); made by the first waiter, as holdWaiters. */
  syncWaiters: Array<() => void> | undefined;
  /** Open explicit transactions on the SQLite backend: the batch may not commit under them. */
  holds: number;
  /** Bumped when the batch is discarded: holds taken before that no longer count. */
  holdEpoch: number;
  /** Waiting for the holds to end (see whenCommittable). */
  holdWaiters: Array<() => void> | undefined;
  /** Settles two turns after the turn in which a commit needed confirming (see confirm): the latest one begun. */
  confirmation: Promise<void> | undefined;
  /** Whether `confirmation` was begun in this turn, whose later commits it confirms too. */
  confirmingThisTurn: boolean;
  /** The confirmations begun and not ended, oldest first. */
  pendingConfirmations: PendingConfirmation[] | undefined;
  /** How many confirmations have begun: the last one's number (see confirmationEpoch). */
  confirmations: number;
  /** The number of the last confirmation that has ended. */
  confirmed: number;
  /** Outcomes that waited for writes, oldest first, until each leaves (see holdOutcome). */
  leaving: LeavingOutcome[] | undefined;
  /** Outcomes waiting for one of those to leave (see outcomesAhead). */
  leavingWaiters: Array<() => void> | undefined;
}

/**
 * Write coalescing and commit scheduling for one object's storage.
 *
 * The first write opens a batch on the backend; every write until the object yields to real
 * I/O (the end of the turn) joins it, and the batch commits atomically. The object host also
 * commits early when an event finishes, because the caller may not see the event's result
 * before the writes behind it are durable (the output gate).
 *
 * Every object keeps one for as long as it lives, so its waiter lists exist only while someone
 * waits, and it is the base class of the object's storage (object-storage.ts), which hears of
 * each commit's outcome through the two methods below: one object per Durable Object instead
 * of a coalescer, a listener and closures.
 */
export abstract class WriteCoalescer<M extends StorageMeter = StorageMeter> {
  /** CONFIRMED_PENDING and CONFIRMATION_OWED, and the subclass's (see FIRST_SUBCLASS_FLAG). */
  #flags = 0;
  /** The end-of-turn flush armed for the open batch, if any (see armTurnEnd). */
  #turnEnd: (() => void) | undefined;
  /** What only some objects use (see Extras); made by the first use. */
  #extras: Extras | undefined;

  constructor(
    readonly backend: StorageBackend,
    /** Counts commits and the writes each one carried, and batches rolled back. */
    readonly meter: M,
  ) {}

  /** The rules the backend is used under (chosen with it). */
  abstract readonly policy: StoragePolicy;

  /** A batch committed (alarm scheduling, bookmarks, the storage's state number). */
  abstract committed(): void;
  /** A commit failed; its batch was rolled back. */
  abstract commitFailed(error: Error): void;

  /** Whether the subclass's flag `bit` (FIRST_SUBCLASS_FLAG or a higher bit) is set. */
  protected flagged(bit: number): boolean {
    return (this.#flags & bit) !== 0;
  }

  /** Sets or clears the subclass's flag `bit` (FIRST_SUBCLASS_FLAG or a higher bit). */
  protected flag(bit: number, on: boolean): void {
    this.#flags = on ? this.#flags | bit : this.#flags & ~bit;
  }

  /** Registers a write about to happen. `allowUnconfirmed` writes do not hold the output gate. */
  beginWrite(allowUnconfirmed = false): void {
    if (!this.backend.inBatch) {
      this.backend.begin();
      // A new batch gets a turn end of its own: one armed before it began (to end a confirmation
      // owed) may run in the same drain as the event that began it (see armTurnEnd).
      this.#turnEnd = undefined;
      this.armTurnEnd();
    }
    if (!allowUnconfirmed) this.#flags |= CONFIRMED_PENDING;
  }

  /** Whether the output gate is closed: confirmed writes are waiting to commit. */
  get holdsOutput(): boolean {
    const flags = this.#flags;
    return ((flags & CONFIRMED_PENDING) !== 0 && this.backend.inBatch) || (flags & CONFIRMATION_OWED) !== 0;
  }

  /** Confirmed writes wait behind an explicit transaction that holds the batch open. */
  get heldByTransaction(): boolean {
    const extras = this.#extras;
    return extras !== undefined && extras.holds > 0 && this.holdsOutput;
  }

  /**
   * While an explicit transaction holds the batch open, confirmed writes cannot commit yet:
   * the promise settles once the holds end (the transaction finished, or the batch was
   * discarded). Undefined when nothing confirmed waits behind a hold.
   */
  whenCommittable(): Promise<void> | undefined {
    if (!this.heldByTransaction) return undefined;
    const extras = this.#extras!;
    return new Promise((resolve) => (extras.holdWaiters ??= []).push(resolve));
  }

  /**
   * For an event's outcome that waits for the confirmed writes: commits them now, and returns
   * when the outcome may leave, or undefined if at once (see StoragePolicy.confirmsAtTurnEnd).
   */
  confirm(): Promise<void> | undefined {
    this.flush();
    this.#flags &= ~CONFIRMATION_OWED;
    if (!this.policy.confirmsAtTurnEnd) return undefined;
    // A commit of an earlier turn is confirmed on its own: this one's confirmation comes later.
    return this.#extras?.confirmingThisTurn === true ? this.#extras.confirmation! : this.confirmAtTurnEnd();
  }

  /**
   * Commits the open batch now, where an explicit transaction ends: its writes are durable at
   * once (an abort() right after it keeps them), yet until the turn ends an outcome leaving
   * waits for their confirmation, as it waits for writes still in the batch (see confirm).
   */
  commitAndConfirm(): void {
    const confirmed = this.holdsOutput;
    if (this.flush() !== undefined || !confirmed) return;
    this.#flags |= CONFIRMATION_OWED;
    this.armTurnEnd();
  }

  /**
   * Something left the object: on the SQLite backend the writes that held nothing
   * (allowUnconfirmed) commit now, before the events queued behind it start (see
   * StoragePolicy.confirmsAtTurnEnd); on the KV backend at the end of the turn, as before.
   */
  outcomeLeft(): void {
    // The batch first: most outcomes leave none open, and then the policy (a getter V8 leaves
    // uninlined on an RPC call's path, ~55 instructions a call) is not read.
    if (this.backend.inBatch && this.policy.confirmsAtTurnEnd) this.flush();
  }

  /** What every outcome waits for until the end of a turn in which a commit needed confirming. */
  get confirmation(): Promise<void> | undefined {
    return this.#extras?.confirmation;
  }

  /**
   * The number of the confirmation that lets out what is ready now: the pending (or last) one,
   * or, while confirmed writes wait uncommitted (an open transaction holds them), the next one.
   * An outcome waits for that confirmation only, never for those of commits made after it was
   * ready: under a steady stream of writers a new confirmation is pending at every turn's end.
   */
  get confirmationEpoch(): number {
    return (this.#extras?.confirmations ?? 0) + (this.holdsOutput ? 1 : 0);
  }

  /** Whether confirmation `epoch` (see confirmationEpoch) has ended. */
  confirmedUpTo(epoch: number): boolean {
    return (this.#extras?.confirmed ?? 0) >= epoch;
  }

  /**
   * Queues an outcome that waits for writes (an event's result or error): outcomes leave in the
   * order they became ready, as the runtime's output gate lets them out, each waiting for every
   * lock taken before it (so one whose own writes were allowUnconfirmed, or that wrote nothing,
   * still leaves after an earlier one that waits for its confirmation).
   */
  holdOutcome(outcome: LeavingOutcome): void {
    (this.extras().leaving ??= []).push(outcome);
  }

  /** `outcome` left (it is no longer queued if the object reset first): the ones behind it may go. */
  releaseOutcome(outcome: LeavingOutcome): void {
    const extras = this.#extras!;
    const leaving = extras.leaving;
    const at = leaving?.indexOf(outcome) ?? -1;
    if (at < 0) return;
    leaving!.splice(at, 1);
    if (leaving!.length === 0) extras.leaving = undefined;
    const waiters = extras.leavingWaiters;
    extras.leavingWaiters = undefined;
    if (waiters !== undefined) for (const resolve of waiters) resolve();
  }

  /**
   * The object resets: the queued outcomes leave at once, in order, before the events that were
   * still running fail. With `broken` (the output gate broke: ctx.abort(), a failed commit) they
   * leave as that error, as the runtime's broken output gate rejects its waiters; without it (a
   * failed blockConcurrencyWhile() breaks only the input gate) as they are: the writes they
   * waited for were committed when they were queued (see OutputGate.blocked), only confirmation
   * was owed.
   */
  endOutcomes(broken: Error | undefined): void {
    const extras = this.#extras;
    const leaving = extras?.leaving;
    if (leaving === undefined) return;
    extras!.leaving = undefined;
    for (const outcome of leaving) outcome.leave(broken);
  }

  /** Some outcome queued by holdOutcome() has not left. */
  get outcomesLeaving(): boolean {
    return this.#extras?.leaving !== undefined;
  }

  /**
   * Undefined when `outcome` (or, without one, an outcome not queued yet) has no
   * queued outcome ahead of it; else a promise that settles when the next one leaves.
   */
  outcomesAhead(outcome?: LeavingOutcome): Promise<void> | undefined {
    const extras = this.#extras;
    if (extras?.leaving === undefined || extras.leaving[0] === outcome) return undefined;
    return new Promise((resolve) => (extras.leavingWaiters ??= []).push(resolve));
  }

  get hasPendingWrites(): boolean {
    return this.backend.inBatch;
  }

  /** Makes the next commit fail with `error` (a fault-injection hook for tests). */
  injectCommitFailure(error: Error): void {
    this.extras().injectedFailure = error;
  }

  /**
   * Keeps the batch open while an explicit transaction spans turns: committing the implicit
   * transaction under an open savepoint would commit half of the explicit one. Returns the
   * release; a discard (the object reset) drops every hold, and releasing one of those later
   * does nothing, so a transaction of a reset instance cannot hold its successor's batch.
   */
  hold(): () => void {
    const extras = this.extras();
    extras.holds++;
    const epoch = extras.holdEpoch;
    let released = false;
    return () => {
      if (released || epoch !== extras.holdEpoch) return;
      released = true;
      extras.holds = decrement(extras.holds, "coalescer holds");
      if (extras.holds > 0) return;
      if (this.backend.inBatch) this.armTurnEnd();
      this.releaseHoldWaiters();
    };
  }

  /** Commits the open batch now. Returns the failure, if the commit failed. */
  flush(): Error | undefined {
    const extras = this.#extras;
    if (!this.backend.inBatch || (extras !== undefined && extras.holds > 0)) return undefined;
    this.#flags &= ~CONFIRMED_PENDING;
    // The batch ends here: the turn end armed for it must not commit the next one early.
    this.#turnEnd = undefined;
    let failure: Error | undefined;
    try {
      const injected = extras?.injectedFailure;
      if (injected) {
        extras!.injectedFailure = undefined;
        this.backend.rollback();
        failure = injected;
      } else {
        this.backend.commit();
      }
    } catch (error) {
      if (this.backend.inBatch) this.backend.rollback();
      failure = error instanceof Error ? error : new Error(String(error));
    }
    this.releaseSyncWaiters();
    if (failure) {
      this.meter.discarded();
      this.commitFailed(failure);
    } else {
      this.meter.committed();
      this.committed();
      const pending = extras?.pendingConfirmations;
      if (pending !== undefined && pending.length > 0) this.committedWhileConfirming(pending);
    }
    return failure;
  }

  /** Drops the open batch without committing (the object is being reset). */
  discard(): void {
    this.#flags &= ~(CONFIRMED_PENDING | CONFIRMATION_OWED);
    const extras = this.#extras;
    if (extras !== undefined) {
      extras.holds = 0;
      extras.holdEpoch++;
    }
    if (this.backend.inBatch) {
      this.backend.rollback();
      this.meter.discarded();
    }
    this.releaseSyncWaiters();
    this.releaseHoldWaiters();
  }

  /**
   * Resolves once every write issued so far has been committed (or discarded), at once or at
   * the end of the turn as the policy says (see StoragePolicy.syncCommitsAtOnce). A batch an
   * explicit transaction holds open is not waited for: workerd's sync() waits for the last
   * commit begun, and none begins under a transaction (the transaction's own sync() would
   * otherwise wait for itself).
   */
  sync(): Promise<void> {
    if (this.policy.syncCommitsAtOnce) {
      this.flush();
      return Promise.resolve();
    }
    const held = (this.#extras?.holds ?? 0) > 0;
    if (!this.backend.inBatch || held) return new Promise((resolve) => atTurnEnd(resolve));
    return this.settled();
  }

  /** Resolves once the open batch is committed, fails or is dropped (at once when there is none). */
  settled(): Promise<void> {
    if (!this.backend.inBatch) return Promise.resolve();
    const extras = this.extras();
    return new Promise((resolve) => (extras.syncWaiters ??= []).push(resolve));
  }

  private extras(): Extras {
    return (this.#extras ??= { injectedFailure: undefined, syncWaiters: undefined, holds: 0, holdEpoch: 0, holdWaiters: undefined, confirmation: undefined, confirmingThisTurn: false, pendingConfirmations: undefined, confirmations: 0, confirmed: 0, leaving: undefined, leavingWaiters: undefined });
  }

  /**
   * The confirmation of the commit made now: two turns of the event loop after this one (or two
   * later commits, whichever first), as workerd's, which its object spends starting the calls
   * queued behind (one a turn, see InputGate.spaceNextEvent): a Worker that sends an object a
   * stream of writing calls sees the first one's result once the fourth has run.
   */
  private confirmAtTurnEnd(): Promise<void> {
    const extras = this.extras();
    const epoch = ++extras.confirmations;
    extras.confirmingThisTurn = true;
    const confirmation = new Promise<void>((resolve) => {
      const pending = new PendingConfirmation(() => {
        if (pending.turnsLeft < 0) return;
        pending.turnsLeft = -1;
        extras.pendingConfirmations!.splice(extras.pendingConfirmations!.indexOf(pending), 1);
        // A later commit's confirmation, begun meanwhile, is still pending.
        if (extras.confirmation === confirmation) extras.confirmation = undefined;
        extras.confirmed = Math.max(extras.confirmed, epoch);
        resolve();
      });
      (extras.pendingConfirmations ??= []).push(pending);
      atTurnEnd(() => {
        extras.confirmingThisTurn = false;
        pending.counting = true;
        // Ready work in workerd: a timer falling due meanwhile fires after it (util/ready-io.ts).
        const releaseTimers = holdTimers();
        nextTurn(() =>
          nextTurn(() => {
            try {
              pending.end();
            } finally {
              releaseTimers();
            }
          }),
        );
      });
    });
    return (extras.confirmation = confirmation);
  }

  /**
   * A commit made while confirmations are pending: a turn of its own, counted where calls run
   * without the event loop turning (test code's), whose turns end within one macrotask.
   */
  private committedWhileConfirming(pending: PendingConfirmation[]): void {
    for (const confirmation of [...pending]) {
      if (confirmation.counting && --confirmation.turnsLeft === 0) confirmation.end();
    }
  }

  /**
   * Arms the end of the turn to commit the open batch. A batch committed earlier disarms its
   * turn end: an event that starts in a turn-end callback (the input gate's) runs before the
   * callbacks after it in the same drain, so one armed earlier would commit the event's writes
   * before its result, a microtask later, is ready, and that result would find no writes to
   * wait for and leave ahead of those before it. (Only the latest armed callback acts.)
   */
  private armTurnEnd(): void {
    if (this.#turnEnd !== undefined) return;
    const turnEnd = (): void => {
      if (this.#turnEnd !== turnEnd) return;
      this.#turnEnd = undefined;
      // A commit the turn's outcomes did not wait for needs no confirmation once it is over.
      this.#flags &= ~CONFIRMATION_OWED;
      this.flush();
    };
    this.#turnEnd = turnEnd;
    atTurnEnd(turnEnd);
  }

  private releaseHoldWaiters(): void {
    const extras = this.#extras;
    const waiters = extras?.holdWaiters;
    if (waiters === undefined) return;
    extras!.holdWaiters = undefined;
    for (const resolve of waiters) resolve();
  }

  private releaseSyncWaiters(): void {
    const extras = this.#extras;
    const waiters = extras?.syncWaiters;
    if (waiters === undefined) return;
    extras!.syncWaiters = undefined;
    for (const resolve of waiters) resolve();
  }
}

/** What a writer asks before every write: whether its instance may still reach storage. */
export interface WriteOwner {
  /** False once the instance was reset or evicted. */
  readonly usable: boolean;
  /** Throws the runtime's error when the instance is not usable. */
  assertUsable(): void;
  /**
   * Throws the runtime's refusal when the code running now belongs to another I/O context than
   * the instance's (another object's, or a Worker event's; test code belongs to none and may).
   * `needsActor`: the operation looks up the running Durable Object first (delete(), setAlarm()),
   * which a Worker event has none of, so the runtime fails it there with an internal error.
   */
  assertOwnContext(ioType: StorageIoType, needsActor?: boolean): void;
  /**
   * Whether the code running now belongs to another I/O context. Such code is refused as such
   * even once the instance is gone (a new instance using its predecessor's storage through a
   * module-level variable): it never reaches the storage to learn that.
   */
  readonly inAnotherContext: boolean;
}

/**
 * One instance's way to write to its object's storage. Every `ctx.storage` surface writes
 * through one (never through the coalescer itself), and it asks the instance first: once the
 * instance is broken (a failed commit, an abort, any reset) or evicted, nothing it does can
 * reach storage again, whatever the path (a transaction, a timer callback, waitUntil, an event
 * still running). Each method asserts the instance usable, then does the coalescer's namesake.
 * The instance is its own writer (runtime/object/incarnation.ts): an object of two pointers per
 * instance cost 48 bytes on every live object.
 */
export interface BatchWriter extends WriteOwner {
  /** Joins (or opens) the batch; see WriteCoalescer.beginWrite. */
  beginWrite(allowUnconfirmed?: boolean): void;
  /** Commits the open batch now; a failure resets the instance (and the next write throws). */
  flush(): void;
  /** Commits the open batch now, its confirmation still owed; see WriteCoalescer.commitAndConfirm. */
  commitAndConfirm(): void;
  hold(): () => void;
  sync(): Promise<void>;
}
