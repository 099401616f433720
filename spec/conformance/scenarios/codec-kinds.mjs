// What decides how a stored array is written: its kind, not its prototype. V8 writes an array as
// an array whatever it inherits from, so an array whose prototype is an API object's, an
// EventTarget's or a subclass's is stored (and read back as a plain array), and so are arrays
// while Array.prototype itself inherits from EventTarget.prototype.
import { insideBoth } from "../scenario.mjs";

export default [
  insideBoth("codec: an array is stored as an array whatever its prototype", `
  const out = {};
  const tryPut = async (name, v) => {
    try {
      await s.put(name, v);
      const back = await s.get(name);
      out[name] = ["stored", JSON.stringify(back), Array.isArray(back) && Object.getPrototypeOf(back) === Array.prototype];
    } catch (e) {
      out[name] = ["refused", e.name, e.message];
    }
  };
  await tryPut("eventTarget", Object.setPrototypeOf([1, 2], EventTarget.prototype));
  await tryPut("storage", Object.setPrototypeOf([1, 2], Object.getPrototypeOf(s)));
  await tryPut("abortSignal", Object.setPrototypeOf([1, 2], AbortSignal.prototype));
  await tryPut("textEncoder", Object.setPrototypeOf([1, 2], TextEncoder.prototype));
  await tryPut("nested", { x: [Object.setPrototypeOf([3], EventTarget.prototype)] });
  await tryPut("inside", Object.setPrototypeOf([new TextEncoder()], EventTarget.prototype));
  class Sub extends Array {}
  await tryPut("subclass", Sub.from([1, 2]));
  const chain = Object.getPrototypeOf(Array.prototype);
  Object.setPrototypeOf(Array.prototype, EventTarget.prototype);
  try {
    await tryPut("arrayPrototype", [5, [6]]);
  } finally {
    Object.setPrototypeOf(Array.prototype, chain);
  }
  return out;
`),
];
