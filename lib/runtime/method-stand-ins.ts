import { upperAscii } from "../util/ascii-case.js";

/**
 * TRACE, which the runtime knows and sends, where Node's Request refuses it (the fetch standard
 * forbids it, as it does CONNECT and TRACK, which the runtime refuses as methods it does not
 * know). A Request made with it holds a stand-in method Node takes (a token no Worker code can
 * give: init-conversion.ts refuses it), and reads back TRACE (request.ts); one sent to the
 * network goes through a dispatcher that sends TRACE (outbound-dispatcher.ts), so the stand-in
 * never goes on the wire.
 */
const TRACE = "TRACE";
const TRACE_STAND_IN = "DURASIM-TRACE";

/** The method Node's Request is given for `method` (a runtime method, in any case). */
export function nodeMethod(method: string): string {
  return upperAscii(method) === TRACE ? TRACE_STAND_IN : method;
}

/** The method Worker code reads for the one Node's Request holds. */
export function runtimeMethod(method: string): string {
  return method === TRACE_STAND_IN ? TRACE : method;
}

/** Whether Node's Request holds a stand-in (it must not be sent over the network as it is). */
export function isStandIn(method: string | undefined): boolean {
  return method === TRACE_STAND_IN;
}

/** `init` with its method as Node's Request takes it (the same object when nothing changes). */
export function withNodeMethod<T extends { method?: string } | undefined>(init: T): T {
  const method = init?.method;
  if (method === undefined) return init;
  const node = nodeMethod(method);
  return node === method ? init : { ...init, method: node };
}
