import type {
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';

import { itemRouting } from '../../shared/routing';
import { typedProperty } from '../../shared/types';
import { getIdParameter } from '../../shared/validation';
import type { TracyDatasetSchema } from '../../transport/assumptions';
import { PATHS } from '../../transport/assumptions';

async function datasetUrl(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	requestOptions.url = PATHS.dataset(getIdParameter(this, 'dataset', 'Dataset') as number);
	return requestOptions;
}

/** The dataset's shape as a person or an AI agent needs it: its properties with their types and options, its states in order. */
async function outputDataset(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const dataset = items[0].json as unknown as TracyDatasetSchema;
	const properties = (dataset.properties ?? []).map((raw) => {
		const p = typedProperty(raw);
		return {
			id: p.id,
			name: p.name,
			type: p.typeId,
			required: p.required,
			plural: p.plural,
			automatic: p.kind === 'automatic',
			...(p.options.length ? { options: p.options.map((o) => ({ id: o.id, text: o.text })) } : {}),
			...(p.relationDataset !== undefined ? { linksToDataset: p.relationDataset } : {}),
		};
	});
	const states = [...(dataset.states ?? [])]
		.sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
		.map((s) => ({ id: s.id, name: s.name ?? null, position: s.position ?? null }));
	return [
		{
			json: { id: dataset.id, name: dataset.name, properties, states },
			pairedItem: { item: this.getItemIndex() },
		},
	];
}

export const operation: INodePropertyOptions = {
	name: 'Get',
	value: 'get',
	action: 'Get a dataset',
	description:
		"Get a dataset's properties (ID, name, type, required, plural, options) and its states in order",
	routing: itemRouting({
		request: { method: 'GET' },
		answer: 'dataset',
		preSend: datasetUrl,
		postReceive: [outputDataset],
	}),
};
