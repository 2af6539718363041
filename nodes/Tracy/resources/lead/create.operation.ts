import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { TracyRecord } from '../../contract/assumptions';
import {
	buildPostRecordBody,
	INCLUDE_DATUMS,
	LIST_QUERY,
	MAX_TEXT_LENGTH,
	PATHS,
	UPSERT_MATCH_LIMIT,
} from '../../contract/assumptions';
import type { TracyItem } from '../../engine/item';
import { matchKey, withMatchLock } from '../../engine/matchLocks';
import { tracyOperation } from '../../engine/operation';
import {
	propertyValueRows,
	createStateField,
	datasetField,
	optionsField,
	simplifyField,
} from '../../form/fields';
import { recordJson, wantsSimplify } from '../../data/simplify';
import { compareKey } from '../../data/text';
import { failItem, getIdParameter } from '../../data/validation';
import { additionalBody, datumLabels, valuesFromRows } from '../../data/values';
import { readList, sendRouted } from '../../transport/request';
import { additionalBodyOption } from '../../form/descriptions';
import {
	claimProperty,
	draftLead,
	leadInputField,
	leadPropertiesField,
	requiredFieldsField,
	submissionOptions,
} from './mapping';
import { mergeTwin } from '../../engine/twins';

export const otherPropertiesField: INodeProperties = propertyValueRows({
	displayName: 'Other Properties',
	name: 'otherProperties',
	placeholder: 'Add Property',
	description:
		'Any other property of the lead, by list or ID. An array gives one value per element.',
	hint: "A relation (the lead's company) takes the linked record's ID here: Lead → Create reads nothing. To link by the company's name, use Lead → Create or Update, whose key must be allowed to read the leads and the companies.",
});

/** Options only Lead → Create has, under the creates' Options (form/fields.ts). */
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
export async function buildBody(item: TracyItem, request: IHttpRequestOptions): Promise<LeadPlan> {
	const ctx = item.ctx;
	const datasetId = getIdParameter(ctx, 'dataset', 'Dataset') as number;
	const stateId = getIdParameter(ctx, 'state', 'State', { optional: true });
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const extra = additionalBody(ctx);
	// A15: by default an over-long text is cut rather than the lead lost
	const truncated: string[] | undefined = options.overLongText === 'fail' ? undefined : [];
	const draft = draftLead(ctx, options, truncated);
	if (draft.skip) {
		item.noWrite = true;
		return { sent: {}, truncated: [], datasetId, skip: draft.skip };
	}
	const { values, sent, emailPropertyId, email } = draft;
	const others = valuesFromRows(ctx, 'otherProperties', 'Other Properties', [], truncated);
	for (const v of new Map(others.map((o) => [o.propertyId, o])).values())
		claimProperty(ctx, draft, v.propertyId, v.label, v.label);
	values.push(...others);
	if (others.length)
		sent.otherProperties = Object.fromEntries(
			others.map((v) => [String(v.propertyId), v.value]),
		) as IDataObject;
	if (!values.length) {
		failItem(
			ctx,
			'The lead has no value to send',
			'Give at least one lead field a value and a Tracy property under Lead Properties, or add Other Properties.',
		);
	}
	if (options.skipIfExists && emailPropertyId === undefined) {
		failItem(
			ctx,
			'Skip if Exists (by Email) needs an email',
			'Give the lead an email and map it to a Tracy property under Lead Properties.',
		);
	}
	if (email) item.name = `lead ${email}`;
	item.fieldLabels = datumLabels(values);
	request.body = { ...buildPostRecordBody(datasetId, stateId, values), ...extra };
	return {
		sent,
		truncated: truncated ?? [],
		emailPropertyId,
		email,
		datasetId,
		submission: draft.report,
	};
}

/**
 * What the lead output adds to Tracy's answer (already checked to be a record, A13): useful even
 * when the key may not view the new record.
 */
function outputLead(item: TracyItem, plan: LeadPlan, answer: IDataObject): IDataObject {
	return {
		...recordJson(answer as unknown as TracyRecord, wantsSimplify(item.ctx)),
		created: true,
		sent: plan.sent,
		...(plan.truncated.length ? { truncated: plan.truncated } : {}),
		...(plan.submission ? { submission: plan.submission } : {}),
	};
}

/** Sends the lead: the routed create, or "Skip if Exists" first; a filled honeypot sends nothing. */
async function sendLead(
	item: TracyItem,
	plan: LeadPlan,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const pairedItem = { item: item.index };
	// a filled honeypot: marked in the output, nothing sent
	if (plan.skip) return [{ json: plan.skip, pairedItem }];
	if (!item.ctx.getNodeParameter('options.skipIfExists', false)) {
		const answer = await sendRouted<IDataObject>(item, request, 'record');
		return [{ json: outputLead(item, plan, answer), pairedItem }];
	}
	return [{ json: await createUnlessExists(item, plan, request), pairedItem }];
}

