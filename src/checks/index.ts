/**
 * The built-in check types. Each loads on first use, so a scan imports only the types its rules use.
 */
import { type CheckTypeLoader, CheckTypeRegistry } from '../core/checks/registry.js';

export const BUILTIN_CHECK_TYPES: Readonly<Record<string, CheckTypeLoader>> = {
  file: () => import('./file/index.js').then((m) => m.default),
  'file-content': () => import('./file-content/index.js').then((m) => m.default),
  'config-value': () => import('./config-value/index.js').then((m) => m.default),
  pam: () => import('./pam/index.js').then((m) => m.default),
  package: () => import('./package/index.js').then((m) => m.default),
  service: () => import('./service/index.js').then((m) => m.default),
  sysctl: () => import('./sysctl/index.js').then((m) => m.default),
  'kernel-module': () => import('./kernel-module/index.js').then((m) => m.default),
  mount: () => import('./mount/index.js').then((m) => m.default),
  accounts: () => import('./accounts/index.js').then((m) => m.default),
  'fs-query': () => import('./fs-query/index.js').then((m) => m.default),
  all: () => import('./all/index.js').then((m) => m.default),
  any: () => import('./any/index.js').then((m) => m.default),
  none: () => import('./none/index.js').then((m) => m.default),
  command: () => import('./command/index.js').then((m) => m.default),
};

export function createBuiltinRegistry(): CheckTypeRegistry {
  const registry = new CheckTypeRegistry();
  for (const [id, loader] of Object.entries(BUILTIN_CHECK_TYPES)) registry.register(id, loader);
  return registry;
}
