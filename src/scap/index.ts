/** Public API of the SCAP content layer (parsing + profile resolution; evaluation comes later). */

export { loadScapSource, parseScapSource } from './datastream/parse-source.js';
export {
  type BenchmarkContext,
  benchmarksOf,
  cpeDictionaryFor,
  ovalFor,
  resolveHref,
} from './datastream/resolve.js';
export { type ConstructInventory, constructInventory, ovalCheckOf } from './inventory/construct-inventory.js';
export { type ContentInfo, contentInfo } from './inventory/content-info.js';
export { type OvalClosure, ovalClosure } from './inventory/oval-closure.js';
export type * from './model/cpe.js';
export type * from './model/datastream.js';
export type * from './model/oval.js';
export type * from './model/unknown.js';
export type * from './model/xccdf.js';
export { findProfile, shortProfileId } from './xccdf/profile-id.js';
export { type ResolvedProfile, type ResolvedValue, resolveProfile } from './xccdf/resolve-profile.js';
