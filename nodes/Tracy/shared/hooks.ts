import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameterResourceLocator,
} from 'n8n-workflow';

import type { TracyDatasetSchema, TracyRecord } from '../transport/assumptions';
import { buildMoveBody, PATHS } from '../transport/assumptions';
import { tracyRequest } from '../transport/request';
import { recordJson } from './simplify';
import { failItem, getIdParameter } from './validation';

export function wantsSimplify(ctx: IExecuteSingleFunctions): boolean {
	return Boolean(ctx.getNodeParameter('simplify', true));
}

/** Last postReceive of record reads: pairs each item with its input and simplifies when asked. */
export async function outputRecords(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const simplify = wantsSimplify(this);
	const item = this.getItemIndex();
	return items.map((entry) => ({
		json: recordJson(entry.json as unknown as TracyRecord, simplify),
		pairedItem: { item },
	}));
}

/** Get and Delete: refuses an ID that is not a number before anything is sent, and puts it in the path. */
export async function recordUrl(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.url = PATHS.record(getIdParameter(this, 'recordId', 'Record') as number);
	return requestOptions;
}

/** A3: the ID of the dataset's state with that name (any letter case), read from the dataset. */
async function stateIdByName(
	ctx: IExecuteSingleFunctions,
	datasetId: number,
	name: string,
): Promise<number> {
	const wanted = name.trim().toLowerCase();
	if (!wanted)
		failItem(
			ctx,
			'The field "State" is empty',
			'Give the name of the state to move the record to, for example Qualified.',
		);
	// read on each call: as an agent tool, calls can share an execution, and a state may have changed since
	const dataset = await tracyRequest<TracyDatasetSchema>(
		ctx,
		{ method: 'GET', url: PATHS.dataset(datasetId) },
		'dataset',
	);
	const states = dataset.states ?? [];
	const found = states.find(
		(s) =>
			String(s.name ?? '')
				.trim()
				.toLowerCase() === wanted,
	);
	if (!found) {
		const names = states.map((s) => `"${String(s.name)}"`).join(', ');
		failItem(
			ctx,
			`State "${name.trim().slice(0, 80)}" is not a state of dataset ${datasetId}; its states are ${names || 'not visible to this key'}`,
			'Use one of the listed names.',
		);
	}
	return Number(found.id);
}

/** Move to State (A8): the move body; a state given by name is looked up in the dataset first. */
export async function moveBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const recordId = getIdParameter(this, 'recordId', 'Record') as number;
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const locator = this.getNodeParameter('state', undefined) as
		| INodeParameterResourceLocator
		| undefined;
	const stateId =
		locator?.mode === 'name'
			? await stateIdByName(this, datasetId, String(locator.value ?? ''))
			: (getIdParameter(this, 'state', 'State') as number);
	requestOptions.body = buildMoveBody(recordId, stateId);
	return requestOptions;
}
