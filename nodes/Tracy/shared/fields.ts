import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import {
	additionalBodyOption,
	datasetLocator,
	propertyLocator,
	recordLocator,
	simplifyOption,
	stateLocator,
} from './descriptions';

/**
 * The fields more than one operation shows, each declared once. n8n walks every top-level property
 * for every item, shown or not, so one property per field keeps the node fast as well as readable.
 */

export type Operations = { record?: string[]; lead?: string[]; dataset?: string[] };

/**
 * `displayOptions` for the given operations of each resource. n8n matches resource and operation
 * separately, so the lists must not combine into a pair that was not asked for (a test checks it).
 */
export function shownFor(operations: Operations, extra: IDisplayOptions = {}): IDisplayOptions {
	const resources = Object.keys(operations).filter(
		(r) => operations[r as keyof Operations]?.length,
	);
	const ops = [...new Set(Object.values(operations).flat())];
	return { ...extra, show: { resource: resources, operation: ops, ...(extra.show ?? {}) } };
}

export const recordIdField: INodeProperties = {
	...recordLocator(),
	displayOptions: shownFor({
		record: ['get', 'move', 'archive', 'unarchive', 'delete', 'restore'],
		lead: ['get', 'move'],
	}),
};

/** Update finds its record by ID here only with Property Values; the column mapper matches on its own columns. */
export const updateRecordIdField: INodeProperties = {
	...recordLocator(),
	displayOptions: shownFor({ record: ['update'] }, { show: { fieldsToSend: ['defineBelow'] } }),
};

export const datasetField: INodeProperties = {
	...datasetLocator(),
	displayOptions: shownFor({
		record: ['create', 'upsert', 'getAll', 'update', 'move'],
		lead: ['create', 'upsert', 'getAll', 'move'],
	}),
};

/** Dataset → Get: its own field, since "get" of records and leads shows no dataset. */
export const datasetGetField: INodeProperties = {
	...datasetLocator({ description: 'The Tracy dataset (table) to describe' }),
	displayOptions: shownFor({ dataset: ['get'] }),
};

/** Where a create starts; optional. */
export const createStateField: INodeProperties = {
	...stateLocator({
		description:
			"The state to create the record or lead in. Leave empty for the dataset's first state (nothing is read to find it).",
	}),
	displayOptions: shownFor({ record: ['create', 'upsert'], lead: ['create', 'upsert'] }),
};

const moveState = stateLocator({
	required: true,
	description:
		'The state to move the record to. Tracy refuses a move while a property required there is empty.',
});

/** Where a move goes; required. By Name too: a state's name is what a person or an AI agent knows ("Qualified"). */
export const moveStateField: INodeProperties = {
	...moveState,
	modes: [
		...(moveState.modes ?? []),
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Qualified',
			hint: "The state's name, in any letter case. Reads the dataset to find it, so the key's role must be able to read the dataset.",
		},
	],
	displayOptions: shownFor({ record: ['move'], lead: ['move'] }),
};

/** Rows of a property and a value: Property Values of Record → Create and Update, Other Properties of Lead → Create. */
export function propertyValueRows(
	overrides: Partial<INodeProperties> & Pick<INodeProperties, 'name' | 'displayName'>,
): INodeProperties {
	return {
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Property Value',
		default: {},
		options: [
			{
				displayName: 'Value',
				name: 'values',
				values: [
					propertyLocator({ required: true }),
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'For an option property, the option text or its ID',
					},
				],
			},
		],
		...overrides,
	};
}

export const propertyValuesField: INodeProperties = propertyValueRows({
	displayName: 'Property Values',
	name: 'propertyValues',
	description:
		'One row per value. An array gives one value per element, for properties that hold several. On Update a value replaces all values of its property, and an empty array clears it.',
	// without the column mapper: a create-only key can still give each property by ID
	displayOptions: shownFor(
		{ record: ['create', 'update'] },
		{ show: { fieldsToSend: ['defineBelow'] } },
	),
});

const getMany = shownFor({ record: ['getAll'], lead: ['getAll'] });
const getManyAny = shownFor({ record: ['getAll'], lead: ['getAll'], dataset: ['getAll'] });

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	displayOptions: getManyAny,
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	displayOptions: { show: { ...getManyAny.show, returnAll: [false] } },
	default: 50,
	description: 'Max number of results to return',
};

export const filtersField: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	displayOptions: getMany,
	default: {},
	options: [
		{
			displayName: 'Archived',
			name: 'archived',
			type: 'options',
			options: [
				{ name: 'Not Archived', value: 'notArchived' },
				{ name: 'Archived Only', value: 'archivedOnly' },
				{ name: 'Both', value: 'all' },
			],
			default: 'notArchived',
			description: 'Whether to return archived records',
		},
		{
			displayName: 'In Trash',
			name: 'inTrash',
			type: 'boolean',
			default: false,
			description: 'Whether to return the records in the trash instead of the others',
		},
		{
			displayName: 'Property Values',
			name: 'propertyValues',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Property Filter',
			default: {},
			description: 'Only records with exactly this value (case-insensitive) in each given property',
			options: [
				{
					displayName: 'Filter',
					name: 'values',
					values: [
						propertyLocator({ required: true }),
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		stateLocator({ description: 'Only records in this state' }),
	],
};

export const sortField: INodeProperties = {
	displayName: 'Sort',
	name: 'sort',
	type: 'collection',
	placeholder: 'Add Sort',
	displayOptions: getMany,
	default: {},
	options: [
		{
			displayName: 'Order',
			name: 'order',
			type: 'options',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
			default: 'asc',
		},
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'options',
			options: [
				{ name: 'ID', value: 'id' },
				{ name: 'Created', value: 'created' },
				{ name: 'State', value: 'state' },
				{ name: 'Property', value: 'property' },
			],
			default: 'id',
		},
		propertyLocator({
			displayName: 'Sort Property',
			name: 'sortProperty',
			description: 'The property to sort by, when Sort By is Property',
		}),
	],
};

export const includeDatumsField: INodeProperties = {
	displayName: 'Include Values',
	name: 'includeDatums',
	type: 'boolean',
	displayOptions: getMany,
	default: true,
	description: "Whether to return each record's property values (datums) with it",
};

/** Every operation returns records (a create answers the new one), so every one can simplify. */
export const simplifyField: INodeProperties = {
	...simplifyOption,
	displayOptions: shownFor({
		record: [
			'create',
			'upsert',
			'get',
			'getAll',
			'update',
			'move',
			'archive',
			'unarchive',
			'delete',
			'restore',
		],
		lead: ['create', 'upsert', 'get', 'getAll', 'move'],
	}),
};

/** Options of the two creates; options only one resource has carry their own `displayOptions`. */
export function createOptionsField(
	leadOnly: INodeProperties[],
	recordOnly: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: shownFor({ record: ['create'], lead: ['create'] }),
		default: {},
		options: [
			additionalBodyOption,
			...recordOnly.map((option) => ({
				...option,
				displayOptions: { show: { '/resource': ['record'] } },
			})),
			...leadOnly.map((option) => ({
				...option,
				displayOptions: {
					...option.displayOptions,
					show: { '/resource': ['lead'], ...(option.displayOptions?.show ?? {}) },
				},
			})),
		],
	};
}
