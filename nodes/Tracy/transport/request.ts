import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { checkAnswer } from '../contract/answers';
import type { AnswerKind } from '../contract/assumptions';
import { DEFAULT_BASE_URL, parseListResponse, parseRetryAfter } from '../contract/assumptions';
import { checkBaseUrl } from './baseUrl';
import { isRead, maskKey, networkError, retryAfterTooLongError, tracyApiError } from './errors';
import { acquireSlot, DEFAULT_MAX_IN_FLIGHT } from './inFlight';

/**
 * The one transport: every request the node makes, routed by n8n or made by a hook, gets its
 * base URL, connection settings, redirect refusal and retries here, and its answer checked by the
 * contract (contract/answers.ts). It is HTTP alone: what an error means for the data is the
 * engine's to say (engine/outcome.ts), from the facts kept on the error ({@link WireFacts}).
 */

export const CREDENTIAL_NAME = 'tracyApi';

/** An empty key would only earn a 401: refused before anything is sent, naming the credential. */
export function emptyKeyMessage(credentialName?: string): string {
	return `The API Key field of the Tracy API credential${credentialName ? ` "${credentialName}"` : ''} is empty`;
}
export const EMPTY_KEY_DESCRIPTION =
	'Nothing was sent. Paste the key from Tracy support into the credential (an expression in it resolved to nothing, or only spaces).';

function hasKey(credentials: IDataObject): boolean {
	return typeof credentials.apiKey === 'string' && credentials.apiKey.trim() !== '';
}

async function requireKey(ctx: TracyContext): Promise<IDataObject> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	if (!hasKey(credentials)) {
		throw new NodeOperationError(
			ctx.getNode(),
			emptyKeyMessage(ctx.getNode().credentials?.[CREDENTIAL_NAME]?.name),
			{
				description: EMPTY_KEY_DESCRIPTION,
				itemIndex: itemIndexOf(ctx),
			},
		);
	}
	return credentials;
}

/** What n8n's own Timeout option shows as its default; applied whether or not the option was added. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Retries of a read whose answer went wrong (5xx) or never came whole (timeout, lost connection); writes get none. */
const READ_RETRIES = 2;

/** Every context the transport serves: node items, "From List" searches, and trigger nodes (poll, webhook). */
export type TracyContext =
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions;

/**
 * A caller that requests for one input item of the Tracy node: its context, the names of its
 * fields for Tracy's error paths, and a say on each attempt. The transport only asks and tells;
 * the engine's item (engine/item.ts, the batch gate) decides.
 */
export interface ItemCaller {
	readonly ctx: IExecuteSingleFunctions;
	readonly fieldLabels?: Record<string, string>;
	/** Asked before each attempt: throws when the request may not go. */
	admit(write: boolean): void;
	/** Told once the request has failed for good. */
	failed(): void;
}

/**
 * Who makes a request: an item of the Tracy node (always as an {@link ItemCaller}, so that a
 * stopped batch holds every request of its items), or a search or a trigger.
 */
export type Caller = Exclude<TracyContext, IExecuteSingleFunctions> | ItemCaller;

function partsOf(caller: Caller): { ctx: TracyContext; gate?: ItemCaller } {
	return 'admit' in caller ? { ctx: caller.ctx, gate: caller } : { ctx: caller };
}

function itemIndexOf(ctx: TracyContext): number | undefined {
	return 'getItemIndex' in ctx ? ctx.getItemIndex() : undefined;
}

function nodeOptions(ctx: TracyContext): IDataObject {
	try {
		return (
			((ctx.getNodeParameter as (name: string, fallback: unknown) => unknown)(
				'requestOptions',
				{},
			) as IDataObject) ?? {}
		);
	} catch {
		// a trigger node or a search has no request options
		return {};
	}
}

/**
 * Timeout, proxy and TLS from the node's options, read as n8n's RoutingNode reads them for the
 * requests it makes itself, so that a hook's request connects exactly like a routed one.
 */
function connectionSettings(ctx: TracyContext): Partial<IHttpRequestOptions> {
	const options = nodeOptions(ctx);
	const timeout =
		typeof options.timeout === 'number' && options.timeout > 0
			? options.timeout
			: DEFAULT_TIMEOUT_MS;
	const settings: Partial<IHttpRequestOptions> = { timeout };
	if (options.allowUnauthorizedCerts) settings.skipSslCertificateValidation = true;
	const proxy = typeof options.proxy === 'string' ? options.proxy.trim() : '';
	if (proxy) {
		let parsed: URL | undefined;
		try {
			parsed = new URL(proxy);
		} catch {
			parsed = undefined;
		}
		if (!parsed?.hostname || !parsed.port) {
			throw new NodeOperationError(ctx.getNode(), 'The proxy is not valid', {
				description: `Settings › Request Options › Proxy needs a host and a port, for example http://myproxy:3128, not "${proxy.slice(0, 100)}"`,
				itemIndex: itemIndexOf(ctx),
			});
		}
		settings.proxy = {
			host: parsed.hostname,
			port: Number(parsed.port),
			protocol: parsed.protocol.replace(/:$/, ''),
			...(parsed.username
				? {
						auth: {
							username: decodeURIComponent(parsed.username),
							password: decodeURIComponent(parsed.password),
						},
					}
				: {}),
		};
	}
	return settings;
}

