// A Worker with one Durable Object, written exactly as it would be for Cloudflare.
import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  async increment(by = 1) {
    const value = ((await this.ctx.storage.get("value")) ?? 0) + by;
    await this.ctx.storage.put("value", value);
    return value;
  }

  async current() {
    return (await this.ctx.storage.get("value")) ?? 0;
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/increment") return Response.json({ value: await this.increment() });
    return Response.json({ value: await this.current() });
  }
}

export default {
  async fetch(request, env) {
    const name = new URL(request.url).searchParams.get("counter") ?? "default";
    return env.COUNTER.getByName(name).fetch(request);
  },
};
