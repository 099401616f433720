import { atTurnEnd } from "../../util/turn.js";
import { objectCodeOwner } from "../code-context.js";
import { copyError } from "../errors.js";
import { InputGate } from "./input-gate.js";
import type { MessageOutputGate } from "../object-code-owner.js";
import type { LeavingOutcome } from "../../storage/coalescer.js";

/**
 * One object's output gate: nothing leaves the object (an event's result or thrown error, a
 * WebSocket message, a write to a KV namespace or R2 bucket, a call to another object or
 * Worker) before the writes made ahead of it are durable. Commits here are synchronous, so
 * instead of holding an event's outcome until a commit confirms, the gate commits the confirmed
 * writes on the spot; if that commit fails the object resets, and what was about to leave is
 * replaced by the reset error. A WebSocket frame, which leaves later in order with the frames
 * after it, waits for the commit at the end of the turn instead (held()), and is dropped if it
 * fails. Other messages sent while the event runs (leaveAtTurnEnd()) leave at the end of their turn, once
 * the batch of that turn's writes has committed, and never if that commit fails: workerd sends
 * them only after the turn, and cancels whatever has not left when the gate breaks.
 *
 * Writes made with `allowUnconfirmed` do not hold an event's result (the storage's
 * `holdsOutput` says whether confirmed writes are waiting).
 *
 * A transaction that spans turns (SQLite backend) keeps the batch open: writes made meanwhile,
 * by any event, join it and cannot commit until it ends, so what would leave then waits for it.
 */

/** The object's pending writes, as the gate sees them (the storage's write coalescer). */
export interface PendingWrites {
  /** Settles once writes held back by an open transaction can commit; undefined if none are. */
  whenCommittable(): Promise<void> | undefined;
  /** Confirmed writes wait behind an open transaction (whenCommittable() would wait). */
  readonly heldByTransaction: boolean;
  /** Confirmed writes are waiting to commit. */
  readonly holdsOutput: boolean;
  /** Something left the object: writes that held nothing may commit now (see StoragePolicy.confirmsAtTurnEnd). */
  outcomeLeft(): void;
  /**
   * Commits them now, their confirmation still owed to the outcomes ready before the turn ends
   * (see WriteCoalescer.commitAndConfirm); a failure resets the object.
   */
  commitAndConfirm(): void;
  /** Commits them now for an outcome waiting on them; resolves when it may leave (undefined: at once). */
  confirm(): Promise<void> | undefined;
  /** Settles when outcomes ready now may leave, while a commit awaits confirmation; else undefined. */
  readonly confirmation: Promise<void> | undefined;
  /** The confirmation that lets out what is ready now (see WriteCoalescer.confirmationEpoch). */
  readonly confirmationEpoch: number;
  /** Whether confirmation `epoch` has ended. */
  confirmedUpTo(epoch: number): boolean;
  /** Queues an outcome that waits for writes; see WriteCoalescer.holdOutcome. */
  holdOutcome(outcome: LeavingOutcome): void;
  /** `outcome` left. */
  releaseOutcome(outcome: LeavingOutcome): void;
  /** Some queued outcome has not left. */
  readonly outcomesLeaving: boolean;
  /** The object resets: the queued outcomes leave now (see WriteCoalescer.endOutcomes). */
  endOutcomes(broken: Error | undefined): void;
  /** Undefined when no queued outcome is ahead of `outcome` (or of one not queued); else settles when the next leaves. */
  outcomesAhead(outcome?: LeavingOutcome): Promise<void> | undefined;
  /** Resolves once the writes pending now are committed, or failed (which resets the object). */
  settled(): Promise<void>;
}

/**
 * The gate keeps no state of its own, so it is the base class of the object's instance (the
 * incarnation), which says whether it can still commit and send and supplies its pending writes
 * and meter: a gate object of three pointers cost 56 bytes on every live object. It extends the
 * input gate only so that the instance is both gates in one object (see InputGate).
 */
export abstract class OutputGate extends InputGate implements MessageOutputGate {
  /** The reset error, once the object is broken. */
  abstract readonly broken: Error | undefined;
  /** An evicted instance's storage is closed: the open batch, if any, belongs to its successor. */
  abstract readonly evicted: boolean;
  /** The object's pending writes. */
  protected abstract readonly pendingWrites: PendingWrites;

  /**
   * Undefined when pass() can decide now; otherwise a promise that settles when it can (writes
   * ahead are held back by an open transaction, or committed and awaiting confirmation: see
   * StoragePolicy.confirmsAtTurnEnd).
   */
  blocked(): Promise<void> | undefined {
    // Whether confirmed writes wait is read first, here and in pass(): most events leave none,
    // and then neither reads `evicted`, a getter V8 leaves uninlined in an event's completion
    // (two calls, ~90 instructions an event).
    const pending = this.pendingWrites;
    if (!pending.holdsOutput) return pending.confirmation;
    if (this.broken !== undefined || this.evicted) return undefined;
    const committable = pending.whenCommittable();
    if (committable !== undefined) return committable;
    this.gateMeter.outputHeld();
    return pending.confirm();
  }

