import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

// the parts of a locator's By ID mode that vary; the mode itself is written in each `modes` list
const idMode = (
	what: string,
	example: string,
	exampleName: string,
): Pick<INodePropertyMode, 'placeholder' | 'hint' | 'validation'> => ({
	placeholder: `e.g. ${example}`,
	// a create-only key cannot list anything, so the hint says where the IDs come from
	hint: `The numeric ID of the ${what}. "From List" shows it after each name, e.g. "${exampleName} (#${example})": look it up there once with a key that may read ${what === 'property' ? 'properties' : `${what}s`}, then type it here (a create-only key cannot list them).`,
	validation: [
		{
			// empty passes here: an optional locator may stay empty, a required one is flagged as required
			type: 'regex',
			properties: {
				regex: '^\\s*\\d*\\s*$',
				errorMessage: `The ${what} ID must be a whole number`,
			},
		},
	],
});

export function datasetLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Dataset',
		name: 'dataset',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Tracy dataset (table). For leads, the dataset your workspace keeps leads in.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a dataset...',
				typeOptions: { searchListMethod: 'searchDatasets', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', ...idMode('dataset', '1', 'Leads') },
		],
		...overrides,
	};
}

export function stateLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'State',
		name: 'state',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: 'A state of the chosen dataset',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a state...',
				typeOptions: { searchListMethod: 'searchStates', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', ...idMode('state', '1', 'New') },
		],
		...overrides,
	};
}

export function propertyLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Property',
		name: 'property',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: 'A property (column) of the chosen dataset',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a property...',
				typeOptions: { searchListMethod: 'searchProperties', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', ...idMode('property', '2', 'Email') },
		],
		...overrides,
	};
}

export function recordLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Record',
		name: 'recordId',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description: 'The record, by its ID or picked from the list',
		modes: [
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				...idMode('record', '42', 'Ada Lovelace'),
			},
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a record...',
				typeOptions: { searchListMethod: 'searchRecords', searchable: true },
			},
		],
		...overrides,
	};
}

/** The Simplify switch, on by default as n8n recommends; `simplifyRecord` in ./simplify does the work. */
export const simplifyOption: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a flat item with the ID, the state name and one field per property name instead of the record with its datums; several values of one property become an array',
};

export const additionalBodyOption: INodeProperties = {
	displayName: 'Additional Body (JSON)',
	name: 'additionalBody',
	type: 'json',
	default: '{}',
	description:
		"JSON merged last into the request body, to send what Tracy expects where this node's assumptions fall short",
};
