import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { recordLocator, simplifyOption } from '../../shared/descriptions';
import { PATHS } from '../../transport/assumptions';
import { validate } from './get.operation';

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['delete'] } }, [
	recordLocator({
		routing: { request: { url: `=${PATHS.record('{{ String($value).trim() }}')}` } },
	}),
	simplifyOption,
] as INodeProperties[]);

export { validate };
