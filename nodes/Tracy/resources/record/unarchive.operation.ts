import { patchOperation } from './patch';

/** Unarchive: clears the archive date. */
export const operation = patchOperation(
	{
		name: 'Unarchive',
		value: 'unarchive',
		action: 'Unarchive a record',
		description: 'Take a record out of the archive',
	},
	() => ({ archived: null }),
);
