/**
 * A minimal RFC 6455 server for outbound-connection specs (Node has no WebSocket server): it
 * completes the handshake over node:http's upgrade (picking the first offered subprotocol),
 * reads masked, unfragmented client frames and answers with unmasked ones. It echoes text and
 * binary messages, except for commands: "close <code> <reason>" sends a Close frame, "drop"
 * cuts the TCP connection. A client's Close frame is recorded and answered with the same one.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { Socket } from "node:net";

const HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface EchoServer {
  url: string;
  /** Close frames the server received: [code, reason] (code 1005 when it carried none). */
  closes: Array<[number, string]>;
  /** The headers of each handshake request, as the server got them. */
  handshakes: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const closes: Array<[number, string]> = [];
  const handshakes: IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_, res) => res.writeHead(426).end());
  server.on("upgrade", (req, socket: Socket) => {
    sockets.add(socket);
    handshakes.push(req.headers);
    socket.on("close", () => sockets.delete(socket));
    const key = String(req.headers["sec-websocket-key"]);
    const accept = createHash("sha1").update(key + HANDSHAKE_GUID).digest("base64");
    const offered = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    const protocol = offered.length > 0 ? `Sec-WebSocket-Protocol: ${offered[0]}\r\n` : "";
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${protocol}\r\n`);
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let frame = readFrame(buffered); frame !== undefined; frame = readFrame(buffered)) {
        buffered = buffered.subarray(frame.size);
        answer(socket, frame.opcode, frame.payload, closes);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/echo`,
    closes,
    handshakes,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(socket: Socket, opcode: number, payload: Buffer, closes: Array<[number, string]>): void {
  if (opcode === 0x8) {
    closes.push(payload.length >= 2 ? [payload.readUInt16BE(0), payload.subarray(2).toString()] : [1005, ""]);
    socket.end(frame(0x8, payload));
    return;
  }
  const text = opcode === 0x1 ? payload.toString() : undefined;
  if (text === "drop") return void socket.destroy();
  const command = text?.match(/^close (\d+) ?(.*)$/);
  if (command) {
    const body = Buffer.alloc(2);
    body.writeUInt16BE(Number(command[1]));
    socket.write(frame(0x8, Buffer.concat([body, Buffer.from(command[2]!)])));
    return;
  }
  if (opcode === 0x1 || opcode === 0x2) socket.write(frame(opcode, payload));
}

function readFrame(bytes: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (bytes.length < 2) return undefined;
  let length = bytes[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  if (bytes.length < offset + 4 + length) return undefined;
  const mask = bytes.subarray(offset, offset + 4);
  const payload = Buffer.from(bytes.subarray(offset + 4, offset + 4 + length));
  for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode: bytes[0]! & 0x0f, payload, size: offset + 4 + length };
}

function frame(opcode: number, payload: Buffer): Buffer {
  const head =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, payload.length])
      : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}
