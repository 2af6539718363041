import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { tracyApiTest } from './methods/credentialTest';
import {
	searchDatasets,
	searchProperties,
	searchRecords,
	searchStates,
} from './methods/listSearch';
import { getColumns } from './methods/resourceMapping';
import { dataset } from './resources/dataset';
import { lead } from './resources/lead';
import { record } from './resources/record';
import { composeFields, resourceField, subtitle } from './form/compose';
import { requestOptions } from './form/requestOptions';
import { nodeBaseUrl } from './transport/baseUrl';

/** The resources, in the order of the Resource list; each brings its operations and their fields. */
const resources = [dataset, lead, record];

export class Tracy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracy',
		name: 'tracy',
		icon: { light: 'file:tracy.svg', dark: 'file:tracy.dark.svg' },
		group: ['transform'],
		version: 1,
		// the canvas line under the node's name, made from the operations' names
		subtitle: subtitle(resources),
		description:
			'Create and manage records and web-form leads in Tracy, and read the shape of its datasets',
		defaults: { name: 'Tracy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tracyApi', required: true, testedBy: 'tracyApiTest' }],
		requestDefaults: {
			baseURL: nodeBaseUrl,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		// the resource and its operations, then every field once, shown for the operations that list it
		properties: [
			resourceField(resources, 'record'),
			...resources.map((r) => r.operations),
			...composeFields(resources),
			requestOptions,
		],
	};

	methods = {
		listSearch: { searchDatasets, searchStates, searchProperties, searchRecords },
		resourceMapping: { getColumns },
		credentialTest: { tracyApiTest },
	};
}
