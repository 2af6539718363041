import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { propertyLocator } from '../../shared/descriptions';
import { shownFor } from '../../shared/fields';
import { buildQuery, paginate } from '../../shared/list';
import { itemRouting } from '../../shared/routing';
import { parseId } from '../../shared/validation';
import { PATHS } from '../../transport/assumptions';

export const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'e.g. name@email.com',
	displayOptions: shownFor({ lead: ['getAll'] }),
	default: '',
	description: 'Only leads with this email. Leave empty for all leads.',
};

export const emailPropertyField: INodeProperties = propertyLocator({
	displayName: 'Email Property',
	name: 'emailProperty',
	description: 'The property that holds the email, needed when Email is set',
	displayOptions: shownFor({ lead: ['getAll'] }, { hide: { email: [''] } }),
});

/** The record list query, plus the lead's email as a property filter. */
async function buildLeadQuery(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const email = String(this.getNodeParameter('email', '') ?? '').trim();
	const extra: Array<{ propertyId: number; value: string }> = [];
	if (email) {
		const propertyId = parseId(this, this.getNodeParameter('emailProperty', ''), 'Email Property', {
			optional: true,
		});
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

export const operation: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many leads',
	description: 'List leads, by email, state or any property',
	routing: itemRouting({
		request: { method: 'GET', url: PATHS.records },
		answer: 'recordList',
		preSend: buildLeadQuery,
		strategy: paginate,
	}),
};
