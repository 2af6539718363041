import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { recordLocator, simplifyOption } from '../../shared/descriptions';
import { getIdParameter } from '../../shared/validation';
import { PATHS } from '../../transport/assumptions';

export const properties: INodeProperties[] = [
	recordLocator({
		routing: { request: { url: `=${PATHS.record('{{ String($value).trim() }}')}` } },
	}),
	simplifyOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['get'] } },
	properties,
);

/** Refuses an ID that is not a number before anything is sent. */
export async function validate(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	getIdParameter(this, 'recordId', 'Record');
	return requestOptions;
}
