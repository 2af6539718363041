import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { parseErrorBody, parseRetryAfter } from '../nodes/Tracy/contract/assumptions';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode, testCredential } from './harness';
import { createParams, credentialsFor, getParams, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const owner = () => credentialsFor(emulator, 'owner');
const newRecord = createParams([[1, 'Retry Lead']]);
const fast = { requestOptions: { maxRetryWait: 0.05 } };

describe('errors that say what to do', () => {
	it('409: says why and what to do', async () => {
		emulator.faults.push({
			match: (r) => r.method === 'PUT',
			status: 409,
			body: { title: 'Conflict', detail: 'The record was changed by someone else.' },
			times: 1,
		});
		const result = await runNode({
			parameters: { resource: 'record', operation: 'archive', recordId: rl(1) },
			credentials: owner(),
		});
		expect(result.error?.message).toBe(
			'Tracy refused the change because of a conflict: The record was changed by someone else.',
		);
		expect(result.error?.description).toContain('Read it again, then retry');
	});

	it('400 with an RFC 7807 errors map names each field', async () => {
		emulator.faults.push({
			match: (r) => r.method === 'POST',
			status: 400,
			body: {
				title: 'One or more validation errors occurred.',
				status: 400,
				errors: { 'datums[0].value': ['Name is too long'], state: ['is archived'] },
			},
			times: 1,
		});
		const result = await runNode({ parameters: newRecord, credentials: owner() });
		expect(result.error?.message).toBe(
			'Tracy rejected the request: Property Values, row 1 (property 1): Name is too long',
		);
		expect(result.error?.description).toContain('state: is archived');
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
	});

	it('a plain-text error body becomes the reason', async () => {
		emulator.faults.push({ match: () => true, status: 422, body: 'Dataset is disabled', times: 1 });
		const result = await runNode({ parameters: newRecord, credentials: owner() });
		expect(result.error?.message).toBe('Tracy rejected the request: Dataset is disabled');
	});
});

describe('429: Retry-After, bounded', () => {
	it('waits as Tracy asks and retries a create until it goes through, creating it once', async () => {
		emulator.faults.push({
			match: (r) => r.method === 'POST',
			status: 429,
			headers: { 'Retry-After': '0' },
			times: 2,
		});
		const before = emulator.recordCount(1);
		const result = await runNode({ parameters: newRecord, credentials: owner() });
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 200]);
		expect(emulator.recordCount(1)).toBe(before + 1);
		expect(result.items).toHaveLength(1);
	});

	it('gives up after the configured retries with a message that says it is temporary', async () => {
		emulator.faults.push({
			match: () => true,
			status: 429,
			headers: { 'Retry-After': '0' },
			times: Infinity,
		});
		const result = await runNode({
			parameters: { ...getParams(1), requestOptions: { rateLimitRetries: 2, maxRetryWait: 0.01 } },
			credentials: owner(),
		});
		expect(emulator.requests).toHaveLength(3);
		expect(result.error?.message).toBe('Tracy is rate limiting this key (429)');
		expect(result.error?.description).toContain('The node tried 3 times');
		expect(result.error?.description).toContain('Batching');
	});

	it('a Retry-After longer than Max Retry Wait fails at once, saying how long Tracy asked to wait', async () => {
		// short waits: a node that waited as asked would still end (and fail here) well within the test's time
		emulator.faults.push({
			match: () => true,
			status: 429,
			headers: { 'Retry-After': '3' },
			times: Infinity,
		});
		const result = await runNode({
			parameters: { ...newRecord, requestOptions: { maxRetryWait: 1 } },
			credentials: owner(),
		});
		expect(emulator.requests).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Tracy is rate limiting this key and asked to wait 3 s (Retry-After)',
		);
		expect(result.error?.description).toContain(
			'longer than Settings › Request Options › Max Retry Wait (1 s)',
		);
	});

	it('an empty or negative Retry-After counts as absent: the node backs off on its own', async () => {
		emulator.faults.push({
			match: () => true,
			status: 429,
			headers: { 'Retry-After': '' },
			times: 1,
		});
		emulator.faults.push({
			match: () => true,
			status: 429,
			headers: { 'Retry-After': '-5' },
			times: 1,
		});
		const result = await runNode({
			parameters: { ...getParams(1), ...fast },
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.status)).toEqual([429, 429, 200]);
		expect(parseRetryAfter('')).toBeUndefined();
		expect(parseRetryAfter('-5')).toBeUndefined();
		expect(parseRetryAfter('  ')).toBeUndefined();
	});

	it('parses Retry-After in seconds and as an HTTP date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(
			parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1)),
		).toBe(10000);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('5xx: retried for reads only', () => {
	it('retries a read after a 503', async () => {
		emulator.faults.push({ match: () => true, status: 503, times: 1 });
		const result = await runNode({
			parameters: { ...getParams(1), ...fast },
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.status)).toEqual([503, 200]);
	});

	it('never retries a create: one request, and the error says the outcome is unknown', async () => {
		// the write happens, then the answer is lost in a 502
		emulator.faults.push({
			match: (r) => r.method === 'POST',
			status: 502,
			times: 1,
			afterProcessing: true,
		});
		const before = emulator.recordCount(1);
		const result = await runNode({
			parameters: { ...newRecord, ...fast },
			credentials: owner(),
		});
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.recordCount(1)).toBe(before + 1);
		expect(result.error?.message).toBe('Tracy had a temporary problem (502)');
		expect(result.error?.description).toContain('The outcome of this POST is unknown');
	});

	it('gives up on a read after two retries', async () => {
		emulator.faults.push({
			match: () => true,
			status: 500,
			body: { title: 'Internal Server Error' },
			times: Infinity,
		});
		const result = await runNode({
			parameters: { ...getParams(1), ...fast },
			credentials: owner(),
		});
		expect(emulator.requests).toHaveLength(3);
		expect(result.error?.description).toContain('Try again later. The node tried 3 times.');
	});
});

