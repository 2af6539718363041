import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodePropertyOptions,
} from 'n8n-workflow';

import { readColumns, takeColumns } from '../../shared/columns';
import { outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { failItem, getIdParameter } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { additionalBody, datumLabels, toDatums, valuesFromRows } from '../../shared/values';
import { buildPostRecordBody, PATHS } from '../../transport/assumptions';
import { setFieldLabels } from '../../transport/request';

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
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(this, 'state', 'State', { optional: true });
	const extra = additionalBody(this);
	const columns = this.getNodeParameter('fieldsToSend', 'columns') === 'columns';
	const mapper = takeColumns(requestOptions);
	const values: LabelledValue[] = columns
		? columnDatums(this, (await readColumns(this, datasetId, 'add', mapper)).writes)
		: valuesFromRows(this, 'propertyValues', 'Property Values');
	// an empty record is almost always a mapping mistake; Additional Body may still carry the values
	if (!values.length && extra.datums === undefined) {
		if (columns && mapper?.mappingMode === 'autoMapInputData') {
			failItem(
				this,
				'Map Automatically found no value to send: the input item has no field with a value',
				'Every field of the item is empty or listed in "Input Fields to Ignore". Check the node before this one, or map each column manually.',
			);
		}
		if (columns)
			failItem(
				this,
				'The columns give no value to send',
				'Every column is empty. Fill in at least one column.',
			);
		failItem(
			this,
			'Property Values is empty: there is no value to create the record with',
			'Add at least one property and its value.',
		);
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
	routing: itemRouting({
		request: { method: 'POST', url: PATHS.records },
		answer: 'record',
		preSend: buildBody,
		postReceive: [outputRecords],
	}),
};
