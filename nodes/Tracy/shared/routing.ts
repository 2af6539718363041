import type { DeclarativeRestApiSettings, INodePropertyRouting, PostReceiveAction, PreSendAction } from 'n8n-workflow';

import { finalizeRequest, handleResponse } from '../transport/request';
import type { ItemStrategy } from '../transport/runner';
import { guard, runItem } from '../transport/runner';

/**
 * The routing every operation shares: its own preSend, then the base URL and redirect checks;
 * the item runner around the request; Tracy's error statuses mapped (with retries) before the
 * operation's own postReceive.
 */
export function itemRouting(options: {
	request: DeclarativeRestApiSettings.HttpRequestOptions;
	preSend?: PreSendAction;
	postReceive?: PostReceiveAction[];
	strategy?: ItemStrategy;
}): INodePropertyRouting {
	return {
		request: options.request,
		send: {
			paginate: true,
			preSend: [guard(...(options.preSend ? [options.preSend] : []), finalizeRequest)],
		},
		operations: { pagination: runItem(options.strategy) },
		output: { postReceive: [handleResponse, ...(options.postReceive ?? [])] },
	};
}
