import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

import type { TracyProperty, TracyRecord } from '../contract/assumptions';
import { datumValue, propertyKind } from '../contract/assumptions';
import { readableValue } from './types';

/** A record's own fields in Simplify's output; a property named like one is shown with {@link PROPERTY_SUFFIX}. */
export const SYSTEM_KEYS: ReadonlySet<string> = new Set([
	'id',
	'state',
	'dataset',
	'archived',
	'removed',
]);
export const PROPERTY_SUFFIX = ' (property)';

/** `{ id, state, <property name>: value }`; several datums of one property, or a plural property, give an array. */
export function simplifyRecord(record: TracyRecord): IDataObject {
	const out: IDataObject = {
		id: record.id,
		state: (record.state?.name as string | undefined) ?? record.state?.id ?? null,
	};
	if (record.archived) out.archived = record.archived;
	if (record.removed) out.removed = record.removed;
	const grouped = new Map<string, { plural: boolean; values: unknown[] }>();
	for (const datum of record.datums ?? []) {
		const property = datum.property ?? ({} as TracyRecord['datums'] & object);
		const name = String(property.name ?? `property ${property.id}`);
		const key = SYSTEM_KEYS.has(name) ? `${name}${PROPERTY_SUFFIX}` : name;
		const entry = grouped.get(key) ?? {
			plural: Boolean((property.propertyType as IDataObject | undefined)?.isPlural),
			values: [],
		};
		// option text, ISO dates, relation and user IDs, whatever form Tracy answered them in (A24..A26)
		entry.values.push(readableValue(propertyKind(property as TracyProperty), datumValue(datum)));
		grouped.set(key, entry);
	}
	for (const [key, entry] of grouped) {
		out[key] = (
			entry.plural || entry.values.length > 1 ? entry.values : entry.values[0]
		) as IDataObject[keyof IDataObject];
	}
	return out;
}

/** A record as an output item's json: simplified when the node's Simplify is on. */
export function recordJson(record: TracyRecord, simplify: boolean): IDataObject {
	return simplify ? simplifyRecord(record) : (record as unknown as IDataObject);
}

/** The Simplify switch of the item's operation (on by default). */
export function wantsSimplify(ctx: IExecuteSingleFunctions): boolean {
	return Boolean(ctx.getNodeParameter('simplify', true));
}