describe('where the key may go', () => {
	let other: http.Server;
	let otherUrl: string;
	const otherSaw: http.IncomingHttpHeaders[] = [];
	beforeAll(async () => {
		other = http.createServer((req, res) => {
			otherSaw.push(req.headers);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"id":1}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
		otherUrl = `http://127.0.0.2:${(other.address() as AddressInfo).port}`;
	});
	afterAll(async () => new Promise((resolve) => other.close(resolve)));

	it('does not follow a redirect to another host, so the key never reaches it', async () => {
		emulator.faults.push({
			match: () => true,
			status: 307,
			headers: { Location: `${otherUrl}/v1/records/1` },
			times: Infinity,
		});
		const get = await runNode({ parameters: getParams(1), credentials: owner() });
		const create = await runNode({ parameters: newRecord, credentials: owner() });
		expect(otherSaw).toHaveLength(0);
		expect(get.error?.message).toBe(
			'Tracy answered with a redirect (307), which the node does not follow',
		);
		expect(get.error?.description).toContain('Set the API Base URL');
		expect(create.error?.message).toBe(
			'Tracy answered with a redirect (307), which the node does not follow',
		);
		const test = await testCredential(owner());
		expect(test.status).toBe('Error');
		expect(otherSaw).toHaveLength(0);
	});

	it('refuses a plain-http base URL for a non-local host before sending anything', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: { apiKey: 'k', baseUrl: 'http://tracy.example.com' },
		});
		expect(result.error?.message).toMatch(
			/^The API Base URL uses plain http:\/\/ for a host that is not this machine: .* Use https:\/\//,
		);
	});

	it('accepts plain http for loopback addresses', async () => {
		const port = new URL(emulator.url).port;
		const result = await runNode({
			parameters: getParams(1),
			credentials: credentialsFor(emulator, 'owner', `http://localhost:${port}`),
		});
		expect(result.error).toBeUndefined();
	});

	it('rejects a base URL that is not a URL', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: { apiKey: 'k', baseUrl: 'api.tra.cy' },
		});
		expect(result.error?.message).toBe(
			'The API Base URL "api.tra.cy" is not a URL: it should look like https://api.tra.cy',
		);
	});
});

describe("Tracy's error body shapes (A9)", () => {
	it('reads message, problem details, error arrays and text', () => {
		expect(parseErrorBody({ message: 'Nope' })).toMatchObject({ message: 'Nope', fields: [] });
		expect(parseErrorBody({ title: 'Bad', detail: 'Because', errors: { a: ['x', 'y'] } })).toEqual({
			message: 'Bad',
			detail: 'Because',
			fields: [{ field: 'a', reasons: ['x', 'y'] }],
		});
		expect(
			parseErrorBody({ errors: [{ field: 'email', message: 'invalid' }, 'plain'] }).fields,
		).toEqual([
			{ field: 'email', reasons: ['invalid'] },
			{ field: '', reasons: ['plain'] },
		]);
		expect(parseErrorBody('{"message":"as text"}').message).toBe('as text');
		expect(parseErrorBody('<html>gateway</html>').message).toBeUndefined();
		expect(parseErrorBody('Service down').message).toBe('Service down');
	});
});

describe('timeouts', () => {
	let slow: TracyEmulator;
	beforeAll(async () => {
		slow = await startEmulator({ delayMs: 400 });
	});
	afterAll(async () => slow.stop());
	beforeEach(() => slow.reset());

	it('a read that times out is tried again, then fails saying so', async () => {
		const result = await runNode({
			parameters: { ...getParams(1), requestOptions: { timeout: 100 } },
			credentials: credentialsFor(slow, 'owner'),
		});
		expect(slow.requests).toHaveLength(3);
		expect(result.error?.message).toBe('Tracy did not answer within 100 ms (timeout)');
		expect(result.error?.description).toContain('The node tried 3 times');
		expect(result.error?.description).toContain('raise Settings › Request Options › Timeout');
	});

	it('a create that times out is sent once, and the error says its outcome is unknown', async () => {
		const result = await runNode({
			parameters: { ...newRecord, requestOptions: { timeout: 100 } },
			credentials: credentialsFor(slow, 'owner'),
		});
		expect(slow.requests).toHaveLength(1);
		expect(result.error?.description).toContain('The outcome of this POST is unknown');
	});
});
