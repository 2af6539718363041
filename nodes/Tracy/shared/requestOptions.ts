import type { INodeProperties } from 'n8n-workflow';

/**
 * Our request options. n8n's loader merges its own (Batching, Ignore SSL Issues, Proxy, Timeout)
 * into this collection and shows it under Settings → Request Options, so they are not declared here.
 */
export const requestOptions: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	isNodeSetting: true,
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'The longest the node waits before one retry, even if Tracy asks for longer in Retry-After. Each request times out after 10,000 ms (10 s) unless Timeout says otherwise.',
		},
		{
			displayName: 'Rate Limit Retries',
			name: 'rateLimitRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 5,
			description:
				'How often to retry a request that Tracy refused with 429 (too many requests), waiting as its Retry-After header says. Safe for creates: Tracy did not process a refused request.',
		},
	],
};
