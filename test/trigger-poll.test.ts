import type { INodeParameters } from 'n8n-workflow';

import { decodeIds, encodeIds, MAX_WATCHED_RECORDS } from '../nodes/Tracy/trigger/poll';
import type { ReceivedRequest } from './emulator/server';
import { startEmulator, TracyEmulator } from './emulator/server';
import { credentialsFor, rl } from './helpers';
import { PollingTrigger } from './trigger-harness';

let emulator: TracyEmulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => emulator.reset());

const newLeads = (extra: INodeParameters = {}): INodeParameters => ({
	event: 'newRecord',
	dataset: rl(1),
	...extra,
});
const enteredQualified: INodeParameters = { event: 'enteredState', dataset: rl(1), state: rl(2) };

/** Tracy as a user changes it meanwhile: through its API, with the owner's key. */
async function tracy(method: string, path: string, body?: unknown) {
	const res = await fetch(`${emulator.url}${path}`, {
		method,
		headers: { 'x-api-key': emulator.keyFor('owner'), 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await res.json()) as { id: number };
	if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
	return json;
}
const createLead = async (name: string, state?: number) =>
	(
		await tracy('POST', '/v1/records', {
			dataset: { id: 1 },
			...(state ? { state: { id: state } } : {}),
			datums: [
				{ property: { id: 1 }, value: name },
				{ property: { id: 3 }, value: '+1 555 0100' },
			],
		})
	).id;
const move = async (record: number, state: number) =>
	tracy('POST', '/v1/moves', { record: { id: record }, state: { id: state } });

/** What the trigger asked Tracy since `from`. */
function asked(from: number): ReceivedRequest[] {
	return emulator.requests
		.slice(from)
		.filter((r) => r.headers['x-api-key'] === emulator.keyFor('sales'));
}
const describeRequest = (r: ReceivedRequest) =>
	`${r.method} ${r.path}?${new URLSearchParams(r.query).toString()}`;

describe('Tracy Trigger: New Record', () => {
	test('the first activation emits no backlog; later records are emitted once each, in order; an idle poll is one request', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'sales'));
		let from = emulator.requests.length;
		expect(await trigger.activate()).toBeNull();
		expect(asked(from).map(describeRequest)).toEqual([
			'GET /v1/records?dataset=1&sort=id&order=desc&page=1&pageSize=1',
		]);
		expect(trigger.saved['node:Tracy Trigger']).toEqual({ key: 'newRecord:1', lastId: 5 });

		const ids = [
			await createLead('Lin Clark'),
			await createLead('Evan You'),
			await createLead('Sarah Drasner'),
		];
		from = emulator.requests.length;
		const run = await trigger.poll();
		expect(run?.error).toBeUndefined();
		expect(run?.items.map((i) => [i.id, i.Name, i.state])).toEqual([
			[ids[0], 'Lin Clark', 'New'],
			[ids[1], 'Evan You', 'New'],
			[ids[2], 'Sarah Drasner', 'New'],
		]);
		expect(asked(from).map(describeRequest)).toEqual([
			'GET /v1/records?dataset=1&sort=id&order=desc&page=1&pageSize=1',
			'GET /v1/records?dataset=1&sort=id&order=desc&page=1&pageSize=100&include=datums',
		]);
		expect(asked(from).every((r) => r.headers['x-api-key'] === emulator.keyFor('sales'))).toBe(
			true,
		);

		from = emulator.requests.length;
		expect(await trigger.poll()).toBeNull();
		expect(await trigger.poll()).toBeNull();
		expect(asked(from).map(describeRequest)).toEqual([
			'GET /v1/records?dataset=1&sort=id&order=desc&page=1&pageSize=1',
			'GET /v1/records?dataset=1&sort=id&order=desc&page=1&pageSize=1',
		]);
		expect(trigger.executions).toHaveLength(1);
	});

	test('more new records than a page: read until the last seen one, each emitted once, oldest first, at most 100 a poll', async () => {
		const trigger = new PollingTrigger(
			newLeads({ simplify: false }),
			credentialsFor(emulator, 'sales'),
		);
		await trigger.activate();
		const created: number[] = [];
		for (let i = 0; i < 230; i++) created.push(await createLead(`Lead ${i}`));
		const from = emulator.requests.length;
		const run = await trigger.poll();
		expect(run?.items.map((i) => i.id)).toEqual(created.slice(0, 100));
		// not simplified: the record with its datums
		expect((run?.items[0].datums as unknown[]).length).toBe(2);
		expect(asked(from).map((r) => r.query.page)).toEqual(['1', '1', '2', '3']);
		expect(trigger.staticData.lastId).toBe(created[99]);
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(created.slice(100, 200));
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(created.slice(200));
		expect(await trigger.poll()).toBeNull();
	});

	test('At Most Records per Poll: 500 lets the same 230 come in one execution', async () => {
		const trigger = new PollingTrigger(
			newLeads({ options: { maxPerPoll: 500 } }),
			credentialsFor(emulator, 'sales'),
		);
		await trigger.activate();
		const created: number[] = [];
		for (let i = 0; i < 230; i++) created.push(await createLead(`Lead ${i}`));
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(created);
		expect(await trigger.poll()).toBeNull();
	});

	test('Only in States: records created in other states move the cursor on and are not emitted', async () => {
		const trigger = new PollingTrigger(
			newLeads({ states: ['2', '3'] }),
			credentialsFor(emulator, 'sales'),
		);
		await trigger.activate();
		await createLead('In New');
		const qualified = await createLead('In Qualified', 2);
		const won = await createLead('In Won', 3);
		const run = await trigger.poll();
		expect(run?.items.map((i) => [i.id, i.state])).toEqual([
			[qualified, 'Qualified'],
			[won, 'Won'],
		]);
		await createLead('Another in New');
		expect(await trigger.poll()).toBeNull();
		expect(trigger.staticData.lastId).toBe(won + 1);
	});

	test('a restart with the saved static data misses nothing and repeats nothing', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const a = await createLead('Before the first poll');
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([a]);
		const b = await createLead('While n8n was down');
		// n8n's activation poll at start-up already emits what came meanwhile
		expect((await trigger.restart())?.items.map((i) => i.id)).toEqual([b]);
		const c = await createLead('After the restart');
		expect(await trigger.restart()).not.toBeNull();
		expect(trigger.executions.flatMap((e) => e.items.map((i) => i.id))).toEqual([a, b, c]);
		expect(await trigger.poll()).toBeNull();
	});

	test('Fetch Test Event returns the newest matching record and leaves the cursor alone', async () => {
		const trigger = new PollingTrigger(
			newLeads({ states: ['2'] }),
			credentialsFor(emulator, 'sales'),
		);
		await trigger.activate();
		const saved = JSON.stringify(trigger.saved);
		await createLead('Newest, but New');
		const test = await trigger.fetchTestEvent();
		expect(test.error).toBeUndefined();
		expect(test.items.map((i) => [i.id, i.Name, i.state])).toEqual([
			[2, 'Grace Hopper', 'Qualified'],
		]);
		expect(JSON.stringify(trigger.saved)).toBe(saved);
		expect(test.staticData).toEqual(JSON.parse(saved));
		// the record created meanwhile is still news for the active trigger: it is in New, so not emitted, but seen
		expect(await trigger.poll()).toBeNull();
	});

	test('a key whose role may not view the dataset gets an error naming the permission and what a trigger needs', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'webform'));
		const error = await trigger.activate().then(
			() => undefined,
			(e: { message: string; description?: string; httpCode?: string }) => e,
		);
		expect(error?.message).toBe(
			'The API key\'s role lacks the "view" permission on the records of dataset 1',
		);
		expect(error?.httpCode).toBe('403');
		expect(error?.description).toContain(
			'A Tracy trigger needs a key whose role may view the records of dataset 1',
		);
		expect(JSON.stringify(error)).not.toContain(emulator.keyFor('webform'));
		const test = await new PollingTrigger(
			newLeads(),
			credentialsFor(emulator, 'webform'),
		).fetchTestEvent();
		expect(test.error?.message).toBe(error?.message);
	});

	test('a list that is not sorted newest first stops the poll with an error naming assumption A20', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'sales'));
		await trigger.activate();
		await createLead('x');
		emulator.faults.push({
			match: (r) => r.path === '/v1/records' && r.method === 'GET',
			status: 200,
			body: { items: [{ id: 1 }, { id: 6 }] },
			times: 1,
		});
		await expect(trigger.poll()).rejects.toThrow('not sorted by ID, newest first');
		// the cursor did not move: the next poll still finds the record
		expect((await trigger.poll())?.items.map((i) => i.Name)).toEqual(['x']);
	});
});

