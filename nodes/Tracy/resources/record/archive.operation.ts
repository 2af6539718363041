import { patchOperation } from './patch';

/** Archive: sets the archive date to now. */
export const { description, buildBody } = patchOperation('archive', () => ({ archived: new Date().toISOString() }));
