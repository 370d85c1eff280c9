/** ind:family_object -> family_item: always `unix` here (oscap answers the same offline). */
import type { OvalProbe } from '../../oval-session/probe.js';
import { complete, makeItem } from './common.js';

export const familyProbe: OvalProbe = {
  family: 'ind',
  objectType: 'family_object',
  async collect() {
    return complete([makeItem('ind', 'family_item', [['family', 'unix']])]);
  },
};