/** Checks the base URL (one rule, transport/baseUrl.ts) and sets what every request to Tracy carries. */
function prepareRequest(ctx: TracyContext, options: IHttpRequestOptions): IHttpRequestOptions {
	const base = checkBaseUrl(options.baseURL, DEFAULT_BASE_URL);
	if (base.error !== undefined) {
		throw new NodeOperationError(ctx.getNode(), `The API Base URL ${base.error}`, {
			description: `Fix it in the Tracy API credential, for example ${DEFAULT_BASE_URL}. Nothing was sent.`,
			itemIndex: itemIndexOf(ctx),
		});
	}
	return Object.assign(options, connectionSettings(ctx), {
		baseURL: base.url,
		// the key is only ever sent to the configured base URL
		disableFollowRedirect: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	});
}

/** A non-2xx answer, thrown by one attempt and turned into an error (or a retry) by {@link withRetries}. */
class StatusFailure extends Error {
	constructor(readonly response: IN8nHttpFullResponse) {
		super(`Tracy answered ${response.statusCode}`);
	}
}

const NETWORK_CODES = [
	'ETIMEDOUT',
	'ECONNABORTED',
	'ECONNRESET',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'ECONNREFUSED',
	'ERR_BAD_RESPONSE',
];

/** A connection that failed or broke: its code, and whether the answer had started (a reset mid-answer). */
function connectionFailure(error: unknown): { code: string; midAnswer: boolean } | undefined {
	// an error this transport has already made (it keeps its wire facts) is final
	if (!error || typeof error !== 'object' || wireOf(error) !== undefined) return undefined;
	const e = error as {
		httpCode?: unknown;
		code?: unknown;
		message?: unknown;
		cause?: { code?: unknown; message?: unknown };
	};
	const messages = [e.message, e.cause?.message].filter((m) => typeof m === 'string').join(' ');
	// a body cut off after a 2xx status line: the request reached Tracy, its answer did not come back whole
	if (/aborted|socket hang up|premature close/i.test(messages) && !/timeout/i.test(messages)) {
		return {
			code: String(e.cause?.code ?? e.code ?? 'ECONNRESET'),
			midAnswer: /aborted|premature/i.test(messages),
		};
	}
	const code = [e.cause?.code, e.code, e.httpCode].find(
		(c) => typeof c === 'string' && NETWORK_CODES.includes(c),
	) as string | undefined;
	if (code) return { code: /timeout/i.test(messages) ? 'ETIMEDOUT' : code, midAnswer: false };
	if (/timeout of \d+ms exceeded/i.test(messages)) return { code: 'ETIMEDOUT', midAnswer: false };
	return undefined;
}

interface RetrySettings {
	rateLimitRetries: number;
	maxRetryWaitMs: number;
	/** Request Options → Max Requests in Flight: this node's ceiling on the base URL's shared, adaptive bound. */
	maxInFlight: number;
}

function retrySettings(ctx: TracyContext): RetrySettings {
	const options = nodeOptions(ctx);
	const num = (v: unknown, d: number) =>
		typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d;
	return {
		rateLimitRetries: num(options.rateLimitRetries, 5),
		maxRetryWaitMs: num(options.maxRetryWait, 60) * 1000,
		maxInFlight:
			Math.max(1, Math.floor(num(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT))) ||
			DEFAULT_MAX_IN_FLIGHT,
	};
}

/** n8n's own errors as they are; anything else wrapped so that the item is named. */
export function asNodeError(ctx: TracyContext, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: itemIndexOf(ctx) });
}

const backoff = (attempt: number) => Math.min(30_000, 500 * 2 ** attempt);

/**
 * The one retry loop. `attempt` sends the request once and throws {@link StatusFailure} for a
 * non-2xx answer. A 429 is retried for any method (Tracy did not process it) within Rate Limit
 * Retries, waiting as Retry-After says unless that is longer than Max Retry Wait; a 5xx, a
 * timeout or a lost connection (also mid-answer) only for reads. Everything else is final.
 */
