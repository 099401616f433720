/** The runtime's TypeError for a call of the constructor `name` without `new`. */
export function newRequired(name: string): TypeError {
  return new TypeError(`Failed to construct '${name}': Please use the 'new' operator, this object constructor cannot be called as a function.`);
}

/**
 * Runtime classes refuse to be called without `new`, with the runtime's own message rather
 * than V8's ("Class constructor X cannot be invoked without 'new'"). The returned constructor is
 * a proxy of the class that stands in for it everywhere, `prototype.constructor` included, and
 * is named `name` (the runtime's name, whatever the class is called here).
 */
export function constructOnly<C extends abstract new (...args: never[]) => object>(Class: C, name: string): C {
  Object.defineProperty(Class, "name", { value: name, configurable: true });
  const proxy = new Proxy(Class, {
    apply() {
      throw newRequired(name);
    },
  });
  Object.defineProperty(Class.prototype, "constructor", { value: proxy, writable: true, configurable: true });
  return proxy;
}
