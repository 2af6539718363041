import type { IDataObject, INodeExecutionData, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { TracyRecord } from '../contract/assumptions';
import { LIST_QUERY, MAX_PAGE_SIZE, NEWEST_FIRST, OLDEST_FIRST } from '../contract/assumptions';
import { PageWalk, PagingError } from '../reading/paging';
import { recordJson } from '../data/simplify';
import { isNewActivation } from '../engine/n8n';
import { outcomeOf } from '../engine/outcome';
import { asNodeError } from '../transport/request';
import { getRecord, listRecords } from './api';

/**
 * Record Entered State keeps the IDs of the records in the watched state; beyond this many the
 * poll stops with an error rather than grow the workflow's static data (about 6 bytes an ID) or
 * read more than MAX_WATCHED_RECORDS / 100 pages a poll.
 */
export const MAX_WATCHED_RECORDS = 5000;

export type TriggerEvent = 'newRecord' | 'enteredState';

/** At Most Records per Poll, when not set: a bulk import or a long pause drains at this pace. */
export const DEFAULT_MAX_PER_POLL = 100;

interface PollSettings {
	event: TriggerEvent;
	datasetId: number;
	/** New Record: only records in these states (empty: any). Record Entered State: the one watched state. */
	stateIds: number[];
	simplify: boolean;
	/** The most records one poll emits; the rest follow on the next polls, oldest first. */
	maxPerPoll: number;
	/** On Reactivation → Start From Now: what came while the workflow was off is not emitted. */
	startFromNow: boolean;
}

/** What the node keeps between polls, in its static data. */
interface Cursor {
	/** The event and what it watches; another key starts again from a fresh baseline. */
	key?: string;
	/** New Record: the highest record ID seen. */
	lastId?: number;
	/** Record Entered State: the IDs in the state at the last poll (see encodeIds). */
	ids?: string;
	/**
	 * Record Entered State: IDs no longer listed that were still in the state when read (in the
	 * trash): when listed again they come back, they do not enter. At most MAX_WATCHED_RECORDS.
	 */
	away?: string;
}

const cursorKey = (s: PollSettings) =>
	s.event === 'newRecord'
		? `newRecord:${s.datasetId}`
		: `enteredState:${s.datasetId}:${s.stateIds[0]}`;

/** Sorted IDs as base-36 gaps: `1,2,a` is 1, 3, 13. */
export function encodeIds(ids: number[]): string {
	const sorted = [...ids].sort((a, b) => a - b);
	return sorted.map((id, i) => (id - (i ? sorted[i - 1] : 0)).toString(36)).join(',');
}

export function decodeIds(text: string): number[] {
	if (!text) return [];
	let last = 0;
	return text.split(',').map((gap) => (last += parseInt(gap, 36)));
}

function contractError(ctx: IPollFunctions, what: string, assumption: string): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Tracy's record list did not answer as the trigger assumes: ${what}`,
		{
			description: `The trigger relies on assumption ${assumption} (see the README's Assumptions table). Use a Tracy Automation with the Tracy Automation Trigger instead.`,
		},
	);
}

function recordIds(ctx: IPollFunctions, records: TracyRecord[]): number[] {
	return records.map((r) => {
		if (!Number.isSafeInteger(r?.id))
			throw contractError(ctx, 'a listed record has no numeric ID', 'A5');
		return r.id;
	});
}

/** A 403 says which key and role a trigger needs, besides what Tracy refused. */
async function withPermissionHint<T>(
	ctx: IPollFunctions,
	settings: PollSettings,
	run: () => Promise<T>,
): Promise<T> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '403') {
			error.description = [
				error.description,
				`A Tracy trigger needs a key whose role may view the records of dataset ${settings.datasetId}${
					settings.stateIds.length ? ` in state ${settings.stateIds.join(', ')}` : ''
				} (at least one of their properties).`,
			]
				.filter(Boolean)
				.join('\n');
		}
		// both hand back the error itself when it is already one of theirs
		if (error instanceof NodeApiError)
			throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

const items = (
	ctx: IPollFunctions,
	records: TracyRecord[],
	simplify: boolean,
	readErrors?: Map<number, IDataObject>,
): INodeExecutionData[][] => [
	ctx.helpers.returnJsonArray(
		records.map((r) => ({
			...recordJson(r, simplify),
			...(readErrors?.has(r.id) ? { readError: readErrors.get(r.id) } : {}),
		})),
	),
];

