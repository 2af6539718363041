/**
 * The column mapper's fields: the mapper itself (one parameter per mode), the choice between it and
 * the Property Values rows, Map Automatically's settings, and the options of the mapped writes.
 */
import type { INodeProperties } from 'n8n-workflow';

import { additionalBodyOption } from '../form/descriptions';
import { optionsField } from '../form/fields';
import type { MapperMode } from './columns';
import { COLUMNS_BODY_KEY, COLUMNS_PARAMETER } from './columns';

function mapperField(
	mode: MapperMode,
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Columns',
		name: COLUMNS_PARAMETER[mode],
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['dataset.value', 'resource', 'operation'],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode,
				fieldWords: { singular: 'column', plural: 'columns' },
				valuesLabel: 'Columns',
				addAllFields: true,
				multiKeyMatch: true,
				supportAutoMap: true,
				noFieldsError: 'No columns to show: pick a dataset, or see the notice about the API key.',
				...(mode === 'add'
					? {}
					: {
							matchingFieldsLabels: {
								title: 'Columns to Match On',
								description:
									'The record ID or the properties that find the record (for example Email or an external ID)',
								hint: 'Tracy is asked for the records with these values; values written as they are sent',
							},
						}),
			},
		},
		displayOptions,
		// the value n8n has already resolved for this item, so the expressions are not evaluated twice
		routing: { send: { type: 'body', property: COLUMNS_BODY_KEY, propertyInDotNotation: false } },
	};
}

/** The selector between the mapper and the rows that work without reading the dataset. */
export const fieldsToSendField: INodeProperties = {
	displayName: 'Values to Send',
	name: 'fieldsToSend',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Map Columns',
			value: 'columns',
			description:
				"The dataset's columns with their types, mapped by hand or automatically (needs a key that may read the dataset)",
		},
		{
			name: 'Property Values (By ID)',
			value: 'defineBelow',
			description:
				'Pick each property from the list or type its ID, and give its value; works with a create-only key',
		},
	],
	default: 'columns',
};

export const columnsCreateField = mapperField('add', { show: { fieldsToSend: ['columns'] } });
export const columnsUpdateField = mapperField('update', { show: { fieldsToSend: ['columns'] } });
export const columnsUpsertField = mapperField('upsert', undefined);

/**
 * Shown under a mapper when it maps automatically (one declaration per mapper parameter). A path from
 * the root ('/…'): n8n 1.x cannot resolve a dependency on 'columns.mappingMode' and then refuses to
 * activate any workflow with the node (test/description.test.ts checks it with 1.x's rules).
 */
const whenMappingAutomatically = (mode: MapperMode): INodeProperties['displayOptions'] => ({
	show: { [`/${COLUMNS_PARAMETER[mode]}.mappingMode`]: ['autoMapInputData'] },
});

function inputsToIgnoreField(mode: MapperMode): INodeProperties {
	return {
		displayName: 'Input Fields to Ignore',
		name: 'inputsToIgnore',
		type: 'string',
		displayOptions: whenMappingAutomatically(mode),
		default: '',
		placeholder: 'e.g. submittedAt, formName',
		description:
			'Comma-separated input fields not to send. Other input fields go to the column of their name (letters and digits in any script; accents, letter case and punctuation aside).',
	};
}

/** Shown under Input Fields to Ignore: what an input field that reaches no column does (Google Sheets has the same choice). */
function unmatchedInputsField(mode: MapperMode): INodeProperties {
	return {
		displayName: 'Input Fields That Match No Column',
		name: 'unmatchedInputs',
		type: 'options',
		displayOptions: whenMappingAutomatically(mode),
		options: [
			{
				name: 'Fail the Item',
				value: 'fail',
				description: 'The item fails naming the fields, so that a renamed field is noticed',
			},
			{
				name: 'Ignore Them',
				value: 'ignore',
				description: "Fields such as a form's submittedAt are left out; the others are sent",
			},
		],
		default: 'fail',
	};
}

/** Map Automatically's two settings, one declaration per mapper parameter. */
const autoMapFields = (mode: MapperMode) => [inputsToIgnoreField(mode), unmatchedInputsField(mode)];
export const autoMapCreateFields = autoMapFields('add');
export const autoMapUpdateFields = autoMapFields('update');
export const autoMapUpsertFields = autoMapFields('upsert');

/** Options of the mapped writes (inside each operation's Options). */
export const typeOptions: INodeProperties[] = [
	{
		displayName: 'Convert Values by Type',
		name: 'convertValues',
		type: 'boolean',
		default: true,
		description:
			"Whether to turn each value into what its property takes before sending (dates to ISO 8601 UTC, yes/no to true/false, an option's text in any case) and refuse what cannot be turned. Off sends values as given (A24..A28 in the README).",
	},
	{
		displayName: 'Create Missing Linked Records',
		name: 'createMissingLinks',
		type: 'boolean',
		default: false,
		description:
			'Whether a relation column given a name that no linked record has (a new company) creates that record with the name as its title, once however many items name it. Linking by name needs a key that may read the linked dataset, and create there with this option.',
	},
	{
		displayName: 'Split Comma-Separated Text',
		name: 'splitCommas',
		type: 'boolean',
		default: false,
		description:
			'Whether text for a property that holds several values ("Hot, Partner") gives one value per comma-separated part',
	},
];

export const updateAllMatchesOption: INodeProperties = {
	displayName: 'Update All Matches',
	name: 'updateAllMatches',
	type: 'boolean',
	default: false,
	description:
		'Whether to update every record that matches. Off, an item that matches several records fails and names them.',
};

/** Options of Update with the column mapper. */
export const updateOptionsField = optionsField([...typeOptions, updateAllMatchesOption], {
	show: { fieldsToSend: ['columns'] },
});

/** Create or Update when the only match is in Tracy's trash. */
const matchInTrashOption: INodeProperties = {
	displayName: 'Match in the Trash',
	name: 'matchInTrash',
	type: 'options',
	options: [
		{
			name: 'Create a New Record',
			value: 'create',
			description: 'A record in the trash is not looked at: a new one is created',
		},
		{
			name: 'Restore It',
			value: 'restore',
			description:
				'When no other record matches, the match in the trash is restored and updated (output: restored). Costs one more look-up when nothing matches.',
		},
	],
	default: 'create',
	description: "What to do when the only record that matches is in Tracy's trash",
};

/** Options of the two Create or Update operations. */
export const upsertOptionsField = optionsField([
	additionalBodyOption,
	...typeOptions,
	matchInTrashOption,
	updateAllMatchesOption,
]);
