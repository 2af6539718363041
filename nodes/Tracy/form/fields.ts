import type { INodeProperties } from 'n8n-workflow';

import {
	datasetLocator,
	propertyLocator,
	recordLocator,
	simplifyOption,
	stateLocator,
} from './descriptions';

/**
 * The fields more than one operation shows, each declared once. Which operations show a field is
 * said by the operations themselves (their `fields`, form/compose.ts); a field keeps here only its
 * own conditions (Update's record ID only without the mapper). n8n walks every top-level property
 * for every item, shown or not, so one property per field keeps the node fast as well as readable.
 */

export const recordIdField: INodeProperties = recordLocator();

/** Update finds its record by ID here only with Property Values; the column mapper matches on its own columns. */
export const updateRecordIdField: INodeProperties = {
	...recordLocator(),
	displayOptions: { show: { fieldsToSend: ['defineBelow'] } },
};

export const datasetField: INodeProperties = datasetLocator();

/** Dataset → Get: its own field, since "get" of records and leads shows no dataset. */
export const datasetGetField: INodeProperties = datasetLocator({
	description: 'The Tracy dataset (table) to describe',
});

/** Where a create starts; optional. */
export const createStateField: INodeProperties = {
	...stateLocator({
		description:
			"The state to create the record or lead in. Leave empty for the dataset's first state (nothing is read to find it).",
	}),
};

/** Create or Update's state: for a new record only, said in its name. */
export const upsertStateField: INodeProperties = {
	...stateLocator({
		description:
			"The state a new record is created in (leave empty for the dataset's first state). A record that is found keeps its state: move it with Move to State.",
	}),
	displayName: 'State for New Records',
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
	displayOptions: { show: { fieldsToSend: ['defineBelow'] } },
});

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	displayOptions: { show: { returnAll: [false] } },
	default: 50,
	description: 'Max number of results to return',
};

export const filtersField: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
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
	default: true,
	description: "Whether to return each record's property values (datums) with it",
};

/** Every record and lead operation returns records (a create answers the new one), so every one can simplify. */
export const simplifyField: INodeProperties = simplifyOption;

/** An operation's Options: the settings most runs leave alone. */
export function optionsField(
	options: INodeProperties[],
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		...(displayOptions ? { displayOptions } : {}),
		default: {},
		options,
	};
}

/** What the Get Many of records and of leads show after their own fields. */
export const listFields: INodeProperties[] = [
	returnAllField,
	limitField,
	filtersField,
	sortField,
	includeDatumsField,
	simplifyField,
];
