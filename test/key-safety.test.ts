/**
 * The API key must never appear in an output item, an error (message, description, stack,
 * cause), the serialised execution or a log line, whatever happens.
 */
import type { INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { capturedLogs, listSearch, runNode, safeStringify, testCredential } from './harness';
import { createParams, getParams, propertyValues, webFormLead } from './helpers';

const CANARY = 'tracy-canary-9f8e7d6c5b4a39281706';
const WEBFORM_CANARY = 'tracy-canary-webform-0a1b2c3d4e5f6';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => {
	emulator.reset();
	emulator.addKey({ key: CANARY, name: 'canary', userType: 'owner', role: null });
	emulator.addKey({ key: WEBFORM_CANARY, name: 'canary web form', userType: 'user', role: 2 });
	capturedLogs.length = 0;
});

function expectNoKey(...things: unknown[]) {
	for (const thing of things) {
		const text = typeof thing === 'string' ? thing : (safeStringify(thing) ?? '');
		expect(text).not.toContain(CANARY);
		expect(text).not.toContain(WEBFORM_CANARY);
	}
	expect(capturedLogs.join('\n')).not.toContain(CANARY);
	expect(capturedLogs.join('\n')).not.toContain(WEBFORM_CANARY);
}

const create = createParams([[1, 'Canary']], {
	requestOptions: { rateLimitRetries: 1, maxRetryWait: 0.01 },
});

type Scenario = [string, () => void, INodeParameters, string?];
const scenarios: Scenario[] = [
	['success (get)', () => {}, getParams(1)],
	['success (create)', () => {}, create],
	[
		'success (lead, create-only key)',
		() => {},
		webFormLead({}, { name: 'Canary', email: 'c@example.com' }),
		WEBFORM_CANARY,
	],
	[
		'400',
		() =>
			emulator.faults.push({
				match: () => true,
				status: 400,
				body: { title: 'Bad', errors: { x: ['y'] } },
				times: 9,
			}),
		create,
	],
	['401', () => {}, getParams(1), 'not-the-canary-but-unknown'],
	['403', () => {}, getParams(1), WEBFORM_CANARY],
	['404', () => {}, getParams(999)],
	['409', () => emulator.faults.push({ match: () => true, status: 409, times: 9 }), create],
	['422', () => {}, { ...create, propertyValues: propertyValues([[2, 'not-an-email']]) }],
	[
		'429 exhausted',
		() =>
			emulator.faults.push({
				match: () => true,
				status: 429,
				headers: { 'Retry-After': '0' },
				times: 9,
			}),
		create,
	],
	['500', () => emulator.faults.push({ match: () => true, status: 500, times: 9 }), create],
	[
		'redirect',
		() =>
			emulator.faults.push({
				match: () => true,
				status: 302,
				headers: { Location: 'http://127.0.0.3:9/' },
				times: 9,
			}),
		getParams(1),
	],
	['bad input', () => {}, getParams('={{ "abc" }}')],
];

describe('the API key never leaks', () => {
	it.each(scenarios)('%s', async (_name, arm, parameters, key = CANARY) => {
		arm();
		for (const onError of [undefined, 'continueRegularOutput', 'continueErrorOutput'] as const) {
			const result = await runNode({
				parameters,
				credentials: { apiKey: key, baseUrl: emulator.url },
				onError,
			});
			expectNoKey(
				result.items,
				result.errorItems,
				result.error,
				(result.error as Error | undefined)?.stack,
				result.run,
			);
		}
		// and the requests carried it in the header only
		for (const r of emulator.requests) {
			const { 'x-api-key': _sent, ...rest } = r.headers;
			expectNoKey(rest, r.path, r.query, r.rawBody);
		}
	});

	it('would notice a key if one were there', async () => {
		expect(() => expectNoKey({ nested: [{ header: `X-Api-Key: ${CANARY}` }] })).toThrow();
		await runNode({
			parameters: getParams(1),
			credentials: { apiKey: CANARY, baseUrl: emulator.url },
		});
		// the engine's own log lines are captured, so a key logged there would be seen
		expect(capturedLogs.length).toBeGreaterThan(0);
		capturedLogs.push(`debug request headers ${CANARY}`);
		expect(() => expectNoKey()).toThrow();
		capturedLogs.length = 0;
	});

	it('unreachable host', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: { apiKey: CANARY, baseUrl: 'http://127.0.0.1:1' },
		});
		expect(result.error).toBeDefined();
		expectNoKey(result.error, (result.error as Error).stack, result.run);
	});

	it('credential test, every outcome', async () => {
		const outcomes = [
			await testCredential({ apiKey: CANARY, baseUrl: emulator.url }),
			await testCredential({ apiKey: WEBFORM_CANARY, baseUrl: emulator.url }),
			await testCredential({ apiKey: `${CANARY}x`, baseUrl: emulator.url }),
			await testCredential({ apiKey: CANARY, baseUrl: 'http://127.0.0.1:1' }),
		];
		expect(outcomes.map((o) => o.status)).toEqual(['OK', 'OK', 'Error', 'Error']);
		expectNoKey(outcomes);
	});

	it('list search errors', async () => {
		const error = await listSearch(
			'searchDatasets',
			{},
			{ apiKey: WEBFORM_CANARY, baseUrl: emulator.url },
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Error);
		expectNoKey(error, (error as Error).stack);
	});
});