  /** The queue of outcomes that waited for writes, which leave in order (see WriteCoalescer.holdOutcome). */
  get pendingOutcomes(): Pick<PendingWrites, "holdOutcome" | "releaseOutcome" | "outcomesAhead" | "heldByTransaction"> {
    return this.pendingWrites;
  }

  /** Settles once an open transaction that spans turns no longer holds back the writes ahead; undefined if none does. */
  heldByTransaction(): Promise<void> | undefined {
    return this.pendingWrites.whenCommittable();
  }

  /**
   * For an outcome blocked(): which confirmation lets it out, whatever commits later events
   * make meanwhile (see stillBlocked).
   */
  confirmationEpoch(): number {
    return this.pendingWrites.confirmationEpoch;
  }

  /**
   * For an outcome whose blocked() promise settled: undefined when pass() can decide now, or what
   * it waits for still. Once the confirmation `epoch` it waited for has ended, it leaves: the
   * commits of events that finished after it hold it no more than they would in the runtime,
   * whose output gate waits only for the locks taken before the outcome was ready.
   */
  stillBlocked(epoch: number): Promise<void> | undefined {
    return this.pendingWrites.confirmedUpTo(epoch) ? undefined : this.blocked();
  }

  /**
   * Lets something out of the object. Returns undefined when it may leave as it is, or the
   * reset error that must leave instead (the object was broken, or became broken because the
   * commit ahead of it failed).
   */
  pass(): Error | undefined {
    const pending = this.pendingWrites;
    if (pending.holdsOutput && this.broken === undefined && !this.evicted) {
      this.gateMeter.outputHeld();
      // Writes that joined the batch after this outcome was ready (an event started since, its
      // result a microtask away) commit with it, yet their own event's outcome still waits for
      // their confirmation.
      pending.commitAndConfirm();
    }
    return this.#left(pending);
  }

  /**
   * blocked() and pass() in one for an event's outcome that nothing holds back (no confirmed
   * writes wait, no commit awaits its confirmation), as most are: what pass() returns, reading
   * whether writes wait once instead of twice; null when it is held, and blocked() decides.
   */
  passUnheld(): Error | undefined | null {
    const pending = this.pendingWrites;
    if (pending.holdsOutput || pending.confirmation !== undefined || pending.outcomesLeaving) return null;
    return this.#left(pending);
  }

  /** The end of pass(), once the writes that hold the outcome are committed: the reset error, if any. */
  #left(pending: PendingWrites): Error | undefined {
    // Read before outcomeLeft(): the writes it commits (allowUnconfirmed) hold nothing, so what
    // leaves has left by then, and their failure resets the object after it (the batch rolled
    // back whole), as the runtime sends such a result without waiting for their commit.
    const broken = this.broken;
    if (broken === undefined && !this.evicted) pending.outcomeLeft();
    return broken;
  }

  /**
   * For what leaves later, in order with what follows it (a WebSocket frame): undefined when it
   * may leave at once, or a promise that resolves when the writes made so far are durable and
   * rejects with the reset error when they are not. The writes keep their batch: the frame
   * waits for the commit at the end of the turn instead of forcing one.
   */
  held(): Promise<void> | undefined {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    if (this.evicted || !this.pendingWrites.holdsOutput) return undefined;
    return this.pendingWrites.settled().then(() => {
      if (this.broken !== undefined) throw this.broken;
    });
  }

  /**
   * Holds a message the object sends while it runs, as the runtime holds subrequests: it
   * leaves at the end of the turn, once the writes made in that turn (before or after it) have
   * committed, and never if the object broke by then (the promise rejects with the reset error;
   * the runtime cancels what has not left when its gate breaks). Writes inside a transaction
   * that spans turns do not hold it: the runtime locks the gate for them only when the
   * transaction commits (and waiting for that would deadlock a transaction that awaits the
   * message). Undefined when the message may leave at once: an evicted instance's writes are
   * committed already.
   */
  leaveAtTurnEnd(): Promise<void> | undefined {
    if (this.broken !== undefined) return Promise.reject(copyError(this.broken));
    if (this.evicted) return undefined;
    return new Promise((resolve, reject) => {
      atTurnEnd(() => {
        const broken = this.pass();
        if (broken === undefined) resolve();
        else reject(copyError(broken));
      });
    });
  }
}

/**
 * For a message object code is about to send (a KV or R2 write, a call to another object or
 * Worker): when the sending object's output gate lets it leave (OutputGate.leaveAtTurnEnd),
 * or undefined when the running code belongs to no object or the message may leave at once.
 * Object code runs in its incarnation's scope, whose owner carries the gate (see
 * code-context.ts and object-code-owner.ts); the context is shared by every loaded copy of
 * durasim, so a binding of one copy honours an object of another.
 */
export function untilOutputGateOpens(): Promise<void> | undefined {
  return objectCodeOwner()?.output.leaveAtTurnEnd();
}
