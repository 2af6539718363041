import { patchOperation } from './patch';

/** Restore: takes the record out of the trash. */
export const operation = patchOperation(
	{
		name: 'Restore',
		value: 'restore',
		action: 'Restore a record from the trash',
		description: 'Bring a record back from the trash',
	},
	() => ({ removed: null }),
);
