/**
 * Reading a lead from a form submission as n8n delivers it, without one expression per field:
 * - the Webhook node's item `{ headers, params, query, body }`, its `body` parsed JSON or
 *   form-encoded (or left as a string by a raw-body setting);
 * - the n8n Form Trigger's item, fields keyed by their labels, with `submittedAt`, `formMode`
 *   and the page's query string under `formQueryParameters`;
 * - any other item, its own fields (a Set node, a Code node, a queue message).
 *
 * Pure functions: no request, no n8n context. The node turns a `SubmissionError` into an item error.
 */
import { LEAD_FIELD_LABELS, LEAD_FIELDS, type LeadFieldKey } from './webForm';
import { listText, normaliseName } from '../../data/text';

type SubmissionShape = 'webhook' | 'form' | 'item';

/** What the honeypot and consent fields are called, and which consent values count as given. */
interface SubmissionOptions {
	honeypotField?: string;
	consentField?: string;
	/** Values that count as consent; empty means the usual checkbox values (true, on, yes, 1, checked, agree…). */
	consentValues?: string[];
	/** Input fields never to read (normalised like every other name). */
	ignoreFields?: string[];
}

export interface Submission {
	from: SubmissionShape;
	/** The lead fields read, trimmed, never empty. */
	values: Partial<Record<LeadFieldKey, string>>;
	/** Input field → the lead field it went to ("body.email" → "email"); first and last name both go to "name". */
	fields: Record<string, string>;
	/** Input fields with a value that went nowhere. */
	leftOut: string[];
	/** Set when a honeypot field is configured: `filled` means a bot, so nothing is sent. */
	honeypot?: { field: string; filled: boolean };
	/** Set when a consent field is configured. `input` is where it was found. */
	consent?: { field: string; input?: string; value: unknown; given: boolean };
}

/** Bad input found while reading a submission; `description` says how to carry on. */
export class SubmissionError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'SubmissionError';
	}
}

type NameKey = LeadFieldKey | 'firstName' | 'lastName';

const SYNONYMS: Record<NameKey, string[]> = {
	name: ['name', 'fullname', 'namesurname', 'firstandlastname', 'firstlastname'],
	firstName: ['firstname', 'givenname', 'fname', 'forename', 'first'],
	lastName: ['lastname', 'surname', 'familyname', 'lname', 'last'],
	email: ['email', 'emailaddress', 'mail', 'mailaddress'],
	phone: [
		'phone',
		'tel',
		'telephone',
		'phonenumber',
		'telephonenumber',
		'phoneno',
		'mobile',
		'mobilenumber',
		'mobilephone',
		'cell',
		'cellphone',
	],
	company: [
		'company',
		'companyname',
		'organisation',
		'organization',
		'organisationname',
		'organizationname',
		'org',
		'business',
		'businessname',
		'employer',
	],
	message: [
		'message',
		'messages',
		'comments',
		'comment',
		'msg',
		'enquiry',
		'inquiry',
		'question',
		'questions',
		'details',
		'howcanwehelp',
		'howcanwehelpyou',
	],
	source: ['source', 'leadsource'],
	utmSource: ['utmsource'],
	utmMedium: ['utmmedium'],
	utmCampaign: ['utmcampaign'],
	utmTerm: ['utmterm'],
	utmContent: ['utmcontent'],
};

// "Your Email", "Work Phone", "Contact Name": the same fields with a word in front
const PREFIXES = ['your', 'work', 'contact', 'business', 'personal', 'primary'];

const BY_NAME = new Map<string, NameKey>(
	(Object.entries(SYNONYMS) as Array<[NameKey, string[]]>).flatMap(([key, names]) =>
		names.map((n) => [n, key] as [string, NameKey]),
	),
);

/** The lead field an input field's name stands for, if any. */
export function recogniseName(name: string): NameKey | undefined {
	const n = normaliseName(name);
	const exact = BY_NAME.get(n);
	if (exact) return exact;
	for (const prefix of PREFIXES) {
		if (n.startsWith(prefix) && n.length > prefix.length) {
			const rest = BY_NAME.get(n.slice(prefix.length));
			if (rest) return rest;
		}
	}
	return undefined;
}

const FORM_META = ['submittedAt', 'formMode', 'formQueryParameters', 'headers', 'user'];

