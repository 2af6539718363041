import type {
	INodeProperties,
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { TracyDatum, TracyRecord } from '../../contract/assumptions';
import {
	buildDatumUpdateBody,
	buildRecordPatchBody,
	buildNewDatumBody,
	datumValue,
	INCLUDE_DATUMS,
	LIST_QUERY,
	PATHS,
	UPSERT_MATCH_LIMIT,
} from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import { matchKey, withMatchLock } from '../../engine/matchLocks';
import { tracyOperation } from '../../engine/operation';
import type { ColumnWrite, MappedColumns } from '../../mapper/columns';
import { readColumns, takeColumns } from '../../mapper/columns';
import {
	columnsUpdateField,
	fieldsToSendField,
	autoMapUpdateFields,
	updateOptionsField,
} from '../../mapper/fields';
import { recordJson, wantsSimplify } from '../../data/simplify';
import { sameMatchValue, sameValue } from '../../data/types';
import { failItem, getIdParameter, parseId } from '../../data/validation';
import type { LabelledValue } from '../../data/values';
import { valuesFromRows } from '../../data/values';
import { asNodeError, readList, sendRouted, tracyRequest } from '../../transport/request';
import { mergedFields, mergeTwin } from '../../engine/twins';
import {
	datasetField,
	propertyValuesField,
	simplifyField,
	updateRecordIdField,
} from '../../form/fields';

/** What Update and Create or Update carry from their checks to their writes when the column mapper gives the values. */
export interface ColumnsPlan {
	datasetId: number;
	mapped: MappedColumns;
}

/** Update's plan: the mapper's columns, or Property Values' new values by property (an empty list clears one). */
type UpdatePlan =
	| ({ columns: true } & ColumnsPlan)
	| { columns: false; datasetId: number; byProperty: Map<number, LabelledValue[]> };

/** Checks every value before the record is read (its ID in the path), so bad input sends nothing. */
async function validate(item: TracyItem, request: IHttpRequestOptions): Promise<UpdatePlan> {
	const ctx = item.ctx;
	const datasetId = getIdParameter(ctx, 'dataset', 'Dataset') as number;
	const mapper = takeColumns(request);
	// a read: no body
	if (request.body && !Object.keys(request.body as IDataObject).length) delete request.body;
	if (ctx.getNodeParameter('fieldsToSend', 'columns') === 'columns') {
		const mapped = await readColumns(item, datasetId, 'update', mapper);
		if (!mapped.writes.length) {
			failItem(
				ctx,
				'The columns give no value to update',
				'Every column but those to match on is empty. Fill in the columns to change.',
			);
		}
		return { columns: true, datasetId, mapped };
	}
	request.url = PATHS.record(getIdParameter(ctx, 'recordId', 'Record') as number);
	const rows = ((ctx.getNodeParameter('propertyValues', {}) as IDataObject).values ??
		[]) as IDataObject[];
	// an empty array clears a property, so it is allowed here (unlike on create)
	const cleared = rows
		.map((r, i) => (Array.isArray(r.value) && r.value.length === 0 ? i : -1))
		.filter((i) => i >= 0);
	const values = valuesFromRows(ctx, 'propertyValues', 'Property Values', cleared);
	if (!values.length && !cleared.length) {
		failItem(
			ctx,
			'Property Values is empty: there is nothing to update',
			'Add at least one property and its value.',
		);
	}
	const byProperty = new Map<number, LabelledValue[]>();
	for (const v of values)
		byProperty.set(v.propertyId, [...(byProperty.get(v.propertyId) ?? []), v]);
	for (const i of cleared) {
		const id = parseId(ctx, rows[i].property, `Property Values, row ${i + 1}: Property`) as number;
		if (!byProperty.has(id)) byProperty.set(id, []);
	}
	return { columns: false, datasetId, byProperty };
}

/**
 * One property's new values over its datums, through the documented `PUT /v1/datums` (A6: `POST`
 * for a new value, `DELETE` for a removed one), one request after the other. Answers the datums
 * the property holds afterwards.
 */
export async function writeProperty(
	item: TracyItem,
	recordId: number,
	propertyId: number,
	existing: TracyDatum[],
	values: unknown[],
): Promise<TracyDatum[]> {
	const written: TracyDatum[] = [];
	for (let i = 0; i < Math.max(values.length, existing.length); i++) {
		const datum = existing[i];
		if (i < values.length && datum) {
			written.push(
				await tracyRequest<TracyDatum>(
					item,
					{ method: 'PUT', url: PATHS.datums, body: buildDatumUpdateBody(datum, values[i]) },
					'datum',
				),
			);
		} else if (i < values.length) {
			written.push(
				await tracyRequest<TracyDatum>(
					item,
					{
						method: 'POST',
						url: PATHS.datums,
						body: buildNewDatumBody(recordId, propertyId, values[i]),
					},
					'datum',
				),
			);
		} else if (datum?.id !== undefined) {
			await tracyRequest(item, { method: 'DELETE', url: PATHS.datum(datum.id) }, 'anything');
		}
	}
	return written;
}

/** Labels a property's values for messages: "Email", or "Email (2 values)". */
const labelOf = (values: LabelledValue[]) => values[0]?.label ?? '';

/**
 * A write that fails after others went through: its error says which values are already in Tracy
 * and which were not attempted, so that the user knows what running the item again would redo.
 */
function partialWrite(error: unknown, done: string[], failed: string, rest: string[]): unknown {
	if (
		(done.length || rest.length) &&
		(error instanceof NodeApiError || error instanceof NodeOperationError)
	) {
		const lines = [
			done.length
				? `Already written to Tracy: ${done.join(', ')}.`
				: 'Nothing was written before it.',
			`Failed: ${failed}.`,
			...(rest.length ? [`Not attempted: ${rest.join(', ')}.`] : []),
		];
		error.description = [error.description, lines.join(' ')].filter(Boolean).join('\n');
	}
	return error;
}

function checkDataset(ctx: IExecuteSingleFunctions, record: TracyRecord, datasetId: number) {
	if (record.dataset?.id !== undefined && record.dataset.id !== datasetId) {
		failItem(
			ctx,
			`Record ${record.id} is in dataset ${record.dataset.id}${record.dataset.name ? ` (${record.dataset.name})` : ''}, not in dataset ${datasetId}`,
			'Nothing was changed. Pick the dataset the record belongs to.',
		);
	}
}

/** Property Values: reads the record, writes each property, and answers the record with the datums Tracy answered. */
async function writeDatums(
	item: TracyItem,
	plan: Extract<UpdatePlan, { columns: false }>,
	request: IHttpRequestOptions,
): Promise<TracyRecord> {
	const record = await sendRouted<TracyRecord>(item, request, 'record');
	checkDataset(item.ctx, record, plan.datasetId);
	let datums: TracyDatum[] = [...(record.datums ?? [])];
	const writes = [...plan.byProperty];
	for (const [index, [propertyId, values]] of writes.entries()) {
		const existing = datums.filter((d) => d.property?.id === propertyId);
		try {
			const written = await writeProperty(
				item,
				record.id,
				propertyId,
				existing,
				values.map((v) => v.value),
			);
			datums = [...datums.filter((d) => d.property?.id !== propertyId), ...written];
		} catch (error) {
			const names = writes.map(([, v]) => labelOf(v));
			throw partialWrite(error, names.slice(0, index), names[index], names.slice(index + 1));
		}
	}
	return { ...record, datums };
}

/** Writes only the columns whose values differ from the record's; answers the record after, and what changed. */
export async function writeChanges(
	item: TracyItem,
	record: TracyRecord,
	writes: ColumnWrite[],
	matched: ReadonlySet<number> = new Set(),
): Promise<{ record: TracyRecord; changed: string[] }> {
	let datums: TracyDatum[] = [...(record.datums ?? [])];
	const changed: string[] = [];
	const pending = writes.filter((w) => {
		const existing = datums.filter((d) => d.property?.id === w.property.id);
		const same = matched.has(w.property.id) ? sameMatchValue : sameValue;
		return !(
			existing.length === w.values.length &&
			w.values.every((v, i) => same(w.property.kind, datumValue(existing[i]), v))
		);
	});
	for (const [index, w] of pending.entries()) {
		const existing = datums.filter((d) => d.property?.id === w.property.id);
		try {
			const written = await writeProperty(item, record.id, w.property.id, existing, w.values);
			datums = [...datums.filter((d) => d.property?.id !== w.property.id), ...written];
		} catch (error) {
			throw partialWrite(
				error,
				[...changed],
				w.property.name,
				pending.slice(index + 1).map((p) => p.property.name),
			);
		}
		changed.push(w.property.name);
	}
	return { record: { ...record, datums }, changed };
}

const describeMatch = (plan: ColumnsPlan) =>
	plan.mapped.match
		.map((m) => `${m.property?.name ?? 'Record ID'} = ${JSON.stringify(m.value)}`)
		.join(' and ');

/** A29: the records that match the columns to match on: one read of the record by ID, or one filtered list request. */
export async function findMatches(
	item: TracyItem,
	plan: ColumnsPlan,
	inTrash = false,
): Promise<{ records: TracyRecord[]; more: boolean }> {
	const ctx = item.ctx;
	const byId = plan.mapped.match.find((m) => m.property === undefined);
	if (byId) {
		let record: TracyRecord;
		try {
			record = await tracyRequest<TracyRecord>(
				item,
				{ method: 'GET', url: PATHS.record(Number(byId.value)) },
				'record',
			);
		} catch (error) {
			if (String((error as NodeApiError).httpCode ?? '') === '404')
				return { records: [], more: false };
			throw asNodeError(ctx, error);
		}
		checkDataset(ctx, record, plan.datasetId);
		// other columns to match on must hold their value too
		const others = plan.mapped.match.filter((m) => m.property);
		const fits = others.every((m) =>
			(record.datums ?? []).some(
				(d) =>
					d.property?.id === m.property!.id && sameValue(m.property!.kind, datumValue(d), m.value),
			),
		);
		return { records: fits ? [record] : [], more: false };
	}
	const qs: IDataObject = {
		[LIST_QUERY.dataset]: plan.datasetId,
		[LIST_QUERY.page]: 1,
		[LIST_QUERY.pageSize]: UPSERT_MATCH_LIMIT,
		[LIST_QUERY.include]: INCLUDE_DATUMS,
		...(inTrash ? { [LIST_QUERY.removed]: 'true' } : {}),
	};
	for (const m of plan.mapped.match)
		qs[LIST_QUERY.propertyFilter(m.property!.id)] = String(m.value);
	const { items, total } = await readList<TracyRecord>(item, PATHS.records, qs);
	return { records: items, more: total !== undefined && total > items.length };
}

/**
 * Update and Create or Update with the column mapper: finds the matches, then writes the changed
 * values of each (or creates, for Create or Update, when none matches).
 */
export async function updateMatches(
	item: TracyItem,
	plan: ColumnsPlan,
	request: IHttpRequestOptions,
	upsert: boolean,
): Promise<INodeExecutionData[]> {
	// items and executions of this process with the same match values go one after the other, so
	// the second finds what the first created instead of creating it again
	return await withMatchLock(
		matchKey(plan.datasetId, plan.mapped.match),
		async () => await matchAndWrite(item, plan, request, upsert),
	);
}

/** The match's properties: an equal value there (letter case aside, as Tracy compares, A17) is not rewritten. */
const matchProperties = (plan: ColumnsPlan) =>
	new Set(plan.mapped.match.flatMap((m) => (m.property ? [m.property.id] : [])));

async function matchAndWrite(
	item: TracyItem,
	plan: ColumnsPlan,
	request: IHttpRequestOptions,
	upsert: boolean,
): Promise<INodeExecutionData[]> {
	const simplify = wantsSimplify(item.ctx);
	const { records, more } = await findMatches(item, plan);
	if (!records.length) return await writeWithoutMatch(item, plan, request, upsert, simplify);
	refuseManyMatches(item, plan, records, more);
	return await writeEachMatch(item, plan, records, upsert, simplify);
}

/**
 * No record matches: Update fails without writing; Create or Update restores the oldest match in
 * the trash when asked to, and otherwise creates the record.
 */
async function writeWithoutMatch(
	item: TracyItem,
	plan: ColumnsPlan,
	request: IHttpRequestOptions,
	upsert: boolean,
	simplify: boolean,
): Promise<INodeExecutionData[]> {
	if (!upsert) {
		item.noWrite = true;
		failItem(
			item.ctx,
			`No record of dataset "${plan.mapped.schema.name}" has ${describeMatch(plan)}`,
			'Nothing was changed. Check the values to match on, or use Create or Update.',
		);
	}
	const restored = await restoreFromTrash(item, plan);
	if (restored) {
		const { record, changed } = await writeChanges(
			item,
			restored,
			plan.mapped.writes,
			matchProperties(plan),
		);
		return [
			{
				json: { ...recordJson(record, simplify), created: false, restored: true, changed },
				pairedItem: { item: item.index },
			},
		];
	}
	return await createUnmatched(item, plan, request, simplify);
}

/**
 * Creates the record no match was found for. Another process may have created its twin at the same
 * moment: match values other than a record ID are looked up once more, and the twins merged (A31).
 */
async function createUnmatched(
	item: TracyItem,
	plan: ColumnsPlan,
	request: IHttpRequestOptions,
	simplify: boolean,
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: item.index };
	const created = await sendRouted<TracyRecord>(item, request, 'record');
	// a record ID cannot have a twin
	const byId = plan.mapped.match.some((m) => m.property === undefined);
	const twins = byId
		? undefined
		: await mergeTwin(
				item,
				created,
				async () => (await findMatches(item, plan)).records,
				async (kept) => await writeChanges(item, kept, plan.mapped.writes, matchProperties(plan)),
				describeMatch(plan),
			);
	if (twins) {
		return [
			{
				json: { ...recordJson(twins.kept, simplify), ...mergedFields(created, twins) },
				pairedItem,
			},
		];
	}
	return [{ json: { ...recordJson(created, simplify), created: true }, pairedItem }];
}

