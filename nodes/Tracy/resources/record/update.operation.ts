import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { getIdParameter, parseId } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { valuesFromRows } from '../../shared/values';
import type { TracyDatum, TracyRecord } from '../../transport/assumptions';
import { buildDatumUpdateBody, buildNewDatumBody, PATHS } from '../../transport/assumptions';
import { itemState } from '../../transport/itemState';
import { tracyRequest } from '../../transport/request';

/** Checks every value before the record is read (its ID in the path), so bad input sends nothing. */
export async function validate(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.url = PATHS.record(getIdParameter(this, 'recordId', 'Record') as number);
	getIdParameter(this, 'dataset', 'Dataset');
	const rows = ((this.getNodeParameter('propertyValues', {}) as IDataObject).values ?? []) as IDataObject[];
	// an empty array clears a property, so it is allowed here (unlike on create)
	const cleared = rows.map((r, i) => (Array.isArray(r.value) && r.value.length === 0 ? i : -1)).filter((i) => i >= 0);
	const values = valuesFromRows(this, 'propertyValues', 'Property Values', cleared);
	if (!values.length && !cleared.length) {
		throw new NodeOperationError(this.getNode(), 'Property Values is empty: there is nothing to update', {
			description: 'Add at least one property and its value.',
			itemIndex: this.getItemIndex(),
		});
	}
	const byProperty = new Map<number, LabelledValue[]>();
	for (const v of values) byProperty.set(v.propertyId, [...(byProperty.get(v.propertyId) ?? []), v]);
	for (const i of cleared) {
		const id = parseId(this, rows[i].property, `Property Values, row ${i + 1}: Property`) as number;
		if (!byProperty.has(id)) byProperty.set(id, []);
	}
	itemState(this).plan = byProperty;
	return requestOptions;
}

/**
 * After the record is read: writes each changed property through the documented
 * `PUT /v1/datums` (A6: `POST` for a new value, `DELETE` for a removed one), one request after
 * the other, and returns the record with the datums Tracy answered.
 */
async function writeDatums(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const record = items[0].json as unknown as TracyRecord;
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	if (record.dataset?.id !== undefined && record.dataset.id !== datasetId) {
		throw new NodeOperationError(
			this.getNode(),
			`Record ${record.id} is in dataset ${record.dataset.id}${record.dataset.name ? ` (${record.dataset.name})` : ''}, not in dataset ${datasetId}`,
			{ description: 'Nothing was changed. Pick the dataset the record belongs to.', itemIndex: this.getItemIndex() },
		);
	}
	const byProperty = (itemState(this).plan as Map<number, LabelledValue[]> | undefined) ?? new Map<number, LabelledValue[]>();
	let datums: TracyDatum[] = [...(record.datums ?? [])];
	for (const [propertyId, values] of byProperty) {
		const existing = datums.filter((d) => d.property?.id === propertyId);
		const written: TracyDatum[] = [];
		for (let i = 0; i < Math.max(values.length, existing.length); i++) {
			const value = values[i];
			const datum = existing[i];
			if (value && datum) {
				written.push(await tracyRequest<TracyDatum>(this, { method: 'PUT', url: PATHS.datums, body: buildDatumUpdateBody(datum, value.value) }, 'datum'));
			} else if (value) {
				written.push(
					await tracyRequest<TracyDatum>(this, { method: 'POST', url: PATHS.datums, body: buildNewDatumBody(record.id, propertyId, value.value) }, 'datum'),
				);
			} else if (datum?.id !== undefined) {
				await tracyRequest(this, { method: 'DELETE', url: PATHS.datum(datum.id) }, 'anything');
			}
		}
		datums = [...datums.filter((d) => d.property?.id !== propertyId), ...written];
	}
	return [{ json: { ...record, datums } as unknown as IDataObject }];
}

export const operation: INodePropertyOptions = {
	name: 'Update',
	value: 'update',
	action: 'Update a record',
	description: "Set a record's property values",
	routing: itemRouting({ request: { method: 'GET' }, answer: 'record', writes: true, preSend: validate, postReceive: [writeDatums, outputRecords] }),
};
