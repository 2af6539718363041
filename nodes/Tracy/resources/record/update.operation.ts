import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ColumnWrite, MappedColumns } from '../../shared/columns';
import { readColumns, takeColumns } from '../../shared/columns';
import { outputRecords, wantsSimplify } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { recordJson } from '../../shared/simplify';
import { sameValue } from '../../shared/types';
import { failItem, getIdParameter, parseId } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { valuesFromRows } from '../../shared/values';
import type { TracyDatum, TracyRecord } from '../../transport/assumptions';
import {
	buildDatumUpdateBody,
	buildNewDatumBody,
	datumValue,
	INCLUDE_DATUMS,
	LIST_QUERY,
	PATHS,
	UPSERT_MATCH_LIMIT,
} from '../../transport/assumptions';
import { itemState, runState } from '../../transport/itemState';
import { asNodeError, readList, tracyRequest } from '../../transport/request';
import { sendRouted } from '../../transport/runner';

/** What Update and Create or Update carry from their preSend to their writes when the column mapper gives the values. */
export interface ColumnsPlan {
	columns: true;
	datasetId: number;
	mapped: MappedColumns;
}

export const isColumnsPlan = (plan: unknown): plan is ColumnsPlan =>
	Boolean(plan && (plan as ColumnsPlan).columns === true);

/** Checks every value before the record is read (its ID in the path), so bad input sends nothing. */
export async function validate(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const mapper = takeColumns(requestOptions);
	// a read: no body
	if (requestOptions.body && !Object.keys(requestOptions.body as IDataObject).length)
		delete requestOptions.body;
	if (this.getNodeParameter('fieldsToSend', 'columns') === 'columns') {
		const mapped = await readColumns(this, datasetId, 'update', mapper);
		if (!mapped.writes.length) {
			failItem(
				this,
				'The columns give no value to update',
				'Every column but those to match on is empty. Fill in the columns to change.',
			);
		}
		itemState(this).plan = { columns: true, datasetId, mapped } satisfies ColumnsPlan;
		// never sent: the strategy reads and writes through the transport itself
		requestOptions.url = PATHS.records;
		return requestOptions;
	}
	requestOptions.url = PATHS.record(getIdParameter(this, 'recordId', 'Record') as number);
	const rows = ((this.getNodeParameter('propertyValues', {}) as IDataObject).values ??
		[]) as IDataObject[];
	// an empty array clears a property, so it is allowed here (unlike on create)
	const cleared = rows
		.map((r, i) => (Array.isArray(r.value) && r.value.length === 0 ? i : -1))
		.filter((i) => i >= 0);
	const values = valuesFromRows(this, 'propertyValues', 'Property Values', cleared);
	if (!values.length && !cleared.length) {
		throw new NodeOperationError(
			this.getNode(),
			'Property Values is empty: there is nothing to update',
			{
				description: 'Add at least one property and its value.',
				itemIndex: this.getItemIndex(),
			},
		);
	}
	const byProperty = new Map<number, LabelledValue[]>();
	for (const v of values)
		byProperty.set(v.propertyId, [...(byProperty.get(v.propertyId) ?? []), v]);
	for (const i of cleared) {
		const id = parseId(this, rows[i].property, `Property Values, row ${i + 1}: Property`) as number;
		if (!byProperty.has(id)) byProperty.set(id, []);
	}
	itemState(this).plan = byProperty;
	return requestOptions;
}

/**
 * One property's new values over its datums, through the documented `PUT /v1/datums` (A6: `POST`
 * for a new value, `DELETE` for a removed one), one request after the other. Answers the datums
 * the property holds afterwards.
 */
export async function writeProperty(
	ctx: IExecuteSingleFunctions,
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
					ctx,
					{ method: 'PUT', url: PATHS.datums, body: buildDatumUpdateBody(datum, values[i]) },
					'datum',
				),
			);
		} else if (i < values.length) {
			written.push(
				await tracyRequest<TracyDatum>(
					ctx,
					{
						method: 'POST',
						url: PATHS.datums,
						body: buildNewDatumBody(recordId, propertyId, values[i]),
					},
					'datum',
				),
			);
		} else if (datum?.id !== undefined) {
			await tracyRequest(ctx, { method: 'DELETE', url: PATHS.datum(datum.id) }, 'anything');
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
		throw new NodeOperationError(
			ctx.getNode(),
			`Record ${record.id} is in dataset ${record.dataset.id}${record.dataset.name ? ` (${record.dataset.name})` : ''}, not in dataset ${datasetId}`,
			{
				description: 'Nothing was changed. Pick the dataset the record belongs to.',
				itemIndex: ctx.getItemIndex(),
			},
		);
	}
}

/**
 * After the record is read: writes each property of Property Values and returns the record with
 * the datums Tracy answered.
 */
async function writeDatums(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const record = items[0].json as unknown as TracyRecord;
	checkDataset(this, record, getIdParameter(this, 'dataset', 'Dataset') as number);
	const byProperty =
		(itemState(this).plan as Map<number, LabelledValue[]> | undefined) ??
		new Map<number, LabelledValue[]>();
	let datums: TracyDatum[] = [...(record.datums ?? [])];
	const plan = [...byProperty];
	for (const [index, [propertyId, values]] of plan.entries()) {
		const existing = datums.filter((d) => d.property?.id === propertyId);
		try {
			const written = await writeProperty(
				this,
				record.id,
				propertyId,
				existing,
				values.map((v) => v.value),
			);
			datums = [...datums.filter((d) => d.property?.id !== propertyId), ...written];
		} catch (error) {
			const names = plan.map(([, v]) => labelOf(v));
			throw partialWrite(error, names.slice(0, index), names[index], names.slice(index + 1));
		}
	}
	return [{ json: { ...record, datums } as unknown as IDataObject }];
}

