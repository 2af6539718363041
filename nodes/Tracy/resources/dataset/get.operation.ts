import type { INodeProperties, IDataObject } from 'n8n-workflow';

import type { TracyDatasetSchema } from '../../contract/assumptions';
import { PATHS } from '../../contract/assumptions';
import { tracyOperation } from '../../engine/operation';
import { typedProperty } from '../../data/types';
import { getIdParameter } from '../../data/validation';
import { datasetGetField } from '../../form/fields';

/** The dataset's shape as a person or an AI agent needs it: its properties with their types and options, its states in order. */
function outputDataset(answer: IDataObject): IDataObject {
	const dataset = answer as unknown as TracyDatasetSchema;
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
	return { id: dataset.id, name: dataset.name, properties, states };
}

export const operation = tracyOperation(
	{
		name: 'Get',
		subtitle: 'Get Dataset',
		value: 'get',
		action: 'Get a dataset',
		description:
			"Get a dataset's properties (ID, name, type, required, plural, options) and its states in order",
	},
	{
		request: { method: 'GET' },
		answer: 'dataset',
		prepare(item, request) {
			request.url = PATHS.dataset(getIdParameter(item.ctx, 'dataset', 'Dataset') as number);
		},
		output: (_item, _plan, answer) => outputDataset(answer),
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [datasetGetField];
