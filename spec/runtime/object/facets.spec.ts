import { describe, expect, it } from "vitest";
import { DurableObject } from "../../../lib/modules/workers.js";
import { namespaceOf } from "../../helpers.js";

type Facets = Record<"get" | "abort" | "delete" | "clone", (...args: unknown[]) => unknown>;

class WithFacets extends DurableObject {
  async attempt(method: keyof Facets, args: unknown[]) {
    const facets = (this.ctx as unknown as { facets: Facets }).facets;
    try {
      facets[method](...args);
      return "no error";
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  }
}

const notOfType = (method: string, position: number, type: string) =>
  `TypeError: Failed to execute '${method}' on 'DurableObjectFacets': parameter ${position} is not of type '${type}'.`;
const refused = (method: string) => `Error: durasim does not emulate Durable Object facets (ctx.facets.${method}()).`;

describe("ctx.facets (not emulated)", () => {
  it("checks every argument as the runtime does, in its order, before refusing", async () => {
    const stub = namespaceOf(WithFacets).getByName("f");
    const cases: Array<[keyof Facets, unknown[], string]> = [
      ["get", [], notOfType("get", 1, "string")],
      ["get", ["x"], notOfType("get", 2, "function")],
      ["get", ["x", {}], notOfType("get", 2, "function")],
      ["get", ["x", () => ({})], refused("get")],
      ["abort", ["x"], notOfType("abort", 2, "Value")],
      ["abort", ["x", undefined], refused("abort")],
      ["clone", ["x"], notOfType("clone", 2, "string")],
      ["clone", ["x", 5], refused("clone")],
      ["delete", ["x"], refused("delete")],
    ];
    for (const [method, args, expected] of cases) expect(await stub.attempt(method, args), `${method}(${args.length} args)`).toBe(expected);
  });
});