export async function withRetries<T>(
	caller: Caller,
	options: IHttpRequestOptions,
	attempt: () => Promise<T>,
): Promise<T> {
	const { ctx } = partsOf(caller);
	const settings = retrySettings(ctx);
	const method = String(options.method ?? 'GET').toUpperCase();
	for (let tries = 1; ; tries++) {
		const tried = await attemptInSlot(caller, options, method, settings, tries, attempt);
		if ('result' in tried) return tried.result;
		const { retry, error } = tried;
		if (retry.wait === undefined || retry.tooLong !== undefined)
			throw await finalError(caller, options, method, settings, tries, error, retry);
		await sleep(retry.wait);
	}
}

/**
 * One attempt in one slot of the base URL's bound, released before any wait: the caller's word
 * first (a stopped batch holds it), then the attempt, then what the retry policy makes of a failure.
 */
async function attemptInSlot<T>(
	caller: Caller,
	options: IHttpRequestOptions,
	method: string,
	settings: RetrySettings,
	tries: number,
	attempt: () => Promise<T>,
): Promise<{ result: T } | { error: unknown; retry: RetryPlan }> {
	const { ctx, gate } = partsOf(caller);
	const slot = await acquireSlot(
		String(options.baseURL ?? ''),
		settings.maxInFlight,
		executionOf(ctx),
		tries > 1,
	);
	try {
		gate?.admit(!isRead(method));
	} catch (notSent) {
		slot.release('other');
		throw asNodeError(ctx, notSent);
	}
	let error: unknown;
	try {
		const result = await attempt();
		slot.release('ok');
		return { result };
	} catch (caught) {
		error = caught;
	}
	const retry = retryPlan(error, method, tries, settings);
	// an item that fails stops its batch before its slot goes to the next item (the engine's batch
	// gate); a read's 404 is an answer an operation may use (Create or Update by ID: no match), not yet a failure
	const answered404 =
		error instanceof StatusFailure && error.response.statusCode === 404 && isRead(method);
	if (retry.wait === undefined && !answered404) gate?.failed();
	slot.release(
		retry.rateLimited ? 'rateLimited' : 'other',
		retry.rateLimited ? (retry.wait ?? 0) : 0,
	);
	return { error, retry };
}

/** The error for an attempt that is not retried, in Tracy's words, with its wire facts. */
async function finalError(
	caller: Caller,
	options: IHttpRequestOptions,
	method: string,
	settings: RetrySettings,
	tries: number,
	error: unknown,
	retry: RetryPlan,
): Promise<NodeApiError | NodeOperationError> {
	const { ctx, gate } = partsOf(caller);
	if (retry.tooLong !== undefined) {
		return withWire(
			retryAfterTooLongError(
				ctx.getNode(),
				retry.tooLong,
				settings.maxRetryWaitMs,
				itemIndexOf(ctx),
			),
			{ method, status: 429, reached: true },
		);
	}
	if (error instanceof StatusFailure) {
		// Tracy (or a proxy before it) may echo the request, key included, in its error body
		const body = maskKey(error.response.body, await secret(ctx));
		const status = error.response.statusCode;
		return withWire(
			tracyApiError(ctx.getNode(), status, body, {
				method,
				url: `${options.baseURL ?? ''}${options.url}`,
				qs: options.qs,
				body: options.body,
				itemIndex: itemIndexOf(ctx),
				fieldLabels: gate?.fieldLabels,
				attempts: tries,
			}),
			{ method, status, reached: true },
		);
	}
	const broken = connectionFailure(error);
	if (!broken) return asNodeError(ctx, error);
	const reachedTracy = !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(broken.code);
	return withWire(
		networkError(ctx.getNode(), {
			...broken,
			method,
			attempts: tries,
			timeout: options.timeout,
			itemIndex: itemIndexOf(ctx),
		}),
		{ method, reached: reachedTracy },
	);
}

/** What the retry policy makes of a failed attempt (see {@link retryPlan}). */
interface RetryPlan {
	wait?: number;
	rateLimited?: boolean;
	tooLong?: number;
}

/**
 * What the retry policy makes of a failed attempt: the wait before the next one, or none (final).
 * A 429 is retried for any method within Rate Limit Retries, as Retry-After says unless that is
 * longer than Max Retry Wait (`tooLong`); a 5xx, a timeout or a lost connection only for reads.
 */
function retryPlan(
	error: unknown,
	method: string,
	tries: number,
	settings: RetrySettings,
): RetryPlan {
	if (error instanceof StatusFailure) {
		const status = error.response.statusCode;
		if (status === 429) {
			const asked = parseRetryAfter(error.response.headers?.['retry-after']);
			if (tries > settings.rateLimitRetries) return { rateLimited: true };
			if (asked !== undefined && asked > settings.maxRetryWaitMs)
				return { rateLimited: true, tooLong: asked };
			return {
				rateLimited: true,
				wait: asked ?? Math.min(backoff(tries - 1), settings.maxRetryWaitMs),
			};
		}
		return status >= 500 && isRead(method) && tries <= READ_RETRIES
			? { wait: backoff(tries - 1) }
			: {};
	}
	return connectionFailure(error) && isRead(method) && tries <= READ_RETRIES
		? { wait: backoff(tries - 1) }
		: {};
}

