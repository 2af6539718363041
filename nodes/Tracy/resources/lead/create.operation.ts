import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { propertyLocator } from '../../shared/descriptions';
import { propertyValueRows, shownFor } from '../../shared/fields';
import { wantsSimplify } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { recordJson } from '../../shared/simplify';
import { failItem as fail, getIdParameter, parseId } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { additionalBody, datumLabels, toDatums, valuesFromRows } from '../../shared/values';
import type { TracyRecord } from '../../transport/assumptions';
import { buildPostRecordBody, INCLUDE_DATUMS, LIST_QUERY, MAX_TEXT_LENGTH, PATHS } from '../../transport/assumptions';
import { itemState, runState } from '../../transport/itemState';
import { readList, setFieldLabels } from '../../transport/request';
import { sendRouted } from '../../transport/runner';
import { EMAIL_PATTERN, LEAD_FIELDS, type LeadFieldKey } from './fields';
import type { LeadDraft } from './mapping';
import { draftLead, submissionOptions } from './mapping';

// version 1's two lists (values, then properties) stay for workflows saved with them
const V1 = { '@version': [{ _cnd: { lt: 2 } }] };

export const leadFieldsField: INodeProperties = {
	displayName: 'Lead Fields',
	name: 'leadFields',
	type: 'collection',
	placeholder: 'Add Lead Field',
	displayOptions: shownFor({ lead: ['create'] }, { show: V1 }),
	default: {},
	description:
		'The values of the lead, usually mapped from the form submission. Empty fields are not sent. Each field needs a Tracy property under Property Mapping.',
	options: LEAD_FIELDS.map(({ key, label }) => ({
		displayName: label,
		name: key,
		type: 'string' as const,
		default: '',
		...(key === 'email' ? { placeholder: 'e.g. name@email.com' } : {}),
		...(key === 'message' ? { typeOptions: { rows: 3 } } : {}),
	})),
};

export const propertyMappingField: INodeProperties = {
	displayName: 'Property Mapping',
	name: 'propertyMapping',
	type: 'collection',
	placeholder: 'Map a Lead Field',
	displayOptions: shownFor({ lead: ['create'] }, { show: V1 }),
	default: {},
	description:
		'The Tracy property each lead field goes to. "From List" needs a key that may read the dataset and shows each property\'s ID; with a create-only key, pick "By ID" and type those IDs. Fields without a property are not sent.',
	options: LEAD_FIELDS.map(({ key, label }) =>
		propertyLocator({ displayName: `${label} Property`, name: key, description: `The property that receives ${label}` }),
	),
};

export const otherPropertiesField: INodeProperties = propertyValueRows({
	displayName: 'Other Properties',
	name: 'otherProperties',
	placeholder: 'Add Property',
	description: 'Any other property of the lead, by list or ID. An array gives one value per element.',
	displayOptions: shownFor({ lead: ['create'] }),
});

/** Options only Lead → Create has, under the creates' Options (shared/fields). */
export const leadOptions: INodeProperties[] = [
	{
		displayName: 'Over-Long Text',
		name: 'overLongText',
		type: 'options',
		options: [
			{ name: 'Truncate and List in Output', value: 'truncate', description: 'Create the lead with the text cut, and list the cut fields under "truncated"' },
			{ name: 'Fail the Item', value: 'fail', description: 'Send nothing for the item' },
		],
		default: 'truncate',
		description: `What to do with a value longer than Tracy is assumed to keep (${MAX_TEXT_LENGTH} characters, A15)`,
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'multiOptions',
		options: LEAD_FIELDS.map(({ key, label }) => ({ name: label, value: key })),
		default: [],
		// version 2 has Required Fields beside Lead Properties, Email by default
		displayOptions: { show: V1 },
		description: 'Lead fields that must not be empty. An item without them fails before anything is sent.',
	},
	{
		displayName: 'Skip if Exists (by Email)',
		name: 'skipIfExists',
		type: 'boolean',
		default: false,
		description:
			"Whether to look for a lead with the same email first and return it instead of creating a new one. Needs a key whose role may view the email property; a create-only key can't use it.",
	},
	...submissionOptions,
];

