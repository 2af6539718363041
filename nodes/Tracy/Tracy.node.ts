import type { INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchDatasets, searchProperties, searchRecords, searchStates } from './methods/listSearch';
import { leadFields, leadOperations } from './resources/lead';
import { recordFields, recordOperations } from './resources/record';
import { mergeOperationFields } from './shared/mergeFields';
import { requestOptions } from './shared/requestOptions';
import { nodeBaseUrl } from './transport/baseUrl';

export class Tracy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracy',
		name: 'tracy',
		icon: { light: 'file:tracy.svg', dark: 'file:tracy.dark.svg' },
		group: ['transform'],
		// 2: Lead → Create reads the submission itself and maps each field with its property in one list
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create and manage records and web-form leads in Tracy',
		defaults: { name: 'Tracy' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tracyApi', required: true }],
		requestDefaults: {
			baseURL: nodeBaseUrl,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Lead', value: 'lead', description: 'A record in the dataset your workspace uses for leads' },
					{ name: 'Record', value: 'record', description: 'A row of any Tracy dataset' },
				],
				default: 'record',
			},
			recordOperations,
			leadOperations,
			...mergeOperationFields(
				[...recordFields, ...leadFields],
				[recordOperations, leadOperations].map((o) => [
					o.displayOptions?.show?.resource?.[0] as string,
					(o.options as INodePropertyOptions[]).map((option) => String(option.value)),
				]),
			),
			requestOptions,
		],
	};

	methods = {
		listSearch: { searchDatasets, searchStates, searchProperties, searchRecords },
	};
}