/** The execution a request belongs to: executions take turns for the base URL's slots. */
function executionOf(ctx: TracyContext): string {
	try {
		return 'getExecutionId' in ctx ? String(ctx.getExecutionId() ?? '') : '';
	} catch {
		return '';
	}
}

/**
 * What happened to a request on the wire, kept on the error the transport makes for it (in
 * `context.wire`, the error's own field for extra data): its method, Tracy's status when it
 * answered, and whether the request reached Tracy. What that means for the data (refused,
 * unreachable, unknown) is read from these by the engine (engine/outcome.ts).
 */
export interface WireFacts {
	method: string;
	status?: number;
	reached: boolean;
}

function withWire<T extends NodeApiError | NodeOperationError>(error: T, facts: WireFacts): T {
	error.context.wire = { ...facts };
	return error;
}

/** The wire facts of an error the transport made; undefined for any other error. */
export function wireOf(error: object): WireFacts | undefined {
	const wire = (error as { context?: IDataObject }).context?.wire as WireFacts | undefined;
	return wire && typeof wire === 'object' && typeof wire.method === 'string' ? wire : undefined;
}

/** The key, so that an answer shown in an error never repeats it. */
async function secret(ctx: TracyContext): Promise<string | undefined> {
	try {
		const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
		return typeof credentials.apiKey === 'string' && credentials.apiKey
			? credentials.apiKey
			: undefined;
	} catch {
		return undefined;
	}
}

interface TracyRequest {
	method: IHttpRequestOptions['method'];
	/** A path from assumptions.ts, such as `PATHS.records`. */
	url: string;
	qs?: IDataObject;
	body?: unknown;
}

/**
 * One request through the one transport, for the node's operations and for the other nodes of this
 * package (the triggers' reads, the searches): the credential, the base URL rule, the node's
 * timeout/proxy/TLS options, no redirects, the retry policy, Tracy-specific errors, and the answer
 * checked against `kind`.
 */
export async function tracyRequest<T = unknown>(
	caller: Caller,
	request: TracyRequest,
	kind: AnswerKind,
): Promise<T> {
	const credentials = await requireKey(partsOf(caller).ctx);
	return await send<T>(
		caller,
		{
			method: request.method,
			baseURL: String(credentials.baseUrl ?? ''),
			url: request.url,
			qs: request.qs,
			body: request.body as IDataObject | undefined,
			json: true,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		kind,
		String(credentials.apiKey),
	);
}

/**
 * An item's routed request, as n8n built it from the description (method, path, the base URL of
 * `requestDefaults`) and the operation completed it, through the same transport.
 */
export async function sendRouted<T = unknown>(
	item: ItemCaller,
	options: IHttpRequestOptions,
	kind: AnswerKind,
): Promise<T> {
	const credentials = await requireKey(item.ctx);
	return await send<T>(item, options, kind, String(credentials.apiKey));
}

async function send<T>(
	caller: Caller,
	options: IHttpRequestOptions,
	kind: AnswerKind,
	key: string,
): Promise<T> {
	const { ctx } = partsOf(caller);
	prepareRequest(ctx, options);
	const method = String(options.method ?? 'GET');
	const response = await withRetries(caller, options, async () => {
		const answer = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_NAME,
			options,
		)) as IN8nHttpFullResponse;
		if (answer.statusCode < 200 || answer.statusCode >= 300) throw new StatusFailure(answer);
		return answer;
	});
	const refused = checkAnswer(ctx.getNode(), kind, {
		status: response.statusCode,
		body: response.body,
		method,
		path: String(options.url ?? ''),
		itemIndex: itemIndexOf(ctx),
		mask: (text) => maskKey(text, key),
	});
	// a 2xx answer the node does not understand: the request reached Tracy, which answered it
	if (refused) throw withWire(refused, { method, status: response.statusCode, reached: true });
	return response.body as T;
}

/** One page of a list (A5) through {@link tracyRequest}, its answer checked: the items and the total, if Tracy gave one. */
export async function readList<T = IDataObject>(
	caller: Caller,
	url: string,
	qs: IDataObject,
	kind: 'recordList' | 'datasetList' | 'userList' = 'recordList',
): Promise<{ items: T[]; total?: number }> {
	const body = await tracyRequest(caller, { method: 'GET', url, qs }, kind);
	return parseListResponse(body) as { items: T[]; total?: number };
}
