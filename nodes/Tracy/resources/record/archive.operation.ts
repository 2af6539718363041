import { patchOperation } from './patch';

/** Archive: sets the archive date to now. */
export const { description, buildBody } = patchOperation('archive', 'archive', () => ({ archived: new Date().toISOString() }));
