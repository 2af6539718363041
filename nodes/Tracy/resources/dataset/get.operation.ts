import type { INodeProperties, IDataObject } from 'n8n-workflow';

import type { TracyDatasetSchema } from '../../contract/assumptions';
import { PATHS, titleProperty } from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import { tracyOperation } from '../../engine/operation';
import type { TypedProperty } from '../../data/types';
import { typedProperty, valueForms } from '../../data/types';
import { getIdParameter } from '../../data/validation';
import { datasetGetField } from '../../form/fields';
import { datasetSchema } from '../../reading/sharedReads';
import { sendRouted } from '../../transport/request';

/**
 * Whether this key may edit a property (A33): Tracy's dataset answer says which properties the
 * key may view (it lists no other), not which it may edit. Tracy fills automatic ones and the node
 * sets no files; for the rest the answer does not tell, and a refused write names the property.
 */
function editable(p: TypedProperty): 'no' | 'unknown' {
	return p.kind === 'automatic' || p.kind === 'file' ? 'no' : 'unknown';
}

/** The dataset's shape as a person or an AI agent needs it to act: each property with its type, the value forms it accepts, its options, title flag and links; the states in order. */
async function outputDataset(item: TracyItem, answer: IDataObject): Promise<IDataObject> {
	const dataset = answer as unknown as TracyDatasetSchema;
	const properties: IDataObject[] = [];
	for (const raw of dataset.properties ?? []) {
		const p = typedProperty(raw);
		properties.push({
			id: p.id,
			name: p.name,
			type: p.typeId,
			accepts: valueForms(p),
			title: raw.isUsedAsTitle === true,
			required: p.required,
			plural: p.plural,
			automatic: p.kind === 'automatic',
			editable: editable(p),
			...(p.options.length ? { options: p.options.map((o) => ({ id: o.id, text: o.text })) } : {}),
			...(p.relationDataset !== undefined
				? { linksTo: await linkedDataset(item, dataset, p.relationDataset) }
				: {}),
		});
	}
	const states = [...(dataset.states ?? [])]
		.sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
		.map((s) => ({ id: s.id, name: s.name ?? null, position: s.position ?? null }));
	return { id: dataset.id, name: dataset.name, properties, states };
}

/** The linked dataset's ID, name and title property; its name is null when this key may not read it. */
async function linkedDataset(
	item: TracyItem,
	self: TracyDatasetSchema,
	id: number,
): Promise<IDataObject> {
	let linked: TracyDatasetSchema | undefined = id === self.id ? self : undefined;
	if (!linked) {
		try {
			linked = await datasetSchema(item, id);
		} catch {
			// a key that may not read the linked dataset: its ID alone
		}
	}
	const title = linked ? titleProperty(linked) : undefined;
	return { id, name: linked?.name ?? null, titleProperty: title?.name ?? null };
}

export const operation = tracyOperation(
	{
		name: 'Get',
		subtitle: 'Get Dataset',
		value: 'get',
		action: 'Get a dataset',
		description:
			"Get a dataset's properties (ID, name, type, the value forms each accepts, title, options, the dataset a relation links to) and its states in order",
	},
	{
		request: { method: 'GET' },
		answer: 'dataset',
		prepare(item, request) {
			request.url = PATHS.dataset(getIdParameter(item.ctx, 'dataset', 'Dataset') as number);
		},
		run: async (item, _plan, request) => [
			{
				json: await outputDataset(item, await sendRouted<IDataObject>(item, request, 'dataset')),
				pairedItem: { item: item.index },
			},
		],
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [datasetGetField];
