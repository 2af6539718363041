/**
 * Lead → Create: each lead field and the Tracy property that receives it are
 * chosen together in one list ("Lead Properties"), and the values come from the submission
 * itself (a Webhook body, n8n Form Trigger fields, the item) or from an expression per row.
 */
import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

import { propertyLocator } from '../../form/descriptions';
import { failItem as fail, parseId } from '../../data/validation';
import type { LabelledValue } from '../../data/values';
import { toDatums } from '../../data/values';
import { EMAIL_PATTERN, LEAD_FIELD_LABELS, LEAD_FIELDS, type LeadFieldKey } from './webForm';
import type { Submission } from './submission';
import { readSubmission, SubmissionError } from './submission';
import { commaList, listText } from '../../data/text';

type MappedField = LeadFieldKey | 'consent';

const FIELD_LABELS: Record<MappedField, string> = {
	...LEAD_FIELD_LABELS,
	consent: 'Consent',
};

export const leadInputField: INodeProperties = {
	displayName: 'Lead Values',
	name: 'leadInput',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'From the Submission',
			value: 'submission',
			description:
				"Read the input item as it comes: a Webhook node's body (JSON or form-encoded) and query string, an n8n Form Trigger's fields, or the item's own fields, matched by name",
		},
		{
			name: 'Field by Field',
			value: 'fields',
			description: 'Give each lead field its value below, usually an expression',
		},
	],
	default: 'submission',
	description: 'Where the values of the lead come from',
};

export const leadPropertiesField: INodeProperties = {
	displayName: 'Lead Properties',
	name: 'leadProperties',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Lead Field',
	default: {},
	description:
		'Each lead field and the Tracy property that receives it, once. "From List" needs a key that may read the dataset; with a create-only key, pick "By ID". Fields not listed here are not sent.',
	options: [
		{
			displayName: 'Lead Field',
			name: 'values',
			values: [
				{
					displayName: 'Field',
					name: 'field',
					type: 'options',
					options: (Object.entries(FIELD_LABELS) as Array<[MappedField, string]>).map(
						([value, name]) => ({
							name: value === 'consent' ? 'Consent (Value of the Consent Field)' : name,
							value,
						}),
					),
					default: 'email',
				},
				propertyLocator({
					required: true,
					description: 'The Tracy property that receives this field',
				}),
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description:
						'With "From the Submission", leave empty to take what the submission gives, or set it to override. With "Field by Field", the value, usually an expression on the input item. Empty values are not sent.',
					hint: 'e.g. {{ $json.body.email }} after a Webhook node',
				},
			],
		},
	],
};

export const requiredFieldsField: INodeProperties = {
	displayName: 'Required Fields',
	name: 'requiredFields',
	type: 'multiOptions',
	options: LEAD_FIELDS.map(({ key, label }) => ({ name: label, value: key })),
	default: ['email'],
	description:
		'Lead fields that must have a value. An item without them fails before anything is sent.',
};

/** Options of Lead → Create about the submission (inside the operation's Options). */
export const submissionOptions: INodeProperties[] = [
	{
		displayName: 'Consent Field',
		name: 'consentField',
		type: 'string',
		default: '',
		placeholder: 'e.g. consent',
		description:
			'An input field that must hold consent before the lead is sent (a ticked checkbox: true, on, yes…). Without it the item fails and nothing is sent. Map "Consent" under Lead Properties to store its value.',
	},
	{
		displayName: 'Consent Values',
		name: 'consentValues',
		type: 'string',
		default: '',
		placeholder: 'e.g. I agree, marketing',
		description:
			'Comma-separated values that count as consent, instead of the usual checkbox values',
	},
	{
		displayName: 'Honeypot Field',
		name: 'honeypotField',
		type: 'string',
		default: '',
		placeholder: 'e.g. website',
		description:
			'A hidden form field that people leave empty and bots fill in. A submission with it filled is skipped (no request) and marked "skipped: honeypot" in the output.',
	},
	{
		displayName: 'Ignore Fields',
		name: 'ignoreFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. message, source',
		displayOptions: { show: { '/leadInput': ['submission'] } },
		description: 'Comma-separated input fields never to read from the submission',
	},
];

interface Row {
	field?: MappedField;
	property?: unknown;
	value?: unknown;
}

