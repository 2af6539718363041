import type {
	DeclarativeRestApiSettings,
	INodePropertyRouting,
	PostReceiveAction,
	PreSendAction,
} from 'n8n-workflow';

import type { AnswerKind } from '../transport/assumptions';
import { expectAnswer, finalizeRequest, handleResponse } from '../transport/request';
import type { ItemStrategy } from '../transport/runner';
import { guard, runItem } from '../transport/runner';

/**
 * The routing every operation shares: its own preSend, then the transport's base URL and
 * connection settings; the item runner (with the one retry loop) around the request; Tracy's
 * error statuses and the answer's shape (`answer`, A13) checked before the operation's own postReceive.
 */
export function itemRouting(options: {
	request: DeclarativeRestApiSettings.HttpRequestOptions;
	answer: AnswerKind;
	preSend?: PreSendAction;
	postReceive?: PostReceiveAction[];
	strategy?: ItemStrategy;
	/** A read that writes afterwards (Update), for the batch summary of a stopped execution. */
	writes?: boolean;
}): INodePropertyRouting {
	return {
		request: options.request,
		send: {
			paginate: true,
			preSend: [guard(...(options.preSend ? [options.preSend] : []), finalizeRequest)],
		},
		operations: { pagination: runItem(options.strategy, { writes: options.writes }) },
		output: {
			postReceive: [handleResponse, expectAnswer(options.answer), ...(options.postReceive ?? [])],
		},
	};
}
