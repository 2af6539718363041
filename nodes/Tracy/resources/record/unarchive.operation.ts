import { patchOperation } from './patch';

/** Unarchive: clears the archive date. */
export const { description, buildBody } = patchOperation('unarchive', () => ({ archived: null }));
