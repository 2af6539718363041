/**
 * What this package assumes about Tracy's REST API beyond its public documentation.
 *
 * Tracy documents `POST /v1/records`, `GET /v1/records/{id}` and `PUT /v1/datums` and the
 * shapes of Record, Datum, Dataset, State and Property. Everything else below is an assumption.
 * This is the only module that names endpoints, query parameters and body fields; the README's
 * "Assumptions" table lists the same entries (A1..A17; A20..A23 for the triggers; A24..A29 for
 * property types and Create or Update; A30 users by email; A31 twins) and the test
 * emulator implements them.
 * Where an assumption is wrong, a user can still get through: the API Base URL is a credential
 * field, every write has an "Additional Body (JSON)" option merged last, and n8n's HTTP Request
 * node can call any endpoint with the same Tracy credential.
 */

/** A1: the production host is not documented. Documented: every path starts with `/v1`. */
export const DEFAULT_BASE_URL = 'https://api.tra.cy';

export const PATHS = {
	/** Documented: `POST` creates a record. A4: `GET` with a query lists records. */
	records: '/v1/records',
	/** Documented: `GET` one record. A7: `DELETE` moves it to the trash. */
	record: (id: string | number) => `/v1/records/${id}`,
	/** Documented: `PUT` updates a datum (whole object, id in the body). A6: `POST` adds one, `DELETE /v1/datums/{id}` removes one. */
	datums: '/v1/datums',
	datum: (id: string | number) => `/v1/datums/${id}`,
	/** A3: `GET` lists the datasets the key's role can see, each with its states and properties. */
	datasets: '/v1/datasets',
	/** A3: `GET` one dataset with its states and properties. */
	dataset: (id: string | number) => `/v1/datasets/${id}`,
	/** A8: `POST { record: { id }, state: { id } }` moves a record and answers the moved record ("Moves" is a documented resource group). */
	moves: '/v1/moves',
	/** A30: `GET` lists the workspace's users, each with `id` and `email` ("Users" is a documented resource group). */
	users: '/v1/users',
} as const;

/**
 * A5: the list query. `page` is 1-based; `pageSize` is at most {@link MAX_PAGE_SIZE}.
 * A property filter is `property[<propertyId>]=<value>` (exact match on a datum's value).
 */
export const LIST_QUERY = {
	dataset: 'dataset',
	state: 'state',
	archived: 'archived',
	removed: 'removed',
	page: 'page',
	pageSize: 'pageSize',
	sort: 'sort',
	order: 'order',
	include: 'include',
	propertyFilter: (propertyId: string | number) => `property[${propertyId}]`,
} as const;

/** A5: the largest page Tracy serves. */
export const MAX_PAGE_SIZE = 100;

/** A5: what `include` accepts to return a record's datums with it. */
export const INCLUDE_DATUMS = 'datums';

export interface TracyRef {
	id: number;
	name?: string;
	[key: string]: unknown;
}

/** Documented shape of a Datum, with the A2 value field. */
export interface TracyDatum {
	id?: number;
	record?: TracyRef;
	property: TracyRef & { propertyType?: { id: string } };
	value?: unknown;
	[key: string]: unknown;
}

/** Documented shape of a Record (the reference example is cut after `datums`). */
export interface TracyRecord {
	id: number;
	dataset?: TracyRef;
	state?: TracyRef;
	archived?: string | null;
	removed?: string | null;
	datums?: TracyDatum[];
	[key: string]: unknown;
}

/** Documented shape of a PropertyType (its id is a string). */
export interface TracyPropertyType {
	id: string;
	isAutomatic?: boolean;
	isPlural?: boolean;
	[key: string]: unknown;
}

export interface TracyProperty extends TracyRef {
	isRequired?: boolean;
	/** Documented in the Property shape: the property that is the record's title. */
	isUsedAsTitle?: boolean;
	propertyType?: TracyPropertyType;
	parameters?: string | null;
	position?: number;
	options?: Array<{ id: number; text: string }>;
}

export interface TracyDatasetSchema {
	id: number;
	name: string;
	states?: Array<TracyRef & { position?: number; color?: number }>;
	properties?: TracyProperty[];
}

/**
 * A2: a datum carries its value in `value`; a multi-valued property has one datum per value; an
 * option property takes the option's text (or its ID).
 */
export function datumValue(datum: TracyDatum): unknown {
	return datum.value;
}

