// The `ctx` of a WorkerEntrypoint (the runtime's ExecutionContext): its own properties and
// prototype, how it serialises, and `ctx.tracing` with its spans (nothing is traced locally).
import { SHAPE_HELPERS } from "./shapes.mjs";

const SOURCE = `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
${SHAPE_HELPERS}
export class DO extends DurableObject { async hi() { return 1; } }
export class Named extends WorkerEntrypoint {
  async shape() {
    const t = this.ctx.tracing;
    return {
      ctx: describe(this.ctx), keys: Object.keys(this.ctx), json: JSON.stringify(this.ctx), access: Object.getOwnPropertyDescriptor(this.ctx, "access"),
      tracing: describe(t), sameTracing: this.ctx.tracing === t, tracingJson: JSON.stringify(t), span: describe(t.startSpan("s")), spanJson: JSON.stringify(t.startSpan("s")),
      spanConstructor: { same: t.Span === t.Span, isSpan: t.startSpan("s") instanceof t.Span, construct: how(() => new t.Span()), call: how(() => t.Span()) },
    };
  }
  async spans() {
    const t = this.ctx.tracing;
    const span = t.startSpan("x");
    const tags = (...a) => a.map((x) => Object.prototype.toString.call(x));
    return howAll({
      isTraced: () => span.isTraced, spanContext: () => span.spanContext(), setAttribute: () => span.setAttribute("k", 1) === span, setAttributeNoArgs: () => span.setAttribute(),
      setAttributes: () => span.setAttributes({ a: 1 }) === span, setStatusOk: () => span.setStatus({ code: "ok" }) === span, setStatusBad: () => span.setStatus({ code: 1 }),
      setStatusNone: () => span.setStatus(), recordException: () => span.recordException(new Error("e")), updateName: () => span.updateName("y") === span,
      updateNameNoArgs: () => span.updateName(), end: () => span.end(), endTwice: () => span.end(), afterEnd: () => span.setAttribute("k", 2) === span,
      startSpanNoArgs: () => t.startSpan(), startSpanNumber: () => Object.prototype.toString.call(t.startSpan(5)), activeSame: () => t.getActiveSpan() === t.getActiveSpan(),
      activeTag: () => Object.prototype.toString.call(t.getActiveSpan()), enterSpan: () => t.enterSpan("x", tags, 1, "two"), enterSpanNoFn: () => t.enterSpan("x"),
      enterSpanNoArgs: () => t.enterSpan(), enterSpanAsync: () => t.enterSpan("x", async () => "async result"), enterSpanThrows: () => t.enterSpan("x", () => { throw new RangeError("inside"); }),
      startActiveSpan: () => t.startActiveSpan("x", tags), startActiveSpanOptions: () => t.startActiveSpan("x", {}, tags), withActiveSpan: () => t.withActiveSpan(span, tags, 1),
      withActiveSpanNotSpan: () => t.withActiveSpan({}, tags), withActiveSpanNoFn: () => t.withActiveSpan(span),
      detached: () => { const f = t.startSpan; return f("x"); },
    });
  }
  async others() {
    return howAll({ mapVirtualHostNoArgs: () => this.ctx.mapVirtualHost(), mapVirtualHostString: () => this.ctx.mapVirtualHost("x") });
  }
}
`;

const scenario = (name, method) => ({
  name: `entrypoint ctx: ${name}`,
  backend: "sqlite",
  source: SOURCE,
  entry: `class extends WorkerEntrypoint { async fetch() { return new Response("default"); } }`,
  drive: `async (env) => { const { exports } = await import("cloudflare:workers"); return outcome(() => exports.Named.${method}()); }`,
});

export default [
  scenario("own properties, prototype, JSON, and the tracing API's shapes", "shape"),
  scenario("tracing: spans are untraced, methods check their arguments, callbacks run", "spans"),
  scenario("mapVirtualHost's argument check", "others"),
];