/** The newest records, newest first, checked to be in that order (A20). */
async function newestPage(
	ctx: IPollFunctions,
	settings: PollSettings,
	page: number,
	pageSize: number,
	withValues: boolean,
) {
	const query: IDataObject = {
		[LIST_QUERY.dataset]: settings.datasetId,
		...NEWEST_FIRST,
		[LIST_QUERY.page]: page,
		[LIST_QUERY.pageSize]: pageSize,
	};
	const { records, total } = await listRecords(ctx, query, withValues);
	const ids = recordIds(ctx, records);
	if (ids.some((id, i) => i > 0 && id >= ids[i - 1])) {
		throw contractError(ctx, 'the records were not sorted by ID, newest first', 'A20');
	}
	return { records, total };
}

/** A page walk (A14) whose failure fails the poll, naming the assumption: the position does not move. */
function pagingError(ctx: IPollFunctions, error: unknown): unknown {
	return error instanceof PagingError ? contractError(ctx, error.message, 'A14') : error;
}

/** Every ID in the watched state, oldest first, checked to be in that state (A21). */
async function idsInState(
	ctx: IPollFunctions,
	settings: PollSettings,
): Promise<Map<number, TracyRecord>> {
	const stateId = settings.stateIds[0];
	const found = new Map<number, TracyRecord>();
	const walk = new PageWalk(MAX_PAGE_SIZE);
	for (;;) {
		let page: number;
		try {
			page = walk.next();
		} catch (error) {
			throw pagingError(ctx, error);
		}
		const { records, total } = await listRecords(
			ctx,
			{
				[LIST_QUERY.dataset]: settings.datasetId,
				[LIST_QUERY.state]: stateId,
				...OLDEST_FIRST,
				[LIST_QUERY.page]: page,
				[LIST_QUERY.pageSize]: MAX_PAGE_SIZE,
			},
			false,
		);
		let done: boolean;
		try {
			done = walk.take(recordIds(ctx, records), total).done;
		} catch (error) {
			throw pagingError(ctx, error);
		}
		for (const record of records) {
			if (record.state?.id !== undefined && Number(record.state.id) !== stateId) {
				throw contractError(
					ctx,
					`record ${record.id} was listed for state ${stateId} but is in state ${record.state.id}`,
					'A21',
				);
			}
			found.set(record.id, record);
		}
		if (found.size > MAX_WATCHED_RECORDS) {
			throw new NodeOperationError(
				ctx.getNode(),
				`State ${stateId} holds more than ${MAX_WATCHED_RECORDS} records, more than Record Entered State watches`,
				{
					description:
						'Each poll reads every record in the state and keeps their IDs. For a state that grows without end (such as Won), use a Tracy Automation on the state change with the Tracy Automation Trigger, or move old records out of the state.',
				},
			);
		}
		if (done) return found;
	}
}

/** The editor's "Fetch Test Event": the newest matching record, without touching the cursor. */
async function newRecordTestEvent(
	ctx: IPollFunctions,
	settings: PollSettings,
	wanted: (r: TracyRecord) => boolean,
	filtered: boolean,
): Promise<INodeExecutionData[][]> {
	const { records } = await newestPage(ctx, settings, 1, filtered ? MAX_PAGE_SIZE : 1, true);
	const record = records.find(wanted);
	if (!record) {
		throw new NodeOperationError(
			ctx.getNode(),
			`No record found in dataset ${settings.datasetId}${filtered ? ` among the ${MAX_PAGE_SIZE} newest in the chosen states` : ''}`,
			{
				description: 'Create one in Tracy, then fetch the test event again.',
			},
		);
	}
	return items(ctx, [record], settings.simplify);
}

/**
 * The records newer than `lastId`, newest first down to the last one emitted. A short page is not
 * the end unless the total agrees (A14); a record created while paging shifts the pages, so the
 * same record may come twice and is kept once.
 */
