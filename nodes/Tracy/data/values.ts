import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import type { DatumInput } from '../contract/assumptions';
import { MAX_TEXT_LENGTH } from '../contract/assumptions';
import { plainValue } from './types';
import { failItem as fail, parseId } from './validation';

/** A value bound for one property, with the name the user knows it by (for errors). */
export interface LabelledValue extends DatumInput {
	label: string;
}

/**
 * Checks one value and spreads an array into one datum per element (a multi-valued property).
 * `null` means "no value" and is refused where the user added the field on purpose. A text
 * longer than Tracy keeps (A15) is refused, or cut when `truncated` is given (which collects
 * the labels of what was cut).
 */
export function toDatums(
	ctx: IExecuteSingleFunctions,
	propertyId: number,
	value: unknown,
	label: string,
	truncated?: string[],
): LabelledValue[] {
	if (value === null || value === undefined) {
		fail(
			ctx,
			`${label} is empty: its value resolved to ${value === null ? 'null' : 'nothing'}`,
			'Give it a value, or remove it.',
		);
	}
	const values = Array.isArray(value) ? value : [value];
	return values.map((v, i) => {
		const where = Array.isArray(value) ? `${label}, element ${i + 1}` : label;
		if (v === null || v === undefined)
			fail(ctx, `${where} is empty (null)`, 'Remove empty elements from the array.');
		if (typeof v === 'object') {
			fail(
				ctx,
				`${where} must be text, a number or a boolean, not ${Array.isArray(v) ? 'a nested array' : 'an object'}`,
				'Map a single field of the object, for example {{ $json.contact.email }}.',
			);
		}
		if (typeof v === 'string' && v.length > MAX_TEXT_LENGTH) {
			if (!truncated) {
				fail(
					ctx,
					`${where} is too long: ${v.length} characters, at most ${MAX_TEXT_LENGTH}`,
					'Tracy is assumed to keep at most this many characters in one value (A15 in the README). Shorten it first.',
				);
			}
			truncated.push(where);
			return { propertyId, value: v.slice(0, MAX_TEXT_LENGTH), label };
		}
		if (typeof v === 'number' && !Number.isFinite(v)) fail(ctx, `${where} is not a finite number`);
		return { propertyId, value: v, label };
	});
}

interface PropertyRow {
	property?: unknown;
	value?: unknown;
}

/** The "Property Values" rows: a property locator and a value each. */
export function valuesFromRows(
	ctx: IExecuteSingleFunctions,
	parameter: string,
	section: string,
	skipRows: number[] = [],
	truncated?: string[],
): LabelledValue[] {
	const rows = ((ctx.getNodeParameter(parameter, {}) as IDataObject).values ?? []) as PropertyRow[];
	const out: LabelledValue[] = [];
	rows.forEach((row, index) => {
		if (skipRows.includes(index)) return;
		const label = `${section}, row ${index + 1}`;
		const propertyId = parseId(ctx, row.property, `${label}: Property`) as number;
		// without the dataset's types only a Date is turned into Tracy's form: it has one unambiguous reading (A24)
		out.push(
			...toDatums(
				ctx,
				propertyId,
				plainValue(row.value),
				`${label} (property ${propertyId})`,
				truncated,
			),
		);
	});
	return out;
}

/** The "Additional Body (JSON)" option: an object merged last into the body, so it can override our assumptions. */
export function additionalBody(
	ctx: IExecuteSingleFunctions,
	parameter = 'options.additionalBody',
): IDataObject {
	const raw = ctx.getNodeParameter(parameter, '') as unknown;
	if (raw === '' || raw === undefined || raw === null) return {};
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parsed = jsonParse(raw);
		} catch (error) {
			fail(
				ctx,
				'Options › Additional Body (JSON) is not valid JSON',
				`${(error as Error).message}. Example: { "state": { "id": 2 } }`,
			);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		fail(
			ctx,
			'Options › Additional Body (JSON) must be a JSON object',
			'Example: { "state": { "id": 2 } }',
		);
	}
	return parsed as IDataObject;
}

/** Labels for Tracy's `datums[i]` error paths. */
export function datumLabels(values: LabelledValue[]): Record<string, string> {
	return Object.fromEntries(values.map((v, i) => [`datums[${i}]`, v.label]));
}
