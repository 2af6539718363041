import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { datasetLocator, recordLocator, simplifyOption, stateLocator } from '../../shared/descriptions';
import { getIdParameter } from '../../shared/validation';
import { buildMoveBody } from '../../transport/assumptions';

export const moveProperties: INodeProperties[] = [
	recordLocator(),
	datasetLocator(),
	stateLocator({
		required: true,
		description: 'The state to move the record to. Tracy refuses a move while a property required there is empty.',
	}),
	simplifyOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['move'] } },
	moveProperties,
);

/** A8: the move body. */
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const recordId = getIdParameter(this, 'recordId', 'Record') as number;
	getIdParameter(this, 'dataset', 'Dataset');
	const stateId = getIdParameter(this, 'state', 'State') as number;
	requestOptions.body = buildMoveBody(recordId, stateId);
	return requestOptions;
}
