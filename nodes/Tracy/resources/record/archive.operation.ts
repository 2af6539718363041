import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { recordLocator, simplifyOption } from '../../shared/descriptions';
import { getIdParameter } from '../../shared/validation';
import { buildRecordPatchBody } from '../../transport/assumptions';

export const description = updateDisplayOptions({ show: { resource: ['record'], operation: ['archive'] } }, [
	recordLocator({ description: 'The record to archive' }),
	simplifyOption,
] as INodeProperties[]);

/** A7: Archive a record. */
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const recordId = getIdParameter(this, 'recordId', 'Record') as number;
	requestOptions.body = buildRecordPatchBody(recordId, { archived: new Date().toISOString() });
	return requestOptions;
}
