/**
 * Values by property type: what a workflow gives (a Luxon DateTime from `{{ $now }}`, a form's
 * `2026-12-03`, a ticked checkbox, "1.5", an option's text in any case) turned into what Tracy
 * takes (A24..A28), or refused before anything is sent with a message naming the column. And back:
 * a datum's value as Simplify shows it.
 */
import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import type { TracyProperty, ValueKind } from '../contract/assumptions';
import {
	propertyKind,
	relationDataset,
	TEXT_TYPE_IDS,
	tracyDate,
	tracyDateTime,
} from '../contract/assumptions';
import { failItem } from './validation';
import { commaList, compareKey, listText } from './text';

/** A property as the mapper and the conversions see it. */
export interface TypedProperty {
	id: number;
	name: string;
	typeId: string;
	kind: ValueKind;
	plural: boolean;
	required: boolean;
	options: Array<{ id: number; text: string }>;
	relationDataset?: number;
}

export function typedProperty(property: TracyProperty): TypedProperty {
	return {
		id: Number(property.id),
		name: String(property.name ?? `Property ${property.id}`),
		typeId: String(property.propertyType?.id ?? 'text'),
		kind: propertyKind(property),
		plural: Boolean(property.propertyType?.isPlural),
		required: Boolean(property.isRequired),
		options: Array.isArray(property.options) ? property.options : [],
		relationDataset: relationDataset(property),
	};
}

export interface ConvertOptions {
	/** Plural properties: split text at commas ("Hot, Partner"). */
	splitCommas?: boolean;
	/** The workflow's time zone, for a date-time written without an offset. */
	timeZone?: string;
}

const DATE_FORMS =
	'Accepted: 2026-12-03, 2026-12-03T14:30:00Z or with an offset (+01:00), {{ $now }} (a Luxon DateTime), a JavaScript Date, epoch seconds (1764772200) or epoch milliseconds (1764772200000).';

/**
 * An epoch number is read by its size: seconds from 10^8 (March 1973) up to 10^11, milliseconds
 * from 10^11 (March 1973 again) up to 10^14. Anything else (a year, 20261207) is no moment this
 * node can tell without guessing.
 */
const EPOCH_SECONDS = { from: 1e8, to: 1e11 };
const EPOCH_MS = { from: 1e11, to: 1e14 };
export function epochMs(value: number): number | undefined {
	if (!Number.isFinite(value)) return undefined;
	const size = Math.abs(value);
	if (size >= EPOCH_SECONDS.from && size < EPOCH_SECONDS.to) return Math.round(value * 1000);
	if (size >= EPOCH_MS.from && size < EPOCH_MS.to) return Math.round(value);
	return undefined;
}

/** The calendar date of a moment in a time zone (the workflow's), as YYYY-MM-DD. */
function dateIn(ms: number, timeZone: string | undefined): string {
	if (!timeZone || timeZone === 'UTC') return new Date(ms).toISOString().slice(0, 10);
	try {
		return new Date(ms + zoneOffset(timeZone, ms)).toISOString().slice(0, 10);
	} catch {
		return new Date(ms).toISOString().slice(0, 10);
	}
}
const BOOLEAN_FORMS = 'Accepted: true/false, yes/no, on/off, 1/0, or a ticked checkbox.';

const show = (value: unknown) =>
	typeof value === 'string'
		? `"${value.slice(0, 80)}"`
		: (JSON.stringify(value) ?? String(value)).slice(0, 80);

interface LuxonLike {
	toMillis(): number;
	toISODate(): string | null;
	isValid?: boolean;
}
const isLuxon = (v: unknown): v is LuxonLike =>
	Boolean(v) &&
	typeof v === 'object' &&
	typeof (v as LuxonLike).toMillis === 'function' &&
	typeof (v as LuxonLike).toISODate === 'function';

/** The offset of a time zone from UTC at a moment, in ms (Intl has every zone n8n knows). */
function zoneOffset(timeZone: string, utcMs: number): number {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		})
			.formatToParts(new Date(utcMs))
			.map((p) => [p.type, p.value]),
	);
	const asUtc = Date.UTC(
		+parts.year,
		+parts.month - 1,
		+parts.day,
		+parts.hour,
		+parts.minute,
		+parts.second,
	);
	return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock time in a zone, as epoch ms. */
function zonedToUtc(wall: number, timeZone: string | undefined): number {
	if (!timeZone || timeZone === 'UTC') return wall;
	try {
		const first = wall - zoneOffset(timeZone, wall);
		const second = wall - zoneOffset(timeZone, first);
		return second;
	} catch {
		return wall;
	}
}

