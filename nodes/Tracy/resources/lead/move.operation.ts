import { updateDisplayOptions } from 'n8n-workflow';

import { moveProperties } from '../record/move.operation';

export { buildBody } from '../record/move.operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['move'] } },
	moveProperties,
);