function isObject(value: unknown): value is Record<string, unknown> {
	return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** Which of n8n's shapes an item has. */
export function shapeOf(item: Record<string, unknown>): SubmissionShape {
	if ('body' in item && ('headers' in item || 'query' in item || 'webhookUrl' in item))
		return 'webhook';
	if ('formMode' in item && 'submittedAt' in item) return 'form';
	return 'item';
}

/** A body the Webhook node left as text: JSON or `application/x-www-form-urlencoded`. */
export function parseBodyText(text: string): Record<string, unknown> {
	const trimmed = text.trim();
	if (!trimmed) return {};
	if (trimmed.startsWith('{')) {
		let parsed: unknown;
		let problem: string | undefined;
		try {
			parsed = JSON.parse(trimmed);
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined) {
			throw new SubmissionError(
				`The submission body is not valid JSON: ${problem}`,
				'The page should post JSON with Content-Type: application/json, or a form with application/x-www-form-urlencoded.',
			);
		}
		if (!isObject(parsed))
			throw new SubmissionError(
				'The submission body must be a JSON object',
				'Post the form fields as one object, e.g. { "email": "…" }.',
			);
		return parsed;
	}
	if (!trimmed.includes('=')) {
		throw new SubmissionError(
			'The submission body is neither JSON nor form-encoded fields',
			'Post the form as application/x-www-form-urlencoded (a plain HTML form does) or as a JSON object.',
		);
	}
	const out: Record<string, unknown> = {};
	for (const [key, value] of new URLSearchParams(trimmed)) {
		const previous = out[key];
		out[key] =
			previous === undefined
				? value
				: Array.isArray(previous)
					? [...previous, value]
					: [previous, value];
	}
	return out;
}

interface Input {
	path: string;
	name: string;
	value: unknown;
	/** Only UTM parameters are read from a query string. */
	utmOnly?: boolean;
}

function inputsOf(item: Record<string, unknown>, from: SubmissionShape): Input[] {
	const entries = (object: unknown, prefix: string, utmOnly = false): Input[] =>
		isObject(object)
			? Object.entries(object).map(([name, value]) => ({
					path: `${prefix}${name}`,
					name,
					value,
					utmOnly,
				}))
			: [];
	if (from === 'webhook') {
		const body = typeof item.body === 'string' ? parseBodyText(item.body) : item.body;
		if (body !== undefined && body !== null && !isObject(body)) {
			throw new SubmissionError(
				`The submission body is ${Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object of form fields`,
				'Post one submission per request, its fields as one object.',
			);
		}
		// the body first: it wins over the same UTM parameter in the page's query string
		return [...entries(body, 'body.'), ...entries(item.query, 'query.', true)];
	}
	if (from === 'form') {
		return [
			...Object.entries(item)
				.filter(([name]) => !FORM_META.includes(name))
				.map(([name, value]) => ({ path: name, name, value })),
			...entries(item.formQueryParameters, 'formQueryParameters.', true),
		];
	}
	return Object.entries(item).map(([name, value]) => ({ path: name, name, value }));
}

function isEmpty(value: unknown) {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

/** A lead field's text; arrays of plain values (checkboxes, repeated form keys) are joined. */
function asText(input: Input, leadLabel: string): string {
	const { value } = input;
	if (Array.isArray(value)) {
		if (value.some((v) => v !== null && typeof v === 'object')) {
			throw new SubmissionError(
				`Input field "${input.path}" (read as ${leadLabel}) is a list of objects, not text`,
				`Map ${leadLabel} to one of its values under Lead Properties › Value, or list "${input.name}" under Options › Ignore Fields.`,
			);
		}
		return listText(value);
	}
	if (value !== null && typeof value === 'object') {
		throw new SubmissionError(
			`Input field "${input.path}" (read as ${leadLabel}) is an object, not text`,
			`Map ${leadLabel} to one of its fields under Lead Properties › Value (for example {{ $json.${input.path}.value }}), or list "${input.name}" under Options › Ignore Fields.`,
		);
	}
	return String(value).trim();
}

const CONSENT_WORDS = [
	'true',
	'on',
	'yes',
	'y',
	'1',
	'checked',
	'agree',
	'agreed',
	'accept',
	'accepted',
	'iagree',
	'iaccept',
	'consent',
	'given',
];

/** Whether a consent field's value counts as given: a checkbox's usual values, or the values the user named. */
export function consentGiven(value: unknown, accepted: string[] = []): boolean {
	const wanted = accepted.map(normaliseName).filter(Boolean);
	const one = (v: unknown): boolean => {
		if (v === true) return wanted.length === 0 || wanted.includes('true');
		if (v === false || v === null || v === undefined) return false;
		if (typeof v === 'object') return false;
		const n = normaliseName(String(v));
		if (!n) return false;
		return wanted.length ? wanted.includes(n) : CONSENT_WORDS.includes(n);
	};
	if (Array.isArray(value)) {
		// a Form Trigger checkbox gives the labels of the ticked boxes: any ticked box is consent unless values are named
		return wanted.length ? value.some(one) : value.some((v) => !isEmpty(v) && v !== false);
	}
	return one(value);
}

type Parts = Partial<Record<NameKey, { text: string; path: string }>>;

/** What one pass over the inputs found: the submission so far, the lead fields' texts, and second inputs for a field already read. */
interface Sorted {
	out: Submission;
	parts: Parts;
	duplicates: Input[];
}

/**
 * Sorts each input into the honeypot, the consent, a lead field or the fields left out. The first
 * input read as a lead field wins; a later one is kept aside as a duplicate, to be reported.
 */
function sortInputs(
	from: SubmissionShape,
	inputs: Input[],
	options: SubmissionOptions,
	honeypotName: string,
	consentName: string,
): Sorted {
	const ignore = new Set((options.ignoreFields ?? []).map(normaliseName).filter(Boolean));
	const out: Submission = { from, values: {}, fields: {}, leftOut: [] };
	const parts: Parts = {};
	const duplicates: Input[] = [];

	for (const input of inputs) {
		const n = normaliseName(input.name);
		if (honeypotName && n === honeypotName && !input.utmOnly) {
			if (!out.honeypot?.filled)
				out.honeypot = { field: input.path, filled: !isEmpty(input.value) };
			out.fields[input.path] = 'honeypot';
			continue;
		}
		if (consentName && n === consentName && !input.utmOnly) {
			if (!out.consent)
				out.consent = {
					field: options.consentField as string,
					input: input.path,
					value: input.value,
					given: consentGiven(input.value, options.consentValues),
				};
			out.fields[input.path] = 'consent';
			continue;
		}
		if (isEmpty(input.value) || ignore.has(n)) continue;
		const key = recogniseName(input.name);
		if (!key || (input.utmOnly && !key.startsWith('utm'))) {
			out.leftOut.push(input.path);
			continue;
		}
		if (parts[key]) {
			duplicates.push(input);
			continue;
		}
		const label =
			key === 'firstName'
				? 'First Name'
				: key === 'lastName'
					? 'Last Name'
					: LEAD_FIELD_LABELS[key];
		const text = asText(input, label);
		if (!text) continue;
		parts[key] = { text, path: input.path };
	}
	return { out, parts, duplicates };
}

/**
 * Moves the lead fields' texts into `out.values`. A full name wins; first and last name are joined
 * only when there is none, and are otherwise reported as left out.
 */
function placeValues(out: Submission, parts: Parts): void {
	if (!parts.name && (parts.firstName || parts.lastName)) {
		parts.name = {
			text: [parts.firstName?.text, parts.lastName?.text].filter(Boolean).join(' '),
			path: '',
		};
		for (const p of [parts.firstName, parts.lastName]) if (p) out.fields[p.path] = 'name';
	} else {
		for (const p of [parts.firstName, parts.lastName]) if (p) out.leftOut.push(p.path);
	}
	for (const { key } of LEAD_FIELDS) {
		const part = parts[key];
		if (!part) continue;
		out.values[key] = part.text;
		if (part.path) out.fields[part.path] = key;
	}
}

/** Puts `out.fields` and `out.leftOut` in the order the submission had its fields, so that they read like the form. */
function inSubmissionOrder(out: Submission, inputs: Input[]): void {
	const order = new Map(inputs.map((input, i) => [input.path, i]));
	const byOrder = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
	out.fields = Object.fromEntries(
		Object.keys(out.fields)
			.sort(byOrder)
			.map((path) => [path, out.fields[path]]),
	);
	out.leftOut.sort(byOrder);
}

/** Reads the lead fields, honeypot and consent from one input item. Throws `SubmissionError` for bad input. */
export function readSubmission(
	item: Record<string, unknown>,
	options: SubmissionOptions = {},
): Submission {
	const from = shapeOf(item);
	const inputs = inputsOf(item, from);
	const honeypotName = normaliseName(options.honeypotField ?? '');
	const consentName = normaliseName(options.consentField ?? '');

	const { out, parts, duplicates } = sortInputs(from, inputs, options, honeypotName, consentName);
	// a configured honeypot or consent field the submission lacks is still reported
	if (honeypotName && !out.honeypot)
		out.honeypot = { field: options.honeypotField as string, filled: false };
	if (consentName && !out.consent)
		out.consent = { field: options.consentField as string, value: undefined, given: false };

	placeValues(out, parts);
	// a second field read as the same lead field (a query UTM beside the body's, "email" and "E-mail") is reported, not sent
	out.leftOut.push(...duplicates.map((d) => d.path));
	inSubmissionOrder(out, inputs);
	return out;
}
