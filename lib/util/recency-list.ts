/**
 * Keys in the order they were last used, for a least-recently-used bound on a hot path: a use
 * costs one Map lookup and a few pointer writes, where moving a Map entry to the end would take
 * a delete and a set besides.
 *
 * Invariant: the Map holds exactly the nodes on the list, each under its key; `#oldest` is the
 * least recently used node and `#newest` the most, linked through `newer`/`older`.
 */
export interface RecencyNode {
  readonly key: string;
  newer: RecencyNode | undefined;
  older: RecencyNode | undefined;
}

export class RecencyList<N extends RecencyNode> {
  readonly #nodes = new Map<string, N>();
  #oldest: N | undefined;
  #newest: N | undefined;

  get size(): number {
    return this.#nodes.size;
  }

  /** The node of `key`, now the most recently used; undefined when there is none. */
  use(key: string): N | undefined {
    const node = this.#nodes.get(key);
    if (node !== undefined) this.renew(node);
    return node;
  }

  /** The node of `key`, left where it is; undefined when there is none. */
  get(key: string): N | undefined {
    return this.#nodes.get(key);
  }

  /** Makes `node`, on the list, the most recently used (for a holder that has it at hand: no lookup). */
  renew(node: N): void {
    if (node === this.#newest) return;
    this.#unlink(node);
    this.#append(node);
  }

  /** Adds `node`, whose key is not on the list, as the most recently used. */
  add(node: N): void {
    this.#nodes.set(node.key, node);
    this.#append(node);
  }

  /** The least recently used node, if any. */
  oldest(): N | undefined {
    return this.#oldest;
  }

  delete(node: N): void {
    this.#nodes.delete(node.key);
    this.#unlink(node);
  }

  clear(): void {
    this.#nodes.clear();
    this.#oldest = this.#newest = undefined;
  }

  #append(node: N): void {
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest === undefined) this.#oldest = node;
    else this.#newest.newer = node;
    this.#newest = node;
  }

  #unlink(node: N): void {
    if (node.older === undefined) this.#oldest = node.newer as N | undefined;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.#newest = node.older as N | undefined;
    else node.newer.older = node.older;
  }
}
