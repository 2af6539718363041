/**
 * The ways the benchmark sends the same work to the emulator:
 *   (a) the Tracy node through n8n-core's engine ((a2): Lead → Create From the Submission),
 *   (b) a raw loop of `fetch` calls,
 *   (c) n8n's HTTP Request node through the same engine,
 *   (d) the floor node (bench/floor-node.ts) through the same engine.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TracyApi } from '../credentials/TracyApi.credentials';
import { startEmulator } from '../test/emulator/server';
import { Tracy } from '../nodes/Tracy/Tracy.node';
import type { EngineRun } from './engine';
import { nodeTypes, registerCredentialType, runInEngine } from './engine';
import {
	asWebhookItem,
	postRecordBody,
	rl,
	submissionLead,
	submissions,
	webFormLead,
} from './fixtures';
import { FLOOR_NODE_TYPE, FloorLeadCreate, floorParameters } from './floor-node';
import type { Loaded } from './http-request-node';
import {
	HTTP_REQUEST_NODE_TYPE,
	HTTP_REQUEST_VERSION,
	httpRequestParameters,
	loadHttpRequestNode,
} from './http-request-node';

export const TRACY_NODE_TYPE = 'n8n-nodes-tracy.tracy';

nodeTypes.load(TRACY_NODE_TYPE, new Tracy());
nodeTypes.load(FLOOR_NODE_TYPE, new FloorLeadCreate());
registerCredentialType(new TracyApi());

let httpRequest: Loaded | undefined;

/** Loads n8n's HTTP Request node once (installing n8n-nodes-base in the cache if needed). */
export function httpRequestNode(): Loaded {
	if (!httpRequest) {
		httpRequest = loadHttpRequestNode();
		if ('nodeType' in httpRequest) nodeTypes.register(HTTP_REQUEST_NODE_TYPE, httpRequest.nodeType);
	}
	return httpRequest;
}

export interface Target {
	baseUrl: string;
	apiKey: string;
	/** Engine variants only: answer inside the engine, send nothing (mockHttp in bench/engine.ts). */
	mock?: boolean;
}

export interface Batching {
	batchSize: number;
	batchInterval: number;
}

export interface VariantResult {
	items: INodeExecutionData[] | IDataObject[];
	error?: unknown;
}

export type Send = (t: Target, items: IDataObject[], batching?: Batching) => Promise<VariantResult>;

export const tracyCredential = (t: Target) => ({
	tracyApi: { apiKey: t.apiKey, baseUrl: t.baseUrl },
});

const batchingOption = (b?: Batching) => (b ? { batching: { batch: { ...b } } } : {});

/** A node in n8n's engine; its parameters may take the Batching option, its items may be reshaped. */
export const inEngine =
	(
		type: string,
		parameters: (batching?: Batching) => INodeParameters,
		options: Partial<EngineRun> & { shape?: (item: IDataObject) => IDataObject } = {},
	): Send =>
	async (t, items, batching) =>
		await runInEngine({
			type,
			parameters: parameters(batching),
			items: options.shape ? items.map(options.shape) : items,
			credentials: tracyCredential(t),
			mock: t.mock,
			...options,
		});

/** The Tracy node with these parameters (Batching, when asked, under Request Options). */
export const tracy = (parameters: INodeParameters, options: Partial<EngineRun> = {}): Send =>
	inEngine(
		TRACY_NODE_TYPE,
		(b) => ({ ...parameters, ...(b ? { requestOptions: batchingOption(b) } : {}) }),
		options,
	);

/** (a) Lead → Create with the Tracy node, one expression per field. */
export const tracyCreate = tracy(webFormLead());

/** (a2) Lead → Create From the Submission: the items as the Webhook node outputs them, read by name. */
export const tracySubmissionCreate = inEngine(
	TRACY_NODE_TYPE,
	(b) => submissionLead(b ? { requestOptions: batchingOption(b) } : {}),
	{ shape: asWebhookItem },
);

/** (d) the same request from the floor node. */
export const floorCreate = inEngine(FLOOR_NODE_TYPE, (b) => ({
	...floorParameters(),
	...(b ? { requestOptions: batchingOption(b) } : {}),
}));

