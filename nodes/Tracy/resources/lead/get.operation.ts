import { updateDisplayOptions } from 'n8n-workflow';

import { properties } from '../record/get.operation';

export { validate } from '../record/get.operation';

export const description = updateDisplayOptions({ show: { resource: ['lead'], operation: ['get'] } }, properties);
