/**
 * n8n's column mapper (the `resourceMapper` parameter type) for Record → Create, Update and
 * Create or Update, and Lead → Create or Update: the values it gives at run time (its fields are in
 * mapper/fields.ts),
 * converted by property type (data/types.ts) with the dataset read once per execution.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	NodeApiError,
} from 'n8n-workflow';

import type { TracyDatasetSchema, TracyUser } from '../contract/assumptions';
import type { TracyItem } from '../engine/item';
import { asNodeError } from '../transport/request';
import { PROPERTY_SUFFIX, SYSTEM_KEYS } from '../data/simplify';
import { commaList, normaliseName } from '../data/text';
import type { TypedProperty } from '../data/types';
import { convertValue, plainValue, typedProperty } from '../data/types';
import { failItem, parseId } from '../data/validation';
import { datasetSchema, workspaceUsers } from '../reading/sharedReads';
import { isName, linksByTitle, userByName } from './links';

/** The mapper's column for the record ID (Update and Create or Update match on it). */
export const RECORD_ID_COLUMN = 'id';

export const CREATE_ONLY_RUN_MESSAGE = 'Map Columns needs a key that may read the dataset';
const CREATE_ONLY_RUN_HINT =
	'This API key may not read the dataset, so its columns and their types are unknown. Set "Values to Send" to "Property Values (By ID)" and give each property\'s ID, or use a key that may read the dataset.';

export type MapperMode = 'add' | 'update' | 'upsert';

/** One parameter name per mapper mode: n8n resolves every declared parameter for every item, so one name each resolves the mapped expressions once. */
export const COLUMNS_PARAMETER: Record<MapperMode, string> = {
	add: 'columns',
	update: 'updateColumns',
	upsert: 'upsertColumns',
};

/** Where routing hands the resolved mapper value to the operation's `prepare` (taken out before anything is sent). */
export const COLUMNS_BODY_KEY = '__tracyColumns';

/** Takes the mapper's resolved value out of the request routing built (see mapper/fields.ts, mapperField). */
export function takeColumns(requestOptions: IHttpRequestOptions): MapperValue | undefined {
	const body = requestOptions.body as IDataObject | undefined;
	if (!body || typeof body !== 'object' || !(COLUMNS_BODY_KEY in body)) return undefined;
	const value = body[COLUMNS_BODY_KEY] as MapperValue;
	delete body[COLUMNS_BODY_KEY];
	return value;
}

export interface ColumnWrite {
	property: TypedProperty;
	label: string;
	/** `[]` clears the property (Update, Create or Update). */
	values: unknown[];
}

export interface ColumnMatch {
	column: string;
	label: string;
	/** Undefined for the record ID. */
	property?: TypedProperty;
	value: unknown;
}

export interface MappedColumns {
	schema: TracyDatasetSchema;
	writes: ColumnWrite[];
	match: ColumnMatch[];
}

export interface MapperValue {
	mappingMode?: string;
	value?: IDataObject | null;
	matchingColumns?: string[];
	schema?: Array<{ id: string; removed?: boolean }>;
}

/** No value: not sent (on Update: not changed), and no rival for another field naming the same column. */
const isEmpty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

interface MapperEntry {
	column: string;
	label: string;
	value: unknown;
	/** The input field it came from (Map Automatically). */
	field?: string;
}

/**
 * The fields of Tracy's own record output (Get, Get Many, the triggers, Create or Update): fed back
 * through Map Automatically they are understood (`id` as the record ID to match on) or left alone.
 * Exact names only: an input field "State" still goes to a property named State.
 */
const RECORD_OUTPUT_FIELDS = new Set([
	...SYSTEM_KEYS,
	'readError',
	'created',
	'changed',
	'merged',
	'mergedFrom',
	'restored',
]);

/** What Map Automatically reads each input field against. */
interface AutoMap {
	datasetName: string;
	mode: MapperMode;
	/** The columns by normalised name; several when names differ only in punctuation or letter case. */
	byName: Map<string, TypedProperty[]>;
	/** Input Fields to Ignore, normalised. */
	ignore: Set<string>;
}

/**
 * Map Automatically: each input field to the column of its name (letters and digits, in any
 * script, accents and letter case aside). A field that reaches no column fails the item or is
 * left out (Input Fields That Match No Column); two fields that reach one column fail the item.
 */
function autoMapEntries(
	ctx: IExecuteSingleFunctions,
	datasetName: string,
	properties: TypedProperty[],
	mode: MapperMode,
): MapperEntry[] {
	const ignore = new Set(commaList(ctx.getNodeParameter('inputsToIgnore', '')).map(normaliseName));
	const unmatched = ctx.getNodeParameter('unmatchedInputs', 'fail') as string;
	const byName = new Map<string, TypedProperty[]>();
	for (const p of properties) {
		const name = normaliseName(p.name);
		if (name) byName.set(name, [...(byName.get(name) ?? []), p]);
	}
	const map: AutoMap = { datasetName, mode, byName, ignore };
	const entries: MapperEntry[] = [];
	const unknown: string[] = [];
	for (const [field, value] of Object.entries(ctx.getInputData().json)) {
		const entry = fieldEntry(ctx, map, field, value, entries);
		if (entry === 'unknown') unknown.push(field);
		else if (entry) entries.push(entry);
	}
	if (unknown.length && unmatched !== 'ignore') {
		failItem(
			ctx,
			`Input field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')} match${unknown.length > 1 ? '' : 'es'} no column of dataset "${datasetName}"`,
			`Columns: ${properties.map((p) => p.name).join(', ')}. Rename the field, list it in "Input Fields to Ignore", set "Input Fields That Match No Column" to "Ignore Them", or map each column manually.`,
		);
	}
	return entries;
}

