// crypto.subtle.timingSafeEqual(a, b), the runtime's extension Workers compare secrets with: an
// enumerable method of SubtleCrypto's prototype (length 0) taking an ArrayBuffer or a view of
// any kind (not a SharedArrayBuffer), refusing buffers of different lengths, and `this` other
// than a SubtleCrypto before its arguments.
import { inside } from "../scenario.mjs";

export default [
  inside("subtle: timingSafeEqual compares buffers and views of one length, refusing others in the runtime's words", "sqlite", `
    const t = (f) => { try { return { ok: f() }; } catch (e) { return { error: err(e) }; } };
    const method = crypto.subtle.timingSafeEqual;
    const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(crypto.subtle), "timingSafeEqual");
    return {
      descriptor: { writable: d.writable, enumerable: d.enumerable, configurable: d.configurable, own: Object.hasOwn(crypto.subtle, "timingSafeEqual") },
      length: method.length, name: method.name,
      equal: t(() => crypto.subtle.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))),
      different: t(() => crypto.subtle.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))),
      bufferAndView: t(() => crypto.subtle.timingSafeEqual(new Uint8Array([1, 2]).buffer, new Uint16Array([0x0201]))),
      dataView: t(() => crypto.subtle.timingSafeEqual(new DataView(new ArrayBuffer(2)), new ArrayBuffer(2))),
      subarray: t(() => crypto.subtle.timingSafeEqual(new Uint8Array([9, 1, 2]).subarray(1), new Uint8Array([1, 2]))),
      empty: t(() => crypto.subtle.timingSafeEqual(new ArrayBuffer(0), new Uint8Array(0))),
      lengths: t(() => crypto.subtle.timingSafeEqual(new Uint8Array(1), new Uint8Array(2))),
      strings: t(() => crypto.subtle.timingSafeEqual("ab", "ab")),
      one: t(() => crypto.subtle.timingSafeEqual(new Uint8Array(1))),
      none: t(() => crypto.subtle.timingSafeEqual()),
      secondBad: t(() => crypto.subtle.timingSafeEqual(new Uint8Array(1), "x")),
      shared: t(() => crypto.subtle.timingSafeEqual(new SharedArrayBuffer(1), new Uint8Array(1))),
      unbound: t(() => method(new Uint8Array(1), new Uint8Array(1))),
      otherThis: t(() => method.call({}, "x", "y")),
    };`),
];
