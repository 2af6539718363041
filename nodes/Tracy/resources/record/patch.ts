import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { recordLocator, simplifyOption } from '../../shared/descriptions';
import { getIdParameter } from '../../shared/validation';
import { buildRecordPatchBody } from '../../transport/assumptions';

/** Archive, Unarchive and Restore differ only in the fields they change (A7). */
export function patchOperation(
	operation: string,
	fields: () => Parameters<typeof buildRecordPatchBody>[1],
) {
	const description = updateDisplayOptions({ show: { resource: ['record'], operation: [operation] } }, [
		recordLocator(),
		simplifyOption,
	] as INodeProperties[]);

	async function buildBody(
		this: IExecuteSingleFunctions,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const recordId = getIdParameter(this, 'recordId', 'Record') as number;
		requestOptions.body = buildRecordPatchBody(recordId, fields());
		return requestOptions;
	}

	return { description, buildBody };
}
