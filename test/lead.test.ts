import type { INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, moveParams, rl, webFormLead } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const submissions = [
	{
		name: 'Ada Form',
		email: 'ada.form@example.com',
		phone: '+44 1',
		message: 'Hello 👋 from the form',
		utm_source: 'newsletter',
		utm_campaign: 'autumn',
	},
	{
		name: 'Bob Form',
		email: 'bob@example.com',
		phone: '',
		message: '',
		utm_source: 'google',
		utm_campaign: '',
	},
	{ name: 'Chloé Ünicode', email: 'chloe@example.com' },
];

describe('Lead → Create with the create-only web-form key', () => {
	it('creates one lead per submission with the right datums, and reads nothing', async () => {
		const result = await runNode({
			parameters: webFormLead(),
			items: submissions,
			credentials: credentialsFor(emulator, 'webform'),
		});

		expect(result.error).toBeUndefined();
		expect(emulator.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
			Array(3).fill('POST /v1/records 200'),
		);
		expect(
			emulator.requests.every((r) => r.headers['x-api-key'] === emulator.keyFor('webform')),
		).toBe(true);
		const bodies = emulator.requests.map((r) => r.body);
		expect(bodies).toEqual([
			{
				dataset: { id: 1 },
				datums: [
					{ property: { id: 1 }, value: 'Ada Form' },
					{ property: { id: 2 }, value: 'ada.form@example.com' },
					{ property: { id: 3 }, value: '+44 1' },
					{ property: { id: 5 }, value: 'Hello 👋 from the form' },
					{ property: { id: 7 }, value: 'newsletter' },
					{ property: { id: 9 }, value: 'autumn' },
				],
			},
			{
				dataset: { id: 1 },
				datums: [
					{ property: { id: 1 }, value: 'Bob Form' },
					{ property: { id: 2 }, value: 'bob@example.com' },
					{ property: { id: 7 }, value: 'google' },
				],
			},
			{
				dataset: { id: 1 },
				datums: [
					{ property: { id: 1 }, value: 'Chloé Ünicode' },
					{ property: { id: 2 }, value: 'chloe@example.com' },
				],
			},
		]);

		// stored in Tracy, in the first state
		const stored = emulator.storedRecords(1).filter((r) => (r.id as number) > 5);
		expect(stored).toHaveLength(3);
		expect(stored.every((r) => (r.state as { name: string }).name === 'New')).toBe(true);

		// the output is Tracy's answer, simplified by default, plus what was sent: the key may not view the new record
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json).toEqual({
			id: 8,
			state: 'New',
			created: true,
			sent: { name: 'Bob Form', email: 'bob@example.com', utmSource: 'google' },
		});
	});

	it('would be caught reading: the same key is refused any read', async () => {
		const read = await fetch(`${emulator.url}/v1/records/1`, {
			headers: { 'X-Api-Key': emulator.keyFor('webform') },
		});
		expect(read.status).toBe(403);
		const list = await fetch(`${emulator.url}/v1/records?dataset=1`, {
			headers: { 'X-Api-Key': emulator.keyFor('webform') },
		});
		expect(list.status).toBe(403);
	});

	it("outputs Tracy's answer as it is, plus what was sent, with Simplify off", async () => {
		const result = await runNode({
			parameters: webFormLead({ simplify: false }, { name: 'Raw Lead' }),
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.items[0].json).toEqual({
			id: expect.any(Number),
			dataset: { id: 1, name: 'Leads' },
			state: { id: 1, dataset: { id: 1 }, name: 'New', color: 3447003, position: 1 },
			archived: null,
			removed: null,
			datums: [],
			created: true,
			sent: { name: 'Raw Lead' },
		});
	});

	it('refuses a bad email before sending, and with Continue On Fail the rest of the batch goes on', async () => {
		const result = await runNode({
			parameters: webFormLead(),
			items: [submissions[0], { name: 'Bad', email: 'not an email' }, submissions[2]],
			credentials: credentialsFor(emulator, 'webform'),
			onError: 'continueRegularOutput',
		});
		expect(emulator.requests).toHaveLength(2);
		expect(result.items).toHaveLength(3);
		expect(result.items[1].json.message).toBe(
			'Lead Properties › Email › Value "not an email" is not an email address',
		);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.created).toBe(true);
		expect(result.items[2].json.created).toBe(true);
	});

	it('refuses an empty required field and a property mapped twice, naming the field', async () => {
		const missing = await runNode({
			parameters: webFormLead({ requiredFields: ['email', 'name'] }),
			items: [{ name: 'No Email' }],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(missing.error?.message).toBe('Lead Properties › Email is required but empty');
		const twice = await runNode({
			parameters: webFormLead({}, undefined, { name: rl(1), email: rl(1) }),
			items: [submissions[0]],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(twice.error?.message).toBe(
			'Lead Properties › Email is property 1, which Name already uses',
		);
		expect(emulator.requests).toHaveLength(0);
	});

	it('names the lead field when Tracy says its property does not exist', async () => {
		const result = await runNode({
			parameters: webFormLead({}, undefined, { name: rl(1), email: rl(99) }),
			items: [submissions[2]],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error?.message).toBe(
			'Tracy rejected the request: Lead Properties › Email (property 99): property 99 does not exist in dataset 1',
		);
	});

	it('sends fields without a property mapping nowhere', async () => {
		const result = await runNode({
			parameters: webFormLead({}, undefined, { name: rl(1) }),
			items: [submissions[0]],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(emulator.requests[0].body).toEqual({
			dataset: { id: 1 },
			datums: [{ property: { id: 1 }, value: 'Ada Form' }],
		});
		expect(result.items[0].json.sent).toEqual({ name: 'Ada Form' });
	});

	it('adds other properties by ID and creates in a chosen state', async () => {
		await runNode({
			parameters: webFormLead({
				state: rl(2),
				otherProperties: { values: [{ property: rl(6), value: 'Event' }] },
			}),
			items: [submissions[2]],
			credentials: credentialsFor(emulator, 'sales'),
		});
		expect(emulator.requests[0].body).toMatchObject({
			state: { id: 2 },
			datums: expect.arrayContaining([{ property: { id: 6 }, value: 'Event' }]),
		});
	});
});

describe('Lead → Create with Skip if Exists', () => {
	it('returns the existing lead after one lookup and creates nothing', async () => {
		const result = await runNode({
			parameters: webFormLead({ options: { skipIfExists: true } }),
			items: [
				{ name: 'Grace again', email: 'grace@example.com' },
				{ name: 'Newcomer', email: 'new@example.com' },
			],
			credentials: credentialsFor(emulator, 'sales'),
		});
		expect(result.error).toBeUndefined();
		const calls = emulator.requests.map((r) =>
			`${r.method} ${r.path} ${r.query['property[2]'] ?? ''}`.trim(),
		);
		expect(calls.sort()).toEqual(
			[
				'GET /v1/records grace@example.com',
				'GET /v1/records new@example.com',
				'POST /v1/records',
				// after the create, the look-up for a twin another process made meanwhile (A31)
				'GET /v1/records new@example.com',
			].sort(),
		);
		expect(result.items[0].json).toMatchObject({ id: 2, created: false, existing: true });
		expect(result.items[1].json).toMatchObject({
			created: true,
			sent: { name: 'Newcomer', email: 'new@example.com' },
		});
	});

	it('fails clearly with a key that may not read, creating nothing', async () => {
		const result = await runNode({
			parameters: webFormLead({ options: { skipIfExists: true } }),
			items: [submissions[0]],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error?.message).toBe(
			'The API key\'s role lacks the "view" permission on the records of dataset 1',
		);
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
	});
});

describe('Lead → Get Many and Move to State', () => {
	it('finds leads by email', async () => {
		const result = await runNode({
			parameters: {
				resource: 'lead',
				operation: 'getAll',
				dataset: rl(1),
				email: 'ADA@example.com',
				emailProperty: rl(2),
				returnAll: true,
				simplify: true,
			},
			credentials: credentialsFor(emulator, 'sales'),
		});
		expect(emulator.requests[0].query['property[2]']).toBe('ADA@example.com');
		expect(result.items.map((i) => i.json.Name)).toEqual(['Ada Lovelace']);
	});

	it('qualifies a lead', async () => {
		const result = await runNode({
			parameters: moveParams(1, 2, { resource: 'lead', simplify: true }),
			credentials: credentialsFor(emulator, 'sales'),
		});
		expect(result.items[0].json).toMatchObject({ id: 1, state: 'Qualified' });
	});
});

describe('examples/web-form-lead.json', () => {
	it('runs its Tracy node on webhook output with the web-form key', async () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const example = require('../examples/web-form-lead.json') as {
			nodes: Array<{ type: string; parameters: INodeParameters; credentials?: object }>;
		};
		const node = example.nodes.find((n) => n.type === 'n8n-nodes-tracy.tracy')!;
		expect(example.nodes.map((n) => n.type)).toEqual([
			'n8n-nodes-base.webhook',
			'n8n-nodes-tracy.tracy',
		]);
		expect(node.credentials).toHaveProperty('tracyApi');
		const result = await runNode({
			parameters: node.parameters,
			items: [
				{
					headers: {},
					body: { name: 'Webhook Lead', email: 'hook@example.com', utm_source: 'site' },
				},
			],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.method)).toEqual(['POST']);
		expect(emulator.requests[0].body).toEqual({
			dataset: { id: 1 },
			datums: [
				{ property: { id: 1 }, value: 'Webhook Lead' },
				{ property: { id: 2 }, value: 'hook@example.com' },
				{ property: { id: 6 }, value: 'Website' },
				{ property: { id: 7 }, value: 'site' },
			],
		});
	});
});

describe('examples/web-form-lead-replay.json', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const replay = require('../examples/web-form-lead-replay.json') as {
		nodes: Array<{ name: string; type: string; parameters: INodeParameters; onError?: string }>;
	};
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const form = require('../examples/web-form-lead-respond.json') as {
		nodes: Array<{ type: string; parameters: INodeParameters }>;
	};
	const tracyOf = (nodes: Array<{ type: string; parameters: INodeParameters }>) =>
		nodes.find((n) => n.type === 'n8n-nodes-tracy.tracy')!.parameters;

	it('sends a kept submission as the form did, but looks for the email first: a lead whose first answer was lost is not created again', async () => {
		const { skipIfExists, ...replayOptions } = tracyOf(replay.nodes).options as Record<
			string,
			unknown
		>;
		// the same lead fields and checks as the form workflow, plus Skip if Exists
		expect(skipIfExists).toBe(true);
		expect({ ...tracyOf(replay.nodes), options: replayOptions }).toEqual(tracyOf(form.nodes));
		expect(replay.nodes.find((n) => n.type === 'n8n-nodes-tracy.tracy')!.onError).toBe(
			'continueErrorOutput',
		);

		// one submission reached Tracy although its answer was lost (outcome unknown), one never did
		const stored = { name: 'Lost Answer', email: 'lost.answer@example.com', consent: true };
		await fetch(`${emulator.url}/v1/records`, {
			method: 'POST',
			headers: { 'x-api-key': emulator.keyFor('owner'), 'content-type': 'application/json' },
			body: JSON.stringify({
				dataset: { id: 1 },
				datums: [
					{ property: { id: 1 }, value: stored.name },
					{ property: { id: 2 }, value: stored.email },
				],
			}),
		});
		const from = emulator.requests.length;
		// what "Back to a Submission" makes of two kept rows
		const items = [
			{ body: stored, query: {}, rowId: 1, tries: 0 },
			{
				body: { name: 'Never Reached', email: 'never.reached@example.com', consent: true },
				query: { utm_source: 'fair' },
				rowId: 2,
				tries: 1,
			},
		];
		const result = await runNode({
			parameters: tracyOf(replay.nodes),
			items,
			credentials: credentialsFor(emulator, 'sales'),
			onError: 'continueErrorOutput',
		});
		expect(result.errorItems).toEqual([]);
		expect(
			result.items.map((i) => [i.json.created, i.json.existing ?? false, i.pairedItem]),
		).toEqual([
			[false, true, { item: 0 }],
			[true, false, { item: 1 }],
		]);
		const sent = emulator.requests.slice(from);
		expect(sent.map((r) => r.method)).toEqual(expect.arrayContaining(['GET', 'GET', 'POST']));
		expect(sent.filter((r) => r.method === 'POST').map((r) => r.rawBody)).toEqual([
			expect.stringContaining('never.reached@example.com'),
		]);
		expect(
			emulator
				.storedRecords(1)
				.filter((r) => JSON.stringify(r).includes('lost.answer@example.com')),
		).toHaveLength(1);
	});
});
