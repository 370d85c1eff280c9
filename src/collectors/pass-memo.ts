/**
 * Reads shared by the facts of one collection pass. Inside a pass, `get(key, load)` runs `load` at
 * most once; outside a pass (a lone collect, a test) it always runs it, so nothing read in one scan
 * can be served in the next one, when the file may have changed.
 */
export class PassMemo {
  #entries: Map<string, Promise<unknown>> | null = null;

  begin(): void {
    this.#entries = new Map();
  }

  end(): void {
    this.#entries = null;
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.#entries === null) return load();
    let entry = this.#entries.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = load();
      this.#entries.set(key, entry);
    }
    return entry;
  }
}
