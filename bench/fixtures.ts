/**
 * What the benchmark sends: the web-form workflow's Lead → Create parameters (`webFormLead()` of
 * test/helpers.ts), form submissions with every mapped field filled (so that every request carries the
 * same six datums whichever way it is sent), and the request body those submissions become.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { rl, webFormLead } from '../test/helpers';

export { rl, webFormLead };

/**
 * Lead → Create, "From the Submission": the same six values read from the item by name, each lead field
 * and its property in one list; no expression per field.
 */
export const submissionLead = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'lead',
	operation: 'create',
	dataset: rl(1),
	leadInput: 'submission',
	leadProperties: {
		values: [
			{ field: 'name', property: rl(1) },
			{ field: 'email', property: rl(2) },
			{ field: 'phone', property: rl(3) },
			{ field: 'message', property: rl(5) },
			{ field: 'utmSource', property: rl(7) },
			{ field: 'utmCampaign', property: rl(9) },
		],
	},
	...extra,
});

/** A submission as n8n's Webhook node outputs it: the form fields under `body`. */
export function asWebhookItem(fields: IDataObject): IDataObject {
	return {
		headers: { host: '127.0.0.1:5678', 'content-type': 'application/json' },
		params: {},
		query: {},
		body: fields,
		webhookUrl: 'http://127.0.0.1:5678/webhook/tracy-lead',
		executionMode: 'production',
	};
}

/** Record → Create sending the same body: the six values under Property Values, one row each. */
export const recordCreate = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'record',
	operation: 'create',
	fieldsToSend: 'defineBelow',
	dataset: rl(1),
	propertyValues: {
		values: DATUM_FIELDS.map(({ property, field }) => ({
			property: rl(property),
			value: `={{ $json.${field} }}`,
		})),
	},
	...extra,
});

/** Leads property IDs in the order of the datums the body carries, with the submission field each takes. */
export const DATUM_FIELDS = [
	{ property: 1, field: 'name' },
	{ property: 2, field: 'email' },
	{ property: 3, field: 'phone' },
	{ property: 5, field: 'message' },
	{ property: 7, field: 'utm_source' },
	{ property: 9, field: 'utm_campaign' },
] as const;

export function submissions(n: number): IDataObject[] {
	return Array.from({ length: n }, (_, i) => ({
		name: `Bench Lead ${i + 1}`,
		email: `bench.lead${i + 1}@example.com`,
		phone: `+1 555 ${String(i).padStart(7, '0')}`,
		message: `Form message number ${i + 1}, asking for a demo`,
		utm_source: i % 2 ? 'newsletter' : 'google',
		utm_campaign: `campaign-${i % 7}`,
	}));
}

/** The `PostRecord` body (assumption A2) a submission becomes: what every variant must send. */
export function postRecordBody(item: IDataObject) {
	return {
		dataset: { id: 1 },
		datums: DATUM_FIELDS.map(({ property, field }) => ({
			property: { id: property },
			value: item[field],
		})),
	};
}

/**
 * The same body as the HTTP Request node's "JSON" body field holds it when typed in the editor: a JSON
 * template with one `{{ }}` per value (JSON.stringify keeps quotes and backslashes in the values safe).
 */
export function postRecordBodyExpression(): string {
	const datums = DATUM_FIELDS.map(
		({ property, field }) =>
			`{ "property": { "id": ${property} }, "value": {{ JSON.stringify($json.${field}) }} }`,
	);
	return `={ "dataset": { "id": 1 }, "datums": [ ${datums.join(', ')} ] }`;
}
