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

import { propertyValueRows, shownFor } from '../../shared/fields';
import { wantsSimplify } from '../../shared/hooks';
import { itemRouting } from '../../shared/routing';
import { recordJson } from '../../shared/simplify';
import { failItem as fail, getIdParameter } from '../../shared/validation';
import { additionalBody, datumLabels, valuesFromRows } from '../../shared/values';
import type { TracyRecord } from '../../transport/assumptions';
import {
	buildPostRecordBody,
	INCLUDE_DATUMS,
	LIST_QUERY,
	MAX_TEXT_LENGTH,
	PATHS,
} from '../../transport/assumptions';
import { itemState, runState } from '../../transport/itemState';
import { readList, setFieldLabels } from '../../transport/request';
import { sendRouted } from '../../transport/runner';
import { draftLead, submissionOptions } from './mapping';

export const otherPropertiesField: INodeProperties = propertyValueRows({
	displayName: 'Other Properties',
	name: 'otherProperties',
	placeholder: 'Add Property',
	description:
		'Any other property of the lead, by list or ID. An array gives one value per element.',
	displayOptions: shownFor({ lead: ['create'] }),
});

/** Options only Lead → Create has, under the creates' Options (shared/fields). */
export const leadOptions: INodeProperties[] = [
	{
		displayName: 'Over-Long Text',
		name: 'overLongText',
		type: 'options',
		options: [
			{
				name: 'Truncate and List in Output',
				value: 'truncate',
				description: 'Create the lead with the text cut, and list the cut fields under "truncated"',
			},
			{ name: 'Fail the Item', value: 'fail', description: 'Send nothing for the item' },
		],
		default: 'truncate',
		description: `What to do with a value longer than Tracy is assumed to keep (${MAX_TEXT_LENGTH} characters, A15)`,
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
	/** From a submission: which input field went where, and what was left out. */
	submission?: IDataObject;
	/** A filled honeypot: the item's output, and no request. */
	skip?: IDataObject;
	emailPropertyId?: number;
	email?: string;
	datasetId: number;
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
	const draft = draftLead(this, options, truncated);
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
	if (others.length)
		sent.otherProperties = Object.fromEntries(
			others.map((v) => [String(v.propertyId), v.value]),
		) as IDataObject;
	if (!values.length) {
		fail(
			this,
			'The lead has no value to send',
			'Give at least one lead field a value and a Tracy property under Lead Properties, or add Other Properties.',
		);
	}
	if (options.skipIfExists && emailPropertyId === undefined) {
		fail(
			this,
			'Skip if Exists (by Email) needs an email',
			'Give the lead an email and map it to a Tracy property under Lead Properties.',
		);
	}
	state.plan = {
		sent,
		truncated: truncated ?? [],
		emailPropertyId,
		email,
		datasetId,
		submission: draft.report,
	} satisfies LeadPlan;
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
	if (!this.getNodeParameter('options.skipIfExists', false))
		return await sendRouted(this, requestData);
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
			throw new NodeOperationError(
				this.getNode(),
				`The lead ${plan.email} was to be created by item ${first.item + 1}, which failed`,
				{
					description: `This item was not sent, so as not to create the lead twice. Item ${first.item + 1}: ${(error as Error).message}`,
					itemIndex: index,
				},
			);
		}
		const record = { ...lead.json };
		for (const own of ['created', 'sent', 'truncated', 'existing']) delete record[own];
		return [
			{
				json: {
					...record,
					created: false,
					existing: true,
					duplicateOf: lead.item + 1,
					sent: plan.sent,
				},
				pairedItem: { item: index },
			},
		];
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
			return {
				item: index,
				json: {
					...recordJson(items[0], wantsSimplify(this)),
					created: false,
					existing: true,
					sent: plan.sent,
				},
			};
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