/** (c) the same request from n8n's HTTP Request node (Batching, when asked, under its Options). */
export const httpRequestCreate =
	(options: Partial<EngineRun> = {}): Send =>
	async (t, items, batching) => {
		const loaded = httpRequestNode();
		if (!('nodeType' in loaded)) throw new Error(loaded.unavailable);
		const parameters = (b?: Batching) => httpRequestParameters(t.baseUrl, batchingOption(b));
		const send = inEngine(HTTP_REQUEST_NODE_TYPE, parameters, {
			typeVersion: HTTP_REQUEST_VERSION,
			...options,
		});
		return await send(t, items, batching);
	};

const jsonHeaders = (t: Target) => ({
	Accept: 'application/json',
	'Content-Type': 'application/json',
	'X-Api-Key': t.apiKey,
});

async function postRecord(t: Target, item: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${t.baseUrl}/v1/records`, {
		method: 'POST',
		headers: jsonHeaders(t),
		body: JSON.stringify(postRecordBody(item)),
	});
	const body = (await response.json()) as IDataObject;
	if (!response.ok) throw new Error(`POST /v1/records answered ${response.status}`);
	return body;
}

/** (b) the same requests from a raw loop of `fetch` calls, all in flight at once (as the engine does). */
export const rawCreateConcurrent: Send = async (t, items) => ({
	items: await Promise.all(items.map(async (item) => await postRecord(t, item))),
});

/** (b') one request after the other. */
export const rawCreateSerial: Send = async (t, items) => {
	const out: IDataObject[] = [];
	for (const item of items) out.push(await postRecord(t, item));
	return { items: out };
};

/** (a) Record → Get Many with Return All over the Leads dataset. */
export const tracyGetAll = async (t: Target, extra: INodeParameters = {}) =>
	await tracy({
		resource: 'record',
		operation: 'getAll',
		dataset: rl(1),
		returnAll: true,
		...extra,
	})(t, [{}]);

/** (b) the same pages from a raw `fetch` loop: the node's query, 100 a page, to a short page or the total. */
export async function rawGetAll(t: Target, pageSize = 100): Promise<VariantResult> {
	const out: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const qs = new URLSearchParams({
			dataset: '1',
			archived: 'false',
			include: 'datums',
			page: String(page),
			pageSize: String(pageSize),
		});
		const response = await fetch(`${t.baseUrl}/v1/records?${qs.toString()}`, {
			headers: jsonHeaders(t),
		});
		if (!response.ok) throw new Error(`GET /v1/records answered ${response.status}`);
		const body = (await response.json()) as { items: IDataObject[]; total?: number };
		out.push(...body.items);
		if (pageSize < 100 || body.items.length < 100) break; // pageSize < 100: a first page only (warm-up)
		if (body.total !== undefined && out.length >= body.total) break;
	}
	return { items: out };
}

/**
 * Before anything is timed: a variant sends a few submissions to an emulator that logs requests, and its
 * requests are compared with the Tracy node's (method, path, key, body); a comparison is only worth
 * printing if they are the same.
 */
export async function captureRequests(send: Send, n = 3): Promise<string[]> {
	const emulator = await startEmulator();
	try {
		const target = { baseUrl: emulator.url, apiKey: emulator.keyFor('webform') };
		const result = await send(target, submissions(n));
		if (result.error) throw new Error(`variant failed: ${JSON.stringify(result.error)}`);
		// sorted, so that variants sending at once compare in the same order
		return emulator.requests
			.map((r) => JSON.stringify([r.method, r.path, r.headers['x-api-key'], r.body, r.status]))
			.sort();
	} finally {
		await emulator.stop();
	}
}

export function sameRequests(a: string[], b: string[]): string | undefined {
	if (a.length !== b.length) return `${a.length} requests against ${b.length}`;
	const i = a.findIndex((k, j) => k !== b[j]);
	return i === -1 ? undefined : `first difference: ${a[i]} against ${b[i]}`;
}
