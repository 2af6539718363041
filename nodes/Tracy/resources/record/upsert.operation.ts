import type { INodeProperties, IHttpRequestOptions } from 'n8n-workflow';

import { buildPostRecordBody, PATHS } from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import type { OperationOption } from '../../engine/operation';
import { tracyOperation } from '../../engine/operation';
import { readColumns, takeColumns } from '../../mapper/columns';
import { columnsUpsertField, autoMapUpsertFields, upsertOptionsField } from '../../mapper/fields';
import { failItem, getIdParameter } from '../../data/validation';
import { additionalBody, datumLabels } from '../../data/values';
import { columnDatums } from './create.operation';
import type { ColumnsPlan } from './update.operation';
import { updateMatches } from './update.operation';
import { datasetField, simplifyField, upsertStateField } from '../../form/fields';

/** Checks and converts the columns, and builds the create's body, before the look-up: bad input sends nothing. */
export async function buildUpsert(
	item: TracyItem,
	request: IHttpRequestOptions,
): Promise<ColumnsPlan> {
	const ctx = item.ctx;
	const datasetId = getIdParameter(ctx, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(ctx, 'state', 'State', { optional: true });
	const extra = additionalBody(ctx);
	const mapped = await readColumns(item, datasetId, 'upsert', takeColumns(request));
	const values = columnDatums(ctx, mapped.writes);
	if (!values.length && extra.datums === undefined) {
		failItem(
			ctx,
			'The columns give no value to send',
			'Every column is empty. Check the node before this one, or fill in a column.',
		);
	}
	item.fieldLabels = datumLabels(values);
	const byProperty = mapped.match.find((m) => m.property);
	if (byProperty?.value !== undefined)
		item.name = `${byProperty.property?.name} ${String(byProperty.value)}`;
	request.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return { datasetId, mapped };
}

export function upsertOperation(what: 'record' | 'lead'): OperationOption {
	return tracyOperation(
		{
			name: 'Create or Update',
			subtitle: `Create or Update ${what === 'lead' ? 'Lead' : 'Record'}`,
			value: 'upsert',
			action: `Create or update a ${what}`,
			description:
				what === 'lead'
					? 'Create a lead, or update the one with the same email (or other columns to match on)'
					: 'Create a record, or update the one that matches the columns to match on',
		},
		{
			request: { method: 'POST', url: PATHS.records },
			answer: 'record',
			prepare: buildUpsert,
			// one list request (or one read by ID), then the create or the changed values' writes (A29)
			run: async (item, plan, request) => await updateMatches(item, plan, request, true),
		},
	);
}

export const operation = upsertOperation('record');

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	datasetField,
	upsertStateField,
	columnsUpsertField,
	...autoMapUpsertFields,
	simplifyField,
	upsertOptionsField,
];