/** The lead as read from the item; `skip` is set for a filled honeypot, and then nothing else is. */
export interface LeadDraft {
	values: LabelledValue[];
	sent: IDataObject;
	usedBy: Map<number, string>;
	emailPropertyId?: number;
	email?: string;
	report?: IDataObject;
	skip?: IDataObject;
}

function textOf(ctx: IExecuteSingleFunctions, where: string, raw: unknown): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (
		typeof raw === 'object' &&
		(!Array.isArray(raw) || raw.some((v) => v !== null && typeof v === 'object'))
	) {
		fail(
			ctx,
			`${where} must be text, not ${Array.isArray(raw) ? 'a list of objects' : 'an object'}`,
			'Map a single field of it, for example {{ $json.body.email }}.',
		);
	}
	// a list of plain values (ticked boxes) is kept as one text
	const text = Array.isArray(raw) ? listText(raw) : String(raw);
	return text.trim() || undefined;
}

/** A property can hold one lead field: a second claim on it fails the item, naming both. */
export function claimProperty(
	ctx: IExecuteSingleFunctions,
	draft: LeadDraft,
	propertyId: number,
	who: string,
	label: string,
) {
	const other = draft.usedBy.get(propertyId);
	if (other)
		fail(
			ctx,
			`${who} is property ${propertyId}, which ${other} already uses`,
			'Map each property once.',
		);
	draft.usedBy.set(propertyId, label);
}

/** The submission, when the lead is read from it or a honeypot or consent field is set; a refused consent fails the item. */
function readLeadSubmission(
	ctx: IExecuteSingleFunctions,
	mode: string,
	options: IDataObject,
): Submission | undefined {
	const honeypotField = String(options.honeypotField ?? '').trim();
	const consentField = String(options.consentField ?? '').trim();
	if (mode !== 'submission' && !honeypotField && !consentField) return undefined;
	let submission: Submission;
	try {
		submission = readSubmission(ctx.getInputData().json, {
			honeypotField,
			consentField,
			consentValues: commaList(options.consentValues),
			ignoreFields: mode === 'submission' ? commaList(options.ignoreFields) : [],
		});
	} catch (error) {
		const known = error instanceof SubmissionError ? error : undefined;
		fail(ctx, known?.message ?? (error as Error).message, known?.description);
	}
	if (submission.consent && !submission.consent.given && !submission.honeypot?.filled) {
		const { input, value } = submission.consent;
		fail(
			ctx,
			input
				? `Consent not given: input field "${input}" is ${JSON.stringify(value)?.slice(0, 80) ?? 'empty'}`
				: `Consent not given: the submission has no field "${consentField}"`,
			'Nothing was sent. Make the consent checkbox required on the form, or list the values that mean consent under Options › Consent Values.',
		);
	}
	return submission;
}

/** What one Lead Properties row adds to the draft: its value from the row, or else from the submission. */
interface RowContext {
	ctx: IExecuteSingleFunctions;
	draft: LeadDraft;
	submission?: Submission;
	/** The submission when the lead's values are read from it. */
	fromSubmission?: Submission;
	consentField: string;
	truncated?: string[];
	/** Lead fields whose value came from the submission. */
	taken: Set<string>;
}

function mapRow(rc: RowContext, row: Row, field: MappedField) {
	const { ctx, draft, fromSubmission } = rc;
	const label = FIELD_LABELS[field] ?? String(field);
	const where = `Lead Properties › ${label}`;
	const propertyId = parseId(ctx, row.property, `${where} › Property`) as number;
	claimProperty(ctx, draft, propertyId, where, label);

	let value = textOf(ctx, `${where} › Value`, row.value);
	if (value === undefined && field === 'consent')
		value = textOf(ctx, where, rc.submission?.consent?.value);
	else if (value === undefined && fromSubmission) {
		value = fromSubmission.values[field as LeadFieldKey];
		if (value !== undefined) rc.taken.add(field);
	}
	if (value === undefined) return;
	if (field === 'consent' && !rc.consentField) {
		fail(
			ctx,
			'Lead Properties › Consent needs Options › Consent Field',
			'Name the input field that holds consent.',
		);
	}
	if (field === 'email' && !EMAIL_PATTERN.test(value)) {
		const source = row.value
			? `${where} › Value`
			: `The submission's email (${submissionInput(fromSubmission, 'email')})`;
		fail(
			ctx,
			`${source} "${value.slice(0, 100)}" is not an email address`,
			'Check the form field that holds the email.',
		);
	}
	const datums = toDatums(
		ctx,
		propertyId,
		value,
		`${where} (property ${propertyId})`,
		rc.truncated,
	);
	draft.values.push(...datums);
	draft.sent[field] = datums[0].value as string;
	if (field === 'email') {
		draft.emailPropertyId = propertyId;
		draft.email = value;
	}
}

