import { defineMissing, isObject, type Realm } from "./define.js";

/** `Promise.withResolvers()` (ES2024): a promise of `this` constructor with its two functions. */
export function installPromiseWithResolvers(realm: Realm): void {
  defineMissing(realm.Promise, {
    withResolvers(this: unknown) {
      if (!isObject(this)) throw new realm.TypeError("Promise.withResolvers called on non-object");
      let resolve: unknown;
      let reject: unknown;
      const promise = Reflect.construct(this as Function, [(res: unknown, rej: unknown) => {
        resolve = res;
        reject = rej;
      }]);
      if (typeof resolve !== "function" || typeof reject !== "function") throw new realm.TypeError("Promise resolve or reject function is not callable");
      const record = new realm.Object() as Record<string, unknown>;
      record.promise = promise;
      record.resolve = resolve;
      record.reject = reject;
      return record;
    },
  });
}