/**
 * Several matches fail the item unless Options › Update All Matches is on, and more than one page
 * of them always does (A29): nothing is written either way.
 */
function refuseManyMatches(
	item: TracyItem,
	plan: ColumnsPlan,
	records: TracyRecord[],
	more: boolean,
): void {
	const ctx = item.ctx;
	if ((records.length > 1 || more) && !ctx.getNodeParameter('options.updateAllMatches', false)) {
		item.noWrite = true;
		const ids = records.slice(0, 20).map((r) => r.id);
		failItem(
			ctx,
			`${more ? `More than ${records.length}` : records.length} records of dataset "${plan.mapped.schema.name}" have ${describeMatch(plan)}: ${ids.join(', ')}${records.length > ids.length ? ', …' : ''}`,
			'Nothing was changed. Match on a column that is unique (an email, an external ID), or turn on Options › Update All Matches.',
		);
	}
	if (more) {
		item.noWrite = true;
		failItem(
			ctx,
			`More than ${records.length} records match ${describeMatch(plan)}`,
			`Update All Matches updates at most ${records.length} records at once (A29). Nothing was changed.`,
		);
	}
}

/** Writes the changed values of each match; an item that changed nothing is counted as no write. */
async function writeEachMatch(
	item: TracyItem,
	plan: ColumnsPlan,
	records: TracyRecord[],
	upsert: boolean,
	simplify: boolean,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let wrote = false;
	for (const found of records) {
		const { record, changed } = await writeChanges(
			item,
			found,
			plan.mapped.writes,
			matchProperties(plan),
		);
		wrote ||= changed.length > 0;
		out.push({
			json: { ...recordJson(record, simplify), ...(upsert ? { created: false } : {}), changed },
			pairedItem: { item: item.index },
		});
	}
	if (!wrote) item.noWrite = true;
	return out;
}

