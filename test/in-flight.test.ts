/**
 * Big imports Tracy can bear: the transport's bound on requests in flight per n8n process and base
 * URL, lowered by 429s, shared by executions, and a batch that stops sending once an item failed.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_MAX_IN_FLIGHT } from '../nodes/Tracy/transport/inFlight';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, rl, webFormLead } from './helpers';

const leads = (n: number, tag = 'lead') => Array.from({ length: n }, (_, i) => ({ name: `Lead ${i}`, email: `${tag}${i}@example.com` }));
const parameters = (extra: INodeParameters = {}): INodeParameters =>
	webFormLead(extra, { name: '={{ $json.name }}', email: '={{ $json.email }}' }, { name: rl(1), email: rl(2) });
const creates = (emulator: TracyEmulator) => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/records');

// each test gets its own Tracy (its own base URL), so that one test's bound does not carry into the next
let emulator: TracyEmulator;
afterEach(async () => emulator?.stop());

test(`the bound holds: 60 creates against a slow Tracy never have more than ${DEFAULT_MAX_IN_FLIGHT} requests in flight; all are created, paired`, async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const result = await runNode({ parameters: parameters(), items: leads(60), credentials: credentialsFor(emulator, 'webform') });
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => [(i.json.sent as { email: string }).email, i.pairedItem])).toEqual(leads(60).map((l, i) => [l.email, { item: i }]));
	expect(creates(emulator)).toHaveLength(60);
	expect(emulator.peakInFlight).toBe(DEFAULT_MAX_IN_FLIGHT);
});

test('Request Options → Max Requests in Flight sets the bound', async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const result = await runNode({ parameters: parameters({ requestOptions: { maxInFlight: 3 } }), items: leads(30), credentials: credentialsFor(emulator, 'webform') });
	expect(result.error).toBeUndefined();
	expect(creates(emulator)).toHaveLength(30);
	expect(emulator.peakInFlight).toBe(3);
});

test("the node's own extra requests count too: Skip if Exists' look-ups and creates share the bound", async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const result = await runNode({ parameters: parameters({ options: { skipIfExists: true } }), items: leads(30), credentials: credentialsFor(emulator, 'sales') });
	expect(result.error).toBeUndefined();
	expect(emulator.requests.filter((r) => r.method === 'GET')).toHaveLength(30);
	expect(creates(emulator)).toHaveLength(30);
	expect(emulator.peakInFlight).toBe(DEFAULT_MAX_IN_FLIGHT);
});

test('a 429 halves the bound and holds new requests back for its Retry-After; every lead is still created once', async () => {
	emulator = await startEmulator({ delayMs: 60 });
	// the first round of 10 creates is refused: Tracy did not process them
	emulator.faults.push({ match: (r) => r.method === 'POST', status: 429, headers: { 'Retry-After': '1' }, times: 10 });
	const started = Date.now();
	const result = await runNode({ parameters: parameters(), items: leads(40), credentials: credentialsFor(emulator, 'webform') });
	expect(result.error).toBeUndefined();
	const posts = creates(emulator);
	const refused = posts.filter((r) => r.status === 429);
	const after = posts.slice(posts.findIndex((r) => r.status === 429) + refused.length);
	expect(refused).toHaveLength(10);
	expect(Math.max(...refused.map((r) => r.inFlight ?? 0))).toBe(10);
	// halved to 5: the first round after the pause is 5; then raised by one per round of successes
	expect(Math.max(...after.slice(0, 5).map((r) => r.inFlight ?? 0))).toBe(5);
	expect(Math.max(...after.map((r) => r.inFlight ?? 0))).toBeLessThan(10);
	expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	expect(posts.filter((r) => r.status === 200)).toHaveLength(40);
	expect(new Set(posts.filter((r) => r.status === 200).map((r) => r.rawBody)).size).toBe(40);
});

test('without Continue On Fail, a failing item stops the items not yet sent; the error counts written, failed and not sent', async () => {
	emulator = await startEmulator({ delayMs: 20 });
	emulator.faults.push({ match: (r) => r.method === 'POST' && r.rawBody.includes('lead4@'), status: 500, times: 1 });
	const result = await runNode({ parameters: parameters({ requestOptions: { maxInFlight: 2 } }), items: leads(30), credentials: credentialsFor(emulator, 'webform') });
	expect(result.error?.message).toBe('Tracy had a temporary problem (500)');
	const sent = creates(emulator);
	// items 1-4 before it, item 5 itself, and at most the one item in flight beside it
	expect(sent.length).toBeGreaterThanOrEqual(5);
	expect(sent.length).toBeLessThanOrEqual(6);
	const written = sent.filter((r) => r.status === 200).length;
	expect(result.error?.description).toContain('The execution stopped at item 5 of 30 (lead lead4@example.com).');
	expect(result.error?.description).toContain(`Written: ${written}, failed: 1 (item 5), not sent: ${30 - sent.length}.`);
});

test('a not-sent item names the item that failed first', async () => {
	emulator = await startEmulator({ delayMs: 20 });
	// the first item is refused before sending (bad email): nothing after it is sent
	const items = leads(5);
	items[0].email = 'not-an-email';
	const result = await runNode({ parameters: parameters({ requestOptions: { maxInFlight: 1 } }), items, credentials: credentialsFor(emulator, 'webform'), onError: 'continueRegularOutput' });
	// with Continue On Fail, everything goes on as before
	expect(creates(emulator)).toHaveLength(4);
	expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	const stopped = await runNode({ parameters: parameters({ requestOptions: { maxInFlight: 1 } }), items, credentials: credentialsFor(emulator, 'webform') });
	expect(stopped.error?.message).toMatch(/Email/);
	expect(stopped.error?.description).toContain('Written: 0, failed: 1 (item 1), not sent: 4.');
	expect(creates(emulator)).toHaveLength(4);
});

test('with Continue On Fail every item is sent and paired, failures in place', async () => {
	emulator = await startEmulator({ delayMs: 10 });
	emulator.faults.push({ match: (r) => r.method === 'POST' && /lead\d*[05]@/.test(r.rawBody), status: 500, times: Infinity });
	const result = await runNode({ parameters: parameters(), items: leads(30), credentials: credentialsFor(emulator, 'webform'), onError: 'continueRegularOutput' });
	expect(result.error).toBeUndefined();
	expect(creates(emulator)).toHaveLength(30);
	expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(leads(30).map((_, i) => i));
	expect(result.items.filter((i) => i.json.error).map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 5, 10, 15, 20, 25]);
});

test('two executions in one process share the bound of their Tracy', async () => {
	emulator = await startEmulator({ delayMs: 40 });
	const [a, b] = await Promise.all([
		runNode({ parameters: parameters(), items: leads(30, 'a'), credentials: credentialsFor(emulator, 'webform') }),
		runNode({ parameters: parameters(), items: leads(30, 'b'), credentials: credentialsFor(emulator, 'webform') }),
	]);
	expect([a.error, b.error]).toEqual([undefined, undefined]);
	expect(creates(emulator)).toHaveLength(60);
	expect(emulator.peakInFlight).toBe(DEFAULT_MAX_IN_FLIGHT);
	// the executions take turns once both wait: the second does not wait for the first one's whole batch
	const order = creates(emulator).map((r) => (/"a\d+@/.test(r.rawBody) ? 'a' : 'b'));
	expect(order.slice(0, 30).filter((x) => x === 'b').length).toBeGreaterThanOrEqual(9);
});
