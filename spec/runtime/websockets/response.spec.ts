import { describe, expect, it } from "vitest";
import { Response } from "../../../lib/runtime/websockets/response.js";
import { WebSocketPair } from "../../../lib/runtime/websockets/web-socket-pair.js";
import { thrown } from "./helpers.js";


describe("Response with a WebSocket", () => {
  it("reports status 101 and the socket, has no body, and is still a Node Response", () => {
    const [client] = new WebSocketPair();
    const res = new Response(null, { status: 101, webSocket: client, headers: { "x-a": "1" } });
    expect([res.status, res.ok, res.statusText, res.body, res.webSocket === client]).toEqual([101, false, "", null, true]);
    expect([...res.headers]).toEqual([["x-a", "1"]]);
    expect(res).toBeInstanceOf(globalThis.Response);
    expect(new Response("plain").webSocket).toBeNull();
    expect(new Response(null, { status: 204 }).status).toBe(204);
  });

  it("refuses what the runtime refuses, with its messages", () => {
    const [client] = new WebSocketPair();
    expect(thrown(() => new Response(null, { status: 200, webSocket: client }))).toEqual({
      name: "RangeError",
      message: "Responses with a WebSocket must have status code 101.",
    });
    expect(thrown(() => new Response(null, { webSocket: client }))).toEqual({
      name: "RangeError",
      message: "Responses with a WebSocket must have status code 101.",
    });
    expect(thrown(() => new Response(null, { status: 101 }))).toEqual({
      name: "RangeError",
      message: "Responses may only be constructed with status codes in the range 200 to 599, inclusive.",
    });
    expect(thrown(() => new Response("body", { status: 101, webSocket: client }))).toEqual({
      name: "TypeError",
      message: "Response with null body status (101, 204, 205, or 304) cannot have a body.",
    });
    expect(thrown(() => new Response(null, { status: 101, webSocket: {} as never }))).toEqual({
      name: "TypeError",
      message: "Incorrect type for the 'webSocket' field on 'InitializerDict': the provided value is not of type 'WebSocket'.",
    });
    expect(thrown(() => new Response(null, { status: 101, webSocket: client }).clone())).toEqual({
      name: "TypeError",
      message: "Cannot clone a response to a WebSocket handshake.",
    });
    expect(new Response("x").clone()).toBeInstanceOf(globalThis.Response);
  });
});