export interface DatumInput {
	propertyId: number;
	value: unknown;
}

/**
 * A2: the `PostRecord` body. `state` may be left out: Tracy then uses the dataset's first state,
 * so a create-only key never has to read the dataset to find it.
 */
export function buildPostRecordBody(
	datasetId: number,
	stateId: number | undefined,
	datums: DatumInput[],
) {
	const body: Record<string, unknown> = { dataset: { id: datasetId } };
	if (stateId !== undefined) body.state = { id: stateId };
	body.datums = datums.map((d) => ({ property: { id: d.propertyId }, value: d.value }));
	return body;
}

/** A6: a new datum for an existing record (`POST /v1/datums`). */
export function buildNewDatumBody(recordId: number, propertyId: number, value: unknown) {
	return { record: { id: recordId }, property: { id: propertyId }, value };
}

/** Documented: `PUT /v1/datums` takes the whole datum with its id. */
export function buildDatumUpdateBody(datum: TracyDatum, value: unknown) {
	return { ...datum, value };
}

/** A8 */
export function buildMoveBody(recordId: number, stateId: number) {
	return { record: { id: recordId }, state: { id: stateId } };
}

/** A7: archive, unarchive and restore from the trash are a `PUT /v1/records` with the id and the changed fields. */
export function buildRecordPatchBody(
	recordId: number,
	fields: { archived?: string | null; removed?: null },
) {
	return { id: recordId, ...fields };
}

/** A5: the keys a list envelope may hold its array under, and its total under. */
const LIST_ENVELOPE_KEYS = ['items', 'data', 'records', 'results', 'value'] as const;
const LIST_TOTAL_KEYS = ['total', 'totalCount', 'count'] as const;

/**
 * A5: a list answer is either a bare array or an envelope holding the array under one of
 * {@link LIST_ENVELOPE_KEYS}, with an optional total. Anything else is not understood: undefined.
 */
export function parseListResponse(body: unknown): { items: unknown[]; total?: number } | undefined {
	if (Array.isArray(body)) return { items: body };
	if (body && typeof body === 'object') {
		const envelope = body as Record<string, unknown>;
		for (const key of LIST_ENVELOPE_KEYS) {
			if (Array.isArray(envelope[key])) {
				const total = LIST_TOTAL_KEYS.map((k) => envelope[k]).find(
					(t) => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0,
				) as number | undefined;
				return { items: envelope[key] as unknown[], total };
			}
		}
	}
	return undefined;
}

/**
 * A13: what a 2xx answer holds, per kind of request. Tracy documents that answers are JSON and
 * that `POST /v1/records` and `GET /v1/records/{id}` answer a Record (with an integer `id`);
 * what the other endpoints answer is assumed (A3, A5, A6, A7, A8). An answer that does not match
 * fails the item naming the assumption; nothing is reported as done on an answer not understood.
 */
export const ANSWERS = {
	/** Documented for create and get; A7 (archive, unarchive, restore, delete) and A8 (move) assume the same. */
	record: { what: 'a record: a JSON object with a numeric "id"', assumption: 'A13' },
	/** A5 */
	recordList: {
		what: `a list of records: a JSON array, or an object with the array under "${LIST_ENVELOPE_KEYS.join('", "')}", each record with a numeric "id"`,
		assumption: 'A5',
	},
	/** A3 */
	dataset: {
		what: 'a dataset: a JSON object with a numeric "id" and the arrays "states" and "properties"',
		assumption: 'A3',
	},
	/** A3 + A5 */
	datasetList: { what: 'a list of datasets, each with a numeric "id"', assumption: 'A3' },
	/** A30 */
	userList: { what: 'a list of users, each with a numeric "id"', assumption: 'A30' },
	/** Documented `PUT /v1/datums`, A6 `POST /v1/datums`: the datum written. */
	datum: { what: 'a datum: a JSON object with a numeric "id"', assumption: 'A6' },
	/** A6: `DELETE /v1/datums/{id}`; any 2xx answer means done. */
	anything: { what: 'any 2xx answer', assumption: 'A6' },
} as const;

export type AnswerKind = keyof typeof ANSWERS;

const hasNumericId = (v: unknown) =>
	Boolean(v) &&
	typeof v === 'object' &&
	!Array.isArray(v) &&
	Number.isSafeInteger((v as { id?: unknown }).id);

