/**
 * Registry of check types, loaded lazily: a scan imports only the check types its rules use.
 */
import { VouchError } from '../errors.js';
import type { CheckTypeDefinition } from './check-type.js';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds check types of every spec type.
export type AnyCheckType = CheckTypeDefinition<any>;
export type CheckTypeLoader = () => Promise<AnyCheckType>;

export class CheckTypeRegistry {
  readonly #loaders = new Map<string, CheckTypeLoader>();
  readonly #loaded = new Map<string, AnyCheckType>();

  register(id: string, loader: CheckTypeLoader): this {
    if (this.#loaders.has(id)) {
      throw new VouchError('DUPLICATE_CHECK_TYPE', `check type "${id}" is registered twice`);
    }
    this.#loaders.set(id, loader);
    return this;
  }

  has(id: string): boolean {
    return this.#loaders.has(id);
  }

  ids(): string[] {
    return [...this.#loaders.keys()].sort();
  }

  /** Loads a check type; an unknown id is an error listing the known ones. */
  async load(id: string): Promise<AnyCheckType> {
    const cached = this.#loaded.get(id);
    if (cached) return cached;
    const loader = this.#loaders.get(id);
    if (!loader) {
      throw new VouchError(
        'UNKNOWN_CHECK_TYPE',
        `unknown check type "${id}" (known: ${this.ids().join(', ')})`,
      );
    }
    const definition = await loader();
    if (definition.id !== id) {
      throw new VouchError(
        'CHECK_TYPE_ID_MISMATCH',
        `check type registered as "${id}" declares id "${definition.id}"`,
      );
    }
    this.#loaded.set(id, definition);
    return definition;
  }

  /** A check type already loaded by `load`; evaluation is synchronous, so it needs this. */
  loaded(id: string): AnyCheckType {
    const definition = this.#loaded.get(id);
    if (!definition) throw new VouchError('CHECK_TYPE_NOT_LOADED', `check type "${id}" was not loaded`);
    return definition;
  }
}