/**
 * "Skip if Exists": one lookup by email (needs read access), then the existing lead or the
 * create. Items of one run with the same email share the first one's lookup and create: one
 * lead, the others return it marked as duplicates of that item.
 */
async function createUnlessExists(
	item: TracyItem,
	plan: LeadPlan,
	request: IHttpRequestOptions,
): Promise<IDataObject> {
	const runKey = `${plan.datasetId}:${plan.emailPropertyId}:${compareKey(plan.email)}`;
	const leads = item.run.leads;
	const first = leads.get(runKey);
	if (first) return await duplicateOfFirst(item, plan, first);
	const email = String(plan.email).trim();
	// executions of this process with the same email wait for each other (Create or Update too)
	const key = matchKey(plan.datasetId, [{ column: String(plan.emailPropertyId), value: email }]);
	const mine = withMatchLock(key, async () => await findOrCreateLead(item, plan, request, email));
	leads.set(runKey, Object.assign(mine, { item: item.index }));
	// awaited below; the items that share it see its failure through their own await
	mine.catch(() => undefined);
	return (await mine).json;
}

/** A lead of the run and the item that looked it up or created it. */
type RunLead = { item: number; json: IDataObject };

/**
 * An item whose email an earlier item of the run already looked up: it sends nothing and returns
 * that item's lead marked as its duplicate, or fails when that item failed.
 */
async function duplicateOfFirst(
	item: TracyItem,
	plan: LeadPlan,
	first: Promise<RunLead> & { item: number },
): Promise<IDataObject> {
	item.noWrite = true;
	let lead: RunLead;
	try {
		lead = await first;
	} catch (error) {
		failItem(
			item.ctx,
			`The lead ${plan.email} was to be created by item ${first.item + 1}, which failed`,
			`This item was not sent, so as not to create the lead twice. Item ${first.item + 1}: ${(error as Error).message}`,
		);
	}
	const record = { ...lead.json };
	for (const own of ['created', 'sent', 'truncated', 'existing']) delete record[own];
	return {
		...record,
		created: false,
		existing: true,
		duplicateOf: lead.item + 1,
		sent: plan.sent,
	};
}

/** The leads whose email property is `email`, by that property's filter (one page of `pageSize`). */
async function leadsByEmail(
	item: TracyItem,
	plan: LeadPlan,
	email: string,
	pageSize: number,
): Promise<TracyRecord[]> {
	return (
		await readList<TracyRecord>(item, PATHS.records, {
			[LIST_QUERY.dataset]: plan.datasetId,
			[LIST_QUERY.propertyFilter(plan.emailPropertyId as number)]: email,
			[LIST_QUERY.page]: 1,
			[LIST_QUERY.pageSize]: pageSize,
			[LIST_QUERY.include]: INCLUDE_DATUMS,
		})
	).items;
}

/**
 * Under the match lock: the existing lead with this email, or the lead created. Another process
 * may have created the same lead meanwhile: the older one stays (A31).
 */
async function findOrCreateLead(
	item: TracyItem,
	plan: LeadPlan,
	request: IHttpRequestOptions,
	email: string,
): Promise<RunLead> {
	const existing = (record: TracyRecord) => ({
		...recordJson(record, wantsSimplify(item.ctx)),
		created: false,
		existing: true,
		sent: plan.sent,
	});
	const [found] = await leadsByEmail(item, plan, email, 1);
	if (found) {
		item.noWrite = true;
		return { item: item.index, json: existing(found) };
	}
	const answer = await sendRouted<TracyRecord>(item, request, 'record');
	const twins = await mergeTwin(
		item,
		answer,
		async () => await leadsByEmail(item, plan, email, UPSERT_MATCH_LIMIT),
		async (kept) => ({ record: kept, changed: [] }),
		`email ${email}`,
	);
	if (twins) {
		return {
			item: item.index,
			json: { ...existing(twins.kept), merged: true, mergedFrom: answer.id },
		};
	}
	return { item: item.index, json: outputLead(item, plan, answer as unknown as IDataObject) };
}

export const operation = tracyOperation(
	{
		name: 'Create',
		subtitle: 'Create Lead',
		value: 'create',
		action: 'Create a lead',
		description: 'Create a lead from form fields, with one request and no reads',
	},
	{
		request: { method: 'POST', url: PATHS.records },
		answer: 'record',
		prepare: buildBody,
		run: sendLead,
	},
);

/** The form, in the order shown. */
export const fields: INodeProperties[] = [
	datasetField,
	createStateField,
	leadInputField,
	leadPropertiesField,
	otherPropertiesField,
	requiredFieldsField,
	simplifyField,
	optionsField([additionalBodyOption, ...leadOptions]),
];