describe('Tracy Trigger: Record Entered State', () => {
	test('records already in the state are not emitted; moves and creates into it are, once, with their values', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		let from = emulator.requests.length;
		expect(await trigger.activate()).toBeNull();
		expect(asked(from).map(describeRequest)).toEqual([
			'GET /v1/records?dataset=1&state=2&sort=id&order=asc&page=1&pageSize=100',
		]);

		await move(1, 2);
		const created = await createLead('Created as Qualified', 2);
		from = emulator.requests.length;
		const run = await trigger.poll();
		expect(run?.items.map((i) => [i.id, i.Name, i.state])).toEqual([
			[1, 'Ada Lovelace', 'Qualified'],
			[created, 'Created as Qualified', 'Qualified'],
		]);
		expect(asked(from).map(describeRequest)).toEqual([
			'GET /v1/records?dataset=1&state=2&sort=id&order=asc&page=1&pageSize=100',
			'GET /v1/records/1?',
			`GET /v1/records/${created}?`,
		]);

		from = emulator.requests.length;
		expect(await trigger.poll()).toBeNull();
		expect(asked(from)).toHaveLength(1);

		// out and back in again is a new entry
		await move(1, 3);
		expect(await trigger.poll()).toBeNull();
		await move(1, 2);
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([1]);
		expect(trigger.executions.map((e) => e.items.map((i) => i.id))).toEqual([[1, created], [1]]);
	});

	test('a restart with the saved static data emits what entered meanwhile, once', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		await move(1, 2);
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([1]);
		await move(3, 2);
		expect((await trigger.restart())?.items.map((i) => i.id)).toEqual([3]);
		expect(await trigger.restart()).toBeNull();
		expect(await trigger.poll()).toBeNull();
	});

	test('trash and restore is not an entry; moving out and back is; the trash costs one read when a record leaves the list', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const lead = await createLead('Qualified lead', 2);
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([lead]);

		await tracy('DELETE', `/v1/records/${lead}`);
		let from = emulator.requests.length;
		expect(await trigger.poll()).toBeNull();
		// gone from the list: read once, still in the state (in the trash), so kept as away
		expect(asked(from).map(describeRequest)).toEqual([
			'GET /v1/records?dataset=1&state=2&sort=id&order=asc&page=1&pageSize=100',
			`GET /v1/records/${lead}?`,
		]);
		expect(decodeIds(String(trigger.staticData.away))).toEqual([lead]);
		expect(await trigger.poll()).toBeNull();

		await tracy('PUT', '/v1/records', { id: lead, removed: null });
		from = emulator.requests.length;
		expect(await trigger.poll()).toBeNull();
		expect(asked(from)).toHaveLength(1);
		expect(trigger.staticData.away).toBe('');

		// archived records stay listed: archive and unarchive change nothing
		await tracy('PUT', '/v1/records', { id: lead, archived: new Date().toISOString() });
		expect(await trigger.poll()).toBeNull();
		await tracy('PUT', '/v1/records', { id: lead, archived: null });
		expect(await trigger.poll()).toBeNull();

		// a real departure and return is an entry
		await move(lead, 3);
		expect(await trigger.poll()).toBeNull();
		await move(lead, 2);
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([lead]);
		expect(trigger.executions.map((e) => e.items.map((i) => i.id))).toEqual([[lead], [lead]]);
	});

	test('150 records entering at once: 100 in the first poll, the other 50 in the next, oldest first, none twice', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const created: number[] = [];
		for (let i = 0; i < 150; i++) created.push(await createLead(`Bulk ${i}`, 2));
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(created.slice(0, 100));
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(created.slice(100));
		expect(await trigger.poll()).toBeNull();
	});

	test('an idle poll over a state of 250 records is three requests, and the static data stays small', async () => {
		const big = await startEmulator({ extraLeads: 500 });
		try {
			const trigger = new PollingTrigger(enteredQualified, credentialsFor(big, 'sales'));
			await trigger.activate();
			const from = big.requests.length;
			expect(await trigger.poll()).toBeNull();
			expect(big.requests.slice(from).map((r) => r.query.page)).toEqual(['1', '2', '3']);
			const stored = trigger.saved['node:Tracy Trigger'] as { ids: string };
			expect(decodeIds(stored.ids)).toHaveLength(251);
			expect(stored.ids.length).toBeLessThan(251 * 3);
		} finally {
			await big.stop();
		}
	});

	test(`more than ${MAX_WATCHED_RECORDS} records in the watched state is an error that says what to do`, async () => {
		const big = await startEmulator({ extraLeads: 2 * MAX_WATCHED_RECORDS });
		try {
			const trigger = new PollingTrigger(enteredQualified, credentialsFor(big, 'sales'));
			await expect(trigger.activate()).rejects.toThrow(
				`State 2 holds more than ${MAX_WATCHED_RECORDS} records`,
			);
			expect(trigger.saved).toEqual({});
		} finally {
			await big.stop();
		}
	});

	test('Fetch Test Event returns the newest record in the state', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		const test = await trigger.fetchTestEvent();
		expect(test.items.map((i) => [i.id, i.Name, i.Email])).toEqual([
			[2, 'Grace Hopper', 'grace@example.com'],
		]);
		const empty = await new PollingTrigger(
			{ event: 'enteredState', dataset: rl(2), state: rl(6) },
			credentialsFor(emulator, 'sales'),
		).fetchTestEvent();
		expect(empty.items).toEqual([]);
		expect(empty.error?.message).toBe('No record is in state 6 of dataset 2');
	});
});

