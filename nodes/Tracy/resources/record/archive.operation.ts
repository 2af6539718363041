import { patchOperation } from './patch';

/** Archive: sets the archive date to now. */
export const operation = patchOperation(
	{
		name: 'Archive',
		value: 'archive',
		action: 'Archive a record',
		description: 'Archive a record (Unarchive brings it back)',
	},
	() => ({ archived: new Date().toISOString() }),
);
