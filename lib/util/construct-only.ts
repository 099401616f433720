import { readsNative } from "./native-names.js";

/** The runtime's TypeError for a call of the constructor `name` without `new`. */
export function newRequired(name: string): TypeError {
  return new TypeError(`Failed to construct '${name}': Please use the 'new' operator, this object constructor cannot be called as a function.`);
}

/**
 * Runtime classes refuse to be called without `new`, with the runtime's own message (naming
 * `refusedAs`) rather than V8's ("Class constructor X cannot be invoked without 'new'"). The
 * returned constructor stands in for the class everywhere (`prototype.constructor` included):
 * it constructs the class (with the caller's `new.target`, so subclasses work), has its
 * prototype (writable, as the runtime's) and own statics, length 0, and is named `name` (the
 * runtime's name, whatever the class is called here).
 *
 * It is a plain function whose own (literal) name is `name`, not a proxy: V8 describes an
 * instance in its messages by its constructor's literal name when that constructor is a
 * function ("Cannot assign to read only property '0' of object '#<WebSocketPair>'", as the
 * runtime says), and by its toStringTag otherwise ("[object WebSocketPair]").
 */
export function constructOnly<C extends abstract new (...args: never[]) => object>(Class: C, name: string, refusedAs = name): C {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`durasim internal: ${name} is not an interface name`);
  Object.defineProperty(Class, "name", { value: name, configurable: true });
  const adopts = Adopting.isPrototypeOf(Class);
  const construct = (newTarget: Function | undefined, args: IArguments, receiver: object): object => {
    if (newTarget === undefined) throw newRequired(refusedAs);
    if (!adopts) return Reflect.construct(Class, args, newTarget);
    adopted = receiver;
    try {
      return Reflect.construct(Class, args);
    } finally {
      adopted = undefined;
    }
  };
  // A literal name is the only one V8 describes objects by (a computed key or a redefined
  // `name` property leaves it empty). Strict, as a class is: no own `arguments` or `caller`.
  const constructor = new Function("construct", `"use strict"; return function ${name}() { return construct(new.target, arguments, this); };`)(construct) as C;
  // The runtime's constructors are functions made from templates: their `prototype` may be
  // assigned (a function's own is writable), where a class's is read-only.
  Object.defineProperty(constructor, "prototype", { value: Class.prototype });
  // Its length stays 0, as every constructor of the runtime's is.
  for (const key of Reflect.ownKeys(Class)) {
    if (key !== "name" && key !== "prototype" && key !== "length") Object.defineProperty(constructor, key, Object.getOwnPropertyDescriptor(Class, key)!);
  }
  // Its own [[Prototype]] stays Function.prototype whatever the class extends: the runtime's
  // constructors inherit no statics (MessageEvent has no AT_TARGET of Event's).
  Object.defineProperty(Class.prototype, "constructor", { value: constructor, writable: true, configurable: true });
  return readsNative(constructor, name);
}

let adopted: object | undefined;

/**
 * A base for runtime classes whose instances are the receiver their stand-in constructor was
 * given (what it allocated for `new.target`, with `new.target`'s prototype) instead of an object
 * of the class's own: the class's constructors then run on it as on their own. Built the other
 * way, V8 finds an instance map twice for one subclass (once for the stand-in's receiver, once
 * for the class), caches each on the subclass keyed by its constructor, and the two evict each
 * other: every instance of a subclass of DurableObject got a hidden class of its own (about 0.4
 * KiB a Durable Object, and no inline cache stayed monomorphic). The class itself is built with
 * itself as `new.target`, so what it allocates here (and drops) has one map.
 */
export abstract class Adopting {
  constructor() {
    // Set by the stand-in's construct just before: nothing runs between the two.
    return adopted as Adopting;
  }
}
