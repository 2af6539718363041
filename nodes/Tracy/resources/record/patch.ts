import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodePropertyOptions,
} from 'n8n-workflow';

import { outputRecords } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { getIdParameter } from '../../shared/validation';
import { buildRecordPatchBody, PATHS } from '../../transport/assumptions';

/** Archive, Unarchive and Restore differ only in the fields they change (A7). */
export function patchOperation(
	option: Omit<INodePropertyOptions, 'routing'>,
	fields: () => Parameters<typeof buildRecordPatchBody>[1],
): INodePropertyOptions {
	async function buildBody(
		this: IExecuteSingleFunctions,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const recordId = getIdParameter(this, 'recordId', 'Record') as number;
		requestOptions.body = buildRecordPatchBody(recordId, fields());
		return requestOptions;
	}

	return {
		...option,
		routing: itemRouting({
			request: { method: 'PUT', url: PATHS.records },
			answer: 'record',
			preSend: buildBody,
			postReceive: [outputRecords],
		}),
	};
}
