/**
 * When Tracy answers differently than assumed: wrong shapes, broken connections, odd paging,
 * odd base URLs. Each case runs the real node through n8n-core's engine against the emulator
 * misbehaving (its `faults`), and checks what Tracy received and what n8n output.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { checkBaseUrl } from '../nodes/Tracy/transport/baseUrl';
import { MAX_TEXT_LENGTH } from '../nodes/Tracy/contract/assumptions';
import {
	startEmulator,
	type Fault,
	type ReceivedRequest,
	type TracyEmulator,
} from './emulator/server';
import { capturedLogs, listSearch, runNode, safeStringify, testCredential } from './harness';
import { autoMapParams, credentialsFor, getParams, rl, updateParams, webFormLead } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const sales = () => credentialsFor(emulator, 'sales');
const fast = { requestOptions: { maxRetryWait: 0.05 } };
const isPost = (r: ReceivedRequest) => r.method === 'POST';
const isGet = (r: ReceivedRequest) => r.method === 'GET';
const lead = { name: 'Wrong Shape', email: 'shape@example.com' };
const listParams = (extra: INodeParameters = {}) => ({
	resource: 'record',
	operation: 'getAll',
	dataset: rl(1),
	returnAll: true,
	includeDatums: false,
	...extra,
});

/** Every output and error n8n produced, with the log, must not hold the key. */
function expectNoKey(result: unknown, key: string) {
	expect(safeStringify(result)).not.toContain(key);
	expect(capturedLogs.join('\n')).not.toContain(key);
}