/** A13: checks a 2xx body against what the request's kind promises; returns what is wrong, or undefined. */
export function answerMismatch(kind: AnswerKind, body: unknown): string | undefined {
	if (kind === 'anything') return undefined;
	if (body === undefined || body === null || body === '') return 'the answer was empty';
	if (typeof body === 'string') return 'the answer is text, not JSON (or JSON cut short)';
	if (kind === 'recordList' || kind === 'datasetList' || kind === 'userList') {
		const list = parseListResponse(body);
		if (!list)
			return Array.isArray(body)
				? undefined
				: 'the answer is not an array and has no known list key';
		const bad = list.items.findIndex((item) => !hasNumericId(item));
		return bad === -1 ? undefined : `element ${bad + 1} of the list has no numeric "id"`;
	}
	if (Array.isArray(body)) return 'the answer is an array, not one object';
	if (typeof body !== 'object') return `the answer is a ${typeof body}, not an object`;
	if (!hasNumericId(body)) return 'the answer has no numeric "id"';
	if (kind === 'dataset') {
		const d = body as Record<string, unknown>;
		if (!Array.isArray(d.states) || !Array.isArray(d.properties))
			return 'the dataset has no "states" or "properties" array';
	}
	return undefined;
}

/**
 * A14: paging. A page past the last one is short or empty; a page holding no record that an
 * earlier page did not already hold means Tracy ignores `page`; the total, when given, counts
 * the records of the whole list. The walk stops at the total, at a short page or at a page with
 * nothing new, and never asks for more than the total implies plus {@link PAGE_MARGIN} pages, or
 * {@link MAX_PAGES_WITHOUT_TOTAL} pages when there is no total.
 */
export const PAGE_MARGIN = 2;
export const MAX_PAGES_WITHOUT_TOTAL = 1000;

/**
 * A15: the longest text Tracy keeps in one value. Longer values are cut (Lead → Create, by
 * default, listing what was cut) or refused before anything is sent.
 */
export const MAX_TEXT_LENGTH = 10_000;

/*
 * A16: what reads rely on beyond the documented shapes. A record answer embeds `state.name` and
 * each datum's `property.name` (Simplify keys; IDs are used where they are missing); a property
 * whose `propertyType.isPlural` is true simplifies to an array; `property.isUsedAsTitle` marks the
 * record's title (the record list's labels); a dataset's first state is the one with the lowest
 * `position`; `GET /v1/records` without `dataset` lists the records of every dataset the key may
 * view (the record search of operations without a Dataset field).
 *
 * A17: what statuses mean: 400 and 422 carry field errors, 409 a conflict (the record changed, or
 * its state forbids the action), 3xx is never followed. A `property[<id>]` filter (A5) compares
 * as Tracy does; match values are trimmed before, and compared letter case aside (Skip if
 * Exists, Create or Update, the match lock).
 */

export interface TracyErrorDetails {
	message?: string;
	detail?: string;
	/** Field-level reasons, keyed by the field path Tracy names. */
	fields: Array<{ field: string; reasons: string[] }>;
	/** A permission the answer names, when it names one (create, move, archive, delete, view, edit). */
	permission?: string;
}

/**
 * A9: Tracy's error body is not documented. Accepted shapes: `{ message }`, RFC 7807 problem
 * details (`title`, `detail`, `errors` as a map or an array), and plain text.
 */
export function parseErrorBody(body: unknown): TracyErrorDetails {
	const out: TracyErrorDetails = { fields: [] };
	if (typeof body === 'string') {
		const text = body.trim();
		if (text.startsWith('{')) {
			try {
				return parseErrorBody(JSON.parse(text));
			} catch {
				// not JSON after all: keep it as text
			}
		}
		if (text && !text.startsWith('<')) out.message = text.slice(0, 500);
		return out;
	}
	if (!body || typeof body !== 'object') return out;
	const b = body as Record<string, unknown>;
	const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
	out.message = str(b.message) ?? str(b.title) ?? str(b.error);
	out.detail = str(b.detail) ?? str(b.description);
	out.permission = str(b.permission);
	const errors = b.errors;
	if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
		for (const [field, reasons] of Object.entries(errors as Record<string, unknown>)) {
			const list = (Array.isArray(reasons) ? reasons : [reasons]).map(String);
			out.fields.push({ field, reasons: list });
		}
	} else if (Array.isArray(errors)) {
		for (const e of errors) {
			if (e && typeof e === 'object') {
				const entry = e as Record<string, unknown>;
				const field = str(entry.field) ?? str(entry.property) ?? str(entry.pointer) ?? '';
				const reason = str(entry.message) ?? str(entry.detail) ?? str(entry.reason) ?? '';
				out.fields.push({ field, reasons: [reason] });
			} else if (typeof e === 'string') {
				out.fields.push({ field: '', reasons: [e] });
			}
		}
	}
	return out;
}

