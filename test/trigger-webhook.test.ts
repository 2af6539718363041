import type { INodeParameters } from 'n8n-workflow';

import { findRecordId, secretsMatch } from '../nodes/Tracy/automation/payload';
import { TracyAutomationTrigger } from '../nodes/Tracy/TracyAutomationTrigger.node';
import { startEmulator, TracyEmulator } from './emulator/server';
import { credentialsFor } from './helpers';
import { AutomationTriggerServer, postJson } from './trigger-harness';

const SECRET = 'k3Zq9vT2mW8xR4pL7nB5cY1d';

let emulator: TracyEmulator;
let trigger: AutomationTriggerServer;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());
afterEach(async () => {
	await trigger?.stop();
});

async function startTrigger(parameters: INodeParameters = {}, key: 'sales' | 'webform' = 'sales') {
	trigger = await new AutomationTriggerServer(
		{ secret: SECRET, ...parameters },
		credentialsFor(emulator, key),
	).start();
	await trigger.activate();
	return trigger;
}

async function createLead(name: string) {
	const res = await fetch(`${emulator.url}/v1/records`, {
		method: 'POST',
		headers: { 'x-api-key': emulator.keyFor('owner'), 'content-type': 'application/json' },
		body: JSON.stringify({
			dataset: { id: 1 },
			datums: [
				{ property: { id: 1 }, value: name },
				{ property: { id: 2 }, value: 'lead@example.com' },
			],
		}),
	});
	return ((await res.json()) as { id: number }).id;
}

/** Requests the trigger made to Tracy (the automation's own calls are the emulator's, not requests to it). */
const triggerRequests = () =>
	emulator.requests.filter(
		(r) =>
			r.headers['x-api-key'] === emulator.keyFor('sales') ||
			r.headers['x-api-key'] === emulator.keyFor('webform'),
	);

