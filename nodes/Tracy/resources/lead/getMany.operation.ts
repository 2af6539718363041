import type { IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { PATHS } from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import { tracyOperation } from '../../engine/operation';
import { propertyLocator } from '../../form/descriptions';
import { buildQuery, paginate, RECORDS } from '../../reading/list';
import { failItem, parseId } from '../../data/validation';
import { datasetField, listFields } from '../../form/fields';

export const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'e.g. name@email.com',
	default: '',
	description: 'Only leads with this email. Leave empty for all leads.',
};

export const emailPropertyField: INodeProperties = propertyLocator({
	displayName: 'Email Property',
	name: 'emailProperty',
	description: 'The property that holds the email, needed when Email is set',
	displayOptions: { hide: { email: [''] } },
});

/** The record list query, plus the lead's email as a property filter. */
function buildLeadQuery(item: TracyItem, request: IHttpRequestOptions): void {
	const ctx = item.ctx;
	const email = String(ctx.getNodeParameter('email', '') ?? '').trim();
	const extra: Array<{ propertyId: number; value: string }> = [];
	if (email) {
		const propertyId = parseId(ctx, ctx.getNodeParameter('emailProperty', ''), 'Email Property', {
			optional: true,
		});
		if (propertyId === undefined) {
			failItem(
				ctx,
				'Email Property is empty',
				'Pick the property that holds the email, so the leads can be filtered by it.',
			);
		}
		extra.push({ propertyId, value: email });
	}
	buildQuery(ctx, request, extra);
}

export const operation = tracyOperation(
	{
		name: 'Get Many',
		subtitle: 'Get Many Leads',
		value: 'getAll',
		action: 'Get many leads',
		description: 'List leads, by email, state or any property',
	},
	{
		request: { method: 'GET', url: PATHS.records },
		answer: 'recordList',
		prepare: buildLeadQuery,
		run: async (item, _plan, request) => await paginate(item, request, RECORDS),
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	datasetField,
	emailField,
	emailPropertyField,
	...listFields,
];
