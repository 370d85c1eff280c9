/**
 * The set-lookup path of compareWithEntity (equals + var_check "at least one" over long variables)
 * must give exactly what comparing value by value gives, errors included.
 */
import { describe, expect, it } from 'vitest';
import { compareValues } from '../../src/scap/oval-eval/compare.js';
import { combineByCheck } from '../../src/scap/oval-eval/result.js';
import { compareWithEntity } from '../../src/scap/oval-eval/state-eval.js';

const INTS = ['0', '1', '33', '65534', ' 7', '+7', '-1', '007', 'x', '', '1.5', '9223372036854775808'];
const STRINGS = ['root', 'daemon', 'Root', '', ' root', 'nobody', 'x'];

/** Deterministic pseudo-random choices (a tiny LCG), so failures reproduce. */
function* choices(seed: number): Generator<number> {
  let s = seed;
  for (;;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    yield s;
  }
}

describe('compareWithEntity fast path', () => {
  for (const datatype of ['int', 'string'] as const) {
    it(`${datatype}: agrees with value-by-value comparison`, () => {
      const pool = datatype === 'int' ? INTS : STRINGS;
      const rng = choices(datatype === 'int' ? 7 : 11);
      for (let round = 0; round < 300; round++) {
        const length = 8 + ((rng.next().value as number) % 20);
        const values = Array.from(
          { length },
          () => pool[(rng.next().value as number) % pool.length] as string,
        );
        const collected = pool[(rng.next().value as number) % pool.length] as string;
        const variable = { values, flag: 'complete' as const };
        const entity = {
          name: 'user_id',
          value: undefined,
          datatype,
          operation: 'equals',
          varRef: 'oval:x:var:1',
          varCheck: 'at least one',
        };
        const slow = combineByCheck(
          'at least one',
          values.map((v) => compareValues(datatype, 'equals', collected, v)),
        );
        expect(
          compareWithEntity(entity, collected, () => variable),
          `${collected} in ${values}`,
        ).toBe(slow);
      }
    });
  }
});