describe('Tracy Automation Trigger', () => {
	test('an automation calling with the right secret starts one execution with its payload and the full record', async () => {
		await startTrigger();
		emulator.addAutomation({ dataset: 1, on: 'created', url: `${trigger.url}?secret=${SECRET}` });
		const id = await createLead('Radia Perlman');
		await emulator.automationsSettled();
		await trigger.settled();

		expect(emulator.automationCalls.map((c) => [c.status, c.response])).toEqual([
			[200, '{"received":true}'],
		]);
		expect(trigger.executions).toHaveLength(1);
		const [execution] = trigger.executions;
		expect(execution.error).toBeUndefined();
		expect(execution.items).toHaveLength(1);
		const item = execution.items[0];
		expect(item.recordId).toBe(id);
		expect(item.record).toEqual({
			id,
			state: 'New',
			Name: 'Radia Perlman',
			Email: 'lead@example.com',
		});
		expect(item.payload).toEqual(emulator.automationCalls[0].body);
		expect(triggerRequests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`GET /v1/records/${id} 200`,
		]);
		expect(JSON.stringify(execution.items)).not.toContain(SECRET);
	});

	test('a state-change automation: the record as it is now, in the state it moved to', async () => {
		await startTrigger({ options: { simplify: false } });
		emulator.addAutomation({
			dataset: 1,
			on: 'stateChanged',
			state: 2,
			url: `${trigger.url}?secret=${SECRET}`,
		});
		await fetch(`${emulator.url}/v1/moves`, {
			method: 'POST',
			headers: { 'x-api-key': emulator.keyFor('owner'), 'content-type': 'application/json' },
			body: JSON.stringify({ record: { id: 1 }, state: { id: 2 } }),
		});
		// a move into another state does not call this automation
		await fetch(`${emulator.url}/v1/moves`, {
			method: 'POST',
			headers: { 'x-api-key': emulator.keyFor('owner'), 'content-type': 'application/json' },
			body: JSON.stringify({ record: { id: 3 }, state: { id: 4 } }),
		});
		await emulator.automationsSettled();
		await trigger.settled();
		expect(trigger.executions).toHaveLength(1);
		const record = trigger.executions[0].items[0].record as {
			id: number;
			state: { name: string };
			datums: unknown[];
		};
		expect([record.id, record.state.name, record.datums.length]).toEqual([1, 'Qualified', 8]);
	});

	test('a wrong secret is refused with 403, a missing one with 401; neither starts anything or reads Tracy', async () => {
		await startTrigger();
		const wrong = await postJson(`${trigger.url}?secret=not-the-secret`, { recordId: 1 });
		const close = await postJson(`${trigger.url}?secret=${SECRET.slice(0, -1)}x`, { recordId: 1 });
		const longer = await postJson(`${trigger.url}?secret=${SECRET}x`, { recordId: 1 });
		const missing = await postJson(trigger.url, { recordId: 1 });
		const emptyHeader = await postJson(trigger.url, { recordId: 1 }, { 'x-tracy-secret': '' });
		await trigger.settled();
		expect([wrong.status, close.status, longer.status, missing.status, emptyHeader.status]).toEqual(
			[403, 403, 403, 401, 401],
		);
		expect(missing.body).toContain('?secret=');
		expect(wrong.body + missing.body).not.toContain(SECRET);
		expect(trigger.executions).toHaveLength(0);
		expect(triggerRequests()).toHaveLength(0);
	});

	test('the secret in an X-Tracy-Secret header is accepted too', async () => {
		await startTrigger();
		const answer = await postJson(trigger.url, { record: { id: 2 } }, { 'X-Tracy-Secret': SECRET });
		await trigger.settled();
		expect(answer.status).toBe(200);
		expect(trigger.executions.map((e) => (e.items[0].record as { Name: string }).Name)).toEqual([
			'Grace Hopper',
		]);
	});

	test('Fetch Full Record off: the payload alone; no record ID in the payload: nothing read, and the item says so', async () => {
		await startTrigger({ fetchRecord: false });
		await postJson(`${trigger.url}?secret=${SECRET}`, { recordId: '5', note: 'as sent' });
		await trigger.stop();
		await startTrigger();
		await postJson(`${trigger.url}?secret=${SECRET}`, { event: 'dateReached' });
		// a top-level id of a body that is not a record (the automation's, the event's) is not taken for the record's
		await postJson(`${trigger.url}?secret=${SECRET}`, { id: 3, event: 'dateReached' });
		await trigger.settled();
		const description =
			'Looked for a record ID at: recordId, record_id, record.id, data.recordId, data.record.id, data.id, id (a top-level "id" only in a body that has "dataset" or "datums"). Set Options → Record ID Field to where the automation puts it.';
		expect(trigger.executions.map((e) => e.items)).toEqual([
			[
				{
					record: null,
					fetchError: { message: 'no record ID in the call', description },
					payload: { event: 'dateReached' },
				},
			],
			[
				{
					record: null,
					fetchError: { message: 'no record ID in the call', description },
					payload: { id: 3, event: 'dateReached' },
				},
			],
		]);
		expect(triggerRequests()).toHaveLength(0);
	});

	test('Record ID Field names where the payload keeps the ID', async () => {
		await startTrigger({ options: { recordIdField: 'deal.lead' } });
		await postJson(`${trigger.url}?secret=${SECRET}`, { id: 99, deal: { lead: 5 } });
		await trigger.settled();
		expect(trigger.executions[0].items[0]).toMatchObject({
			recordId: 5,
			record: { id: 5, Name: 'Katherine Johnson' },
		});
	});

	test('when the record cannot be read, the call is still accepted and the item says why', async () => {
		await startTrigger({}, 'webform');
		const answer = await postJson(`${trigger.url}?secret=${SECRET}`, { recordId: 1 });
		await trigger.settled();
		expect(answer.status).toBe(200);
		const item = trigger.executions[0].items[0] as {
			record: unknown;
			fetchError: { message: string; httpCode: string };
		};
		expect(item.record).toBeNull();
		expect(item.fetchError.httpCode).toBe('403');
		expect(item.fetchError.message).toBe(
			'The API key\'s role lacks the "view" permission on record 1',
		);
		expect(JSON.stringify(item)).not.toContain(emulator.keyFor('webform'));
	});

	test('activation refuses a secret shorter than 16 characters', async () => {
		trigger = await new AutomationTriggerServer(
			{ secret: 'short' },
			credentialsFor(emulator, 'sales'),
		).start();
		await expect(trigger.activate()).rejects.toThrow(
			'The Secret must be at least 16 characters long',
		);
	});
});