async function recordsSince(
	ctx: IPollFunctions,
	settings: PollSettings,
	lastId: number,
): Promise<Map<number, TracyRecord>> {
	const fresh = new Map<number, TracyRecord>();
	const walk = new PageWalk(MAX_PAGE_SIZE);
	for (;;) {
		try {
			const { records, total } = await newestPage(ctx, settings, walk.next(), MAX_PAGE_SIZE, true);
			const { done } = walk.take(
				records.map((r) => r.id),
				total,
			);
			let reached = false;
			for (const record of records) {
				if (record.id <= lastId) {
					reached = true;
					break;
				}
				fresh.set(record.id, record);
			}
			if (reached || done) return fresh;
		} catch (error) {
			throw pagingError(ctx, error);
		}
	}
}

async function pollNewRecords(
	ctx: IPollFunctions,
	settings: PollSettings,
	cursor: Cursor,
): Promise<INodeExecutionData[][] | null> {
	const states = new Set(settings.stateIds);
	const wanted = (r: TracyRecord) => states.size === 0 || states.has(Number(r.state?.id));

	if (ctx.getMode() === 'manual')
		return await newRecordTestEvent(ctx, settings, wanted, states.size > 0);

	// one small request when nothing is new (A20)
	const [newest] = (await newestPage(ctx, settings, 1, 1, false)).records;
	if (cursor.key !== cursorKey(settings) || cursor.lastId === undefined || settings.startFromNow) {
		// first activation (or another dataset, or Start From Now): no backlog, start after the newest record
		delete cursor.ids;
		delete cursor.away;
		Object.assign(cursor, { key: cursorKey(settings), lastId: newest?.id ?? 0 });
		return null;
	}
	const lastId = cursor.lastId;
	if (!newest || newest.id <= lastId) return null;

	const fresh = await recordsSince(ctx, settings, lastId);
	// oldest first, at most maxPerPoll of them: the cursor stops at the last one taken, the rest come next poll
	const emitted: TracyRecord[] = [];
	for (const record of [...fresh.values()].sort((a, b) => a.id - b.id)) {
		if (emitted.length >= settings.maxPerPoll) break;
		cursor.lastId = record.id;
		if (wanted(record)) emitted.push(record);
	}
	return emitted.length ? items(ctx, emitted, settings.simplify) : null;
}

/**
 * Records no longer listed in the watched state: each is read, and stays a member (away) only if
 * it is still in the state (in the trash, A7). Moved elsewhere, deleted for good (404) or hidden
 * from the key (403: in a state it may not view, or its role changed; the trigger cannot tell)
 * counts as having left, so that coming back is an entry and a real re-entry is never missed.
 */
async function stillInState(
	ctx: IPollFunctions,
	stateId: number,
	ids: number[],
): Promise<number[]> {
	const members: number[] = [];
	for (const id of ids) {
		const { record } = await readRecord(ctx, id);
		if (record && Number(record.state?.id) === stateId) members.push(id);
	}
	return members;
}

/**
 * One record read by a poll: the record, or the 4xx Tracy answered for this record alone (gone,
 * hidden, refused). Tracy unavailable or still rate-limiting after the transport's retries (its
 * outcome is not "refused") fails the poll, which then keeps its position and reads again next time.
 */
async function readRecord(
	ctx: IPollFunctions,
	id: number,
): Promise<{ record?: TracyRecord; refused?: NodeApiError }> {
	try {
		return { record: await getRecord(ctx, id) };
	} catch (caught) {
		const error = asNodeError(ctx, caught);
		const status = Number((error as NodeApiError).httpCode);
		if (status >= 400 && status < 500 && outcomeOf(error) === 'refused')
			return { refused: error as NodeApiError };
		throw error;
	}
}