interface ParsedDate {
	/** The calendar date as written. */
	date: string;
	/** The moment, in epoch ms. */
	ms: number;
}

const ISO_TEXT =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function validDate(y: number, m: number, d: number) {
	const t = new Date(Date.UTC(y, m - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A date or date-time from what a workflow gives; undefined when it is not one of the accepted forms. */
function parseDate(value: unknown, timeZone: string | undefined): ParsedDate | undefined {
	if (isLuxon(value)) {
		if (value.isValid === false) return undefined;
		return { date: String(value.toISODate()), ms: value.toMillis() };
	}
	// a moment without a calendar of its own: its date in the workflow's time zone
	if (value instanceof Date) {
		const ms = value.getTime();
		return Number.isNaN(ms) ? undefined : { date: dateIn(ms, timeZone), ms };
	}
	if (typeof value === 'number') {
		const ms = epochMs(value);
		return ms === undefined ? undefined : { date: dateIn(ms, timeZone), ms };
	}
	if (typeof value !== 'string') return undefined;
	let text = value.trim();
	// n8n writes a DateTime inside a longer text as "[DateTime: 2026-12-03T10:00:00.000+01:00]"
	const wrapped = /^\[DateTime: (.+)\]$/.exec(text);
	if (wrapped) text = wrapped[1].trim();
	// digits alone are read as a number is: the text and number forms agree
	if (/^[+-]?\d+(\.\d+)?$/.test(text)) return parseDate(Number(text), timeZone);
	const m = ISO_TEXT.exec(text);
	if (!m) return undefined;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (!validDate(y, mo, d)) return undefined;
	const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
	if (h > 23 || mi > 59 || s > 59) return undefined;
	const ms = Number(((m[7] ?? '0') + '00').slice(0, 3));
	const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	const zone = m[8];
	let at: number;
	if (!zone) at = zonedToUtc(wall, timeZone);
	else if (zone.toUpperCase() === 'Z') at = wall;
	else {
		const sign = zone.startsWith('-') ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		at = wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
	}
	return { date: `${m[1]}-${m[2]}-${m[3]}`, ms: at };
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_TEXT = new Set(['true', 'yes', 'on', '1', 'y', 'checked']);
const FALSE_TEXT = new Set(['false', 'no', 'off', '0', 'n', 'unchecked']);

const TOO_LARGE =
	'Integers beyond 9007199254740991 (2^53 - 1) lose digits as numbers: store such an ID in a text property.';

/** A number as sent: an integer past 2^53 has already lost digits, so it is refused rather than rounded. */
function exactNumber(ctx: IExecuteSingleFunctions, value: number, label: string): number {
	if (Number.isInteger(value) && !Number.isSafeInteger(value))
		return failItem(
			ctx,
			`${label}: ${value} is beyond the integers a number holds exactly`,
			TOO_LARGE,
		);
	return value;
}

/** Text properties receive text: a number or yes/no written as its digits or words, an object refused. */
function asText(ctx: IExecuteSingleFunctions, value: unknown, label: string): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(exactNumber(ctx, value, label));
	if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	return failItem(
		ctx,
		`${label}: ${show(value)} is not text`,
		'Give text, a number or true/false; for an object, pick the field you mean (for example {{ $json.address.city }}) or write it with {{ JSON.stringify(...) }}.',
	);
}

/** The value of one element for one property, as Tracy takes it; fails the item naming `label`. */
function convertOne(
	ctx: IExecuteSingleFunctions,
	p: TypedProperty,
	value: unknown,
	label: string,
	options: ConvertOptions,
): unknown {
	switch (p.kind) {
		case 'automatic':
			return failItem(
				ctx,
				`${label} is filled in by Tracy (${p.typeId}) and cannot be set`,
				'Remove it from the values to send (A27 in the README).',
			);
		case 'file':
			return failItem(
				ctx,
				`${label} is a file property: this node cannot set files`,
				'Upload the file in Tracy, or with an HTTP Request node and the same Tracy credential (A28 in the README).',
			);
		case 'date':
		case 'dateTime':
			return dateValue(ctx, p, value, label, options);
		case 'number':
			return numberValue(ctx, value, label);
		case 'boolean':
			return booleanValue(ctx, value, label);
		case 'option':
			return optionValue(ctx, p, value, label);
		case 'relation':
		case 'user':
			return idValue(ctx, p, value, label);
		default: {
			if (value instanceof Date || isLuxon(value)) {
				const parsed = parseDate(value, options.timeZone);
				if (parsed) return tracyDateTime(parsed.ms);
			}
			return TEXT_TYPE_IDS.has(p.typeId) ? asText(ctx, value, label) : value;
		}
	}
}

/** A date or date-time property: Tracy's form of the date, or of the moment. */
function dateValue(
	ctx: IExecuteSingleFunctions,
	p: TypedProperty,
	value: unknown,
	label: string,
	options: ConvertOptions,
): string {
	const parsed = parseDate(value, options.timeZone);
	if (!parsed) {
		failItem(
			ctx,
			`${label}: ${show(value)} is not a date this node can read without guessing`,
			DATE_FORMS,
		);
	}
	return p.kind === 'date' ? tracyDate(parsed.date) : tracyDateTime(parsed.ms);
}

/** A number property: a number, or its text with a dot for decimals; digits past 2^53 refused. */
function numberValue(ctx: IExecuteSingleFunctions, value: unknown, label: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return exactNumber(ctx, value, label);
	const text = typeof value === 'string' ? value.trim() : undefined;
	if (text !== undefined && NUMBER_TEXT.test(text)) {
		// integer digits past 2^53 cannot be held exactly by a number
		const digits = /^[+-]?(\d+)$/.exec(text)?.[1].replace(/^0+/, '') ?? '';
		if (digits.length > 15 && !Number.isSafeInteger(Number(text)))
			return failItem(
				ctx,
				`${label}: ${text.slice(0, 40)} is beyond the integers a number holds exactly`,
				TOO_LARGE,
			);
		return exactNumber(ctx, Number(text), label);
	}
	if (text?.includes(',')) {
		failItem(
			ctx,
			`${label}: "${text.slice(0, 80)}" is not a number`,
			'Write decimals with a dot (1.5), without thousands separators.',
		);
	}
	return failItem(
		ctx,
		`${label}: ${show(value)} is not a number`,
		'Give a number such as 12 or 1.5.',
	);
}

/** A yes/no property: true/false, yes/no, on/off, 1/0. */
function booleanValue(ctx: IExecuteSingleFunctions, value: unknown, label: string): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text !== undefined && TRUE_TEXT.has(text)) return true;
	if (text !== undefined && FALSE_TEXT.has(text)) return false;
	return failItem(ctx, `${label}: ${show(value)} is not a yes/no value`, BOOLEAN_FORMS);
}

/** An option property: the option's text, found by its text in any letter case or by its ID. */
function optionValue(
	ctx: IExecuteSingleFunctions,
	p: TypedProperty,
	value: unknown,
	label: string,
): unknown {
	if (typeof value !== 'string' && typeof value !== 'number') {
		return failItem(
			ctx,
			`${label}: ${show(value)} is not an option`,
			'Give the option as its text or its ID.',
		);
	}
	// without the property's options (a key that may not see them), the value goes as given
	if (!p.options.length) return value;
	const text = String(value).trim();
	const found =
		p.options.find((o) => o.text === text) ??
		p.options.find((o) => o.text.toLowerCase() === text.toLowerCase()) ??
		p.options.find((o) => String(o.id) === text);
	if (!found) {
		const names = p.options.map((o) => o.text);
		failItem(
			ctx,
			`${label}: "${text.slice(0, 80)}" is not one of its options`,
			`Its options: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ` and ${names.length - 30} more` : ''}.`,
		);
	}
	return found.text;
}

/** A relation or user property: the linked record's or the user's ID (A26). */
function idValue(
	ctx: IExecuteSingleFunctions,
	p: TypedProperty,
	value: unknown,
	label: string,
): number {
	const raw =
		value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject).id : value;
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
		const what =
			p.kind === 'user' ? "a user's ID (a number such as 2)" : 'a record ID (a number such as 6)';
		failItem(
			ctx,
			`${label}: ${show(value)} is not ${what}`,
			p.kind === 'user'
				? "Give the user's ID, email or name (A26, A30 in the README)."
				: "Give the linked record's ID or its title, the text Tracy shows for it (A26, A32 in the README).",
		);
	}
	return Number(text);
}

