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
import { datasetOperations } from './resources/dataset';
import { leadOperations } from './resources/lead';
import * as leadCreate from './resources/lead/create.operation';
import * as leadGetMany from './resources/lead/getMany.operation';
import * as leadMapping from './resources/lead/mapping';
import { recordOperations } from './resources/record';
import {
	createOptionsField,
	createStateField,
	datasetField,
	datasetGetField,
	filtersField,
	includeDatumsField,
	limitField,
	moveStateField,
	propertyValuesField,
	recordIdField,
	updateRecordIdField,
	returnAllField,
	simplifyField,
	sortField,
} from './shared/fields';
import {
	columnsCreateField,
	columnsUpdateField,
	columnsUpsertField,
	fieldsToSendField,
	inputsToIgnoreFields,
	typeOptions,
	updateOptionsField,
	upsertOptionsField,
} from './shared/columns';
import { requestOptions } from './shared/requestOptions';
import { nodeBaseUrl } from './transport/baseUrl';

export class Tracy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracy',
		name: 'tracy',
		icon: { light: 'file:tracy.svg', dark: 'file:tracy.dark.svg' },
		group: ['transform'],
		version: 1,
		// the canvas line under the node's name, one entry per operation (a test checks they are all here)
		subtitle:
			'={{ ({ "record:archive": "Archive Record", "record:create": "Create Record", "record:upsert": "Create or Update Record", "record:delete": "Delete Record", "record:get": "Get Record", "record:getAll": "Get Many Records", "record:move": "Move Record to State", "record:restore": "Restore Record", "record:unarchive": "Unarchive Record", "record:update": "Update Record", "lead:create": "Create Lead", "lead:upsert": "Create or Update Lead", "lead:get": "Get Lead", "lead:getAll": "Get Many Leads", "lead:move": "Move Lead to State", "dataset:get": "Get Dataset", "dataset:getAll": "Get Many Datasets" })[$parameter["resource"] + ":" + $parameter["operation"]] }}',
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
		// every field once, in the order the form shows it; each says which operations show it
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Dataset',
						value: 'dataset',
						description: 'A Tracy table: its properties (columns) and states',
					},
					{
						name: 'Lead',
						value: 'lead',
						description: 'A record in the dataset your workspace uses for leads',
					},
					{ name: 'Record', value: 'record', description: 'A row of any Tracy dataset' },
				],
				default: 'record',
			},
			recordOperations,
			leadOperations,
			datasetOperations,
			recordIdField,
			datasetField,
			datasetGetField,
			createStateField,
			moveStateField,
			fieldsToSendField,
			updateRecordIdField,
			leadGetMany.emailField,
			leadGetMany.emailPropertyField,
			columnsCreateField,
			columnsUpdateField,
			columnsUpsertField,
			...inputsToIgnoreFields,
			propertyValuesField,
			leadMapping.leadInputField,
			leadMapping.leadPropertiesField,
			leadCreate.otherPropertiesField,
			leadMapping.requiredFieldsField,
			returnAllField,
			limitField,
			filtersField,
			sortField,
			includeDatumsField,
			simplifyField,
			createOptionsField(leadCreate.leadOptions, typeOptions),
			updateOptionsField,
			upsertOptionsField,
			requestOptions,
		],
	};

	methods = {
		listSearch: { searchDatasets, searchStates, searchProperties, searchRecords },
		resourceMapping: { getColumns },
		credentialTest: { tracyApiTest },
	};
}
