/** The SCAP evaluation engines of `vouch scan --datastream --engine` (tiny: the CLI imports it eagerly). */
export type Engine = 'native' | 'oscap' | 'hybrid';
export const ENGINES: readonly Engine[] = ['native', 'oscap', 'hybrid'];
