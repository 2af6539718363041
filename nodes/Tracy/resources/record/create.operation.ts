import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { shownFor } from '../../shared/fields';
import { outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { failItem, getIdParameter } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { additionalBody, datumLabels, valuesFromInput, valuesFromRows } from '../../shared/values';
import { buildPostRecordBody, PATHS } from '../../transport/assumptions';
import { setFieldLabels } from '../../transport/request';

export const fieldsToSendField: INodeProperties = {
	displayName: 'Values to Send',
	name: 'fieldsToSend',
	type: 'options',
	noDataExpression: true,
	displayOptions: shownFor({ record: ['create'] }),
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
};

export const inputsToIgnoreField: INodeProperties = {
	displayName: 'Input Fields to Ignore',
	name: 'inputsToIgnore',
	type: 'string',
	displayOptions: shownFor({ record: ['create'] }, { show: { fieldsToSend: ['autoMap'] } }),
	default: '',
	placeholder: 'e.g. submittedAt, formName',
	description: 'Comma-separated input fields not to send',
};

/** Collects the values, checks them and builds the `PostRecord` body before anything is sent. */
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(this, 'state', 'State', { optional: true });
	const extra = additionalBody(this);
	let values: LabelledValue[];
	const autoMap = this.getNodeParameter('fieldsToSend', 'defineBelow') === 'autoMap';
	if (autoMap) {
		const ignore = String(this.getNodeParameter('inputsToIgnore', '') ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean);
		values = await valuesFromInput(this, datasetId, ignore);
	} else {
		values = valuesFromRows(this, 'propertyValues', 'Property Values');
	}
	// an empty record is almost always a mapping mistake; Additional Body may still carry the values
	if (!values.length && extra.datums === undefined) {
		if (autoMap) {
			failItem(
				this,
				'Map Automatically found no value to send: the input item has no field with a value',
				'Every field of the item is empty or listed in "Input Fields to Ignore". Check the node before this one, or define the values below.',
			);
		}
		failItem(this, 'Property Values is empty: there is no value to create the record with', 'Add at least one property and its value.');
	}
	setFieldLabels(this, datumLabels(values));
	requestOptions.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return requestOptions;
}

export const operation: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	action: 'Create a record',
	description: 'Create a record in a dataset, in its first state or a chosen one',
	routing: itemRouting({ request: { method: 'POST', url: PATHS.records }, answer: 'record', preSend: buildBody, postReceive: [outputRecords] }),
};