describe('Tracy Automation Trigger with a Tracy Automation Secret API credential', () => {
	const CREDENTIAL_SECRET = 'Vx7Rk2Lq9Tz4Wm8Nc3Hb6Jd';

	test("the credential's secret is what calls must carry, in the header or the query; the parameter is ignored", async () => {
		trigger = await new AutomationTriggerServer(
			{ secret: SECRET },
			credentialsFor(emulator, 'sales'),
			CREDENTIAL_SECRET,
		).start();
		await trigger.activate();
		const header = await postJson(
			trigger.url,
			{ recordId: 2 },
			{ 'X-Tracy-Secret': CREDENTIAL_SECRET },
		);
		const query = await postJson(`${trigger.url}?secret=${CREDENTIAL_SECRET}`, { recordId: 3 });
		const parameter = await postJson(`${trigger.url}?secret=${SECRET}`, { recordId: 4 });
		await trigger.settled();
		expect([header.status, query.status, parameter.status]).toEqual([200, 200, 403]);
		expect(trigger.executions.map((e) => (e.items[0].record as { id: number }).id)).toEqual([2, 3]);
		// the workflow's JSON holds no secret when the credential is used
		expect(
			JSON.stringify(
				new AutomationTriggerServer({}, credentialsFor(emulator, 'sales'), CREDENTIAL_SECRET).node,
			),
		).not.toContain(CREDENTIAL_SECRET);
	});

	test('a credential with a short secret fails activation, naming the credential', async () => {
		trigger = await new AutomationTriggerServer(
			{},
			credentialsFor(emulator, 'sales'),
			'too-short',
		).start();
		await expect(trigger.activate()).rejects.toThrow(
			'The secret of the Tracy Automation Secret API credential must be at least 16 characters long',
		);
	});

	test("the credential's test checks the length and sends nothing", async () => {
		const node = new TracyAutomationTrigger();
		const test = node.methods.credentialTest.tracyAutomationSecretTest;
		const run = async (secret: string) =>
			await test.call({} as never, {
				id: '2',
				name: 'Automation secret',
				type: 'tracyAutomationSecretApi',
				data: { secret },
			});
		const from = emulator.requests.length;
		expect(await run(CREDENTIAL_SECRET)).toMatchObject({ status: 'OK' });
		expect(await run('short')).toEqual({
			status: 'Error',
			message:
				'The secret has 5 characters: use at least 16 (for example 32 random letters and digits)',
		});
		expect(emulator.requests.length).toBe(from);
	});
});

test('the record ID is found where assumption A22 looks for it, in that order', () => {
	expect(findRecordId({ recordId: 3, id: 9 })).toBe(3);
	expect(findRecordId({ record_id: '4' })).toBe(4);
	expect(findRecordId({ record: { id: 5 }, id: 9 })).toBe(5);
	expect(findRecordId({ data: { recordId: 6 } })).toBe(6);
	expect(findRecordId({ data: { record: { id: 7 } } })).toBe(7);
	expect(findRecordId({ data: { id: 8 } })).toBe(8);
	expect(findRecordId({ id: 9 })).toBeUndefined();
	expect(findRecordId({ id: 9, dataset: { id: 1 } })).toBe(9);
	expect(findRecordId({ id: '9', datums: [] })).toBe(9);
	expect(findRecordId({ id: 'abc', record: { id: -1 } })).toBeUndefined();
	expect(findRecordId({ deal: { lead: 10 } }, 'deal.lead')).toBe(10);
	expect(findRecordId({ id: 11 }, 'deal.lead')).toBeUndefined();
	expect(findRecordId('text')).toBeUndefined();
});

test('secrets are compared whole: same text matches; a prefix, a longer text, or one character off does not', () => {
	const secret = 'k3Zq9vT2mW8xR4pL7nB5cY1d';
	expect(secretsMatch(secret, secret)).toBe(true);
	expect(
		[secret.slice(0, -1), `${secret}x`, `${secret.slice(0, -1)}e`, '', secret.toUpperCase()].map(
			(g) => secretsMatch(g, secret),
		),
	).toEqual([false, false, false, false, false]);
});
