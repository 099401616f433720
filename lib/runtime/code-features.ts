/**
 * The compatibility features that change what the runtime's APIs do for the code of one Worker
 * (config/compatibility.ts resolves them from its date and flags). An API reads them from the
 * code that calls it, so two Workers of one emulator each get their own.
 */
export interface CodeFeatures {
  /** spec_compliant_dispatch_exceptions: a throwing listener is reported and the next ones run (event-targets.ts). */
  readonly specCompliantDispatchExceptions: boolean;
  /** websocket_standard_binary_type: a WebSocket's binaryType starts as "blob", else "arraybuffer" (websockets/web-socket.ts). */
  readonly standardWebSocketBinaryType: boolean;
  /** enhanced_error_serialization: how errors cross RPC (rpc/serialize.ts, rpc/tunnel.ts), storage and structuredClone() (storage/codec.ts). */
  readonly enhancedErrorSerialization: boolean;
  /** enable_ctx_exports: a Durable Object's and a Worker handler's `ctx` have `exports`; off, they have no such property. */
  readonly ctxExports: boolean;
  /** Every flag of workerd's table, true where the Worker's date and flags turn it on (globals/cloudflare.ts). */
  readonly compatibilityFlags: Readonly<Record<string, boolean>>;
}

/**
 * The newest date's features, as a Worker without a date has them: what code gets when no
 * Worker's features are known (test code before any emulator registered its main Worker). The
 * flag table is the configuration's (config/workerd-flags.ts), which no Worker has read here: no flags.
 */
export const NEWEST_CODE_FEATURES: CodeFeatures = {
  specCompliantDispatchExceptions: true,
  standardWebSocketBinaryType: true,
  enhancedErrorSerialization: true,
  ctxExports: true,
  compatibilityFlags: Object.freeze(Object.create(null) as Record<string, boolean>),
};
