/** `none`: composite over nested checks; shared implementation in ../composite/composite.ts. */
import { defineComposite } from '../composite/composite.js';

export default defineComposite('none');
