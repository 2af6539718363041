import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyOption, datasetLocator, propertyLocator, simplifyOption, stateLocator } from '../../shared/descriptions';
import { getIdParameter } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { additionalBody, datumLabels, valuesFromInput, valuesFromRows } from '../../shared/values';
import { buildPostRecordBody } from '../../transport/assumptions';
import { setFieldLabels } from '../../transport/request';

export const propertyValuesField: INodeProperties = {
	displayName: 'Property Values',
	name: 'propertyValues',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Property Value',
	default: {},
	description: 'An array value gives one datum per element, for properties that hold several values',
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
};

const properties: INodeProperties[] = [
	datasetLocator(),
	stateLocator({
		description: "The state to create the record in. Leave empty for the dataset's first state.",
	}),
	{
		displayName: 'Values to Send',
		name: 'fieldsToSend',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Define Below', value: 'defineBelow', description: 'Pick each property and give its value' },
			{
				name: 'Map Automatically',
				value: 'autoMap',
				description:
					'Send each field of the input item to the property of the same name (reads the dataset once to find the properties)',
			},
		],
		default: 'defineBelow',
	},
	{ ...propertyValuesField, displayOptions: { show: { fieldsToSend: ['defineBelow'] } } },
	{
		displayName: 'Input Fields to Ignore',
		name: 'inputsToIgnore',
		type: 'string',
		displayOptions: { show: { fieldsToSend: ['autoMap'] } },
		default: '',
		placeholder: 'e.g. submittedAt, formName',
		description: 'Comma-separated input fields not to send',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			additionalBodyOption,
			simplifyOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['create'] } },
	properties,
);

/** Collects the values, checks them and builds the `PostRecord` body before anything is sent. */
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(this, 'state', 'State', { optional: true });
	const extra = additionalBody(this);
	let values: LabelledValue[];
	if (this.getNodeParameter('fieldsToSend', 'defineBelow') === 'autoMap') {
		const ignore = String(this.getNodeParameter('inputsToIgnore', '') ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		values = await valuesFromInput(this, datasetId, ignore);
	} else {
		values = valuesFromRows(this, 'propertyValues', 'Property Values');
	}
	setFieldLabels(this, datumLabels(values));
	requestOptions.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return requestOptions;
}
