import { runsEmulatedCode } from "../code-context.js";
import { replaceMethod } from "../replace-method.js";
import { inCodeRealm } from "../../util/code-realm.js";
import { readsNativeMembers } from "../../util/native-names.js";
import { illegalConstructor, illegalInvocation, isIdlObject, notOfType, site, tagInterface } from "../../util/webidl.js";

/**
 * The async iterator of a ReadableStream as the runtime's (`values()`, `for await`): an object
 * of its own interface, ReadableStreamAsyncIterator, whose prototype holds `next` and `return`
 * (length 0, calling either on another object is an "Illegal invocation") and inherits the
 * language's %AsyncIteratorPrototype%, where Node's iterator is a plain object with its own
 * `next` and `return`. `values` and Symbol.asyncIterator are two functions (the second unnamed),
 * not one. The iterator reads through a reader of the stream: each next() waits for the one
 * before it; the end releases the reader; a failed read leaves it held (so the next read fails
 * as reads of it do), and return(value) cancels the stream with `value` unless `preventCancel`,
 * answering `{ done: true, value }`; once done, next() answers the end and return() its value.
 */

export class ReaderIterator<R> {
  readonly #reader: ReadableStreamDefaultReader<R>;
  readonly #preventCancel: boolean;
  #done = false;
  #ongoing: Promise<void> | undefined;

  constructor(reader: ReadableStreamDefaultReader<R>, preventCancel: boolean) {
    this.#reader = reader;
    this.#preventCancel = preventCancel;
  }

  next(): Promise<IteratorResult<R>> {
    ReaderIterator.#check(this);
    return this.#after(async () => {
      if (this.#done) return { done: true, value: undefined };
      const result = await this.#reader.read();
      if (result.done) this.#finish();
      return result as IteratorResult<R>;
    });
  }

  return(value?: unknown): Promise<IteratorResult<R>> {
    ReaderIterator.#check(this);
    return this.#after(async () => {
      if (!this.#done) {
        const cancelled = this.#preventCancel ? undefined : this.#reader.cancel(value);
        this.#finish();
        await cancelled;
      }
      return { done: true, value } as IteratorResult<R>;
    });
  }

  /** Refuses a receiver that is no iterator of this kind, as the runtime's members do. */
  static #check(self: unknown): void {
    if (typeof self !== "object" || self === null || !(#reader in self)) throw inCodeRealm(illegalInvocation());
  }

  // As the standard's async iterators: a step starts at once unless one is under way (so a read
  // asked for before close() is waiting when it comes), else once that one settles.
  #after<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#ongoing === undefined ? step() : this.#ongoing.then(step, step);
    // (Cleared in a reaction registered before the caller's, which then finds none under way.)
    const settled = (): void => {
      if (this.#ongoing === ongoing) this.#ongoing = undefined;
    };
    const ongoing: Promise<void> = run.then(settled, settled);
    this.#ongoing = ongoing;
    return run;
  }

  #finish(): void {
    this.#done = true;
    this.#reader.releaseLock();
  }
}

const INTERFACE = "ReadableStreamAsyncIterator";
const asyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype) as object;
{
  const prototype = ReaderIterator.prototype;
  Object.setPrototypeOf(prototype, asyncIteratorPrototype);
  tagInterface(prototype, INTERFACE);
  // Its own Symbol.asyncIterator (the inherited one's twin), answering the iterator itself.
  Object.defineProperty(prototype, Symbol.asyncIterator, {
    value: { [Symbol.asyncIterator](this: unknown) { return this; } }[Symbol.asyncIterator],
    writable: true,
    configurable: true,
  });
  readsNativeMembers(prototype);
  const constructor = illegalConstructor(INTERFACE);
  constructor.prototype = prototype;
  Object.defineProperty(prototype, "constructor", { value: constructor, writable: true, configurable: true });
}

/** An iterator over `stream` through a reader of its own, with values()' options converted as the runtime does. */
export function iteratorOf<R>(stream: ReadableStream<R>, options: unknown): ReaderIterator<R> {
  if (options !== undefined && options !== null && !isIdlObject(options)) throw inCodeRealm(notOfType(site("ReadableStream", "values"), 1, "ValuesOptions"));
  const preventCancel = Boolean((options as { preventCancel?: unknown } | null | undefined)?.preventCancel);
  return new ReaderIterator(stream.getReader(), preventCancel);
}

/** Worker and object code iterate streams through the runtime's iterator; test code keeps Node's. */
export function installStreamIterators(): void {
  const prototype = ReadableStream.prototype as unknown as Record<string, unknown>;
  for (const key of ["values", Symbol.asyncIterator as unknown as string]) {
    replaceMethod(prototype, key, (original, self, args) =>
      runsEmulatedCode() ? iteratorOf(self as ReadableStream, args[0]) : Reflect.apply(original, self, args),
    );
  }
}
