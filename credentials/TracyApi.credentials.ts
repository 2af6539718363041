import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { CREDENTIAL_TEST_PATH, DEFAULT_BASE_URL } from '../nodes/Tracy/transport/assumptions';
import { credentialTestBaseUrl } from '../nodes/Tracy/transport/baseUrl';

export class TracyApi implements ICredentialType {
	name = 'tracyApi';

	displayName = 'Tracy API';

	icon: Icon = { light: 'file:../nodes/Tracy/tracy.svg', dark: 'file:../nodes/Tracy/tracy.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-tracy/n8n-nodes-tracy#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Tracy API key, sent as the X-Api-Key header. Ask Tracy support for one whose role grants no more than the workflow needs.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: DEFAULT_BASE_URL,
			description:
				'Address of the Tracy API without the /v1 prefix. Change it if Tracy gave you another host, or to reach it through a proxy. Plain http is accepted only for loopback addresses.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Api-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: credentialTestBaseUrl,
			url: CREDENTIAL_TEST_PATH,
			method: 'GET',
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Tracy refused the API key: it is wrong, incomplete or revoked. Copy it again from Tracy support\'s message.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key is valid, but its role may not read datasets. This is expected for a create-only key (for example a web-form lead key) and is not an error of the key: Create operations will work.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The API Base URL answers, but not as the Tracy API (404 for /v1/datasets). Check the API Base URL: it should be the host only, without /v1.',
				},
			},
		],
	};
}
