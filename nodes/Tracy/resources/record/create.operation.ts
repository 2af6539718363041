import type { INodeProperties, IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { buildPostRecordBody, PATHS } from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import { tracyOperation } from '../../engine/operation';
import { readColumns, takeColumns } from '../../mapper/columns';
import {
	columnsCreateField,
	fieldsToSendField,
	autoMapCreateFields,
	typeOptions,
} from '../../mapper/fields';
import { failItem, getIdParameter } from '../../data/validation';
import type { LabelledValue } from '../../data/values';
import { additionalBody, datumLabels, toDatums, valuesFromRows } from '../../data/values';
import { additionalBodyOption } from '../../form/descriptions';
import {
	createStateField,
	datasetField,
	optionsField,
	propertyValuesField,
	simplifyField,
} from '../../form/fields';
import { recordOutput } from '../../reading/steps';

/** The mapper's values as datums, one per value (several for a plural property), checked for length (A15). */
export function columnDatums(
	ctx: IExecuteSingleFunctions,
	writes: Awaited<ReturnType<typeof readColumns>>['writes'],
): LabelledValue[] {
	return writes.flatMap((w) =>
		w.values.length ? toDatums(ctx, w.property.id, w.values, w.label) : [],
	);
}

/** Collects the values, checks them and builds the `PostRecord` body before anything is sent. */
export async function buildBody(item: TracyItem, request: IHttpRequestOptions): Promise<void> {
	const ctx = item.ctx;
	const datasetId = getIdParameter(ctx, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(ctx, 'state', 'State', { optional: true });
	const extra = additionalBody(ctx);
	const columns = ctx.getNodeParameter('fieldsToSend', 'columns') === 'columns';
	const mapper = takeColumns(request);
	const values: LabelledValue[] = columns
		? columnDatums(ctx, (await readColumns(item, datasetId, 'add', mapper)).writes)
		: valuesFromRows(ctx, 'propertyValues', 'Property Values');
	// an empty record is almost always a mapping mistake; Additional Body may still carry the values
	if (!values.length && extra.datums === undefined) {
		if (columns && mapper?.mappingMode === 'autoMapInputData') {
			failItem(
				ctx,
				'Map Automatically found no value to send: the input item has no field with a value',
				'Every field of the item is empty or listed in "Input Fields to Ignore". Check the node before this one, or map each column manually.',
			);
		}
		if (columns)
			failItem(
				ctx,
				'The columns give no value to send',
				'Every column is empty. Fill in at least one column.',
			);
		failItem(
			ctx,
			'Property Values is empty: there is no value to create the record with',
			'Add at least one property and its value.',
		);
	}
	item.fieldLabels = datumLabels(values);
	request.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
}

export const operation = tracyOperation(
	{
		name: 'Create',
		subtitle: 'Create Record',
		value: 'create',
		action: 'Create a record',
		description: 'Create a record in a dataset, in its first state or a chosen one',
	},
	{
		request: { method: 'POST', url: PATHS.records },
		answer: 'record',
		prepare: buildBody,
		output: recordOutput,
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	datasetField,
	createStateField,
	fieldsToSendField,
	columnsCreateField,
	...autoMapCreateFields,
	propertyValuesField,
	simplifyField,
	optionsField([additionalBodyOption, ...typeOptions]),
];