/**
 * The normalised name an input field is matched by. A record's own output fields are named like
 * Simplify names them: a property called like one of them comes back with " (property)" after it.
 */
function inputFieldName(field: string): string {
	const base =
		// Simplify's name for a property named like a record's own field
		field.endsWith(PROPERTY_SUFFIX) && SYSTEM_KEYS.has(field.slice(0, -PROPERTY_SUFFIX.length))
			? field.slice(0, -PROPERTY_SUFFIX.length)
			: field;
	return normaliseName(base);
}

/**
 * One input field under Map Automatically: its entry, `'unknown'` when it reaches no column, or
 * nothing when it is left alone (a record's output field, ignored, empty, or a column Tracy fills).
 * `entries` are the fields read before it, so that two fields reaching one column fail the item.
 */
function fieldEntry(
	ctx: IExecuteSingleFunctions,
	map: AutoMap,
	field: string,
	value: unknown,
	entries: MapperEntry[],
): MapperEntry | 'unknown' | undefined {
	if (RECORD_OUTPUT_FIELDS.has(field)) {
		if (field === 'id' && map.mode !== 'add')
			return { column: RECORD_ID_COLUMN, label: 'Input field "id" (Record ID)', value, field };
		return undefined;
	}
	const name = inputFieldName(field);
	if (name && map.ignore.has(name)) return undefined;
	if (map.mode !== 'add' && (name === 'id' || name === 'recordid') && !map.byName.has(name))
		return { column: RECORD_ID_COLUMN, label: `Input field "${field}" (Record ID)`, value, field };
	const found = (name && map.byName.get(name)) || [];
	if (found.length > 1) {
		failItem(
			ctx,
			`Input field "${field}" matches ${found.length} columns of dataset "${map.datasetName}": ${found.map((p) => `"${p.name}"`).join(' and ')}`,
			'Their names differ only in punctuation or letter case. Map these columns manually.',
		);
	}
	const property = found[0];
	if (!property) return 'unknown';
	// Tracy fills automatic properties and files cannot be set: a record's own output leaves them alone
	if (property.kind === 'automatic' || property.kind === 'file') return undefined;
	if (isEmpty(value)) return undefined;
	const other = entries.find((e) => e.column === String(property.id));
	if (other) {
		failItem(
			ctx,
			`Input fields "${other.field}" and "${field}" both match column "${property.name}"`,
			'A column takes its value from one input field. Rename one of them, or list one in "Input Fields to Ignore".',
		);
	}
	return {
		column: String(property.id),
		label: `Input field "${field}" (column "${property.name}")`,
		value,
		field,
	};
}

/** The dataset's schema for the mapper; a key that may not read it gets words a marketer understands. */
export async function mapperSchema(
	item: TracyItem,
	datasetId: number,
): Promise<TracyDatasetSchema> {
	const ctx = item.ctx;
	try {
		return await datasetSchema(item, datasetId);
	} catch (error) {
		if (String((error as NodeApiError).httpCode ?? '') === '403')
			failItem(ctx, CREATE_ONLY_RUN_MESSAGE, CREATE_ONLY_RUN_HINT);
		throw asNodeError(ctx, error);
	}
}

/**
 * The item's values from the mapper, checked and converted by type before anything is sent. Empty
 * values are not sent (on Update: not changed); an empty list clears a property on Update.
 */