interface LeadPlan {
	sent: IDataObject;
	truncated: string[];
	/** Version 2, from a submission: which input field went where, and what was left out. */
	submission?: IDataObject;
	/** A filled honeypot: the item's output, and no request. */
	skip?: IDataObject;
	emailPropertyId?: number;
	email?: string;
	datasetId: number;
}

function fieldValue(ctx: IExecuteSingleFunctions, key: LeadFieldKey, label: string, raw: unknown): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'object') {
		fail(ctx, `Lead Fields › ${label} must be text, not ${Array.isArray(raw) ? 'an array' : 'an object'}`,
			'Map a single field of the form submission, for example {{ $json.body.email }}.');
	}
	const text = String(raw).trim();
	if (!text) return undefined;
	if (key === 'email' && !EMAIL_PATTERN.test(text)) {
		fail(ctx, `Lead Fields › Email "${text.slice(0, 100)}" is not an email address`, 'Check the form field mapped to Email.');
	}
	return text;
}

/** Version 1: a value per lead field under Lead Fields, its property under Property Mapping. */
function draftV1(ctx: IExecuteSingleFunctions, options: IDataObject, truncated: string[] | undefined): LeadDraft {
	const fields = ctx.getNodeParameter('leadFields', {}) as IDataObject;
	const mapping = ctx.getNodeParameter('propertyMapping', {}) as IDataObject;
	const required = (options.requiredFields as string[] | undefined) ?? [];

	const values: LabelledValue[] = [];
	const sent: IDataObject = {};
	const usedBy = new Map<number, string>();
	let emailPropertyId: number | undefined;
	let email: string | undefined;
	for (const { key, label } of LEAD_FIELDS) {
		const value = fieldValue(ctx, key, label, fields[key]);
		if (value === undefined) {
			if (required.includes(key)) fail(ctx, `Lead Fields › ${label} is required but empty`, 'The form did not send it, or it is mapped to a field that does not exist.');
			continue;
		}
		const propertyId = parseId(ctx, mapping[key], `Property Mapping › ${label} Property`, { optional: true });
		if (propertyId === undefined) {
			if (required.includes(key)) fail(ctx, `Lead Fields › ${label} is required but has no Tracy property`, `Set Property Mapping › ${label} Property.`);
			continue;
		}
		const other = usedBy.get(propertyId);
		if (other) fail(ctx, `Property Mapping › ${label} Property is property ${propertyId}, which ${other} already uses`, 'Map each lead field to a different property.');
		usedBy.set(propertyId, label);
		const datums = toDatums(ctx, propertyId, value, `Lead Fields › ${label} (property ${propertyId})`, truncated);
		values.push(...datums);
		sent[key] = datums[0].value as string;
		if (key === 'email') {
			emailPropertyId = propertyId;
			email = value;
		}
	}
	return { values, sent, usedBy, emailPropertyId, email };
}

/**
 * Checks the lead and builds the `PostRecord` body (A2) from the mapped fields; sends nothing
 * and reads nothing, so a create-only key is enough.
 */
export async function buildBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const datasetId = getIdParameter(this, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(this, 'state', 'State', { optional: true });
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const extra = additionalBody(this);
	// A15: by default an over-long text is cut rather than the lead lost
	const truncated: string[] | undefined = options.overLongText === 'fail' ? undefined : [];
	const v2 = this.getNode().typeVersion >= 2;
	const draft = v2 ? draftLead(this, options, truncated) : draftV1(this, options, truncated);
	const state = itemState(this);
	if (draft.skip) {
		state.plan = { sent: {}, truncated: [], datasetId, skip: draft.skip } satisfies LeadPlan;
		state.noWrite = true;
		return requestOptions;
	}
	const { values, sent, usedBy, emailPropertyId, email } = draft;
	const others = valuesFromRows(this, 'otherProperties', 'Other Properties', [], truncated);
	for (const v of others) {
		const other = usedBy.get(v.propertyId);
		if (other) fail(this, `${v.label} is already used by ${other}`, 'Map each property once.');
	}
	values.push(...others);
	if (others.length) sent.otherProperties = Object.fromEntries(others.map((v) => [String(v.propertyId), v.value])) as IDataObject;
	if (!values.length) {
		fail(
			this,
			'The lead has no value to send',
			v2
				? 'Give at least one lead field a value and a Tracy property under Lead Properties, or add Other Properties.'
				: 'Fill in at least one Lead Field and map it to a Tracy property, or add Other Properties.',
		);
	}
	if (options.skipIfExists && emailPropertyId === undefined) {
		fail(
			this,
			'Skip if Exists (by Email) needs an email',
			v2 ? 'Give the lead an email and map it to a Tracy property under Lead Properties.' : 'Fill in Lead Fields › Email and map it under Property Mapping › Email Property.',
		);
	}
	state.plan = { sent, truncated: truncated ?? [], emailPropertyId, email, datasetId, submission: draft.report } satisfies LeadPlan;
	if (email) state.name = `lead ${email}`;
	setFieldLabels(this, datumLabels(values));
	requestOptions.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return requestOptions;
}

