/**
 * The per-item state (transport/itemState.ts) relies on how n8n's RoutingNode hands the item to
 * the pagination hook: a context made with `Object.create(itemContext)`. If a new n8n changes
 * that, these tests fail loudly instead of items silently losing their input errors and plans.
 */
import * as itemStateModule from '../nodes/Tracy/transport/itemState';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, getParams, webFormLead } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());
afterEach(() => jest.restoreAllMocks());

it('the pagination hook reaches the same state object as the preSend hooks of its item', async () => {
	const seen: Array<{ paginating: boolean; item: number; state: object }> = [];
	const real = itemStateModule.itemState;
	jest.spyOn(itemStateModule, 'itemState').mockImplementation((ctx) => {
		const state = real(ctx);
		seen.push({
			paginating: Object.prototype.hasOwnProperty.call(ctx, 'makeRoutingRequest'),
			item: ctx.getItemIndex(),
			state,
		});
		return state;
	});
	const items = [
		{ name: 'A', email: 'a@example.com' },
		{ name: 'B', email: 'b@example.com' },
	];
	const result = await runNode({
		parameters: webFormLead({ options: { skipIfExists: true } }),
		items,
		credentials: credentialsFor(emulator, 'sales'),
	});
	expect(result.error).toBeUndefined();
	for (const item of [0, 1]) {
		const before = seen.filter((s) => s.item === item && !s.paginating);
		const during = seen.filter((s) => s.item === item && s.paginating);
		expect(before.length).toBeGreaterThan(0);
		expect(during.length).toBeGreaterThan(0);
		for (const s of [...before, ...during]) expect(s.state).toBe(before[0].state);
	}
	// the two items never share a state
	expect(seen.find((s) => s.item === 0)?.state).not.toBe(seen.find((s) => s.item === 1)?.state);
});

it('an input error found by preSend reaches the pagination hook: nothing is sent, the item is paired', async () => {
	const result = await runNode({
		parameters: getParams('={{ $json.id }}'),
		items: [{ id: 'abc' }],
		credentials: credentialsFor(emulator, 'sales'),
		onError: 'continueRegularOutput',
	});
	expect(emulator.requests).toHaveLength(0);
	expect(result.items).toEqual([expect.objectContaining({ pairedItem: { item: 0 } })]);
	expect(result.items[0].json.message).toBe(
		'The field "Record" must be a positive whole number, not abc',
	);
});

it('a pagination context that does not derive from an item context is refused, not given an empty state', () => {
	const stray = Object.create({}, { makeRoutingRequest: { value: () => undefined } });
	expect(() => itemStateModule.itemState(stray)).toThrow(
		'The pagination context no longer derives from the item context',
	);
});
