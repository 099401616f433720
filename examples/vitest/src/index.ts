/// <reference path="./worker-configuration.d.ts" />
import { DurableObject, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

export interface Env {
  COUNTER: DurableObjectNamespace<Counter>;
  /** A service binding to this Worker's own Greeter entrypoint, with props (wrangler.jsonc "services"). */
  GREETER: Service<Greeter>;
}

/** A counter per name in one SQLite table; an alarm resets every counter. */
export class Counter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec(`
        CREATE TABLE IF NOT EXISTS counters (
          name TEXT PRIMARY KEY,
          value INTEGER NOT NULL DEFAULT 0
        )
      `);
    });
  }

  async increment(name: string = "default"): Promise<number> {
    this.ctx.storage.sql.exec(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT(name) DO UPDATE SET value = value + 1`,
      name,
    );
    return this.ctx.storage.sql.exec<{ value: number }>("SELECT value FROM counters WHERE name = ?", name).one().value;
  }

  async getCount(name: string = "default"): Promise<number> {
    const rows = this.ctx.storage.sql.exec<{ value: number }>("SELECT value FROM counters WHERE name = ?", name).toArray();
    return rows[0]?.value ?? 0;
  }

  /** Several counters at once: an object in, an object out. */
  async incrementAll(request: { names: string[] }): Promise<{ counts: Record<string, number> }> {
    const counts: Record<string, number> = {};
    for (const name of request.names) counts[name] = await this.increment(name);
    return { counts };
  }

  async reset(name: string = "default"): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM counters WHERE name = ?", name);
  }

  async scheduleReset(afterMs: number): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + afterMs);
  }

  async alarm(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM counters");
  }

  /** A handle on one counter, passed by reference over RPC. */
  handle(name: string): CounterHandle {
    return new CounterHandle(this, name);
  }
}

export class CounterHandle extends RpcTarget {
  constructor(
    private readonly counter: Counter,
    readonly name: string,
  ) {
    super();
  }

  increment(): Promise<number> {
    return this.counter.increment(this.name);
  }

  get value(): Promise<number> {
    return this.counter.getCount(this.name);
  }
}

/** A named entrypoint: other Workers reach it through service bindings, this one through ctx.exports. */
export class Greeter extends WorkerEntrypoint<Env, { greeting?: string }> {
  greet(name: string): string {
    return `${this.ctx.props.greeting ?? "Hello"}, ${name}!`;
  }

  async fetch(request: Request): Promise<Response> {
    return new Response(this.greet(new URL(request.url).searchParams.get("name") ?? "world"));
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/greet") {
      // ctx.exports: loopback bindings to this Worker's own entrypoints, props set per call.
      const greeter = ctx.exports.Greeter({ props: { greeting: "Welcome" } });
      return new Response(await greeter.greet(url.searchParams.get("name") ?? "world"));
    }
    const stub = env.COUNTER.getByName(url.searchParams.get("id") ?? "default");
    const count = request.method === "POST" ? await stub.increment() : await stub.getCount();
    return Response.json({ count });
  },

  /** Cron Triggers: counts each run under its cron expression, in the background. */
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(env.COUNTER.getByName("cron").increment(controller.cron));
  },

  /** Queue consumer: counts each message's body under the queue's name; "fail" is retried in 30 s. */
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    for (const message of batch.messages) {
      if (message.body === "fail") {
        message.retry({ delaySeconds: 30 });
      } else {
        await env.COUNTER.getByName(batch.queue).increment(String(message.body));
        message.ack();
      }
    }
  },
} satisfies ExportedHandler<Env>;
