import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';

import { readColumns, takeColumns } from '../../shared/columns';
import { outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { failItem, getIdParameter } from '../../shared/validation';
import { additionalBody, datumLabels } from '../../shared/values';
import { buildPostRecordBody, PATHS } from '../../transport/assumptions';
import { itemState } from '../../transport/itemState';
import { setFieldLabels } from '../../transport/request';
import { columnDatums } from './create.operation';
import type { ColumnsPlan } from './update.operation';
import { updateMatches } from './update.operation';

/** Checks and converts the columns, and builds the create's body, before the look-up: bad input sends nothing. */
export async function buildUpsert(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(this, 'state', 'State', { optional: true });
	const extra = additionalBody(this);
	const mapped = await readColumns(this, datasetId, 'upsert', takeColumns(requestOptions));
	const values = columnDatums(this, mapped.writes);
	if (!values.length && extra.datums === undefined) {
		failItem(
			this,
			'The columns give no value to send',
			'Every column is empty. Check the node before this one, or fill in a column.',
		);
	}
	setFieldLabels(this, datumLabels(values));
	const match = mapped.match.find((m) => m.property)?.value;
	if (match !== undefined)
		itemState(this).name =
			`${mapped.match.find((m) => m.property)?.property?.name} ${String(match)}`;
	itemState(this).plan = { columns: true, datasetId, mapped } satisfies ColumnsPlan;
	requestOptions.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return requestOptions;
}

/** One list request (or one read by ID), then the create or the changed values' writes (A29). */
async function upsert(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return await updateMatches(this, requestData, true);
}

export function upsertOperation(what: 'record' | 'lead'): INodePropertyOptions {
	return {
		name: 'Create or Update',
		value: 'upsert',
		action: `Create or update a ${what}`,
		description:
			what === 'lead'
				? 'Create a lead, or update the one with the same email (or other columns to match on)'
				: 'Create a record, or update the one that matches the columns to match on',
		routing: itemRouting({
			request: { method: 'POST', url: PATHS.records },
			answer: 'record',
			preSend: buildUpsert,
			postReceive: [outputRecords],
			strategy: upsert,
			writes: true,
		}),
	};
}

export const operation = upsertOperation('record');
