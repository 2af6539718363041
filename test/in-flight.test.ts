/**
 * Big imports Tracy can bear: the transport's bound on requests in flight per n8n process and base
 * URL, lowered by 429s, shared by executions, and a batch that stops sending once an item failed.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_MAX_IN_FLIGHT } from '../nodes/Tracy/transport/inFlight';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, rl, webFormLead } from './helpers';

const leads = (n: number, tag = 'lead') =>
	Array.from({ length: n }, (_, i) => ({ name: `Lead ${i}`, email: `${tag}${i}@example.com` }));
const parameters = (extra: INodeParameters = {}): INodeParameters =>
	webFormLead(
		extra,
		{ name: '={{ $json.name }}', email: '={{ $json.email }}' },
		{ name: rl(1), email: rl(2) },
	);
const creates = (emulator: TracyEmulator) =>
	emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/records');

// each test gets its own Tracy (its own base URL), so that one test's bound does not carry into the next
let emulator: TracyEmulator;
afterEach(async () => emulator?.stop());

test(`the bound holds: 60 creates against a slow Tracy never have more than ${DEFAULT_MAX_IN_FLIGHT} requests in flight; all are created, paired`, async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const result = await runNode({
		parameters: parameters(),
		items: leads(60),
		credentials: credentialsFor(emulator, 'webform'),
	});
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => [(i.json.sent as { email: string }).email, i.pairedItem])).toEqual(
		leads(60).map((l, i) => [l.email, { item: i }]),
	);
	expect(creates(emulator)).toHaveLength(60);
	expect(emulator.peakInFlight).toBe(DEFAULT_MAX_IN_FLIGHT);
});

test('Request Options → Max Requests in Flight sets the bound', async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const result = await runNode({
		parameters: parameters({ requestOptions: { maxInFlight: 3 } }),
		items: leads(30),
		credentials: credentialsFor(emulator, 'webform'),
	});
	expect(result.error).toBeUndefined();
	expect(creates(emulator)).toHaveLength(30);
	expect(emulator.peakInFlight).toBe(3);
});

test("the node's own extra requests count too: Skip if Exists' look-ups and creates share the bound", async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const result = await runNode({
		parameters: parameters({ options: { skipIfExists: true } }),
		items: leads(30),
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(result.error).toBeUndefined();
	// per lead: the look-up, the create, and the look-up for a twin made by another process (A31)
	const lookUps = emulator.requests.filter((r) => r.method === 'GET');
	expect(lookUps.filter((r) => r.query.pageSize === '1')).toHaveLength(30);
	expect(lookUps.filter((r) => r.query.pageSize === '100')).toHaveLength(30);
	expect(creates(emulator)).toHaveLength(30);
	expect(emulator.peakInFlight).toBe(DEFAULT_MAX_IN_FLIGHT);
});

test('a 429 halves the bound and holds new requests back for its Retry-After; every lead is still created once', async () => {
	emulator = await startEmulator({ delayMs: 60 });
	// the first round of creates is refused: Tracy did not process them
	emulator.faults.push({
		match: (r) => r.method === 'POST',
		status: 429,
		headers: { 'Retry-After': '1' },
		times: DEFAULT_MAX_IN_FLIGHT,
	});
	const started = Date.now();
	const result = await runNode({
		parameters: parameters(),
		items: leads(60),
		credentials: credentialsFor(emulator, 'webform'),
	});
	expect(result.error).toBeUndefined();
	const posts = creates(emulator);
	const refused = posts.filter((r) => r.status === 429);
	const after = posts.slice(refused.length);
	expect(refused).toHaveLength(DEFAULT_MAX_IN_FLIGHT);
	expect(Math.max(...refused.map((r) => r.inFlight ?? 0))).toBe(DEFAULT_MAX_IN_FLIGHT);
	// halved: the first round after the pause is half as wide; then raised by one per round of successes
	const half = DEFAULT_MAX_IN_FLIGHT / 2;
	expect(Math.max(...after.slice(0, half).map((r) => r.inFlight ?? 0))).toBe(half);
	expect(Math.max(...after.map((r) => r.inFlight ?? 0))).toBeLessThan(DEFAULT_MAX_IN_FLIGHT);
	expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	expect(posts.filter((r) => r.status === 200)).toHaveLength(60);
	expect(new Set(posts.filter((r) => r.status === 200).map((r) => r.rawBody)).size).toBe(60);
});

test('without Continue On Fail, a failing item stops the items not yet sent; the error counts written, failed and not sent', async () => {
	emulator = await startEmulator({ delayMs: 20 });
	emulator.faults.push({
		match: (r) => r.method === 'POST' && r.rawBody.includes('lead4@'),
		status: 500,
		times: 1,
	});
	const result = await runNode({
		parameters: parameters({ requestOptions: { maxInFlight: 2 } }),
		items: leads(30),
		credentials: credentialsFor(emulator, 'webform'),
	});
	expect(result.error?.message).toBe('Tracy had a temporary problem (500)');
	const sent = creates(emulator);
	// items 1-4 before it, item 5 itself, and at most the one item in flight beside it
	expect(sent.length).toBeGreaterThanOrEqual(5);
	expect(sent.length).toBeLessThanOrEqual(6);
	const written = sent.filter((r) => r.status === 200).length;
	expect(result.error?.description).toContain(
		'The execution stopped at item 5 of 30 (lead lead4@example.com).',
	);
	expect(result.error?.description).toContain(
		`Written: ${written}, failed: 1 (item 5), not sent: ${30 - sent.length}.`,
	);
});

test('a not-sent item names the item that failed first', async () => {
	emulator = await startEmulator({ delayMs: 20 });
	// the first item is refused before sending (bad email): nothing after it is sent
	const items = leads(5);
	items[0].email = 'not-an-email';
	const result = await runNode({
		parameters: parameters({ requestOptions: { maxInFlight: 1 } }),
		items,
		credentials: credentialsFor(emulator, 'webform'),
		onError: 'continueRegularOutput',
	});
	// with Continue On Fail, everything goes on as before
	expect(creates(emulator)).toHaveLength(4);
	expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	const stopped = await runNode({
		parameters: parameters({ requestOptions: { maxInFlight: 1 } }),
		items,
		credentials: credentialsFor(emulator, 'webform'),
	});
	expect(stopped.error?.message).toMatch(/Email/);
	expect(stopped.error?.description).toContain('Written: 0, failed: 1 (item 1), not sent: 4.');
	expect(creates(emulator)).toHaveLength(4);
});

test('with Continue On Fail every item is sent and paired, failures in place', async () => {
	emulator = await startEmulator({ delayMs: 10 });
	emulator.faults.push({
		match: (r) => r.method === 'POST' && /lead\d*[05]@/.test(r.rawBody),
		status: 500,
		times: Infinity,
	});
	const result = await runNode({
		parameters: parameters(),
		items: leads(30),
		credentials: credentialsFor(emulator, 'webform'),
		onError: 'continueRegularOutput',
	});
	expect(result.error).toBeUndefined();
	expect(creates(emulator)).toHaveLength(30);
	expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(
		leads(30).map((_, i) => i),
	);
	expect(
		result.items.filter((i) => i.json.message).map((i) => (i.pairedItem as { item: number }).item),
	).toEqual([0, 5, 10, 15, 20, 25]);
});

test('two executions in one process share the bound of their Tracy', async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const [a, b] = await Promise.all([
		runNode({
			parameters: parameters(),
			items: leads(30, 'a'),
			credentials: credentialsFor(emulator, 'webform'),
		}),
		runNode({
			parameters: parameters(),
			items: leads(30, 'b'),
			credentials: credentialsFor(emulator, 'webform'),
		}),
	]);
	expect([a.error, b.error]).toEqual([undefined, undefined]);
	expect(creates(emulator)).toHaveLength(60);
	expect(emulator.peakInFlight).toBe(DEFAULT_MAX_IN_FLIGHT);
	// the executions take turns once both wait: the second does not wait for the first one's whole batch
	const order = creates(emulator).map((r) => (/"a\d+@/.test(r.rawBody) ? 'a' : 'b'));
	expect(order.slice(0, 40).filter((x) => x === 'b').length).toBeGreaterThanOrEqual(10);
});

test('a Tracy that takes 20 requests a second: the rate is learnt from the first 429, so few requests are refused; all 80 created once', async () => {
	emulator = await startEmulator({ rateLimitPerSecond: 20 });
	const result = await runNode({
		parameters: parameters(),
		items: leads(80),
		credentials: credentialsFor(emulator, 'webform'),
	});
	expect(result.error).toBeUndefined();
	const accepted = creates(emulator).filter((r) => r.status === 200);
	expect(accepted).toHaveLength(80);
	expect(new Set(accepted.map((r) => r.rawBody)).size).toBe(80);
	// 80 at 20 a second: a first round refused while the rate is unknown, then a few as it is probed upwards
	// (sent without learning: 429s in every one-second window, about 40 in all)
	expect(emulator.rateLimited).toBeGreaterThan(0);
	expect(emulator.rateLimited).toBeLessThanOrEqual(20);
});

describe('examples/csv-leads-import.json', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const example = require('../examples/csv-leads-import.json') as {
		nodes: Array<{ name: string; type: string; parameters: INodeParameters; onError?: string }>;
	};
	const tracyNode = example.nodes.find((n) => n.type === 'n8n-nodes-tracy.tracy')!;
	const summarize = (items: unknown[]) => {
		const code = String(example.nodes.find((n) => n.name === 'Summary')!.parameters.jsCode);
		// the Code node's JavaScript, given the Tracy node's output as n8n's $input
		return (
			new Function('$input', code) as (input: unknown) => Array<{ json: Record<string, unknown> }>
		)({ all: () => items })[0].json;
	};
	// rows as Extract from File gives them: one object per CSV line, every value a string
	const rows = [
		{
			Name: 'Ada Byron',
			Email: 'ada.byron@example.com',
			Phone: '+44 20 7946 0001',
			Company: 'Analytical Ltd',
		},
		{
			Name: 'Edsger Dijkstra',
			Email: 'edsger@example.com',
			Phone: '+31 20 555 0102',
			Company: 'Eindhoven Systems',
		},
		{ Name: 'Barbara Liskov', Email: 'barbara@example.com', Phone: '+1 617 555 0103', Company: '' },
		{ Name: 'No Email', Email: '', Phone: '+1 555 0104', Company: 'Nowhere' },
		{
			Name: 'Donald Knuth',
			Email: 'don@example.com',
			Phone: '+1 650 555 0105',
			Company: 'Stanford Press',
		},
	];

	test('Extract from File → Create or Update on Email → Summary: run twice, nothing is created twice; the row without email fails alone', async () => {
		emulator = await startEmulator();
		expect(example.nodes.map((n) => n.type)).toEqual([
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.readWriteFile',
			'n8n-nodes-base.extractFromFile',
			'n8n-nodes-tracy.tracy',
			'n8n-nodes-base.code',
		]);
		expect(tracyNode.onError).toBe('continueRegularOutput');
		const run = async () =>
			await runNode({
				parameters: tracyNode.parameters,
				items: rows,
				credentials: credentialsFor(emulator, 'sales'),
				onError: 'continueRegularOutput',
			});

		const first = await run();
		expect(first.items.map((i) => i.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
		expect(summarize(first.items)).toMatchObject({
			rows: 5,
			created: 4,
			updated: 0,
			unchanged: 0,
			failed: 1,
		});
		expect((summarize(first.items).failures as Array<{ line: number }>).map((f) => f.line)).toEqual(
			[5],
		);
		const created = emulator.requests.filter((r) => r.method === 'POST');
		expect(
			created.map(
				(r) =>
					(r.body as { datums: Array<{ property: { id: number }; value: unknown }> }).datums.find(
						(d) => d.property.id === 2,
					)?.value,
			),
		).toEqual(
			expect.arrayContaining([
				'ada.byron@example.com',
				'edsger@example.com',
				'barbara@example.com',
				'don@example.com',
			]),
		);
		expect(created).toHaveLength(4);

		const from = emulator.requests.length;
		const second = await run();
		expect(summarize(second.items)).toMatchObject({
			rows: 5,
			created: 0,
			updated: 0,
			unchanged: 4,
			failed: 1,
		});
		expect(emulator.requests.slice(from).filter((r) => r.method !== 'GET')).toEqual([]);
	});
});

test('Continue On Fail: each error item says whether the lead may be in Tracy (outcome), for a workflow that keeps what failed', async () => {
	emulator = await startEmulator();
	const items = leads(6);
	items[0].email = 'not-an-email';
	const fault = (email: string, extra: object) =>
		emulator.faults.push({
			match: (r) => r.method === 'POST' && r.rawBody.includes(email),
			times: 1,
			status: 500,
			...extra,
		});
	fault('lead1@', { status: 422, body: { title: 'Unprocessable', status: 422 } });
	fault('lead2@', { status: 500, afterProcessing: true });
	fault('lead3@', { status: 429, headers: { 'Retry-After': '120' } });
	fault('lead4@', { status: 200, socket: 'reset', afterProcessing: true });
	const result = await runNode({
		parameters: parameters(),
		items,
		credentials: credentialsFor(emulator, 'webform'),
		onError: 'continueRegularOutput',
	});
	expect(
		result.items.map(
			(i) => (i.json.error as { outcome?: string } | undefined)?.outcome ?? 'created',
		),
	).toEqual(['refused', 'refused', 'unknown', 'unreachable', 'unknown', 'created']);
	// n8n's two-key error item: the text, and what is known of the error
	expect(result.items[2].json).toEqual({
		message: 'Tracy had a temporary problem (500)',
		error: {
			message: 'Tracy had a temporary problem (500)',
			description: expect.stringContaining('outcome of this POST is unknown'),
			httpCode: '500',
			outcome: 'unknown',
		},
	});
	// what "unknown" means: lead 2 and 4 were stored although their answers failed
	const stored = emulator.storedRecords(1).map((r) => JSON.stringify(r));
	expect(stored.some((r) => r.includes('lead2@'))).toBe(true);
	expect(stored.some((r) => r.includes('lead4@'))).toBe(true);
	expect(stored.some((r) => r.includes('lead3@'))).toBe(false);
});
