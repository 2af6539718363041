import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { DEFAULT_BASE_URL, parseRetryAfter } from './assumptions';
import { LOOPBACK_HOST } from './baseUrl';
import type { ErrorContext } from './errors';
import { tracyApiError } from './errors';

export const CREDENTIAL_NAME = 'tracyApi';

type TracyContext = IExecuteSingleFunctions | ILoadOptionsFunctions;

/** The request each item sent last, so that a retry resends exactly that. */
const sentRequests = new WeakMap<object, IHttpRequestOptions>();
/** Field labels an operation registered for its item, for error messages. */
const fieldLabelsByItem = new WeakMap<object, Record<string, string>>();

export function setFieldLabels(ctx: object, labels: Record<string, string>) {
	fieldLabelsByItem.set(ctx, labels);
}

/** Refuses a base URL that would send the key in clear text over a network. */
export function assertSafeBaseUrl(ctx: TracyContext, baseURL: string | undefined) {
	const node = ctx.getNode();
	let url: URL;
	try {
		url = new URL(baseURL ?? '');
	} catch {
		throw new NodeOperationError(node, `The API Base URL "${baseURL ?? ''}" is not a valid URL`, {
			description: `Set it in the Tracy API credential, for example ${DEFAULT_BASE_URL}`,
		});
	}
	if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
		throw new NodeOperationError(node, 'The API Base URL uses plain http:// for a non-local host', {
			description:
				'The API key would travel unencrypted. Use https://, or http:// only for a loopback address (127.0.0.1, localhost) such as a local proxy.',
		});
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new NodeOperationError(node, `The API Base URL must start with https://, not ${url.protocol}//`);
	}
}

/** Retries of a read whose answer went wrong (5xx) or never came (timeout); writes get none. */
export const READ_RETRIES = 2;

interface RetrySettings {
	rateLimitRetries: number;
	maxRetryWaitMs: number;
	serverErrorRetries: number;
}

function retrySettings(ctx: TracyContext): RetrySettings {
	let options: IDataObject = {};
	try {
		options = (ctx.getNodeParameter('requestOptions', {}) as IDataObject) ?? {};
	} catch {
		options = {};
	}
	const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
	return {
		rateLimitRetries: num(options.rateLimitRetries, 5),
		maxRetryWaitMs: num(options.maxRetryWait, 60) * 1000,
		serverErrorRetries: READ_RETRIES,
	};
}

function backoff(attempt: number) {
	return Math.min(30_000, 500 * 2 ** attempt);
}

/** Last preSend of every operation: checks the base URL, never follows redirects, keeps the request for retries. */
export async function finalizeRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	assertSafeBaseUrl(this, requestOptions.baseURL);
	requestOptions.disableFollowRedirect = true;
	requestOptions.ignoreHttpStatusErrors = true;
	requestOptions.returnFullResponse = true;
	rememberRequest(this, requestOptions);
	return requestOptions;
}

export function rememberRequest(ctx: object, requestOptions: IHttpRequestOptions) {
	sentRequests.set(ctx, requestOptions);
}

function errorContext(ctx: TracyContext, options: IHttpRequestOptions, attempts?: number): ErrorContext {
	const itemIndex = 'getItemIndex' in ctx ? ctx.getItemIndex() : undefined;
	return {
		method: options.method ?? 'GET',
		url: `${options.baseURL ?? ''}${options.url}`,
		qs: options.qs,
		body: options.body,
		itemIndex,
		fieldLabels: fieldLabelsByItem.get(ctx),
		attempts,
	};
}

function isRetriable(status: number, method: string, settings: RetrySettings, attempt: number) {
	// a 429 was not processed, so any method may be sent again; a 5xx may have been, so reads only
	if (status === 429) return attempt < settings.rateLimitRetries;
	if (status >= 500 && ['GET', 'HEAD'].includes(method.toUpperCase())) return attempt < settings.serverErrorRetries;
	return false;
}

async function waitBeforeRetry(response: IN8nHttpFullResponse, attempt: number, settings: RetrySettings) {
	const retryAfter = parseRetryAfter(response.headers?.['retry-after']);
	const wait = Math.min(retryAfter ?? backoff(attempt), settings.maxRetryWaitMs);
	await sleep(wait);
}

/**
 * Sends a request with the Tracy credential and returns the final full response, retrying
 * 429s for any method and 5xx for reads, within the node's limits; throws Tracy-specific errors.
 */
export async function sendWithRetries(
	ctx: TracyContext,
	options: IHttpRequestOptions,
	first?: IN8nHttpFullResponse,
): Promise<IN8nHttpFullResponse> {
	const settings = retrySettings(ctx);
	const method = options.method ?? 'GET';
	let response = first;
	let attempt = 0;
	for (;;) {
		if (!response) {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_NAME, {
				...options,
				disableFollowRedirect: true,
				ignoreHttpStatusErrors: true,
				returnFullResponse: true,
			})) as IN8nHttpFullResponse;
		}
		const status = response.statusCode;
		if (status >= 200 && status < 300) return response;
		if (!isRetriable(status, method, settings, attempt)) {
			throw tracyApiError(ctx.getNode(), status, response.body, errorContext(ctx, options, attempt + 1));
		}
		await waitBeforeRetry(response, attempt, settings);
		attempt++;
		response = undefined;
	}
}

/** For requests a hook makes on its own (schema look-ups, datum writes): same auth, retries and errors. */
export async function tracyApiRequest<T = unknown>(
	ctx: TracyContext,
	method: IHttpRequestOptions['method'],
	url: string,
	extra: Partial<IHttpRequestOptions> = {},
): Promise<T> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	const baseURL = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	assertSafeBaseUrl(ctx, baseURL);
	const options: IHttpRequestOptions = {
		method,
		baseURL,
		url,
		json: true,
		headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		...extra,
	};
	const response = await sendWithRetries(ctx, options);
	return response.body as T;
}

/**
 * First postReceive of every operation: turns error statuses into Tracy-specific errors,
 * after retrying what may safely be retried.
 */
export async function handleResponse(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode >= 200 && response.statusCode < 300) return items;
	const options = sentRequests.get(this);
	if (!options) {
		throw tracyApiError(this.getNode(), response.statusCode, response.body, {
			method: 'GET',
			url: '',
			itemIndex: this.getItemIndex(),
		});
	}
	const final = await sendWithRetries(this, options, response);
	return [{ json: final.body as IDataObject }];
}