/** A required field that was not sent fails the item, saying why: no property, not in the submission, or empty. */
function checkRequired(
	rc: RowContext,
	required: string[],
	rowOf: (key: string) => Row | undefined,
) {
	const { ctx, draft, fromSubmission } = rc;
	for (const key of required) {
		if (draft.sent[key] !== undefined) continue;
		const label = FIELD_LABELS[key as LeadFieldKey] ?? key;
		const found =
			fromSubmission?.values[key as LeadFieldKey] ?? textOf(ctx, label, rowOf(key)?.value);
		if (found !== undefined) {
			fail(
				ctx,
				`${label} is required but has no Tracy property`,
				`Add ${label} under Lead Properties and pick its property.`,
			);
		}
		if (fromSubmission) {
			const read = [...Object.keys(fromSubmission.fields), ...fromSubmission.leftOut];
			fail(
				ctx,
				`The submission has no ${label}`,
				`${read.length ? `Its fields: ${read.slice(0, 20).join(', ')}.` : 'It has no fields.'} Name the form field "${key}", or set Lead Properties › ${label} › Value to an expression.`,
			);
		}
		fail(
			ctx,
			`Lead Properties › ${label} is required but empty`,
			'The form did not send it, or its value points to a field that does not exist.',
		);
	}
}

/** Which input field went where; what was read but not sent (no row, or a row with a value of its own) is "left out" too. */
function submissionReport(submission: Submission, taken: Set<string>): IDataObject {
	const fields: IDataObject = {};
	const leftOut = [...submission.leftOut];
	for (const [input, field] of Object.entries(submission.fields)) {
		if (field === 'honeypot') continue;
		if (field === 'consent' || taken.has(field)) fields[input] = field;
		else leftOut.push(input);
	}
	return { from: submission.from, fields, leftOut };
}

/** The lead from the item: Lead Properties' rows, filled from the submission where they give no value. */
export function draftLead(
	ctx: IExecuteSingleFunctions,
	options: IDataObject,
	truncated?: string[],
): LeadDraft {
	const mode = ctx.getNodeParameter('leadInput', 'submission') as string;
	const rows = ((ctx.getNodeParameter('leadProperties', {}) as IDataObject).values ?? []) as Row[];
	const required = ctx.getNodeParameter('requiredFields', []) as string[];
	const submission = readLeadSubmission(ctx, mode, options);
	if (submission?.honeypot?.filled) {
		// said plainly in the output, answered like any other submission: a bot learns nothing
		return {
			values: [],
			sent: {},
			usedBy: new Map(),
			skip: { created: false, skipped: 'honeypot', honeypotField: submission.honeypot.field },
		};
	}
	const rc: RowContext = {
		ctx,
		draft: { values: [], sent: {}, usedBy: new Map() },
		submission,
		fromSubmission: mode === 'submission' ? submission : undefined,
		consentField: String(options.consentField ?? '').trim(),
		truncated,
		taken: new Set(),
	};
	const fieldRow = new Map<MappedField, number>();
	rows.forEach((row, index) => {
		const field = (row.field ?? 'email') as MappedField;
		const earlier = fieldRow.get(field);
		if (earlier !== undefined) {
			const label = FIELD_LABELS[field] ?? String(field);
			fail(
				ctx,
				`Lead Properties lists ${label} twice (rows ${earlier + 1} and ${index + 1})`,
				'Keep one row per lead field.',
			);
		}
		fieldRow.set(field, index);
		mapRow(rc, row, field);
	});
	checkRequired(rc, required, (key) => rows[fieldRow.get(key as MappedField) ?? -1]);
	if (rc.fromSubmission) rc.draft.report = submissionReport(rc.fromSubmission, rc.taken);
	return rc.draft;
}

function submissionInput(submission: Submission | undefined, key: string) {
	const inputs = Object.entries(submission?.fields ?? {})
		.filter(([, field]) => field === key)
		.map(([input]) => input);
	return inputs.join(' + ') || 'not found';
}
