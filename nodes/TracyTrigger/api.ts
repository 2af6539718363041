/**
 * The triggers' only way to Tracy: every request goes through the Tracy node's transport
 * (credential, base URL checks, retries, Tracy-specific errors) from here, so that the triggers
 * follow the transport when it changes.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { simplifyRecord } from '../Tracy/shared/simplify';
import { parseId } from '../Tracy/shared/validation';
import type { TracyRecord } from '../Tracy/transport/assumptions';
import { INCLUDE_DATUMS, LIST_QUERY, parseListResponse, PATHS } from '../Tracy/transport/assumptions';
import { tracyApiRequest } from '../Tracy/transport/request';

export type TriggerContext = IPollFunctions | IWebhookFunctions;

// the transport only needs the credential, the node, its parameters and the request helpers,
// which poll and webhook contexts have too
const asTransportContext = (ctx: TriggerContext) => ctx as unknown as IExecuteSingleFunctions;

export interface RecordPage {
	records: TracyRecord[];
	total?: number;
}

/** One page of `GET /v1/records` (A4, A5). */
export async function listRecords(ctx: TriggerContext, query: IDataObject, withValues: boolean): Promise<RecordPage> {
	const qs: IDataObject = { ...query };
	if (withValues) qs[LIST_QUERY.include] = INCLUDE_DATUMS;
	const body = await tracyApiRequest(asTransportContext(ctx), 'GET', PATHS.records, { qs });
	const { items, total } = parseListResponse(body);
	return { records: items as TracyRecord[], total };
}

/** `GET /v1/records/{id}` (documented). */
export async function getRecord(ctx: TriggerContext, id: number): Promise<TracyRecord> {
	return await tracyApiRequest<TracyRecord>(asTransportContext(ctx), 'GET', PATHS.record(id));
}

export function outputRecord(record: TracyRecord, simplify: boolean): IDataObject {
	return simplify ? simplifyRecord(record) : (record as unknown as IDataObject);
}

/** An ID parameter (resource locator, plain value or list entry), or an error naming the field. */
export function triggerId(ctx: TriggerContext, value: unknown, field: string): number {
	return parseId(asTransportContext(ctx), value, field) as number;
}
