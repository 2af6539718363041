import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_IN_FLIGHT } from '../transport/inFlight';

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
			displayName: 'Max Requests in Flight',
			name: 'maxInFlight',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: DEFAULT_MAX_IN_FLIGHT,
			description:
				'The most requests sent to this Tracy at once by this n8n instance, over all its executions. A 429 (too many requests) halves it for a while; successes raise it again, up to this number.',
		},
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