/** Writes only the columns whose values differ from the record's; answers the record after, and what changed. */
export async function writeChanges(
	ctx: IExecuteSingleFunctions,
	record: TracyRecord,
	writes: ColumnWrite[],
): Promise<{ record: TracyRecord; changed: string[] }> {
	let datums: TracyDatum[] = [...(record.datums ?? [])];
	const changed: string[] = [];
	const pending = writes.filter((w) => {
		const existing = datums.filter((d) => d.property?.id === w.property.id);
		return !(
			existing.length === w.values.length &&
			w.values.every((v, i) => sameValue(w.property.kind, datumValue(existing[i]), v))
		);
	});
	for (const [index, w] of pending.entries()) {
		const existing = datums.filter((d) => d.property?.id === w.property.id);
		try {
			const written = await writeProperty(ctx, record.id, w.property.id, existing, w.values);
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
	ctx: IExecuteSingleFunctions,
	plan: ColumnsPlan,
): Promise<{ records: TracyRecord[]; more: boolean }> {
	const byId = plan.mapped.match.find((m) => m.property === undefined);
	if (byId) {
		let record: TracyRecord;
		try {
			record = await tracyRequest<TracyRecord>(
				ctx,
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
	};
	for (const m of plan.mapped.match)
		qs[LIST_QUERY.propertyFilter(m.property!.id)] = String(m.value);
	const { items, total } = await readList<TracyRecord>(ctx, PATHS.records, qs);
	return { records: items, more: total !== undefined && total > items.length };
}

/**
 * Update and Create or Update with the column mapper: finds the matches, then writes the changed
 * values of each (or creates, for Create or Update, when none matches).
 */
export async function updateMatches(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	upsert: boolean,
): Promise<INodeExecutionData[]> {
	// n8n starts every item at once: items of one run with the same match values go one after the
	// other, so the second finds what the first created instead of creating it again
	const plan = itemState(ctx).plan as ColumnsPlan;
	const key = `${plan.datasetId}:${plan.mapped.match.map((m) => `${m.column}=${String(m.value).toLowerCase()}`).join('&')}`;
	const queue = runState(ctx).upserts;
	const before = queue.get(key);
	const mine = (async () => {
		if (before) await before.catch(() => undefined);
		return await matchAndWrite(ctx, requestData, upsert);
	})();
	queue.set(key, mine);
	return await mine;
}

async function matchAndWrite(
	ctx: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	upsert: boolean,
): Promise<INodeExecutionData[]> {
	const state = itemState(ctx);
	const plan = state.plan as ColumnsPlan;
	const index = ctx.getItemIndex();
	const { records, more } = await findMatches(ctx, plan);
	if (!records.length) {
		if (!upsert) {
			state.noWrite = true;
			failItem(
				ctx,
				`No record of dataset "${plan.mapped.schema.name}" has ${describeMatch(plan)}`,
				'Nothing was changed. Check the values to match on, or use Create or Update.',
			);
		}
		const created = await sendRouted(ctx, requestData);
		return created.map((item) => ({ ...item, json: { ...item.json, created: true } }));
	}
	if ((records.length > 1 || more) && !ctx.getNodeParameter('options.updateAllMatches', false)) {
		state.noWrite = true;
		const ids = records.slice(0, 20).map((r) => r.id);
		failItem(
			ctx,
			`${more ? `More than ${records.length}` : records.length} records of dataset "${plan.mapped.schema.name}" have ${describeMatch(plan)}: ${ids.join(', ')}${records.length > ids.length ? ', …' : ''}`,
			'Nothing was changed. Match on a column that is unique (an email, an external ID), or turn on Options › Update All Matches.',
		);
	}
	if (more) {
		state.noWrite = true;
		failItem(
			ctx,
			`More than ${records.length} records match ${describeMatch(plan)}`,
			`Update All Matches updates at most ${records.length} records at once (A29). Nothing was changed.`,
		);
	}
	const simplify = wantsSimplify(ctx);
	const out: INodeExecutionData[] = [];
	let wrote = false;
	for (const found of records) {
		const { record, changed } = await writeChanges(ctx, found, plan.mapped.writes);
		wrote ||= changed.length > 0;
		out.push({
			json: { ...recordJson(record, simplify), ...(upsert ? { created: false } : {}), changed },
			pairedItem: { item: index },
		});
	}
	if (!wrote) state.noWrite = true;
	return out;
}

async function updateStrategy(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	if (isColumnsPlan(itemState(this).plan)) return await updateMatches(this, requestData, false);
	return await sendRouted(this, requestData);
}

export const operation: INodePropertyOptions = {
	name: 'Update',
	value: 'update',
	action: 'Update a record',
	description: "Set a record's property values",
	routing: itemRouting({
		request: { method: 'GET' },
		answer: 'record',
		writes: true,
		preSend: validate,
		postReceive: [writeDatums, outputRecords],
		strategy: updateStrategy,
	}),
};
