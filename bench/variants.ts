/**
 * The ways the benchmark sends the same work to the emulator:
 *   (a) the Tracy node through n8n-core's engine,
 *   (b) a raw loop of `fetch` calls,
 *   (c) n8n's HTTP Request node through the same engine,
 *   (d) the floor node (bench/floor-node.ts) through the same engine.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TracyApi } from '../credentials/TracyApi.credentials';
import { Tracy } from '../nodes/Tracy/Tracy.node';
import { nodeTypes, registerCredentialType, runInEngine } from './engine';
import {
	asWebhookItem,
	getAllRecords,
	postRecordBody,
	submissionLead,
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
	/** Engine variants only: answer inside the engine, send nothing (see mockHttp in bench/engine.ts). */
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

export const tracyCredential = (t: Target) => ({
	tracyApi: { apiKey: t.apiKey, baseUrl: t.baseUrl },
});

const batchingOption = (b?: Batching) => (b ? { batching: { batch: { ...b } } } : {});

/** (a) Lead → Create with the Tracy node. */
export async function tracyCreate(
	t: Target,
	items: IDataObject[],
	batching?: Batching,
): Promise<VariantResult> {
	const parameters: INodeParameters = webFormLead(
		batching ? { requestOptions: batchingOption(batching) } : {},
	);
	return await runInEngine({
		type: TRACY_NODE_TYPE,
		parameters,
		items,
		credentials: tracyCredential(t),
		mock: t.mock,
	});
}

/** (a2) Lead → Create "From the Submission": the same items as the Webhook node outputs them, read by name. */
export async function tracySubmissionCreate(
	t: Target,
	items: IDataObject[],
	batching?: Batching,
): Promise<VariantResult> {
	const parameters: INodeParameters = submissionLead(
		batching ? { requestOptions: batchingOption(batching) } : {},
	);
	return await runInEngine({
		type: TRACY_NODE_TYPE,
		parameters,
		items: items.map(asWebhookItem),
		credentials: tracyCredential(t),
		mock: t.mock,
	});
}

/** (d) the same request from the floor node. */
export async function floorCreate(
	t: Target,
	items: IDataObject[],
	batching?: Batching,
): Promise<VariantResult> {
	const parameters: INodeParameters = {
		...floorParameters(),
		...(batching ? { requestOptions: batchingOption(batching) } : {}),
	};
	return await runInEngine({
		type: FLOOR_NODE_TYPE,
		parameters,
		items,
		credentials: tracyCredential(t),
		mock: t.mock,
	});
}

/** (c) the same request from n8n's HTTP Request node. */
export async function httpRequestCreate(
	t: Target,
	items: IDataObject[],
	batching?: Batching,
): Promise<VariantResult> {
	const loaded = httpRequestNode();
	if (!('nodeType' in loaded)) throw new Error(loaded.unavailable);
	return await runInEngine({
		type: HTTP_REQUEST_NODE_TYPE,
		typeVersion: HTTP_REQUEST_VERSION,
		parameters: httpRequestParameters(t.baseUrl, batchingOption(batching)),
		items,
		credentials: tracyCredential(t),
		mock: t.mock,
	});
}

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
	if (!response.ok)
		throw new Error(`POST /v1/records answered ${response.status}: ${JSON.stringify(body)}`);
	return body;
}

/** (b) the same requests from a raw loop of `fetch` calls, all in flight at once (what the engine does). */
export async function rawCreateConcurrent(t: Target, items: IDataObject[]): Promise<VariantResult> {
	return { items: await Promise.all(items.map(async (item) => await postRecord(t, item))) };
}

/** (b, serial) one request after the other. */
export async function rawCreateSerial(t: Target, items: IDataObject[]): Promise<VariantResult> {
	const out: IDataObject[] = [];
	for (const item of items) out.push(await postRecord(t, item));
	return { items: out };
}

/** (a) Record → Get Many with Return All. */
export async function tracyGetAll(t: Target, extra: INodeParameters = {}): Promise<VariantResult> {
	return await runInEngine({
		type: TRACY_NODE_TYPE,
		parameters: getAllRecords(extra),
		items: [{}],
		credentials: tracyCredential(t),
	});
}

/** (b) the same pages from a raw `fetch` loop: the query the node sends, 100 records a page, until a short page or the total. */
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
		const body = (await response.json()) as { items: IDataObject[]; total?: number };
		if (!response.ok) throw new Error(`GET /v1/records answered ${response.status}`);
		for (const record of body.items) out.push(record);
		if (pageSize < 100) break; // a first page only (warm-up)
		if (body.items.length < 100) break;
		if (body.total !== undefined && out.length >= body.total) break;
	}
	return { items: out };
}
