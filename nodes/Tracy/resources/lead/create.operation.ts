import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { additionalBodyOption, datasetLocator, propertyLocator, stateLocator } from '../../shared/descriptions';
import { failItem as fail, getIdParameter, parseId } from '../../shared/validation';
import type { LabelledValue } from '../../shared/values';
import { additionalBody, datumLabels, toDatums, valuesFromRows } from '../../shared/values';
import type { TracyRecord } from '../../transport/assumptions';
import { buildPostRecordBody, INCLUDE_DATUMS, LIST_QUERY, parseListResponse, PATHS } from '../../transport/assumptions';
import { setFieldLabels, tracyApiRequest } from '../../transport/request';
import { propertyValuesField } from '../record/create.operation';
import { EMAIL_PATTERN, LEAD_FIELDS, type LeadFieldKey } from './fields';
import type { LeadDraft } from './mapping';
import { draftLead, leadInputField, leadPropertiesField, requiredFieldsV2, submissionOptions } from './mapping';

// version 1's two lists (values, then properties) stay for workflows saved with them
const V1 = { '@version': [{ _cnd: { lt: 2 } }] };

const properties: INodeProperties[] = [
	datasetLocator(),
	stateLocator({
		description:
			"The state new leads start in. Leave empty for the dataset's first state (nothing is read to find it).",
	}),
	leadInputField,
	leadPropertiesField,
	requiredFieldsV2,
	{
		displayName: 'Lead Fields',
		name: 'leadFields',
		type: 'collection',
		placeholder: 'Add Lead Field',
		default: {},
		displayOptions: { show: V1 },
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
	},
	{
		displayName: 'Property Mapping',
		name: 'propertyMapping',
		type: 'collection',
		placeholder: 'Map a Lead Field',
		default: {},
		displayOptions: { show: V1 },
		description:
			'The Tracy property each lead field goes to. "From List" needs a key that may read the dataset; with a create-only key, pick "By ID". Fields without a property are not sent.',
		options: LEAD_FIELDS.map(({ key, label }) =>
			propertyLocator({ displayName: `${label} Property`, name: key, description: `The property that receives ${label}` }),
		),
	},
	{
		...propertyValuesField,
		displayName: 'Other Properties',
		name: 'otherProperties',
		placeholder: 'Add Property',
		description: 'Any other property of the lead, by list or ID',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			additionalBodyOption,
			{
				displayName: 'Required Fields',
				name: 'requiredFields',
				type: 'multiOptions',
				options: LEAD_FIELDS.map(({ key, label }) => ({ name: label, value: key })),
				default: [],
				displayOptions: { show: V1 },
				description:
					'Lead fields that must not be empty. An item without them fails before anything is sent.',
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
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['create'] } },
	properties,
);

interface LeadPlan {
	sent: IDataObject;
	/** Version 2, from a submission: which input field went where, and what was left out. */
	submission?: IDataObject;
	/** A filled honeypot: the item's output, and no request. */
	skip?: IDataObject;
	emailPropertyId?: number;
	email?: string;
	datasetId: number;
}

const plans = new WeakMap<object, LeadPlan>();

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
function draftV1(ctx: IExecuteSingleFunctions, options: IDataObject): LeadDraft {
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
		values.push(...toDatums(ctx, propertyId, value, `Lead Fields › ${label} (property ${propertyId})`));
		sent[key] = value;
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
	const draft = this.getNode().typeVersion >= 2 ? draftLead(this, options) : draftV1(this, options);
	if (draft.skip) {
		plans.set(this, { sent: {}, datasetId, skip: draft.skip, submission: draft.report });
		return requestOptions;
	}
	const { values, sent, usedBy, emailPropertyId, email } = draft;
	const section = this.getNode().typeVersion >= 2 ? 'Lead Properties' : 'Lead Fields';
	const others = valuesFromRows(this, 'otherProperties', 'Other Properties');
	for (const v of others) {
		const other = usedBy.get(v.propertyId);
		if (other) fail(this, `${v.label} is already used by ${other}`, 'Map each property once.');
	}
	values.push(...others);
	if (others.length) sent.otherProperties = Object.fromEntries(others.map((v) => [String(v.propertyId), v.value])) as IDataObject;
	if (!values.length) {
		fail(this, 'The lead has no value to send', `Give at least one lead field a value and a Tracy property under ${section}, or add Other Properties.`);
	}
	if (options.skipIfExists && emailPropertyId === undefined) {
		fail(this, 'Skip if Exists (by Email) needs an email', `Give the lead an email and map it to a Tracy property under ${section}.`);
	}
	plans.set(this, { sent, emailPropertyId, email, datasetId, submission: draft.report });
	setFieldLabels(this, datumLabels(values));
	requestOptions.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return requestOptions;
}

/** What the lead output adds to Tracy's answer: useful even when the key may not view the new record. */
export async function outputLead(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const plan = plans.get(this);
	return items.map((item) => ({
		json: {
			...(item.json as IDataObject),
			created: true,
			sent: plan?.sent ?? {},
			...(plan?.submission ? { submission: plan.submission } : {}),
		},
		pairedItem: { item: this.getItemIndex() },
	}));
}

/**
 * "Skip if Exists": one lookup by email (needs read access), then the existing lead or the
 * create. Runs in place of the single request, so nothing is created when a lead is found.
 */
export async function createUnlessExists(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const plan = plans.get(Object.getPrototypeOf(this) as object) as LeadPlan;
	if (plan?.skip) {
		return [{ json: { ...plan.skip, ...(plan.submission ? { submission: plan.submission } : {}) }, pairedItem: { item: this.getItemIndex() } }];
	}
	if (!this.getNodeParameter('options.skipIfExists', false)) return await this.makeRoutingRequest(requestData);
	const body = await tracyApiRequest(this, 'GET', PATHS.records, {
		qs: {
			[LIST_QUERY.dataset]: plan.datasetId,
			[LIST_QUERY.propertyFilter(plan.emailPropertyId as number)]: plan.email,
			[LIST_QUERY.page]: 1,
			[LIST_QUERY.pageSize]: 1,
			[LIST_QUERY.include]: INCLUDE_DATUMS,
		},
	});
	const [existing] = parseListResponse(body).items as TracyRecord[];
	if (existing) {
		return [
			{
				json: { ...(existing as unknown as IDataObject), created: false, existing: true, sent: plan.sent },
				pairedItem: { item: this.getItemIndex() },
			},
		];
	}
	return await this.makeRoutingRequest(requestData);
}
