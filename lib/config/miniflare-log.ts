/**
 * Miniflare's `Log`, `NoOpLog` and `LogLevel`, so a test written for Miniflare (`log: new
 * Log(LogLevel.DEBUG)`) imports and runs unchanged. durasim ignores the `log` option (it has no
 * server or workerd process to report on; a Worker's console writes to Node's), so these only
 * format what a test logs through them itself, as Miniflare's do, without the colours.
 */
export enum LogLevel {
  NONE = 0,
  ERROR = 1,
  WARN = 2,
  INFO = 3,
  DEBUG = 4,
  VERBOSE = 5,
}

const LEVEL_PREFIX: Record<LogLevel, string> = { 0: "", 1: "error", 2: "warn", 3: "info", 4: "debug", 5: "verbose" };

export interface LogOptions {
  prefix?: string;
  suffix?: string;
}

export class Log {
  readonly #prefix: string;
  readonly #suffix: string;

  constructor(
    readonly level: LogLevel = LogLevel.INFO,
    { prefix = "mf", suffix = "" }: LogOptions = {},
  ) {
    this.#prefix = prefix === "" ? "" : `${prefix}:`;
    this.#suffix = suffix === "" ? "" : `:${suffix}`;
  }

  log(message: string): void {
    console.log(message);
  }

  logWithLevel(level: LogLevel, message: string): void {
    if (level <= this.level) this.log(`[${this.#prefix}${LEVEL_PREFIX[level]}${this.#suffix}] ${message}`);
  }

  logReady(message: string): void {
    this.info(message);
  }

  error(message: Error): void {
    this.logWithLevel(LogLevel.ERROR, message.stack ?? String(message));
  }

  warn(message: string): void {
    this.logWithLevel(LogLevel.WARN, message);
  }

  info(message: string): void {
    this.logWithLevel(LogLevel.INFO, message);
  }

  debug(message: string): void {
    this.logWithLevel(LogLevel.DEBUG, message);
  }

  verbose(message: string): void {
    this.logWithLevel(LogLevel.VERBOSE, message);
  }
}

/** A Log that writes nothing (Miniflare's default when no `log` is given). */
export class NoOpLog extends Log {
  constructor() {
    super(LogLevel.NONE);
  }

  override log(): void {}
}
