/** Large batches: nothing lost, nothing sent twice, every item paired to its input. */
import type { INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, rl, webFormLead } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const N = 1000;

/** Item i fails in a known way: 3 → bad email, 5 → a state the key may not create in (403), 7 → unknown option (422), 9 of 50 → 502 after the write. */
function kind(i: number): 'ok' | 'invalid' | 'forbidden' | 'unprocessable' | 'serverError' {
	if (i % 10 === 3) return 'invalid';
	if (i % 10 === 5) return 'forbidden';
	if (i % 10 === 7) return 'unprocessable';
	if (i % 50 === 9) return 'serverError';
	return 'ok';
}

const items = Array.from({ length: N }, (_, i) => ({
	name: `Lead ${i}`,
	email:
		kind(i) === 'invalid'
			? `lead${i}-at-example.com`
			: kind(i) === 'serverError'
				? `fail500-${i}@example.com`
				: `lead${i}@example.com`,
	source: kind(i) === 'unprocessable' ? 'Carrier pigeon' : 'Website',
	state: kind(i) === 'forbidden' ? '2' : '',
}));

const parameters: INodeParameters = webFormLead(
	{ state: rl('={{ $json.state }}') },
	{ name: '={{ $json.name }}', email: '={{ $json.email }}', source: '={{ $json.source }}' },
	{ name: rl(1), email: rl(2), source: rl(6) },
);

function armFaults() {
	emulator.faults.push({
		match: (r) => r.method === 'POST' && JSON.stringify(r.body).includes('fail500-'),
		status: 502,
		times: Infinity,
		afterProcessing: true,
	});
}

function postsByEmail() {
	const counts = new Map<string, number>();
	for (const r of emulator.requests.filter((q) => q.method === 'POST')) {
		const email = (r.body as { datums: Array<{ value: string }> }).datums[1].value;
		counts.set(email, (counts.get(email) ?? 0) + 1);
	}
	return counts;
}

const expectedMessage: Record<string, RegExp> = {
	invalid: /^Lead Properties › Email › Value "lead\d+-at-example\.com" is not an email address$/,
	forbidden:
		/^The API key's role lacks the "create" permission on the records of dataset 1 in state 2$/,
	unprocessable:
		/^Tracy rejected the request: Lead Properties › Source \(property 6\): Source "Carrier pigeon" is not one of the options/,
	serverError: /^Tracy had a temporary problem \(502\)$/,
};

describe(`a batch of ${N} leads with failures`, () => {
	it('with Continue On Fail (regular output): one item per input, in order, paired, nothing sent twice', async () => {
		armFaults();
		const result = await runNode({
			parameters,
			items,
			credentials: credentialsFor(emulator, 'webform'),
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(N);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			const k = kind(i);
			if (k === 'ok') {
				expect(item.json.created).toBe(true);
				expect((item.json.sent as { email: string }).email).toBe(items[i].email);
			} else {
				expect(item.json.message).toMatch(expectedMessage[k]);
			}
		});
		const posts = postsByEmail();
		expect([...posts.values()].every((c) => c === 1)).toBe(true);
		expect(posts.size).toBe(items.filter((_, i) => kind(i) !== 'invalid').length);
		const created = emulator.storedRecords(1).length - 5;
		expect(created).toBe(
			items.filter((_, i) => kind(i) === 'ok' || kind(i) === 'serverError').length,
		);
	});

	it('with Continue On Fail (error output): successes and failures split, each paired to its input', async () => {
		armFaults();
		const result = await runNode({
			parameters,
			items,
			credentials: credentialsFor(emulator, 'webform'),
			onError: 'continueErrorOutput',
		});
		const failing = items.map((_, i) => i).filter((i) => kind(i) !== 'ok');
		expect(result.items).toHaveLength(N - failing.length);
		expect(result.errorItems).toHaveLength(failing.length);
		expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(
			items.map((_, i) => i).filter((i) => kind(i) === 'ok'),
		);
		expect(result.errorItems.map((i) => (i.pairedItem as { item: number }).item)).toEqual(failing);
		for (const item of result.errorItems) {
			const index = (item.pairedItem as { item: number }).item;
			expect(item.json.message).toMatch(expectedMessage[kind(index)]);
		}
		expect([...postsByEmail().values()].every((c) => c === 1)).toBe(true);
	});

	it("without Continue On Fail: the run stops with the first failing item's error", async () => {
		armFaults();
		const result = await runNode({
			parameters,
			items,
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toMatch(expectedMessage.invalid);
		expect(result.error?.message).toContain('lead3-at-example.com');
		expect([...postsByEmail().values()].every((c) => c === 1)).toBe(true);
	});
});

describe(`${N} creates against a rate-limited Tracy`, () => {
	it('finish with Batching and Retry-After, every item created exactly once', async () => {
		// each batch of 100 is more than the limit allows in one second, so 429s are certain
		const limited = await startEmulator({ rateLimitPerSecond: 80 });
		try {
			const batch = items.map((item, i) => ({
				...item,
				email: `rate${i}@example.com`,
				state: '',
				source: 'Website',
			}));
			const result = await runNode({
				parameters: {
					...parameters,
					requestOptions: {
						batching: { batch: { batchSize: 100, batchInterval: 1250 } },
						rateLimitRetries: 20,
					},
				},
				items: batch,
				credentials: credentialsFor(limited, 'webform'),
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(N);
			const wrong = result.items.findIndex(
				(item, i) =>
					item.json.created !== true ||
					(item.json.sent as { email: string }).email !== batch[i].email,
			);
			expect(wrong === -1 ? 'all right' : { index: wrong, item: result.items[wrong].json }).toBe(
				'all right',
			);
			const accepted = limited.requests.filter((r) => r.status === 200);
			expect(accepted).toHaveLength(N);
			const emails = accepted.map(
				(r) => (r.body as { datums: Array<{ value: string }> }).datums[1].value,
			);
			expect(new Set(emails).size).toBe(N);
			expect(limited.storedRecords(1).length).toBe(5 + N);
			// the limit was hit and honoured, not avoided by luck
			expect(limited.requests.some((r) => r.status === 429)).toBe(true);
		} finally {
			await limited.stop();
		}
		// a busy machine stretches each batch past the emulator's one-second window: room, not a timing check
	}, 180_000);
});
