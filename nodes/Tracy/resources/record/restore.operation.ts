import { patchOperation } from './patch';

/** Restore: takes the record out of the trash. */
export const { description, buildBody } = patchOperation('restore', () => ({ removed: null }));
