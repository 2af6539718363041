import type { INodeParameters } from 'n8n-workflow';

import type { TracyEmulator } from './emulator/server';
import type { CredentialData } from './harness';

export function credentialsFor(
	emulator: TracyEmulator,
	key: Parameters<TracyEmulator['keyFor']>[0],
	baseUrl = emulator.url,
): CredentialData {
	return { apiKey: emulator.keyFor(key), baseUrl };
}

export const rl = (value: string | number, mode = 'id') => ({
	__rl: true,
	mode,
	value: String(value),
});

export function getParams(id: string | number, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'record', operation: 'get', recordId: rl(id), ...extra };
}

type Fields = Record<string, unknown>;

const FORM_FIELDS: Fields = {
	name: '={{ $json.name }}',
	email: '={{ $json.email }}',
	phone: '={{ $json.phone }}',
	message: '={{ $json.message }}',
	utmSource: '={{ $json.utm_source }}',
	utmCampaign: '={{ $json.utm_campaign }}',
};
const FORM_PROPERTIES: Fields = {
	name: rl(1),
	email: rl(2),
	phone: rl(3),
	message: rl(5),
	utmSource: rl(7),
	utmCampaign: rl(9),
};

/** Lead Properties rows, one per field that has both a value and a property, in the properties' order. */
export const leadRows = (fields: Fields = FORM_FIELDS, properties: Fields = FORM_PROPERTIES) => ({
	values: Object.entries(properties)
		.filter(([field]) => field in fields)
		.map(([field, property]) => ({ field, property, value: fields[field] })),
});

/**
 * The web-form workflow's Tracy node, field by field: values from the form, mapped to Leads
 * properties by ID, nothing required unless a test says so.
 */
export const webFormLead = (
	extra: INodeParameters = {},
	fields?: Fields,
	properties?: Fields,
): INodeParameters => ({
	resource: 'lead',
	operation: 'create',
	dataset: rl(1),
	leadInput: 'fields',
	requiredFields: [],
	leadProperties: leadRows(fields, properties) as unknown as INodeParameters,
	...extra,
});
