import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';

import type { TracyRecord } from '../transport/assumptions';
import { buildMoveBody, PATHS } from '../transport/assumptions';
import { simplifyRecord } from './simplify';
import { getIdParameter } from './validation';

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
		json: simplify ? simplifyRecord(entry.json as unknown as TracyRecord) : (entry.json as IDataObject),
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

/** Move to State (A8): the move body. */
export async function moveBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const recordId = getIdParameter(this, 'recordId', 'Record') as number;
	getIdParameter(this, 'dataset', 'Dataset');
	const stateId = getIdParameter(this, 'state', 'State') as number;
	requestOptions.body = buildMoveBody(recordId, stateId);
	return requestOptions;
}