export async function readColumns(
	item: TracyItem,
	datasetId: number,
	mode: MapperMode,
	resolved: MapperValue | undefined,
): Promise<MappedColumns> {
	const ctx = item.ctx;
	const columns =
		resolved ?? ((ctx.getNodeParameter(COLUMNS_PARAMETER[mode], {}) ?? {}) as MapperValue);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const schema = await mapperSchema(item, datasetId);
	const properties = (schema.properties ?? []).map(typedProperty);
	const byId = new Map(properties.map((p) => [String(p.id), p]));
	const convert = options.convertValues !== false;
	const convertOptions = { splitCommas: Boolean(options.splitCommas), timeZone: ctx.getTimezone() };
	const matching = mode === 'add' ? [] : (columns.matchingColumns ?? []).map(String);

	const entries =
		columns.mappingMode === 'autoMapInputData'
			? autoMapEntries(ctx, schema.name, properties, mode)
			: mappedEntries(columns, byId, matching);

	const out: MappedColumns = { schema, writes: [], match: [] };
	if (convert) {
		await usersByName(item, entries, byId);
		await linksByTitle(item, entries, byId, Boolean(options.createMissingLinks));
	}
	for (const { column, label, value } of entries) {
		if (column === RECORD_ID_COLUMN) {
			if (matching.includes(column)) {
				out.match.push({ column, label, value: parseId(ctx, value, 'Record ID') });
			}
			continue;
		}
		const property = byId.get(column);
		if (!property) {
			failItem(
				ctx,
				`Column ${column} is not a property of dataset "${schema.name}" that this key may see`,
				'The dataset changed since the columns were loaded: open the node and refresh the columns.',
			);
		}
		let values = convert
			? convertValue(ctx, property, value, label, convertOptions)
			: rawValues(value);
		if (matching.includes(column)) {
			values = matchValues(ctx, label, values);
			out.match.push({ column, label, property, value: values[0] });
		}
		if (values === undefined || (mode === 'add' && !values.length)) continue;
		out.writes.push({ property, label, values });
	}
	checkMatch(ctx, out, matching, byId, mode);
	return out;
}

/**
 * A column matched on: its values as Tracy compares them, "AE-1 " from a spreadsheet cell is
 * "AE-1" (A17), and written so too. A column matched on without a value fails the item.
 */
function matchValues(
	ctx: IExecuteSingleFunctions,
	label: string,
	values: unknown[] | undefined,
): unknown[] {
	const trimmed = values?.map((v) => (typeof v === 'string' ? v.trim() : v));
	if (!trimmed?.length)
		failItem(
			ctx,
			`${label} is a column to match on, but it has no value`,
			'Give it a value, or match on another column.',
		);
	return trimmed;
}

/** Map Each Column Manually: each column given a value, but those removed from the mapper unless matched on. */
function mappedEntries(
	columns: MapperValue,
	byId: Map<string, TypedProperty>,
	matching: string[],
): MapperEntry[] {
	const removed = new Set((columns.schema ?? []).filter((f) => f.removed).map((f) => String(f.id)));
	const entries: MapperEntry[] = [];
	for (const [column, value] of Object.entries(columns.value ?? {})) {
		if (removed.has(column) && !matching.includes(column)) continue;
		const property = byId.get(column);
		const label =
			column === RECORD_ID_COLUMN ? 'Column "Record ID"' : `Column "${property?.name ?? column}"`;
		entries.push({ column, label, value });
	}
	return entries;
}

/** Every column to match on has a value, and an update or upsert has at least one. */
function checkMatch(
	ctx: IExecuteSingleFunctions,
	out: MappedColumns,
	matching: string[],
	byId: Map<string, TypedProperty>,
	mode: MapperMode,
): void {
	for (const column of matching) {
		if (!out.match.some((m) => m.column === column)) {
			const name = column === RECORD_ID_COLUMN ? 'Record ID' : (byId.get(column)?.name ?? column);
			failItem(
				ctx,
				`Column "${name}" is a column to match on, but it has no value`,
				'Give it a value, or match on another column.',
			);
		}
	}
	if (mode !== 'add' && !matching.length) {
		failItem(
			ctx,
			'No column to match on',
			'Pick the record ID or a property under "Columns to Match On".',
		);
	}
}

function rawValues(value: unknown): unknown[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return (Array.isArray(value) ? value : [value]).map(plainValue);
}

/** A user column given an email or a name (A30): replaced by that user's ID before the values are converted. */
async function usersByName(
	item: TracyItem,
	entries: MapperEntry[],
	byId: Map<string, TypedProperty>,
): Promise<void> {
	const ctx = item.ctx;
	for (const entry of entries) {
		if (byId.get(entry.column)?.kind !== 'user') continue;
		const isEmail = isName;
		const list = Array.isArray(entry.value) ? entry.value : [entry.value];
		if (!list.some(isEmail)) continue;
		let users: TracyUser[];
		try {
			users = await workspaceUsers(item);
		} catch (error) {
			if (String((error as NodeApiError).httpCode ?? '') === '403') {
				failItem(
					ctx,
					`${entry.label}: a user given by name or email needs a key that may list Tracy's users`,
					"Give the user's ID instead (A30 in the README).",
				);
			}
			throw asNodeError(ctx, error);
		}
		const ids = list.map((v) => {
			if (!isEmail(v)) return v;
			const { id, several } = userByName(users, v);
			if (several) {
				failItem(
					ctx,
					`${entry.label}: ${several.length} Tracy users are named "${v.trim().slice(0, 100)}": ${several.map((u) => u.id).join(', ')}`,
					"Give the user's email or ID instead.",
				);
			}
			if (id === undefined)
				failItem(
					ctx,
					v.includes('@')
						? `${entry.label}: no Tracy user has the email "${v.trim().slice(0, 100)}"`
						: `${entry.label}: no Tracy user is named "${v.trim().slice(0, 100)}" or has it as email`,
					"Check the name or address, or give the user's ID.",
				);
			return id;
		});
		entry.value = Array.isArray(entry.value) ? ids : ids[0];
	}
}