describe('a 2xx answer in a shape the node does not understand (A13) fails the item', () => {
	const shapes: Array<[string, unknown, Record<string, string>, string]> = [
		['text', 'Created, thanks!', {}, 'the answer is text, not JSON (or JSON cut short)'],
		[
			'truncated JSON',
			'{"id": 7, "dataset": {"id',
			{ 'Content-Type': 'application/json' },
			'the answer is text, not JSON (or JSON cut short)',
		],
		['an array', [{ id: 7 }], {}, 'the answer is an array, not one object'],
		['empty', '', {}, 'the answer was empty'],
		['an object without id', { ok: true }, {}, 'the answer has no numeric "id"'],
	];
	const answerOnce = (match: Fault['match'], body: unknown) =>
		emulator.faults.push({ match, status: 200, body, times: 1 });

	it.each(shapes)(
		'Lead → Create answered with %s: no "created", the request sent once, the error says what came',
		async (_name, body, headers, reason) => {
			emulator.faults.push({
				match: isPost,
				status: 200,
				body,
				headers,
				times: 1,
				afterProcessing: true,
			});
			const result = await runNode({
				parameters: webFormLead(),
				items: [lead],
				credentials: credentialsFor(emulator, 'webform'),
			});
			expect(emulator.requests.filter(isPost)).toHaveLength(1);
			expect(result.items).toHaveLength(0);
			expect(result.error?.message).toBe(
				`Tracy's answer to POST /v1/records is not what the node expects: ${reason}`,
			);
			expect(result.error?.description).toContain(
				'Expected a record: a JSON object with a numeric "id" (assumption A13 in the README).',
			);
			expect(result.error?.description).toContain('Received (HTTP 200): ');
			expect(result.error?.description).toContain(
				'so it has probably taken effect: check Tracy before running this item again',
			);
			expect(result.error?.description).toContain('npm run test:live');
			expectNoKey(result, emulator.keyFor('webform'));
		},
	);

	it('with Continue On Fail: the wrong answer is an error item paired to its input, the other items go on', async () => {
		emulator.faults.push({
			match: (r) => isPost(r) && JSON.stringify(r.body).includes('second@'),
			status: 200,
			body: 'OK',
			times: 1,
		});
		const result = await runNode({
			parameters: webFormLead(),
			items: [
				{ name: 'First', email: 'first@example.com' },
				{ name: 'Second', email: 'second@example.com' },
				{ name: 'Third', email: 'third@example.com' },
			],
			credentials: credentialsFor(emulator, 'webform'),
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items.map((i) => i.json.created ?? null)).toEqual([true, null, true]);
		expect(result.items[1].json.message).toMatch(
			/^Tracy's answer to POST \/v1\/records is not what the node expects: the answer is text/,
		);
		expect(result.items[1].json).not.toHaveProperty('0');
	});

	it('shows at most ~200 characters of the answer, and never the key even if Tracy echoes it', async () => {
		const key = emulator.keyFor('owner');
		emulator.faults.push({
			match: () => true,
			status: 200,
			body: `echo ${key} ${'x'.repeat(500)}`,
			times: 1,
		});
		const result = await runNode({
			parameters: getParams(1),
			credentials: credentialsFor(emulator, 'owner'),
		});
		const received =
			/Received \(HTTP 200\): (.*)/.exec(String(result.error?.description))?.[1] ?? '';
		expect(received.startsWith('echo *** xxx')).toBe(true);
		expect(received.length).toBeLessThanOrEqual(201);
		expect(result.error?.description).toContain('Nothing was output for this answer.');
		expectNoKey(result, key);
	});

	it('an error answer that echoes the key (Tracy or a proxy before it) never shows it', async () => {
		const key = emulator.keyFor('owner');
		emulator.faults.push({
			match: () => true,
			status: 400,
			body: { message: `Bad request with X-Api-Key ${key}`, headers: { 'x-api-key': key } },
			times: 1,
		});
		const result = await runNode({
			parameters: getParams(1),
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.error?.message).toContain('X-Api-Key ***');
		expectNoKey(result, key);
	});

	it('Record → Get answered with a bare string outputs nothing and fails', async () => {
		answerOnce(() => true, 'hello');
		const result = await runNode({ parameters: getParams(1), credentials: sales() });
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(
			"Tracy's answer to GET /v1/records/1 is not what the node expects: the answer is text, not JSON (or JSON cut short)",
		);
	});

	it('Get Many with an unknown list envelope fails naming A5, instead of 0 items', async () => {
		answerOnce(() => true, { rows: [{ id: 1 }], total: 1 });
		const result = await runNode({ parameters: listParams(), credentials: sales() });
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(
			"Tracy's answer to GET /v1/records is not what the node expects: the answer is not an array and has no known list key",
		);
		expect(result.error?.description).toContain('(assumption A5 in the README)');
	});

	it('Record → Update writes nothing when the read before it is unreadable', async () => {
		answerOnce(isGet, { record: {} });
		const result = await runNode({
			parameters: updateParams(1, [[4, 'Acme']]),
			credentials: sales(),
		});
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
		expect(result.error?.message).toBe(
			'Tracy\'s answer to GET /v1/records/1 is not what the node expects: the answer has no numeric "id"',
		);
	});

	it('Record → Update fails when a datum write answers in an unknown shape, naming A6', async () => {
		answerOnce((r) => r.method === 'PUT', 'done');
		const result = await runNode({
			parameters: updateParams(1, [[1, 'Ada']]),
			credentials: sales(),
		});
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
		expect(result.error?.message).toBe(
			"Tracy's answer to PUT /v1/datums is not what the node expects: the answer is text, not JSON (or JSON cut short)",
		);
		expect(result.error?.description).toContain('(assumption A6 in the README)');
	});

	it('Skip if Exists: an unreadable lookup creates nothing and reports no "existing"', async () => {
		answerOnce(isGet, { found: 'maybe' });
		const result = await runNode({
			parameters: webFormLead({ options: { skipIfExists: true } }),
			items: [lead],
			credentials: sales(),
		});
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
		expect(result.error?.message).toMatch(
			/^Tracy's answer to GET \/v1\/records is not what the node expects/,
		);
	});

	it('Map Automatically: a dataset without states and properties fails naming A3', async () => {
		answerOnce((r) => r.path === '/v1/datasets/1', { id: 1, name: 'Leads' });
		const result = await runNode({
			parameters: autoMapParams(),
			items: [{ Name: 'Auto' }],
			credentials: sales(),
		});
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
		expect(result.error?.description).toContain('(assumption A3 in the README)');
	});
});

describe('connections that break', () => {
	it("a reset in the middle of a create's answer: sent once, the error says the outcome is unknown", async () => {
		emulator.faults.push({
			match: isPost,
			status: 200,
			socket: 'resetMidBody',
			times: 1,
			afterProcessing: true,
		});
		const before = emulator.recordCount(1);
		const result = await runNode({
			parameters: webFormLead(),
			items: [lead],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(emulator.requests.filter(isPost)).toHaveLength(1);
		expect(emulator.recordCount(1)).toBe(before + 1);
		expect(result.error?.message).toMatch(
			/^The connection to Tracy broke in the middle of its answer \(E[A-Z_]+\)$/,
		);
		expect(result.error?.description).toContain(
			'The outcome of this POST is unknown: Tracy received it and began to answer, but the answer was cut off.',
		);
	});

	it("a reset in the middle of a read's answer is retried", async () => {
		emulator.faults.push({ match: () => true, status: 200, socket: 'resetMidBody', times: 1 });
		const result = await runNode({ parameters: getParams(1), credentials: sales() });
		expect(result.error).toBeUndefined();
		expect(emulator.requests).toHaveLength(2);
		expect(result.items[0].json.id).toBe(1);
	});

	it('the Timeout default (10,000 ms) applies when the option was not added', async () => {
		emulator.faults.push({ match: isPost, status: 200, socket: 'hang', times: 1 });
		const result = await runNode({
			parameters: webFormLead(),
			items: [lead],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error?.message).toBe('Tracy did not answer within 10000 ms (timeout)');
		expect(emulator.requests).toHaveLength(1);
	}, 30_000);

	it('the Skip if Exists lookup honours Timeout, and is retried as a read', async () => {
		emulator.faults.push({
			match: isGet,
			status: 200,
			socket: 'hang',
			times: Infinity,
		});
		const result = await runNode({
			parameters: webFormLead({
				options: { skipIfExists: true },
				requestOptions: { timeout: 200 },
			}),
			items: [lead],
			credentials: sales(),
		});
		expect(result.error?.message).toBe('Tracy did not answer within 200 ms (timeout)');
		expect(result.error?.description).toContain('The node tried 3 times');
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
	});
});

describe('Get Many over odd pages (A14)', () => {
	const ids = (r: { items: Array<{ json: { id?: unknown } }> }) => r.items.map((i) => i.json.id);
	const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }));
	const answerPages = (respond: Fault['respond'], times = Infinity) =>
		emulator.faults.push({ match: () => true, status: 200, respond, times });

	it('a page whose connection is lost is retried; nothing already read is dropped', async () => {
		const big = await startEmulator({ extraLeads: 230 });
		try {
			big.faults.push({
				match: (r) => r.query.page === '2',
				status: 200,
				socket: 'reset',
				times: 1,
			});
			const result = await runNode({
				parameters: listParams(),
				credentials: credentialsFor(big, 'sales'),
			});
			expect(result.error).toBeUndefined();
			expect(big.requests.map((r) => r.query.page)).toEqual(['1', '2', '2', '3']);
			expect(new Set(ids(result)).size).toBe(result.items.length);
			expect(result.items.length).toBe(big.storedRecords(1).filter((r) => !r.archived).length);
		} finally {
			await big.stop();
		}
	});

	it('a server that ignores "page" stops at the first page with nothing new, saying why', async () => {
		answerPages(() => page(1, 100));
		const result = await runNode({ parameters: listParams(), credentials: sales() });
		expect(emulator.requests).toHaveLength(2);
		expect(result.error?.message).toBe(
			'Get Many stopped: page 2 held only records of earlier pages: Tracy seems to ignore the "page" parameter',
		);
		expect(result.error?.description).toContain('100 distinct records had been read');
		expect(result.error?.description).toContain('A14');
	});

	it('full pages of new records forever: bounded by what the total implies plus a margin', async () => {
		answerPages((r) => ({ items: page(Number(r.query.page) * 1000, 100), total: 250 }));
		const result = await runNode({ parameters: listParams(), credentials: sales() });
		// 250 records at 100 a page make 3 pages; the walk stops as soon as 250 distinct ones were read
		expect(emulator.requests).toHaveLength(3);
		expect(result.items).toHaveLength(300);
	});

	it('overlapping pages: each record once, by ID', async () => {
		answerPages((r) =>
			r.query.page === '1'
				? { items: page(1, 100), total: 150 }
				: { items: page(51, 100), total: 150 },
		);
		const result = await runNode({ parameters: listParams(), credentials: sales() });
		expect(ids(result)).toEqual(page(1, 150).map((p) => p.id));
		expect(emulator.requests).toHaveLength(2);
	});

	it('a total that is never reached: stops after the pages the total implies plus a margin', async () => {
		answerPages(() => ({ items: page(1, 100), total: 1000 }), 1);
		answerPages((r) => ({ items: page(Number(r.query.page) * 1000 + 1, 1), total: 1000 }));
		const result = await runNode({ parameters: listParams(), credentials: sales() });
		// ceil(1000 / 100) + 2 pages, then the walk gives up
		expect(emulator.requests).toHaveLength(12);
		expect(result.error?.message).toBe(
			'Get Many stopped: Tracy still had records after 12 pages, more than its first total implies',
		);
	});

	it('a total that grows by a page each answer: bounded by the first total, not the growing one', async () => {
		answerPages((r) => ({
			items: page((Number(r.query.page) - 1) * 100 + 1, 100),
			total: 1000 + Number(r.query.page) * 100,
		}));
		const result = await runNode({ parameters: listParams(), credentials: sales() });
		// the first answer says 1,100: ceil(1100 / 100) + 2 pages, then the walk gives up
		expect(emulator.requests).toHaveLength(13);
		expect(result.error?.message).toBe(
			'Get Many stopped: Tracy still had records after 13 pages, more than its first total implies',
		);
	});
});

describe('"From List" searches over odd pages (A14), one page per call as the editor asks', () => {
	const recordsOf = { resource: 'record', operation: 'update', dataset: rl(1) };

	it('pages of at most 50: each call hands the next token until the total is read, nothing twice', async () => {
		const big = await startEmulator({ extraLeads: 120 });
		try {
			big.paging = { maxPageSize: 50 };
			const seen: string[] = [];
			let token: string | undefined;
			for (let call = 0; call < 10; call++) {
				const page = await listSearch(
					'searchRecords',
					recordsOf,
					credentialsFor(big, 'sales'),
					undefined,
					token,
				);
				seen.push(...page.results.map((r) => String(r.value)));
				token = page.paginationToken as string | undefined;
				if (!token) break;
			}
			const visible = big.requests.filter((r) => r.path === '/v1/records').length;
			expect(visible).toBe(Math.ceil(seen.length / 50));
			expect(new Set(seen).size).toBe(seen.length);
			// every record of dataset 1 that is not in the trash
			expect(seen.length).toBe(big.storedRecords(1).filter((r) => !r.removed).length);
			expect(seen.length).toBeGreaterThan(100);
		} finally {
			await big.stop();
		}
	});

	it('a server that ignores "page": the second call fails naming A14 instead of listing the same records again', async () => {
		const big = await startEmulator({ extraLeads: 120 });
		try {
			big.paging = { ignorePage: true };
			const first = await listSearch('searchRecords', recordsOf, credentialsFor(big, 'sales'));
			expect(first.results).toHaveLength(100);
			await expect(
				listSearch(
					'searchRecords',
					recordsOf,
					credentialsFor(big, 'sales'),
					undefined,
					first.paginationToken as string,
				),
			).rejects.toThrow(
				/The record list could not be read to its end: page 2 held only records of earlier pages.*A14/,
			);
		} finally {
			await big.stop();
		}
	});

	it('datasets are read to the end of their pages', async () => {
		const result = await listSearch('searchDatasets', {}, sales());
		expect(result.results.map((r) => r.value)).toEqual(['1', '2']);
		expect(
			emulator.requests.map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`),
		).toEqual(['/v1/datasets?page=1&pageSize=100']);
	});
});

describe('the API Base URL rule, one definition for the node and the credential test', () => {
	const refused: Array<[string, RegExp]> = [
		['https://api.tra.cy?tenant=1', /must not have a query string/],
		['https://api.tra.cy/#x', /must not have a fragment/],
		['http://127.0.0.1:80@evil.example', /must not contain a user name or password/],
		['https://user:pw@api.tra.cy', /must not contain a user name or password/],
		['http://127.0.0.1\\@evil.example', /backslashes/],
		['http://evil.example', /plain http:\/\//],
		['ftp://api.tra.cy', /must start with https:\/\//],
	];

	it.each(refused)('the node refuses %s before sending anything', async (baseUrl, reason) => {
		const result = await runNode({
			parameters: webFormLead(),
			items: [lead],
			credentials: { apiKey: 'secret-key-1234', baseUrl },
		});
		expect(result.error?.message).toMatch(/^The API Base URL /);
		expect(result.error?.message).toMatch(reason);
		expect(result.error?.description).toContain('Nothing was sent.');
		expect(emulator.requests).toHaveLength(0);
	});

	it.each(refused)(
		'the credential test refuses %s with the reason, sending nothing',
		async (baseUrl, reason) => {
			const result = await testCredential({ apiKey: 'secret-key-1234', baseUrl });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^The API Base URL /);
			expect(result.message).toMatch(reason);
			expect(emulator.requests).toHaveLength(0);
		},
	);

	it('the credential test of http://127.0.0.1:<port>@evil.example sends nothing anywhere', async () => {
		const port = new URL(emulator.url).port;
		const result = await testCredential({
			apiKey: 'secret-key-1234',
			baseUrl: `http://127.0.0.1:${port}@evil.example`,
		});
		expect(result.status).toBe('Error');
		expect(emulator.requests).toHaveLength(0);
	});

	it('a trailing /v1 and slashes are removed, a path prefix is kept, by the node and the credential test alike', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: credentialsFor(emulator, 'sales', `${emulator.url}/v1/`),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].path).toBe('/v1/records/1');
		emulator.reset();
		expect(
			(await testCredential(credentialsFor(emulator, 'sales', `${emulator.url}/v1//`))).status,
		).toBe('OK');
		expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/datasets']);
		expect(checkBaseUrl('https://proxy.example.com/tracy/v1//', 'x').url).toBe(
			'https://proxy.example.com/tracy',
		);
	});
});