/**
 * A10: `Retry-After` on a 429 is in seconds or an HTTP date. An empty, negative or unreadable
 * one counts as absent (the node then backs off on its own).
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (!text) return undefined;
	if (/^[+-]?\d+(\.\d+)?$/.test(text)) {
		const seconds = Number(text);
		return seconds < 0 ? undefined : seconds * 1000;
	}
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A11: the credential test reads the dataset list. A key whose role may view nothing at all
 * (the create-only web-form key) is answered 403 there, not an empty list.
 */
export const CREDENTIAL_TEST_PATH = `${PATHS.datasets}?${LIST_QUERY.pageSize}=1`;

/*
 * A12: a record none of whose properties the key's role may view answers 403 on
 * `GET /v1/records/{id}`, and 404 only when it does not exist. The node maps both
 * (transport/errors.ts); nothing here depends on which one Tracy sends.
 */

/*
 * The triggers (nodes/Tracy/TracyTrigger.node.ts, nodes/Tracy/TracyAutomationTrigger.node.ts) rely on A20..A23.
 */

/**
 * A20: record IDs grow with creation (a record created later has a higher ID), so the list
 * sorted by ID, descending, starts with the newest record. The New Record trigger keeps only the
 * highest ID it has seen and reads the newest records until it reaches that ID again.
 */
export const NEWEST_FIRST = { [LIST_QUERY.sort]: 'id', [LIST_QUERY.order]: 'desc' } as const;

/**
 * A21: `state=<id>` lists exactly the records that are in that state now (any record whose
 * properties the key may view), and a listing sorted by ID, ascending, pages without skipping
 * or repeating records. Record Entered State compares the IDs in the state with the last poll's.
 * Records in the trash are not listed (without `removed=true`), archived ones are; `GET` of a
 * trashed record still answers it, in its state, so a record that left the list can be told
 * apart: moved away, or only in the trash (then a restore is not an entry).
 */
export const OLDEST_FIRST = { [LIST_QUERY.sort]: 'id', [LIST_QUERY.order]: 'asc' } as const;

/**
 * A22: the payload of an Automation's "HTTP request" action is undocumented. It is taken as a
 * POST whose body (JSON or form) names the record at one of these paths, first match wins; the
 * Tracy Automation Trigger's "Record ID Field" option overrides them.
 */
export const AUTOMATION_RECORD_ID_PATHS = [
	'recordId',
	'record_id',
	'record.id',
	'data.recordId',
	'data.record.id',
	'data.id',
	'id',
] as const;

/**
 * A23: the URL of an Automation's "HTTP request" action is called as entered, query string
 * included (that is where the trigger's secret goes); whether the action can send custom headers
 * is unknown, so a header is accepted too but not required.
 */
export const AUTOMATION_SECRET_QUERY = 'secret';
export const AUTOMATION_SECRET_HEADER = 'x-tracy-secret';

/*
 * Property types (A24..A28). Tracy documents `propertyType` with a string `id`, `isAutomatic` and
 * `isPlural`, and dates as ISO 8601 in UTC; not the list of type ids nor how each takes its value.
 * Where one of these is wrong, "Convert Values by Type" (off) sends values as given, and
 * "Additional Body (JSON)" can replace the datums on a create.
 */

/**
 * A24: a date-time property takes and answers `YYYY-MM-DDTHH:mm:ss.sssZ` (Tracy's documented
 * convention); a date property takes the same form at midnight UTC, for the calendar date meant:
 * the date as written in a text with an offset (`2026-12-03T23:30:00-05:00` is 3 December), and
 * the date in the workflow's time zone for a moment without one (an epoch number, a JavaScript Date).
 */
export function tracyDateTime(epochMs: number): string {
	return new Date(epochMs).toISOString();
}
export function tracyDate(isoDate: string): string {
	return `${isoDate}T00:00:00.000Z`;
}