/**
 * What to send for one property: `undefined` for no value (empty, null), `[]` for an empty list
 * (which clears a property on Update), else one value per datum.
 */
export function convertValue(
	ctx: IExecuteSingleFunctions,
	p: TypedProperty,
	raw: unknown,
	label: string,
	options: ConvertOptions = {},
): unknown[] | undefined {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === ''))
		return undefined;
	// the mapper's list field holds JSON text when typed by hand: ["Hot", "Partner"]
	if (typeof raw === 'string' && p.plural && /^\s*\[/.test(raw)) {
		try {
			const parsed = JSON.parse(raw) as unknown;
			if (Array.isArray(parsed)) raw = parsed;
		} catch {
			// not JSON: taken as text below
		}
	}
	let values: unknown[];
	// an empty list clears the property, whatever its type
	if (Array.isArray(raw) && !raw.length) return [];
	if (Array.isArray(raw)) {
		// a form checkbox gives the ticked boxes' labels: ticked or not is the value
		if (p.kind === 'boolean')
			return [raw.some((v) => v !== null && v !== undefined && v !== '' && v !== false)];
		values = raw.filter(
			(v) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === ''),
		);
		// ticked boxes into a single text property: kept as one text, as Lead → Create does
		if (
			p.kind === 'text' &&
			!p.plural &&
			values.length > 1 &&
			values.every((v) => typeof v !== 'object')
		)
			values = [listText(values)];
	} else if (typeof raw === 'string' && p.plural && options.splitCommas) {
		values = commaList(raw);
	} else {
		values = [raw];
	}
	if (!p.plural && values.length > 1) {
		failItem(
			ctx,
			`${label} takes one value, not a list of ${values.length}`,
			'Map a single value, or pick a property that holds several.',
		);
	}
	return values.map((v, i) => {
		if (Array.isArray(v))
			failItem(ctx, `${label}, element ${i + 1} must be a single value, not a nested list`);
		return convertOne(ctx, p, v, values.length > 1 ? `${label}, element ${i + 1}` : label, options);
	});
}

