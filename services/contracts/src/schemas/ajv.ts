import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * One Ajv instance for every contract schema. `strict` catches mistakes in the schemas
 * themselves; `allErrors: false` stops at the first problem, which is all a reject reason needs
 * and keeps validation cheap on the hot path.
 */
export const ajv = new Ajv({ strict: true, allErrors: false, allowUnionTypes: true });
addFormats(ajv, ['date-time']);