describe('proxy and TLS settings reach every request', () => {
	let dir: string;
	let tls: https.Server;
	let tlsUrl: string;
	let proxy: http.Server;
	let proxyUrl: string;
	const proxied: string[] = [];

	/** Forwards a request to the emulator, as an HTTPS front or a plain HTTP proxy would. */
	function forward(req: http.IncomingMessage, res: http.ServerResponse) {
		const target = new URL(req.url ?? '/', emulator.url);
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: new URL(emulator.url).port,
				path: `${target.pathname}${target.search}`,
				method: req.method,
				headers: req.headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		req.pipe(upstream);
	}

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracy-tls-'));
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'rsa:2048',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		tls = https.createServer(
			{
				key: fs.readFileSync(path.join(dir, 'key.pem')),
				cert: fs.readFileSync(path.join(dir, 'cert.pem')),
			},
			forward,
		);
		await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
		tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
		proxy = http.createServer((req, res) => {
			proxied.push(`${req.method} ${req.url}`);
			forward(req, res);
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		tls.closeAllConnections();
		proxy.closeAllConnections();
		await new Promise((resolve) => tls.close(resolve));
		await new Promise((resolve) => proxy.close(resolve));
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('Ignore SSL Issues lets the lookup and the create through to a self-signed Tracy; without it neither goes', async () => {
		const parameters = webFormLead({ options: { skipIfExists: true } });
		const refused = await runNode({
			parameters,
			items: [lead],
			credentials: credentialsFor(emulator, 'sales', tlsUrl),
		});
		expect(refused.error?.message).toBeDefined();
		expect(emulator.requests).toHaveLength(0);
		const accepted = await runNode({
			parameters: { ...parameters, requestOptions: { allowUnauthorizedCerts: true } },
			items: [lead],
			credentials: credentialsFor(emulator, 'sales', tlsUrl),
		});
		expect(accepted.error).toBeUndefined();
		// the look-up, the create, and the look-up for a twin (A31)
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
		expect(accepted.items[0].json.created).toBe(true);
	});

	it('Proxy carries the lookup and the create', async () => {
		proxied.length = 0;
		const result = await runNode({
			parameters: webFormLead({
				options: { skipIfExists: true },
				requestOptions: { proxy: proxyUrl },
			}),
			items: [lead],
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(proxied.map((p) => p.split('?')[0])).toEqual([
			`GET ${emulator.url}/v1/records`,
			`POST ${emulator.url}/v1/records`,
			`GET ${emulator.url}/v1/records`,
		]);
	});

	it('Proxy carries the datum writes of an Update and the dataset read of Map Automatically', async () => {
		proxied.length = 0;
		await runNode({
			parameters: updateParams(1, [[1, 'Ada']], { requestOptions: { proxy: proxyUrl } }),
			credentials: sales(),
		});
		await runNode({
			parameters: autoMapParams({ requestOptions: { proxy: proxyUrl } }),
			items: [{ Name: 'Auto' }],
			credentials: sales(),
		});
		expect(proxied.map((p) => p.split('?')[0].replace(emulator.url, ''))).toEqual([
			'GET /v1/records/1',
			'PUT /v1/datums',
			'GET /v1/datasets/1',
			'POST /v1/records',
		]);
	});
});

describe('batches', () => {
	it('without Continue On Fail the error names the item, its email and the writes that went through', async () => {
		emulator.faults.push({
			match: (r) => isPost(r) && JSON.stringify(r.body).includes('third@'),
			status: 502,
			times: 1,
			afterProcessing: true,
		});
		const items = ['first', 'second', 'third', 'fourth'].map((n) => ({
			name: n,
			email: `${n}@example.com`,
		}));
		const result = await runNode({
			parameters: { ...webFormLead(), ...fast },
			items,
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error?.message).toBe('Tracy had a temporary problem (502)');
		expect(result.error?.description).toContain(
			'The execution stopped at item 3 of 4 (lead third@example.com).',
		);
		expect(result.error?.description).toContain(
			'Tracy had accepted the writes of 3 of the 4 items (items 1, 2, 4): running the same items again would write those again.',
		);
		expect(emulator.requests.filter(isPost)).toHaveLength(4);
	});

	it('Skip if Exists: several items with one email in a run create one lead; the others return it as duplicates', async () => {
		const items = [
			{ name: 'Once', email: 'twice@example.com' },
			{ name: 'Other', email: 'other@example.com' },
			{ name: 'Again', email: 'TWICE@example.com' },
		];
		const result = await runNode({
			parameters: webFormLead({ options: { skipIfExists: true } }),
			items,
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.filter(isPost)).toHaveLength(2);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toMatchObject({ created: true });
		expect(result.items[2].json).toMatchObject({
			id: result.items[0].json.id,
			created: false,
			existing: true,
			duplicateOf: 1,
			sent: { email: 'TWICE@example.com' },
		});
	});
});

describe('texts longer than Tracy keeps (A15)', () => {
	const long = 'x'.repeat(MAX_TEXT_LENGTH + 5);

	it('Lead → Create keeps the lead by default: the text is cut and listed under "truncated"', async () => {
		const result = await runNode({
			parameters: webFormLead(),
			items: [{ ...lead, message: long }],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error).toBeUndefined();
		const sent = (
			emulator.requests[0].body as { datums: Array<{ property: { id: number }; value: string }> }
		).datums.find((d) => d.property.id === 5);
		expect(sent?.value).toHaveLength(MAX_TEXT_LENGTH);
		expect(result.items[0].json).toMatchObject({
			created: true,
			truncated: ['Lead Properties › Message (property 5)'],
		});
	});

	it('with Over-Long Text set to fail, the item fails before anything is sent', async () => {
		const result = await runNode({
			parameters: webFormLead({ options: { overLongText: 'fail' } }),
			items: [{ ...lead, message: long }],
			credentials: credentialsFor(emulator, 'webform'),
		});
		expect(result.error?.message).toBe(
			`Lead Properties › Message (property 5) is too long: ${long.length} characters, at most ${MAX_TEXT_LENGTH}`,
		);
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Record → Update that fails part-way', () => {
	it('says which values Tracy already has and which were not attempted', async () => {
		let writes = 0;
		emulator.faults.push({
			match: (r) => r.path.startsWith('/v1/datums') && r.method !== 'GET' && ++writes === 2,
			status: 500,
			times: 1,
		});
		const result = await runNode({
			parameters: updateParams(1, [
				[1, 'Ada L.'],
				[2, 'ada@new.example'],
				[4, 'Acme'],
			]),
			credentials: sales(),
		});
		const datumWrites = emulator.requests.filter((r) => r.path.startsWith('/v1/datums'));
		// the first write went through, the second failed and was not retried, the third was never sent
		expect(datumWrites).toHaveLength(2);
		expect(result.error?.description).toContain('The outcome of this');
		expect(result.error?.description).toContain(
			'Already written to Tracy: Property Values, row 1 (property 1). Failed: Property Values, row 2 (property 2). Not attempted: Property Values, row 3 (property 4).',
		);
		expect(JSON.stringify(datumWrites[0].body)).toContain('Ada L.');
		expect(JSON.stringify(datumWrites[1].body)).toContain('ada@new.example');
	});
});

it('Dataset → Get Many pages by the same rule as records: a Tracy that ignores `page` fails the item, and nothing is passed off as the whole list', async () => {
	emulator.faults.push({
		match: (r) => isGet(r) && r.path === '/v1/datasets',
		status: 200,
		body: {
			items: [
				{ id: 1, name: 'Leads' },
				{ id: 2, name: 'Companies' },
			],
			total: 250,
		},
		times: Infinity,
	});
	const result = await runNode({
		parameters: { resource: 'dataset', operation: 'getAll', returnAll: true },
		credentials: sales(),
	});
	expect(emulator.requests.map((r) => r.query.page)).toEqual(['1', '2']);
	expect(result.items).toEqual([]);
	expect(result.error?.message).toBe(
		'Get Many stopped: page 2 held only records of earlier pages: Tracy seems to ignore the "page" parameter',
	);
	expect(result.error?.description).toMatch(
		/^2 distinct datasets had been read; they are not output/,
	);
});
