import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { tracyApiTest } from './methods/credentialTest';
import { searchDatasets, searchProperties, searchRecords, searchStates } from './methods/listSearch';
import { leadOperations } from './resources/lead';
import * as leadCreate from './resources/lead/create.operation';
import * as leadGetMany from './resources/lead/getMany.operation';
import * as leadMapping from './resources/lead/mapping';
import { recordOperations } from './resources/record';
import * as recordCreate from './resources/record/create.operation';
import {
	createOptionsField,
	createStateField,
	datasetField,
	filtersField,
	includeDatumsField,
	limitField,
	moveStateField,
	propertyValuesField,
	recordIdField,
	returnAllField,
	simplifyField,
	sortField,
} from './shared/fields';
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
			'={{ ({ "record:archive": "Archive Record", "record:create": "Create Record", "record:delete": "Delete Record", "record:get": "Get Record", "record:getAll": "Get Many Records", "record:move": "Move Record to State", "record:restore": "Restore Record", "record:unarchive": "Unarchive Record", "record:update": "Update Record", "lead:create": "Create Lead", "lead:get": "Get Lead", "lead:getAll": "Get Many Leads", "lead:move": "Move Lead to State" })[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Create and manage records and web-form leads in Tracy',
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
					{ name: 'Lead', value: 'lead', description: 'A record in the dataset your workspace uses for leads' },
					{ name: 'Record', value: 'record', description: 'A row of any Tracy dataset' },
				],
				default: 'record',
			},
			recordOperations,
			leadOperations,
			recordIdField,
			datasetField,
			createStateField,
			moveStateField,
			leadGetMany.emailField,
			leadGetMany.emailPropertyField,
			recordCreate.fieldsToSendField,
			propertyValuesField,
			recordCreate.inputsToIgnoreField,
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
			createOptionsField(leadCreate.leadOptions),
			requestOptions,
		],
	};

	methods = {
		listSearch: { searchDatasets, searchStates, searchProperties, searchRecords },
		credentialTest: { tracyApiTest },
	};
}
