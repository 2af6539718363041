import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { datasetLocator, propertyLocator } from '../../shared/descriptions';
import { parseId } from '../../shared/validation';
import { buildQuery, getManyProperties } from '../record/getMany.operation';

const properties: INodeProperties[] = [
	datasetLocator(),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. name@email.com',
		default: '',
		description: 'Only leads with this email. Leave empty for all leads.',
	},
	propertyLocator({
		displayName: 'Email Property',
		name: 'emailProperty',
		description: 'The property that holds the email, needed when Email is set',
		displayOptions: { hide: { email: [''] } },
	}),
	...getManyProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['getAll'] } },
	properties,
);

/** The record list query, plus the lead's email as a property filter. */
export async function buildLeadQuery(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const email = String(this.getNodeParameter('email', '') ?? '').trim();
	const extra: Array<{ propertyId: number; value: string }> = [];
	if (email) {
		const propertyId = parseId(this, this.getNodeParameter('emailProperty', ''), 'Email Property', { optional: true });
		if (propertyId === undefined) {
			throw new NodeOperationError(this.getNode(), 'Email Property is empty', {
				description: 'Pick the property that holds the email, so the leads can be filtered by it.',
				itemIndex: this.getItemIndex(),
			});
		}
		extra.push({ propertyId, value: email });
	}
	return await buildQuery.call(this, requestOptions, extra);
}