test('static data: IDs are kept as sorted base-36 gaps', () => {
	const ids = [5, 1, 1000, 37, 36];
	expect(encodeIds(ids)).toBe('1,4,v,1,qr');
	expect(decodeIds(encodeIds(ids))).toEqual([1, 5, 36, 37, 1000]);
	expect(decodeIds('')).toEqual([]);
	const many = Array.from({ length: MAX_WATCHED_RECORDS }, (_, i) => 1_000_000 + i * 97);
	expect(decodeIds(encodeIds(many))).toEqual(many);
	expect(encodeIds(many).length).toBeLessThan(MAX_WATCHED_RECORDS * 4);
});

describe('Tracy Trigger: paging and overlapping polls (A14)', () => {
	test('New Record: Tracy serves at most 50 a page, 80 new leads are all emitted, once each', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'sales'));
		await trigger.activate();
		emulator.paging.maxPageSize = 50;
		const ids: number[] = [];
		for (let i = 0; i < 80; i++) ids.push(await createLead(`Lead ${i}`));
		const run = await trigger.poll();
		expect(run?.items.map((i) => i.id)).toEqual(ids);
		expect(await trigger.poll()).toBeNull();
	});

	test('New Record: Tracy ignoring "page" fails the poll naming A14, ends, and keeps the position', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'sales'));
		await trigger.activate();
		emulator.paging.maxPageSize = 50;
		const ids: number[] = [];
		for (let i = 0; i < 60; i++) ids.push(await createLead(`Lead ${i}`));
		emulator.paging.ignorePage = true;
		const from = emulator.requests.length;
		await expect(trigger.poll()).rejects.toMatchObject({
			message: expect.stringContaining(
				'page 2 held only records of earlier pages: Tracy seems to ignore the "page" parameter',
			),
			description: expect.stringContaining('A14'),
		});
		// the idle check, page 1 and page 2 (the same records again), then it stops
		expect(asked(from)).toHaveLength(3);
		emulator.paging.ignorePage = false;
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(ids);
	});

	test('Record Entered State: 61 records in the state with pages of 50, a record entering above the first 50 is seen', async () => {
		for (let i = 0; i < 61; i++) await createLead(`Qualified ${i}`, 2);
		emulator.paging.maxPageSize = 50;
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const late = await createLead('Late entry', 2);
		const run = await trigger.poll();
		expect(run?.items.map((i) => [i.id, i.Name])).toEqual([[late, 'Late entry']]);
		expect(await trigger.poll()).toBeNull();
	});

	test('two polls started at once: the second is skipped, each new lead is emitted once', async () => {
		const slow = await startEmulator({ delayMs: 150 });
		try {
			const trigger = new PollingTrigger(newLeads(), credentialsFor(slow, 'sales'));
			await trigger.activate();
			const ids = [await createLeadIn(slow, 'Ada'), await createLeadIn(slow, 'Linus')];
			const runs = await Promise.all([trigger.poll(), trigger.poll()]);
			const emitted = runs.flatMap((r) => r?.items.map((i) => i.id) ?? []);
			expect(emitted).toEqual(ids);
			expect(runs.filter((r) => r === null)).toHaveLength(1);
			// once the first poll is over, polls run again
			const third = await createLeadIn(slow, 'Grace');
			expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([third]);
		} finally {
			await slow.stop();
		}
	});
});