async function pollEnteredState(
	ctx: IPollFunctions,
	settings: PollSettings,
	cursor: Cursor,
): Promise<INodeExecutionData[][] | null> {
	const stateId = settings.stateIds[0];
	if (ctx.getMode() === 'manual') {
		const { records } = await listRecords(
			ctx,
			{
				[LIST_QUERY.dataset]: settings.datasetId,
				[LIST_QUERY.state]: stateId,
				...NEWEST_FIRST,
				[LIST_QUERY.page]: 1,
				[LIST_QUERY.pageSize]: 1,
			},
			true,
		);
		if (!records.length) {
			throw new NodeOperationError(
				ctx.getNode(),
				`No record is in state ${stateId} of dataset ${settings.datasetId}`,
				{
					description: 'Move one into that state in Tracy, then fetch the test event again.',
				},
			);
		}
		return items(ctx, records, settings.simplify);
	}

	const now = await idsInState(ctx, settings);
	if (cursor.key !== cursorKey(settings) || cursor.ids === undefined || settings.startFromNow) {
		// first activation (or Start From Now): the records already in the state are not news
		delete cursor.lastId;
		Object.assign(cursor, { key: cursorKey(settings), ids: encodeIds([...now.keys()]), away: '' });
		return null;
	}
	const before = new Set(decodeIds(cursor.ids));
	const wasAway = new Set(decodeIds(cursor.away ?? ''));
	const away = new Set(wasAway);
	// gone from the list since the last poll: left the state, or only out of sight (trash)?
	const vanished = [...before].filter((id) => !now.has(id));
	for (const id of await stillInState(ctx, stateId, vanished)) away.add(id);
	// listed again without having left: back from the trash, not an entry
	for (const id of now.keys()) away.delete(id);
	const entered = [...now.keys()]
		.filter((id) => !before.has(id) && !wasAway.has(id))
		.sort((a, b) => a - b);
	const taken = entered.slice(0, settings.maxPerPoll);
	const later = new Set(entered.slice(settings.maxPerPoll));

	const { records, readErrors } = await readEntered(ctx, taken, now);
	// only now, so that a failed poll leaves the cursor where it was and the next poll retries;
	// entries beyond maxPerPoll stay out of it, so the next poll finds them entered
	const ids = encodeIds([...now.keys()].filter((id) => !later.has(id)));
	const awayIds = encodeIds([...away].sort((a, b) => b - a).slice(0, MAX_WATCHED_RECORDS));
	if (cursor.ids !== ids) cursor.ids = ids;
	if ((cursor.away ?? '') !== awayIds) cursor.away = awayIds;
	return records.length ? items(ctx, records, settings.simplify, readErrors) : null;
}

/**
 * The records that entered the state, each read whole. One that cannot be read is still an entry,
 * with what the listing said and why (`readError`), so that one record never holds back the others.
 */
async function readEntered(
	ctx: IPollFunctions,
	ids: number[],
	listed: Map<number, TracyRecord>,
): Promise<{ records: TracyRecord[]; readErrors: Map<number, IDataObject> }> {
	const records: TracyRecord[] = [];
	const readErrors = new Map<number, IDataObject>();
	for (const id of ids) {
		const { record, refused } = await readRecord(ctx, id);
		if (record) {
			records.push(record);
			continue;
		}
		records.push(listed.get(id)!);
		if (refused && refused.httpCode !== '404')
			readErrors.set(id, {
				message: refused.message,
				httpCode: refused.httpCode,
				...(refused.description ? { description: refused.description } : {}),
			});
	}
	return { records, readErrors };
}

/*
 * Process-wide state: the polls of this process still running, by workflow, node and mode. n8n
 * starts a poll on time even while the previous one runs (a long 429 wait, many pages); two at once
 * would emit the same records twice. Bound: an entry lives only while its poll runs, so at most one
 * per active trigger node.
 */
const running = new Set<string>();

/** Whether this poll is the first after the user turned the workflow on again (not a restart of n8n). */
function isReactivation(ctx: IPollFunctions): boolean {
	return isNewActivation(ctx) && ctx.getActivationMode() === 'activate';
}

export async function pollRecords(
	ctx: IPollFunctions,
	settings: PollSettings,
): Promise<INodeExecutionData[][] | null> {
	const cursor = ctx.getWorkflowStaticData('node') as Cursor;
	const key = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id ?? ctx.getNode().name}:${ctx.getMode()}`;
	if (running.has(key)) {
		ctx.logger.warn(
			`Tracy Trigger "${ctx.getNode().name}": the previous poll is still running, this one is skipped`,
		);
		return null;
	}
	running.add(key);
	const reactivated = ctx.getMode() !== 'manual' && isReactivation(ctx);
	settings = { ...settings, startFromNow: settings.startFromNow && reactivated };
	try {
		return await withPermissionHint(ctx, settings, async () =>
			settings.event === 'newRecord'
				? await pollNewRecords(ctx, settings, cursor)
				: await pollEnteredState(ctx, settings, cursor),
		);
	} finally {
		running.delete(key);
	}
}