/**
 * Create or Update with Options › Match in the Trash › Restore It: when no record outside the
 * trash matches, the oldest match in the trash is restored (A7) instead of a new one created.
 */
async function restoreFromTrash(
	item: TracyItem,
	plan: ColumnsPlan,
): Promise<TracyRecord | undefined> {
	if (item.ctx.getNodeParameter('options.matchInTrash', 'create') !== 'restore') return undefined;
	if (plan.mapped.match.some((m) => m.property === undefined)) return undefined;
	const { records } = await findMatches(item, plan, true);
	const oldest = [...records].sort((a, b) => a.id - b.id)[0];
	if (!oldest) return undefined;
	const restored = await tracyRequest<TracyRecord>(
		item,
		{ method: 'PUT', url: PATHS.records, body: buildRecordPatchBody(oldest.id, { removed: null }) },
		'record',
	);
	// the restore's answer may leave the datums out: the found record's are the ones to compare with
	return { ...oldest, ...restored, datums: restored.datums ?? oldest.datums, removed: null };
}

export const operation = tracyOperation(
	{
		name: 'Update',
		subtitle: 'Update Record',
		value: 'update',
		action: 'Update a record',
		description: "Set a record's property values",
	},
	{
		// Property Values: the record is read (its datums), then each property written (A6)
		request: { method: 'GET' },
		answer: 'record',
		writes: true,
		prepare: validate,
		run: async (item, plan, request) =>
			plan.columns
				? await updateMatches(item, plan, request, false)
				: [
						{
							json: recordJson(await writeDatums(item, plan, request), wantsSimplify(item.ctx)),
							pairedItem: { item: item.index },
						},
					],
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	datasetField,
	fieldsToSendField,
	updateRecordIdField,
	columnsUpdateField,
	...autoMapUpdateFields,
	propertyValuesField,
	simplifyField,
	updateOptionsField,
];