/**
 * What the lead output adds to Tracy's answer (already checked to be a record, A13): useful even
 * when the key may not view the new record.
 */
async function outputLead(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const plan = itemState(this).plan as LeadPlan | undefined;
	const simplify = wantsSimplify(this);
	return items.map((item) => ({
		json: {
			...recordJson(item.json as unknown as TracyRecord, simplify),
			created: true,
			sent: plan?.sent ?? {},
			...(plan?.truncated.length ? { truncated: plan.truncated } : {}),
			...(plan?.submission ? { submission: plan.submission } : {}),
		},
		pairedItem: { item: this.getItemIndex() },
	}));
}

/**
 * "Skip if Exists": one lookup by email (needs read access), then the existing lead or the
 * create. Runs in place of the single request, so nothing is created when a lead is found.
 * Items of one run with the same email share the first one's lookup and create: one lead, the
 * others return it marked as duplicates of that item.
 */
async function createUnlessExists(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const state = itemState(this);
	const plan = state.plan as LeadPlan;
	// a filled honeypot: marked in the output, nothing sent
	if (plan?.skip) return [{ json: plan.skip, pairedItem: { item: this.getItemIndex() } }];
	if (!this.getNodeParameter('options.skipIfExists', false)) return await sendRouted(this, requestData);
	const index = this.getItemIndex();
	const key = `${plan.datasetId}:${plan.emailPropertyId}:${String(plan.email).toLowerCase()}`;
	const leads = runState(this).leads;
	const first = leads.get(key);
	if (first) {
		state.noWrite = true;
		let lead: { item: number; json: IDataObject };
		try {
			lead = await first;
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `The lead ${plan.email} was to be created by item ${first.item + 1}, which failed`, {
				description: `This item was not sent, so as not to create the lead twice. Item ${first.item + 1}: ${(error as Error).message}`,
				itemIndex: index,
			});
		}
		const record = { ...lead.json };
		for (const own of ['created', 'sent', 'truncated', 'existing']) delete record[own];
		return [{ json: { ...record, created: false, existing: true, duplicateOf: lead.item + 1, sent: plan.sent }, pairedItem: { item: index } }];
	}
	const mine = (async () => {
		const { items } = await readList<TracyRecord>(this, PATHS.records, {
			[LIST_QUERY.dataset]: plan.datasetId,
			[LIST_QUERY.propertyFilter(plan.emailPropertyId as number)]: plan.email,
			[LIST_QUERY.page]: 1,
			[LIST_QUERY.pageSize]: 1,
			[LIST_QUERY.include]: INCLUDE_DATUMS,
		});
		if (items[0]) {
			state.noWrite = true;
			return { item: index, json: { ...recordJson(items[0], wantsSimplify(this)), created: false, existing: true, sent: plan.sent } };
		}
		const [created] = await sendRouted(this, requestData);
		return { item: index, json: created.json };
	})();
	leads.set(key, Object.assign(mine, { item: index }));
	// awaited below; the items that share it see its failure through their own await
	mine.catch(() => undefined);
	return [{ json: (await mine).json, pairedItem: { item: index } }];
}

export const operation: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	action: 'Create a lead',
	description: 'Create a lead from form fields, with one request and no reads',
	routing: itemRouting({
		request: { method: 'POST', url: PATHS.records },
		answer: 'record',
		preSend: buildBody,
		postReceive: [outputLead],
		// only "Skip if Exists" looks anything up first
		strategy: createUnlessExists,
	}),
};
