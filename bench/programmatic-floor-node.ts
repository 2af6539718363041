/**
 * For comparison with the declarative floor (bench/floor-node.ts): the least a programmatic node (one
 * with `execute()`, like n8n's HTTP Request node) does to send the same request. It reads each value once
 * with getNodeParameter and sends with httpRequestWithAuthentication, all items at once. The engine does
 * not walk a description per item for such a node, which is what (c) gains over (d).
 */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { DATUM_FIELDS } from './fixtures';

export const PROGRAMMATIC_FLOOR_NODE_TYPE = 'bench.programmaticFloorLeadCreate';

export class ProgrammaticFloorLeadCreate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Programmatic Floor Lead Create',
		name: 'programmaticFloorLeadCreate',
		group: ['transform'],
		version: 1,
		description: 'Minimal programmatic node for the benchmark',
		defaults: { name: 'Programmatic Floor' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tracyApi', required: true }],
		properties: DATUM_FIELDS.map(({ field }) => ({
			displayName: field,
			name: field,
			type: 'string',
			default: '',
		})),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('tracyApi');
		const responses = await Promise.all(
			items.map(async (_, i) => {
				const body = {
					dataset: { id: 1 },
					datums: DATUM_FIELDS.map(({ property, field }) => ({
						property: { id: property },
						value: this.getNodeParameter(field, i),
					})),
				};
				return (await this.helpers.httpRequestWithAuthentication.call(this, 'tracyApi', {
					method: 'POST',
					baseURL: baseUrl,
					url: '/v1/records',
					headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
					body,
					json: true,
				})) as IDataObject;
			}),
		);
		return [responses.map((json, i) => ({ json, pairedItem: { item: i } }))];
	}
}
