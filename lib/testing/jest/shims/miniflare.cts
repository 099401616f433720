/**
 * `durasim/miniflare` under Jest: the environment's copy, whose Worker code loads through Jest
 * (the setup file sets the loader) as an Emulator's `modulePath` does: a copy Jest evaluated in
 * the test file would import `scriptPath` through Node, which Jest refuses there.
 */
import shared = require("./host.cjs");

const miniflare = shared.needed().modules.miniflare;
const Miniflare = miniflare.Miniflare;
const MiniflareError = miniflare.MiniflareError;
const MiniflareCoreError = miniflare.MiniflareCoreError;
const kCurrentWorker = miniflare.kCurrentWorker;
const Log = miniflare.Log;
const NoOpLog = miniflare.NoOpLog;
const LogLevel = miniflare.LogLevel;
// Miniflare's fetch API classes are the ones the test file uses: its realm's globals.
const { Request, Headers, FormData, fetch } = globalThis;
// Its Response and WebSocket classes are the Workers ones, which the environment also makes the
// test file's globals.
const { Response, WebSocketPair, WebSocket, MessageEvent, CloseEvent, ErrorEvent } = miniflare;

export = { Miniflare, MiniflareError, MiniflareCoreError, kCurrentWorker, Log, NoOpLog, LogLevel, Request, Response, Headers, FormData, fetch, WebSocketPair, WebSocket, MessageEvent, CloseEvent, ErrorEvent };
