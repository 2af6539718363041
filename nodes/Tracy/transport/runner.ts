import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	PreSendAction,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { READ_RETRIES } from './request';

/**
 * How each item's request is sent. The declarative engine offers one hook around an item's
 * request, `requestOperations.pagination`; every operation uses it (with `send.paginate: true`)
 * so that:
 * - bad input found by a preSend hook fails that item without sending anything, yet still
 *   yields an error item paired to its input under "Continue On Fail" (the engine's own error
 *   items carry no pairing, which loses them on the error output);
 * - a read that timed out or lost its connection is tried again, a write never is;
 * - operations that need more than one request (Get Many's pages, Skip if Exists) plug in here.
 */
export type ItemStrategy = (
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
) => Promise<INodeExecutionData[]>;

const inputErrors = new WeakMap<object, Error>();

/** Runs an operation's preSend hooks in order; an error is kept for the item instead of thrown. */
export function guard(...hooks: PreSendAction[]): PreSendAction {
	return async function (this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
		let options = requestOptions;
		try {
			for (const hook of hooks) options = await hook.call(this, options);
		} catch (error) {
			inputErrors.set(this, error as Error);
		}
		return options;
	};
}

const NETWORK_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ECONNRESET', 'EPIPE', 'ESOCKETTIMEDOUT'];

function networkCode(error: unknown): string | undefined {
	const e = error as { httpCode?: unknown; code?: unknown; cause?: { code?: unknown } };
	return [e.httpCode, e.code, e.cause?.code].find((c) => typeof c === 'string' && NETWORK_CODES.includes(c)) as
		| string
		| undefined;
}

function asNodeError(ctx: IExecuteSingleFunctions, error: unknown, method: string): Error {
	const itemIndex = ctx.getItemIndex();
	const code = networkCode(error);
	if (code) {
		const message = `Tracy did not answer in time (${code})`;
		const description = ['GET', 'HEAD'].includes(method)
			? 'The node tried again and gave up. Check the API Base URL and your network, or raise Options › Timeout.'
			: `The outcome of this ${method} is unknown: it was not retried, so as not to create or change anything twice. Check Tracy before running this item again.`;
		if (error instanceof NodeApiError) {
			// keep the engine's error (and its cause) but say what it means here
			error.message = message;
			error.description = description;
			return error;
		}
		return new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** The engine's hook around one item's request; `strategy` replaces the single request where an operation needs more. */
export function runItem(strategy?: ItemStrategy) {
	return async function (
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const item = Object.getPrototypeOf(this) as IExecuteSingleFunctions;
		const method = String(requestData.options.method ?? 'GET').toUpperCase();
		try {
			const inputError = inputErrors.get(item);
			if (inputError) throw inputError;
			for (let attempt = 0; ; attempt++) {
				try {
					return strategy ? await strategy.call(this, requestData) : await this.makeRoutingRequest(requestData);
				} catch (error) {
					const isRead = method === 'GET' && !strategy;
					if (!isRead || attempt >= READ_RETRIES || !networkCode(error)) throw asNodeError(item, error, method);
					await sleep(500 * 2 ** attempt);
				}
			}
		} catch (error) {
			const nodeError = asNodeError(item, error, method);
			if (!this.continueOnFail()) throw nodeError;
			// the engine turns `error` into `json.error`; the pairing is what it cannot add itself
			return [{ json: {}, error: nodeError as NodeApiError, pairedItem: { item: this.getItemIndex() } }];
		}
	};
}
