import { describe, expect, it } from "vitest";
import { callerPastOwnFrames } from "../../lib/util/call-sites.js";
import { replaceGetter } from "../../lib/runtime/replace-method.js";

/**
 * An object whose getter `x` notes who read it, as stream-words.ts notes who called a method it
 * stands in for: the frame callerPastOwnFrames finds above the getter, among `count` frames.
 * `layers` of durasim's own wrappers (replaceGetter's, each two frames of lib/) stand between
 * the reader and the getter, as the receiver guards and the words' layers do over one method.
 */
function observedGetter(layers: number, count = 8) {
  const seen: { frame?: NodeJS.CallSite } = {};
  const target = {};
  Object.defineProperty(target, "x", {
    get: function read() {
      seen.frame = callerPastOwnFrames(read, count);
      return 1;
    },
    configurable: true,
  });
  for (let i = 0; i < layers; i++) replaceGetter(target, "x", (value) => value);
  return { target: target as { x: number }, seen };
}

function readerOfX(target: { x: number }): number {
  return target.x;
}

describe("callerPastOwnFrames", () => {
  it("is the direct caller when no durasim frame stands between", () => {
    const { target, seen } = observedGetter(0);
    readerOfX(target);
    expect(seen.frame?.getFunctionName()).toBe("readerOfX");
    expect(seen.frame?.getFileName()).toContain("call-sites.spec");
  });

  it("looks past every frame of durasim's own wrappers to the code that called", () => {
    const { target, seen } = observedGetter(3);
    readerOfX(target);
    expect(seen.frame?.getFunctionName()).toBe("readerOfX");
    expect(seen.frame?.getFileName()).toContain("call-sites.spec");
  });

  it("finds none when durasim's own frames fill all `count` frames it reads", () => {
    const { target, seen } = observedGetter(3, 2);
    readerOfX(target);
    expect(seen.frame).toBeUndefined();
  });
});
