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
 * not one. The iterator reads through a reader of the stream: each next() reads once the read
 * before it has settled; the end releases the reader; a failed read leaves it held (so the next
 * read fails as reads of it do). return(value) finishes the iterator at once (a next() or
 * return() after it answers the end, or `value`, a microtask later) and, once the read under
 * way (if any) has its chunk, cancels the stream with `value` unless `preventCancel` (before
 * the caller of that read's next() hears of the chunk), answering `{ done: true, value }`; if
 * that read fails, return() fails with its error and nothing is cancelled or released. Results
 * are `{ done, value }`, in that order, as the runtime's.
 */

type ReadResult<R> = Awaited<ReturnType<ReadableStreamDefaultReader<R>["read"]>>;

export class ReaderIterator<R> {
  readonly #reader: ReadableStreamDefaultReader<R>;
  readonly #preventCancel: boolean;
  // The end was read (the reader is released).
  #done = false;
  // return() was called.
  #returned = false;
  // The read of the last next() while it is under way (or waits for the one before it).
  #tail: Promise<ReadResult<R>> | undefined;

  constructor(reader: ReadableStreamDefaultReader<R>, preventCancel: boolean) {
    this.#reader = reader;
    this.#preventCancel = preventCancel;
  }

  next(): Promise<IteratorResult<R>> {
    ReaderIterator.#check(this);
    if (this.#returned) return answerLater({ done: true, value: undefined });
    const before = this.#tail;
    const read = before === undefined ? this.#read() : before.then(() => this.#read(), () => this.#read());
    this.#tail = read;
    // (Registered before the caller's reactions, which then find no read under way.)
    const settled = (): void => {
      if (this.#tail === read) this.#tail = undefined;
    };
    read.then(settled, settled);
    return read.then((result) => {
      if (result.done && !this.#done) this.#finish();
      return { done: result.done, value: result.value } as IteratorResult<R>;
    });
  }

  return(value?: unknown): Promise<IteratorResult<R>> {
    ReaderIterator.#check(this);
    if (this.#returned) return answerLater({ done: true, value } as IteratorResult<R>);
    this.#returned = true;
    const end = async (): Promise<IteratorResult<R>> => {
      if (!this.#done) {
        const cancelled = this.#preventCancel ? undefined : this.#reader.cancel(value);
        this.#finish();
        await cancelled;
      }
      return { done: true, value } as IteratorResult<R>;
    };
    return this.#tail === undefined ? end() : this.#tail.then(end);
  }

  #read(): Promise<ReadResult<R>> {
    return this.#done ? Promise.resolve({ done: true, value: undefined }) : this.#reader.read();
  }

  /** Refuses a receiver that is no iterator of this kind, as the runtime's members do. */
  static #check(self: unknown): void {
    if (typeof self !== "object" || self === null || !(#reader in self)) throw inCodeRealm(illegalInvocation());
  }

  #finish(): void {
    this.#done = true;
    this.#reader.releaseLock();
  }
}

/** `result`, a microtask after the call, as the runtime answers a finished iterator. */
function answerLater<T>(result: T): Promise<T> {
  return Promise.resolve().then(() => result);
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
