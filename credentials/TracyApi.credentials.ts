import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Assumption A1, written here too so that the credential imports nothing from a node (a test keeps the two equal). */
const DEFAULT_BASE_URL = 'https://api.tra.cy';

/**
 * The Tracy API key. Its test is the Tracy node's `tracyApiTest` (testedBy): a declarative test can
 * only turn a 403 into a failure, and a create-only key that Tracy answers 403 is a working key.
 */
export class TracyApi implements ICredentialType {
	name = 'tracyApi';

	displayName = 'Tracy API';

	icon: Icon = {
		light: 'file:../nodes/Tracy/tracy.svg',
		dark: 'file:../nodes/Tracy/tracy.dark.svg',
	};

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
		{
			displayName:
				'A key that may only create (for example a web-form lead key) passes the test too. With it, "From List" cannot load: pick datasets, states and properties "By ID" (a key that may read shows each ID in the list, e.g. "Leads (#1)").',
			name: 'createOnlyNotice',
			type: 'notice',
			default: '',
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
}
