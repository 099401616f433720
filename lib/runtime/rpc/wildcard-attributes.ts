import { calledByBuiltin } from "../../util/call-sites.js";

/**
 * What [[GetOwnProperty]] of an RPC name (one a stub, an RPC promise or property answers with a
 * further RPC path) reports. The runtime's wildcard is a V8 interceptor that answers values and
 * no attributes: Object.getOwnPropertyDescriptor, hasOwnProperty and Object.hasOwn find no own
 * property there, but propertyIsEnumerable, which V8 answers from the attributes alone, sees
 * the getter's value as an enumerable one and answers true.
 *
 * Invariant: answers only a call from the builtin propertyIsEnumerable, with a configurable
 * descriptor (a proxy may report one its extensible target lacks); undefined to anything else.
 */
export function rpcNameDescriptor(trap: Function): PropertyDescriptor | undefined {
  if (!calledByBuiltin(trap, "propertyIsEnumerable")) return undefined;
  return { value: undefined, writable: true, enumerable: true, configurable: true };
}
