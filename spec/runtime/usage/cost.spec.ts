/**
 * estimateCost() against the worked examples of Cloudflare's Durable Objects pricing page (as
 * of the date in prices.ts): each example's month, put in as usage, must come to the page's line
 * items and total.
 */
import { describe, expect, it } from "vitest";
import { estimateCost } from "../../../lib/runtime/usage/cost.js";
import { derive, emptyUsage, type Usage } from "../../../lib/runtime/usage/usage.js";

/** A month of usage: requests, incoming WebSocket messages, and seconds active. */
function month({ requests = 0, messages = 0, seconds = 0 }): Usage {
  const usage = emptyUsage();
  usage.requests.http = requests;
  usage.requests.webSocketMessages = messages;
  usage.duration.heldBy.requests = seconds * 1000;
  return derive(usage);
}

const costs = (usage: Usage) => {
  const estimate = estimateCost(usage);
  return { lines: estimate.lines.map(({ item, quantity, billable, cost }) => [item, quantity, billable, cost]), total: estimate.total };
};

describe("estimateCost: the pricing page's examples", () => {
  it("Example 1: one object, 1.5 million HTTP requests, active 1,000,000 s", () => {
    expect(costs(month({ requests: 1_500_000, seconds: 1_000_000 }))).toEqual({
      lines: [
        ["Requests", 1_500_000, 1_000_000, 0.15], // 500,000 billable, rounded up to 1 million
        ["Duration", 128_000, 0, 0],
        ["Workers Paid monthly minimum", 1, 1, 5],
      ],
      total: 5.15,
    });
  });

  it("Example 2: 100 objects × 50 WebSockets, a message a minute for 8 hours a day", () => {
    const usage = month({ requests: 150_000, messages: 72_000_000, seconds: 100 * 60 * 60 * 8 * 30 });
    expect(usage.requests.billed).toBe(3_750_000);
    expect(costs(usage)).toEqual({
      lines: [
        ["Requests", 3_750_000, 3_000_000, 0.45],
        ["Duration", 11_059_200, 11_000_000, 137.5],
        ["Workers Paid monthly minimum", 1, 1, 5],
      ],
      total: 142.95,
    });
  });

  it("Example 3: 100 objects, one WebSocket each, a message every second of the month", () => {
    const usage = month({ requests: 100, messages: 259_200_000, seconds: 100 * 60 * 60 * 24 * 30 });
    expect(costs(usage)).toEqual({
      lines: [
        ["Requests", 12_960_100, 12_000_000, 1.8],
        ["Duration", 33_177_600, 33_000_000, 412.5],
        ["Workers Paid monthly minimum", 1, 1, 5],
      ],
      total: 419.3,
    });
  });

  it("Example 4: hibernatable WebSockets, each object active 1 s a minute", () => {
    const usage = month({ requests: 10_000, messages: 432_000_000, seconds: 100 * 60 * 24 * 30 });
    expect(costs(usage)).toEqual({
      lines: [
        ["Requests", 21_610_000, 21_000_000, 3.15],
        ["Duration", 552_960, 1_000_000, 12.5],
        ["Workers Paid monthly minimum", 1, 1, 5],
      ],
      total: 20.65,
    });
  });
});

describe("estimateCost: storage and scaling", () => {
  it("bills storage dimensions past what the month includes, a started million at a time", () => {
    const usage = emptyUsage();
    usage.sqlite.rowsRead = 25_000_000_001; // 1 row over: a started million at $0.001
    usage.sqlite.rowsWritten = 52_500_000; // 2.5 million over: 3 × $1.00
    usage.sqlite.databaseBytes = 7e9; // 7 GB held all month: 2 GB-month over × $0.20
    usage.kv.readUnits = 1_000_000; // exactly what is included
    const lines = estimateCost(derive(usage)).lines.map(({ item, billable, cost }) => [item, billable, cost]);
    expect(lines).toEqual([
      ["Requests", 0, 0],
      ["Duration", 0, 0],
      ["SQLite rows read", 1_000_000, 0.001],
      ["SQLite rows written", 3_000_000, 3],
      ["SQLite stored data", 2, 0.4],
      ["KV read request units", 0, 0],
      ["Workers Paid monthly minimum", 1, 5],
    ]);
    expect(estimateCost(derive(usage)).total).toBe(8.401);
  });

  it("scales a measured sample to a month: by a factor, or to a number of requests", () => {
    const sample = emptyUsage();
    sample.requests.rpc = 2;
    sample.kv.writeUnits = 3;
    sample.kv.bytes = 2e9; // a level: not scaled
    derive(sample);
    const byRequests = estimateCost(sample, { requestsPerMonth: 10_000_000 });
    expect(byRequests.scale).toBe(5_000_000);
    const pick = (item: string) => byRequests.lines.find((line) => line.item === item);
    expect(pick("Requests")).toMatchObject({ quantity: 10_000_000, billable: 9_000_000, cost: 1.35 });
    expect(pick("KV write request units")).toMatchObject({ quantity: 15_000_000, billable: 14_000_000, cost: 14 });
    expect(pick("KV stored data")).toMatchObject({ quantity: 2, billable: 1, cost: 0.2 });
    expect(estimateCost(sample, { scale: 5_000_000 }).total).toBe(byRequests.total);
    expect(byRequests.total).toBe(20.55);
  });

  it("refuses a scale it cannot apply", () => {
    const usage = emptyUsage();
    expect(() => estimateCost(usage, { requestsPerMonth: 1 })).toThrow(
      "durasim: estimateCost() cannot scale to requestsPerMonth: the usage has no billed requests.",
    );
    expect(() => estimateCost(usage, { scale: -1 })).toThrow("durasim: estimateCost() needs scale to be a finite number >= 0, got -1.");
    expect(() => estimateCost(usage, { scale: 2, requestsPerMonth: 2 })).toThrow("durasim: estimateCost() takes scale or requestsPerMonth, not both.");
  });

  it("names the date its prices were checked and their source", () => {
    expect(estimateCost(emptyUsage()).prices).toEqual({
      checked: "2026-12-01",
      source: "https://developers.cloudflare.com/durable-objects/platform/pricing/",
    });
  });
});
