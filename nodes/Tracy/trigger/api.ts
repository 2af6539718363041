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

import { parseId } from '../data/validation';
import type { TracyRecord } from '../contract/assumptions';
import { INCLUDE_DATUMS, LIST_QUERY, PATHS } from '../contract/assumptions';
import { readList, tracyRequest } from '../transport/request';

export type TriggerContext = IPollFunctions | IWebhookFunctions;

// parseId reads only the node (and the item index, which triggers have not)
const asItemContext = (ctx: TriggerContext) => ctx as unknown as IExecuteSingleFunctions;

interface RecordPage {
	records: TracyRecord[];
	total?: number;
}

/** One page of `GET /v1/records` (A4, A5), its answer checked (A13). */
export async function listRecords(
	ctx: TriggerContext,
	query: IDataObject,
	withValues: boolean,
): Promise<RecordPage> {
	const qs: IDataObject = { ...query };
	if (withValues) qs[LIST_QUERY.include] = INCLUDE_DATUMS;
	const { items, total } = await readList<TracyRecord>(ctx, PATHS.records, qs);
	return { records: items, total };
}

/** `GET /v1/records/{id}` (documented), its answer checked (A13). */
export async function getRecord(ctx: TriggerContext, id: number): Promise<TracyRecord> {
	return await tracyRequest<TracyRecord>(ctx, { method: 'GET', url: PATHS.record(id) }, 'record');
}

/** An ID parameter (resource locator, plain value or list entry), or an error naming the field. */
export function triggerId(ctx: TriggerContext, value: unknown, field: string): number {
	return parseId(asItemContext(ctx), value, field) as number;
}
