import { arrivalRound } from "../../util/turn.js";

/** What a message to an object is, for the order it arrives in: a fetch (or connect), an RPC call on a stub, a call into a function or RpcTarget. */
export type SentKind = "fetch" | "rpc" | "capability";

/**
 * Where the messages one sender sends in a turn take their places among those that arrive
 * together (arriveNextTurn's places; within a place they keep the order sent). This is
 * workerd's order, measured message by message for every mix of up to seven (the conformance
 * scenario "stubs: the order an object's fetches, RPC calls and capability calls arrive in"):
 *
 * - A call into a function or RpcTarget goes over a session that is already open, so it arrives
 *   first. From an object, so does the turn's first fetch, in the order sent with those calls.
 * - An RPC call on a stub opens a session with the object first, a step a fetch does not take.
 * - An object's fetches leave one step apart, each behind the one before (a Worker's leave
 *   together, ahead of everything else it sends): the second arrives after the RPC calls sent
 *   before the first fetch, the third and later ones after every RPC call of the turn, which
 *   arrive a step later once the object has sent a fetch in that turn.
 *
 * That is exact for what one sender sends one object. Where it sends several in a turn, workerd's
 * order at each also depends on what went to the others (of 400 such mixes measured, 66 arrive
 * otherwise; an RPC call to B arrives later still after a fetch to C): not modelled.
 */
const FIRST = 0;
const RPC_BEFORE_FETCHES = 1;
const SECOND_FETCH = 2;
const RPC_AMONG_FETCHES = 3;
const LATER_FETCHES = 4;
/** A Worker's calls into functions and RpcTargets: behind its fetches, ahead of its RPC calls. */
const WORKER_CAPABILITY = 1;

/** How many fetches an object has sent in one turn (arrivalRound: its messages arrive together). */
interface FetchesSent {
  round: number;
  count: number;
}

const fetchesSent = new WeakMap<object, FetchesSent>();

/**
 * The place of a message `sender` sends now (an object's owner; undefined for a Worker event),
 * of `kind`. Called as the message leaves, in the order messages leave.
 */
export function arrivalPlace(sender: object | undefined, kind: SentKind): number {
  if (sender === undefined) return kind === "fetch" ? FIRST : kind === "capability" ? WORKER_CAPABILITY : RPC_AMONG_FETCHES;
  if (kind === "capability") return FIRST;
  // Only read for an RPC call: an object that sends only RPC calls never gets a record.
  if (kind === "rpc") return fetchesSentBefore(sender) ? RPC_AMONG_FETCHES : RPC_BEFORE_FETCHES;
  const sent = fetchesSentThisRound(sender);
  const count = ++sent.count;
  return count === 1 ? FIRST : count === 2 ? SECOND_FETCH : LATER_FETCHES;
}

/** Whether `sender` has sent a fetch this turn. */
function fetchesSentBefore(sender: object): boolean {
  const sent = fetchesSent.get(sender);
  return sent !== undefined && sent.round === arrivalRound() && sent.count > 0;
}

function fetchesSentThisRound(sender: object): FetchesSent {
  const round = arrivalRound();
  const sent = fetchesSent.get(sender);
  if (sent === undefined) {
    const fresh = { round, count: 0 };
    fetchesSent.set(sender, fresh);
    return fresh;
  }
  if (sent.round !== round) {
    sent.round = round;
    sent.count = 0;
  }
  return sent;
}
