import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

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

/** One Property Values row: a property ID and its value (text, or an expression). */
export type PropertyRow = [property: string | number, value: string];

export const propertyValues = (rows: PropertyRow[]) => ({
	values: rows.map(([property, value]) => ({ property: rl(property), value })),
});

// no rows leaves Property Values out, as a node whose list was never filled has it
const definedBelow = (rows: PropertyRow[]): INodeParameters => ({
	fieldsToSend: 'defineBelow',
	...(rows.length ? { propertyValues: propertyValues(rows) } : {}),
});

/** A Record operation in the Leads dataset (1). */
const inLeads = (operation: string, ...parts: INodeParameters[]): INodeParameters =>
	Object.assign({ resource: 'record', operation, dataset: rl(1) }, ...parts);

/** Record → Create with the values defined below. */
export const createParams = (rows: PropertyRow[], extra: INodeParameters = {}) =>
	inLeads('create', definedBelow(rows), extra);

/** Record → Create with Map Automatically: each input field goes to the property of its name. */
export const autoMapParams = (extra: INodeParameters = {}) =>
	inLeads(
		'create',
		{ fieldsToSend: 'columns', columns: { mappingMode: 'autoMapInputData', value: null } },
		extra,
	);

/** Record → Update with the values defined below. */
export const updateParams = (
	recordId: string | number,
	rows: PropertyRow[],
	extra: INodeParameters = {},
) => inLeads('update', { recordId: rl(recordId) }, definedBelow(rows), extra);

/** Move to State, the state by ID unless given as a locator. */
export const moveParams = (
	recordId: string | number,
	state: string | number | ReturnType<typeof rl>,
	extra: INodeParameters = {},
) =>
	inLeads(
		'move',
		{ recordId: rl(recordId), state: typeof state === 'object' ? state : rl(state) },
		extra,
	);

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

/** The column mapper's value as the editor saves it: the columns' values, those to match on, the mode. */
export const mapperValue = (
	value: IDataObject,
	matchingColumns: string[] = [],
	mappingMode = 'defineBelow',
): INodeParameters => ({
	mappingMode,
	value: value as INodeParameters,
	matchingColumns,
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

/** Another n8n process (queue mode's other worker): a fresh copy of the node's modules, with process-wide state of its own. */
export function anotherProcess(): INodeType {
	let node!: INodeType;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { Tracy } = require('../nodes/Tracy/Tracy.node') as { Tracy: new () => INodeType };
		node = new Tracy();
	});
	return node;
}
