// Arguments Worker code leaves out or gets wrong, refused in the runtime's words where Node's
// classes count or check them in theirs: new Request() with no input, FormData's methods with too
// few arguments, CustomEvent's type and init, TextEncoder's encodeInto(), and URLSearchParams(null)
// (the string "null", a query of one name).
import { inside } from "../scenario.mjs";

export default [
  inside("argument words: new Request() without input, FormData methods with too few arguments, CustomEvent's type and init, encodeInto()'s source and destination, URLSearchParams(null)", "sqlite", `
    const t = (f) => outcomeSync(f);
    const f = new FormData();
    return {
      request: [[], [undefined], [null], [1], [{}]].map((a) => t(() => new Request(...a).url)),
      formData: [["append"], ["append", "a"], ["set"], ["set", "a"], ["get"], ["getAll"], ["has"], ["delete"], ["forEach"]].map(([m, ...a]) => t(() => f[m](...a))),
      formDataOtherReceiver: [["append"], ["get"]].map(([m, ...a]) => t(() => FormData.prototype[m].call({}, ...a))),
      formDataPrototype: t(() => FormData.prototype.get.call(FormData.prototype)),
      searchParams: [undefined, null, "", "??a=1", { toString() { return "x=1"; } }].map((i) => t(() => new URLSearchParams(i).toString())),
      customEvent: [[], ["x", 1], ["x", null], ["x", "s"], [undefined]].map((a) => t(() => new CustomEvent(...a).type)),
      encodeInto: [["a"], ["a", new Uint8Array(1).buffer], ["a", null], [], [undefined, new Uint8Array(2)], [Symbol(), new Uint8Array(1)], [1, new Uint8Array(2)], ["ab", new Uint8Array(new SharedArrayBuffer(1))], ["a", new Uint16Array(1)]].map((a) => t(() => new TextEncoder().encodeInto(...a))),
    };`),
];