describe('Tracy Trigger: reactivation after a backlog', () => {
	const backlog = async (n: number) => {
		const ids: number[] = [];
		for (let i = 0; i < n; i++) ids.push(await createLead(`While inactive ${i}`));
		return ids;
	};

	test('Emit What Was Missed (default): 300 leads created while inactive come 100 a poll, oldest first, each once', async () => {
		const trigger = new PollingTrigger(newLeads(), credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const before = await createLead('Before');
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([before]);
		const missed = await backlog(300);
		// turned on again: the activation poll already emits the first 100
		expect((await trigger.reactivate())?.items.map((i) => i.id)).toEqual(missed.slice(0, 100));
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(missed.slice(100, 200));
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual(missed.slice(200));
		expect(await trigger.poll()).toBeNull();
		const all = trigger.executions.flatMap((e) => e.items.map((i) => i.id));
		expect(all).toEqual([before, ...missed]);
	});

	test('Start From Now: nothing of the backlog is emitted after reactivation, later leads are; a restart of n8n still emits what it missed', async () => {
		const trigger = new PollingTrigger(
			newLeads({ options: { onReactivation: 'startFromNow' } }),
			credentialsFor(emulator, 'sales'),
		);
		await trigger.activate();
		await backlog(300);
		expect(await trigger.reactivate()).toBeNull();
		expect(await trigger.poll()).toBeNull();
		const after = await createLead('After reactivation');
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([after]);
		// a restart is not a reactivation: what came while n8n was down is emitted
		const whileDown = await createLead('While n8n was down');
		expect((await trigger.restart())?.items.map((i) => i.id)).toEqual([whileDown]);
		expect(await trigger.poll()).toBeNull();
	});

	test('Start From Now with Record Entered State: entries while inactive are not emitted, later ones are', async () => {
		const trigger = new PollingTrigger(
			{ ...enteredQualified, options: { onReactivation: 'startFromNow' } },
			credentialsFor(emulator, 'sales'),
		);
		await trigger.activate();
		await move(1, 2);
		expect(await trigger.reactivate()).toBeNull();
		await move(3, 2);
		expect((await trigger.poll())?.items.map((i) => i.id)).toEqual([3]);
	});
});

async function createLeadIn(target: TracyEmulator, name: string): Promise<number> {
	const res = await fetch(`${target.url}/v1/records`, {
		method: 'POST',
		headers: { 'x-api-key': target.keyFor('owner'), 'content-type': 'application/json' },
		body: JSON.stringify({
			dataset: { id: 1 },
			datums: [
				{ property: { id: 1 }, value: name },
				{ property: { id: 3 }, value: '+1 555 0100' },
			],
		}),
	});
	return ((await res.json()) as { id: number }).id;
}

describe('Tracy Trigger: Record Entered State with a record that cannot be read', () => {
	test('a refused read (403) emits that record as listed, with readError; the others are emitted whole; nothing waits', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const refused = await createLead('Refused', 2);
		const fine = await createLead('Fine', 2);
		emulator.faults.push({
			match: (r) => r.method === 'GET' && r.path === `/v1/records/${refused}`,
			status: 403,
			body: { title: 'Forbidden', status: 403 },
			times: Infinity,
		});
		const run = await trigger.poll();
		expect(run?.error).toBeUndefined();
		const [first, second] = run!.items as Array<{
			id: number;
			Name?: string;
			readError?: { httpCode: string };
		}>;
		expect([first.id, first.readError?.httpCode]).toEqual([refused, '403']);
		expect([second.id, second.Name, second.readError]).toEqual([fine, 'Fine', undefined]);
		// the position moved over both: the next poll does not emit them again
		expect(await trigger.poll()).toBeNull();
	});

	test('Tracy unavailable (5xx) while reading: the poll fails and keeps its position, the next one emits the record once', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const id = await createLead('Later', 2);
		emulator.faults.push({
			match: (r) => r.method === 'GET' && r.path === `/v1/records/${id}`,
			status: 503,
			times: 3,
		});
		await expect(trigger.poll()).rejects.toThrow();
		expect((await trigger.poll())?.items.map((i) => [i.id, i.Name, i.readError])).toEqual([
			[id, 'Later', undefined],
		]);
		expect(await trigger.poll()).toBeNull();
	});
	test('Tracy still rate-limiting (429) after the retries: the poll fails and keeps its position, not a readError', async () => {
		const trigger = new PollingTrigger(enteredQualified, credentialsFor(emulator, 'sales'));
		await trigger.activate();
		const id = await createLead('Limited', 2);
		emulator.faults.push({
			match: (r) => r.method === 'GET' && r.path === `/v1/records/${id}`,
			status: 429,
			headers: { 'Retry-After': '0' },
			times: 6,
		});
		await expect(trigger.poll()).rejects.toThrow('Tracy is rate limiting this key (429)');
		expect((await trigger.poll())?.items.map((i) => [i.id, i.Name, i.readError])).toEqual([
			[id, 'Limited', undefined],
		]);
		expect(await trigger.poll()).toBeNull();
	});
});