/** A25: the property type ids, and what kind of value each takes. An id not listed is taken as text. */
export const PROPERTY_TYPE_KINDS = {
	text: 'text',
	longText: 'text',
	email: 'text',
	phone: 'text',
	url: 'text',
	number: 'number',
	option: 'option',
	options: 'option',
	date: 'date',
	dateTime: 'dateTime',
	boolean: 'boolean',
	relation: 'relation',
	relations: 'relation',
	user: 'user',
	users: 'user',
	file: 'file',
	files: 'file',
} as const;

/** A25: the type ids that hold text and are sent text (a type id not listed goes as given). */
export const TEXT_TYPE_IDS: ReadonlySet<string> = new Set([
	'text',
	'longText',
	'email',
	'phone',
	'url',
]);

export type ValueKind =
	| (typeof PROPERTY_TYPE_KINDS)[keyof typeof PROPERTY_TYPE_KINDS]
	| 'automatic';

/** A25 + A27: a property's kind; `propertyType.isAutomatic` wins over its id. */
export function propertyKind(property: TracyProperty): ValueKind {
	if (property.propertyType?.isAutomatic) return 'automatic';
	const id = String(property.propertyType?.id ?? 'text');
	return (PROPERTY_TYPE_KINDS as Record<string, ValueKind>)[id] ?? 'text';
}

/**
 * A26: a relation's value is the linked record's numeric ID and a user's value the user's numeric
 * ID; a relation names the dataset it links to in `parameters`, as JSON `{ "dataset": <id> }`
 * (only shown, never needed to send).
 */
export function relationDataset(property: TracyProperty): number | undefined {
	try {
		const parsed = JSON.parse(String(property.parameters ?? '')) as { dataset?: unknown };
		return typeof parsed.dataset === 'number' ? parsed.dataset : undefined;
	} catch {
		return undefined;
	}
}

/*
 * A27: automatic properties (`isAutomatic`: created at, record number) are filled in by Tracy and
 * refused on write; the column mapper leaves them out.
 *
 * A28: a boolean property takes JSON `true`/`false`; a file property takes no value through
 * `datums` (files go through the Files resource, which this package does not model), so the node
 * refuses file values before sending.
 *
 * A29: Create or Update finds its matches with one list request filtered on each matching
 * property (`property[<id>]=<value>`, A5) with the values as they are sent (ISO dates, option
 * text, numbers as digits), reading up to {@link UPSERT_MATCH_LIMIT} records; Tracy compares them
 * as it compares filters (A17: letter case aside).
 */
export const UPSERT_MATCH_LIMIT = 100;

/**
 * A32: links by name. A relation's linked record may be named by its title: the value of the linked
 * dataset's title property (`isUsedAsTitle`, documented in the Property shape), found with that
 * property's list filter (A5), compared as filters compare (A17: trimmed, letter case aside). The
 * relation's value sent is still the record's ID (A26). A missing record is created with its title
 * alone (`PostRecord` with one datum, A2), in the dataset's first state.
 */
export function titleProperty(schema: TracyDatasetSchema): TracyProperty | undefined {
	return (schema.properties ?? []).find((p) => p.isUsedAsTitle === true);
}

/*
 * A33: a dataset's answer lists the properties the key's role may view, and does not say which of
 * them it may edit; Dataset → Get says "unknown" there ("no" for automatic and file properties),
 * and a refused write names the property.
 */

/*
 * A31: twins. A record is listed by the look-up of its match values as soon as its create is
 * answered (Tracy's list reads its own writes), IDs grow with creation (A20), and
 * `DELETE /v1/records/{id}` moves a record to the trash (A7). After Create or Update or Skip if
 * Exists created a record, the same look-up is made once more; when it lists an older record
 * with the same match values (created by another n8n process at the same moment), the oldest
 * is kept and receives the item's values, and the newer one goes to the trash. Where Tracy's
 * list lags behind its writes, a twin can remain: Record → Get Many with the match filter shows it.
 */

/**
 * A30: `GET /v1/users` lists the workspace's users (the documented User shape: `id`, `email`, ...),
 * in the list envelope of A5. A user property's value given as an email is looked up there, once
 * per execution; a key that may not list users gives the user's ID instead.
 */
export interface TracyUser {
	id: number;
	email?: string;
	name?: string;
}
