import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { datasetLocator, recordLocator, simplifyOption, stateLocator } from '../../shared/descriptions';
import { failItem, getIdParameter } from '../../shared/validation';
import type { TracyDatasetSchema } from '../../transport/assumptions';
import { buildMoveBody, PATHS } from '../../transport/assumptions';
import { tracyApiRequest } from '../../transport/request';

const state = stateLocator({
	required: true,
	description: 'The state to move the record to. Tracy refuses a move while a property required there is empty.',
});

export const moveProperties: INodeProperties[] = [
	recordLocator(),
	datasetLocator(),
	{
		...state,
		// a state's name is what a person or an AI agent knows ("Qualified"), not its ID
		modes: [
			...(state.modes ?? []),
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. Qualified',
				hint: "The state's name, in any letter case. Reads the dataset to find it, so the key's role must be able to read the dataset.",
			},
		],
	},
	simplifyOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['move'] } },
	moveProperties,
);

/** A3: the state of the dataset with that name, read from the dataset. */
async function stateIdByName(ctx: IExecuteSingleFunctions, datasetId: number, name: string): Promise<number> {
	const wanted = name.trim().toLowerCase();
	if (!wanted) failItem(ctx, 'The field "State" is empty', 'Give the name of the state to move the record to, for example Qualified.');
	const dataset = await tracyApiRequest<TracyDatasetSchema>(ctx, 'GET', PATHS.dataset(datasetId));
	if (!Array.isArray(dataset?.states)) {
		failItem(ctx, `Tracy's answer for dataset ${datasetId} has no list of states`, 'Pick the state By ID instead.');
	}
	const states = dataset.states;
	const found = states.find((s) => String(s.name ?? '').trim().toLowerCase() === wanted);
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

/** A8: the move body. */
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const recordId = getIdParameter(this, 'recordId', 'Record') as number;
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const locator = this.getNodeParameter('state', undefined) as INodeParameterResourceLocator | undefined;
	const stateId =
		locator?.mode === 'name'
			? await stateIdByName(this, datasetId, String(locator.value ?? ''))
			: (getIdParameter(this, 'state', 'State') as number);
	requestOptions.body = buildMoveBody(recordId, stateId);
	return requestOptions;
}