/** Date objects given without a schema (Property Values rows): ISO 8601 in UTC, the only unambiguous form. */
export function plainValue(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(plainValue);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	if (isLuxon(value) && value.isValid !== false) return tracyDateTime(value.toMillis());
	return value;
}

/** A datum's value as Simplify shows it: option text, ISO dates, relation and user IDs. */
export function readableValue(kind: ValueKind | undefined, value: unknown): unknown {
	if (value === null || value === undefined) return value;
	if (typeof value === 'object' && !Array.isArray(value)) {
		const v = value as IDataObject;
		if (kind === 'option' && typeof v.text === 'string') return v.text;
		if ((kind === 'relation' || kind === 'user') && v.id !== undefined) return v.id;
	}
	if ((kind === 'date' || kind === 'dateTime') && typeof value === 'string') {
		const ms = Date.parse(value);
		if (!Number.isNaN(ms)) return new Date(ms).toISOString();
	}
	return value;
}

/** Whether a stored value already equals what would be sent (Create or Update writes only changes). */
export function sameValue(kind: ValueKind, stored: unknown, wanted: unknown): boolean {
	const readable = readableValue(kind, stored);
	if (kind === 'date' || kind === 'dateTime')
		return Date.parse(String(readable)) === Date.parse(String(wanted));
	if (kind === 'number') return Number(readable) === Number(wanted);
	return readable === wanted || String(readable) === String(wanted);
}

/** A match value as Tracy compares it (A17): text trimmed and letter case aside; other kinds as {@link sameValue}. */
export function sameMatchValue(kind: ValueKind, stored: unknown, wanted: unknown): boolean {
	const readable = readableValue(kind, stored);
	if (typeof readable === 'string' && typeof wanted === 'string')
		return compareKey(readable) === compareKey(wanted);
	return sameValue(kind, stored, wanted);
}

/** The value forms a property accepts, one line each, in the words of docs/operations.md › Types (for agents and people). */
export function valueForms(p: TypedProperty): string {
	const many = p.plural ? ' A list gives several values.' : '';
	switch (p.kind) {
		case 'number':
			return 'A number (12, 1.5 or "1.5"); integers up to 9007199254740991.';
		case 'date':
			return `A date: 2026-12-03, an ISO 8601 date-time (its calendar date as written), epoch seconds or milliseconds.`;
		case 'dateTime':
			return 'An ISO 8601 date-time (2026-12-03T14:30:00Z, or with an offset; without one, in the workflow time zone), epoch seconds or milliseconds.';
		case 'boolean':
			return 'true/false, yes/no, on/off or 1/0; [] clears it.';
		case 'option':
			return `One of its options, by text (any letter case) or ID.${many}`;
		case 'relation':
			return `The linked record's ID, or its title (the text Tracy shows for it).${many}`;
		case 'user':
			return `A user's ID, email or name.${many}`;
		case 'file':
			return 'Files cannot be set by this node.';
		case 'automatic':
			return 'Filled in by Tracy; cannot be set.';
		default:
			return TEXT_TYPE_IDS.has(p.typeId)
				? `Text; a number or true/false is sent as text.${many}`
				: `A value of Tracy type "${p.typeId}", sent as given.${many}`;
	}
}
