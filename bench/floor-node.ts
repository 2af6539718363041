/**
 * The engine's floor: the least a declarative node can be and still send Lead → Create's request.
 * One string parameter per value, each routed into the body (`datums[i].value`), the constant parts of
 * the body in `requestDefaults`, the same credential, n8n's request options (its loader adds them, Batching
 * for case 3), and nothing else: no hooks, no checks, no output shaping. What RoutingNode spends on this node per item is n8n's own cost; whatever the Tracy node
 * spends beyond it is ours.
 */
import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { DATUM_FIELDS } from './fixtures';

export const FLOOR_NODE_TYPE = 'bench.floorLeadCreate';

const properties: INodeProperties[] = [
	...DATUM_FIELDS.map(
		({ field }, i): INodeProperties => ({
			displayName: field,
			name: field,
			type: 'string',
			default: '',
			routing: { send: { type: 'body', property: `datums[${i}].value` } },
		}),
	),
];

export class FloorLeadCreate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Floor Lead Create',
		name: 'floorLeadCreate',
		group: ['transform'],
		version: 1,
		description: 'Minimal declarative node for the benchmark',
		defaults: { name: 'Floor' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tracyApi', required: true }],
		requestDefaults: {
			baseURL: '={{ $credentials.baseUrl }}',
			method: 'POST',
			url: '/v1/records',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			body: {
				dataset: { id: 1 },
				datums: DATUM_FIELDS.map(({ property }) => ({ property: { id: property } })),
			},
		},
		properties,
	};
}

/** The floor node's parameters: each value an expression on the submission, as in the web-form workflow. */
export const floorParameters = () =>
	Object.fromEntries(DATUM_FIELDS.map(({ field }) => [field, `={{ $json.${field} }}`]));
