/**
 * What the node's engine relies on in n8n's declarative engine (docs/development.md › "What the node
 * relies on in n8n"), each checked here against the n8n-core the tests run, and end to end in a real n8n
 * by test/e2e/suites/engine.ts. If n8n changes one of these, a test here fails.
 */
import { DirectoryLoader } from 'n8n-core';
import type { INodeProperties } from 'n8n-workflow';

import { Run } from '../nodes/Tracy/engine/item';
import { Tracy } from '../nodes/Tracy/Tracy.node';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());
afterEach(() => jest.restoreAllMocks());

const archive = (id: string) => ({ recordId: id });
const archiveParameters = {
	resource: 'record',
	operation: 'archive',
	recordId: { ...rl(0), value: '={{ $json.recordId }}' },
};

/** Records what n8n does with a run's items: when each is handed over and settles, and the run's size then. */
function watchRuns() {
	const events: string[] = [];
	const sizes: number[] = [];
	const finalSizes: number[] = [];
	const enter = Run.prototype.enter;
	const settle = Run.prototype.settle;
	jest.spyOn(Run.prototype, 'enter').mockImplementation(function (this: Run) {
		events.push('enter');
		sizes.push(this.size);
		enter.call(this);
	});
	jest.spyOn(Run.prototype, 'settle').mockImplementation(function (this: Run) {
		events.push('settle');
		finalSizes.push(this.size);
		settle.call(this);
	});
	return { events, sizes, finalSizes };
}

it("hands the runner each item with its own context and its routed request: the routing's method and path, the credential's base URL and key", async () => {
	const result = await runNode({
		parameters: archiveParameters,
		items: [archive('1'), archive('2')],
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(result.error).toBeUndefined();
	expect(
		emulator.requests.map(
			(r) => `${r.method} ${r.path} ${String((r.body as { id?: unknown }).id)}`,
		),
	).toEqual(['PUT /v1/records 1', 'PUT /v1/records 2']);
	expect(emulator.requests.every((r) => r.headers['x-api-key'] === emulator.keyFor('sales'))).toBe(
		true,
	);
	expect(result.items.map((i) => [i.json.id, i.pairedItem])).toEqual([
		[1, { item: 0 }],
		[2, { item: 1 }],
	]);
});

it('hands every item of a run over before any item settles, and the run counts the items n8n runs', async () => {
	const { events, sizes, finalSizes } = watchRuns();
	emulator.delays.push({ match: () => true, ms: 50 });
	const result = await runNode({
		parameters: archiveParameters,
		items: [archive('1'), archive('2'), archive('3')],
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(result.error).toBeUndefined();
	expect(events).toEqual(['enter', 'enter', 'enter', 'settle', 'settle', 'settle']);
	expect(sizes).toEqual([0, 1, 2]);
	expect(finalSizes).toEqual([3, 3, 3]);
});

it('reports the lowest failed item only once every item has settled: its summary counts the writes answered after it', async () => {
	// item 1's refusal comes first; items 2 and 3 are answered later and must be counted
	emulator.delays.push(
		{ match: (r) => (r.body as { id?: unknown })?.id === 999, ms: 20 },
		{ match: () => true, ms: 400 },
	);
	const result = await runNode({
		parameters: archiveParameters,
		items: [archive('999'), archive('1'), archive('2')],
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(emulator.requests).toHaveLength(3);
	expect(result.error?.message).toBe('Tracy found no record 999');
	expect(result.error?.description).toContain('The execution stopped at item 1 of 3.');
	expect(result.error?.description).toContain('Written: 2, failed: 1 (item 1), not sent: 0.');
});

it("keeps what the runner returns as the item's output, an error item included, each paired to its input", async () => {
	const result = await runNode({
		parameters: archiveParameters,
		items: [archive('999'), archive('1')],
		credentials: credentialsFor(emulator, 'sales'),
		onError: 'continueRegularOutput',
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toEqual([
		{
			json: {
				message: 'Tracy found no record 999',
				error: expect.objectContaining({ httpCode: '404', outcome: 'refused' }),
			},
			pairedItem: { item: 0 },
		},
		expect.objectContaining({ json: expect.objectContaining({ id: 1 }), pairedItem: { item: 1 } }),
	]);
});

it('gives each run of the node its own Run, dropped when its last item settles', async () => {
	const seen = new Set<Run>();
	const enter = Run.prototype.enter;
	jest.spyOn(Run.prototype, 'enter').mockImplementation(function (this: Run) {
		seen.add(this);
		enter.call(this);
	});
	for (let i = 0; i < 2; i++) {
		const result = await runNode({
			parameters: archiveParameters,
			items: [archive('1')],
			credentials: credentialsFor(emulator, 'sales'),
		});
		expect(result.error).toBeUndefined();
	}
	expect(seen.size).toBe(2);
});

it("with Batching, waits for n8n's later batches: a failure's summary counts the items n8n hands over after it", async () => {
	const result = await runNode({
		parameters: {
			...archiveParameters,
			requestOptions: { batching: { batch: { batchSize: 1, batchInterval: 50 } } },
		},
		items: [archive('999'), archive('1'), archive('2')],
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(emulator.requests.map((r) => (r.body as { id?: unknown }).id)).toEqual([999]);
	expect(result.error?.message).toBe('Tracy found no record 999');
	expect(result.error?.description).toContain('The execution stopped at item 1 of 3.');
	expect(result.error?.description).toContain('Written: 0, failed: 1 (item 1), not sent: 2.');
});

it('bad input found at once still lets n8n hand over the other items first: they are not sent, and counted', async () => {
	const result = await runNode({
		parameters: archiveParameters,
		items: [archive('abc'), archive('1'), archive('2')],
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(emulator.requests).toHaveLength(0);
	expect(result.error?.message).toBe('The field "Record" must be a positive whole number, not abc');
	expect(result.error?.description).toContain('Written: 0, failed: 1 (item 1), not sent: 2.');
});

it('an error several items share (one dataset read for the run) carries one summary, not one per item', async () => {
	const result = await runNode({
		parameters: {
			resource: 'record',
			operation: 'create',
			dataset: rl(999),
			columns: { mappingMode: 'autoMapInputData', value: null },
		},
		items: [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }],
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/999']);
	expect(result.error?.message).toBe('Tracy found no dataset 999');
	expect(result.error?.description?.match(/The execution stopped at/g)).toHaveLength(1);
});

it("n8n's loader merges its request options into the node's own, once each, where the node reads them", () => {
	const tracy = new Tracy();
	DirectoryLoader.applyDeclarativeNodeOptionParameters(tracy);
	const collection = tracy.description.properties.filter((p) => p.name === 'requestOptions');
	expect(collection).toHaveLength(1);
	const options = collection[0].options as INodeProperties[];
	const names = options.map((o) => o.name);
	// n8n's (read by transport/request.ts and engine/n8n.ts) and the node's own, none twice
	expect([...names].sort()).toEqual(
		[
			'allowUnauthorizedCerts',
			'batching',
			'maxInFlight',
			'maxRetryWait',
			'proxy',
			'rateLimitRetries',
			'timeout',
		].sort(),
	);
	// engine/n8n.ts reads the Batch Interval at requestOptions.batching.batch.batchInterval
	const batching = options.find((o) => o.name === 'batching')!.options as INodeProperties[];
	const batch = batching.find((o) => o.name === 'batch')!;
	expect((batch as unknown as { values: INodeProperties[] }).values.map((v) => v.name)).toContain(
		'batchInterval',
	);
});
