import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

import type { TracyRecord } from '../transport/assumptions';
import { simplifyRecord } from './simplify';

function wantsSimplify(ctx: IExecuteSingleFunctions): boolean {
	// read operations have it at the top, write operations under Options
	return Boolean(ctx.getNodeParameter('simplify', false) || ctx.getNodeParameter('options.simplify', false));
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
