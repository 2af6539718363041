import type { IDataObject, IHttpRequestOptions, INodeParameterResourceLocator } from 'n8n-workflow';

import type { TracyDatasetSchema, TracyRecord } from '../contract/assumptions';
import { buildMoveBody, PATHS } from '../contract/assumptions';
import type { TracyItem } from '../engine/item';
import { tracyRequest } from '../transport/request';
import { recordJson, wantsSimplify } from '../data/simplify';
import { failItem, getIdParameter } from '../data/validation';

/** Get and Delete: refuses an ID that is not a number before anything is sent, and puts it in the path. */
export function recordPath(item: TracyItem, request: IHttpRequestOptions): void {
	request.url = PATHS.record(getIdParameter(item.ctx, 'recordId', 'Record') as number);
}

/** A3: the ID of the dataset's state with that name (any letter case), read from the dataset. */
async function stateIdByName(item: TracyItem, datasetId: number, name: string): Promise<number> {
	const ctx = item.ctx;
	const wanted = name.trim().toLowerCase();
	if (!wanted)
		failItem(
			ctx,
			'The field "State" is empty',
			'Give the name of the state to move the record to, for example Qualified.',
		);
	// read on each call: as an agent tool, calls can share an execution, and a state may have changed since
	const dataset = await tracyRequest<TracyDatasetSchema>(
		item,
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
export async function moveBody(item: TracyItem, request: IHttpRequestOptions): Promise<void> {
	const ctx = item.ctx;
	const recordId = getIdParameter(ctx, 'recordId', 'Record') as number;
	const datasetId = getIdParameter(ctx, 'dataset', 'Dataset') as number;
	const locator = ctx.getNodeParameter('state', undefined) as
		| INodeParameterResourceLocator
		| undefined;
	const stateId =
		locator?.mode === 'name'
			? await stateIdByName(item, datasetId, String(locator.value ?? ''))
			: (getIdParameter(ctx, 'state', 'State') as number);
	request.body = buildMoveBody(recordId, stateId);
}

/** The record Tracy answered, simplified when asked: the output of most operations. */
export function recordOutput(item: TracyItem, _plan: unknown, answer: IDataObject): IDataObject {
	return recordJson(answer as unknown as TracyRecord, wantsSimplify(item.ctx));
}
