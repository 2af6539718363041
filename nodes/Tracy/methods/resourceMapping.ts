import type {
	FieldType,
	ILoadOptionsFunctions,
	NodeApiError,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { RECORD_ID_COLUMN } from '../mapper/columns';
import type { TypedProperty } from '../data/types';
import { typedProperty } from '../data/types';
import { parseId } from '../data/validation';
import type { TracyDatasetSchema } from '../contract/assumptions';
import { PATHS } from '../contract/assumptions';
import { asNodeError, tracyRequest } from '../transport/request';

/** What the mapper shows when the key may not read the dataset: said for the person at the keyboard. */
export const CREATE_ONLY_NOTICE =
	'This Tracy API key may not read this dataset (a create-only key, as for a web form), so Tracy does not show it the columns. Set "Values to Send" to "Property Values (By ID)" and type each property\'s ID, or pick a credential whose key may read the dataset.';

/** How a column that Tracy needs before a record moves on is marked in the mapper. */
export const NEEDED_TO_MOVE_ON = ' (needed to move on)';

/** The n8n field type a property shows as (the types table in the README). */
export function fieldType(p: TypedProperty): FieldType {
	if (p.plural) return 'array';
	switch (p.kind) {
		case 'number':
			return 'number';
		case 'relation':
		case 'user':
			// an ID, or a name: the linked record's title, the user's name or email (A32, A30)
			return 'string';
		case 'boolean':
			// a Yes/No dropdown, empty until chosen: n8n fills an untouched switch with false, which an
			// update would write over a true, and shows an empty switch as on
			return 'options';
		case 'date':
		case 'dateTime':
			return 'dateTime';
		case 'option':
			return p.options.length ? 'options' : 'string';
		default:
			return 'string';
	}
}

/** The columns of the chosen dataset, one per property that can be written (A25..A28). */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const datasetId = parseId(this, this.getNodeParameter('dataset', '') as unknown, 'Dataset', {
		optional: true,
	});
	if (datasetId === undefined) return { fields: [], emptyFieldsNotice: 'Pick a dataset first.' };
	const schema = await mapperDataset(this, datasetId);
	if (schema === undefined) return { fields: [], emptyFieldsNotice: CREATE_ONLY_NOTICE };
	const resource = this.getNodeParameter('resource', 'record') as string;
	const operation = this.getNodeParameter('operation', 'create') as string;
	const properties = (schema.properties ?? []).map(typedProperty);
	const emailId = resource === 'lead' ? emailPropertyId(properties) : undefined;
	const fields: ResourceMapperField[] = [];
	if (operation === 'update' || operation === 'upsert') fields.push(recordIdField(operation));
	for (const p of properties) {
		// Tracy fills automatic ones; files cannot be set (A27, A28)
		if (p.kind === 'automatic' || p.kind === 'file') continue;
		fields.push(propertyField(p, p.id === emailId));
	}
	return {
		fields,
		emptyFieldsNotice: `Dataset "${schema.name}" has no property this key may write.`,
	};
}

/** The dataset's schema; nothing when the key may not read it (403), so that the mapper says why. */
async function mapperDataset(
	ctx: ILoadOptionsFunctions,
	datasetId: number,
): Promise<TracyDatasetSchema | undefined> {
	try {
		return await tracyRequest<TracyDatasetSchema>(
			ctx,
			{ method: 'GET', url: PATHS.dataset(datasetId) },
			'dataset',
		);
	} catch (error) {
		const status = String((error as NodeApiError).httpCode ?? '');
		if (status === '403') return undefined;
		throw asNodeError(ctx, error);
	}
}

/** Lead → Create or Update matches on the email by default: the email-typed property, else the one named Email. */
function emailPropertyId(properties: TypedProperty[]): number | undefined {
	return (
		properties.find((p) => p.typeId === 'email') ??
		properties.find((p) => /^e-?mail$/i.test(p.name))
	)?.id;
}

/** The Record ID column of Update and Create or Update, matched on by default for Update. */
function recordIdField(operation: string): ResourceMapperField {
	return {
		id: RECORD_ID_COLUMN,
		displayName: 'Record ID',
		type: 'number',
		required: false,
		defaultMatch: operation === 'update',
		canBeUsedToMatch: true,
		display: true,
		// never written: only a way to find the record
		removed: operation === 'upsert',
	};
}

/** One property's column, typed as the README's table says; a Yes/No or option property as a dropdown. */
function propertyField(p: TypedProperty, defaultMatch: boolean): ResourceMapperField {
	const type = fieldType(p);
	return {
		id: String(p.id),
		// Tracy needs a required property only to move a record on: a create without it runs
		// (a web-form lead with no phone), so the column is marked in its name, not required by n8n
		displayName: p.required ? `${p.name}${NEEDED_TO_MOVE_ON}` : p.name,
		type,
		required: false,
		defaultMatch,
		canBeUsedToMatch: !p.plural,
		display: true,
		...(type === 'options'
			? {
					options:
						p.kind === 'boolean'
							? [
									{ name: 'Yes', value: true },
									{ name: 'No', value: false },
								]
							: p.options.map((o) => ({ name: o.text, value: o.text })),
				}
			: {}),
	};
}
