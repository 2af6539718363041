import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { TracyApi } from '../credentials/TracyApi.credentials';
import { CREDENTIAL_TEST_MESSAGES } from '../nodes/Tracy/methods/credentialTest';
import { Tracy } from '../nodes/Tracy/Tracy.node';
import { DEFAULT_BASE_URL } from '../nodes/Tracy/contract/assumptions';
import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode, testCredential } from './harness';
import { credentialsFor, getParams } from './helpers';

let emulator: TracyEmulator;
let notTracy: http.Server;
let notTracyUrl: string;
const notTracyRequests: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
	emulator = await startEmulator();
	// some other web server: answers every path with an HTML 404
	notTracy = http.createServer((req, res) => {
		notTracyRequests.push(req.headers);
		res.writeHead(404, { 'Content-Type': 'text/html' });
		res.end('<html><body>Not found</body></html>');
	});
	await new Promise<void>((resolve) => notTracy.listen(0, '127.0.0.1', resolve));
	notTracyUrl = `http://127.0.0.1:${(notTracy.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await emulator.stop();
	await new Promise((resolve) => notTracy.close(resolve));
});
beforeEach(() => emulator.reset());

test("the credential's default API Base URL is assumption A1, and the credential imports nothing from a node", () => {
	const field = new TracyApi().properties.find((p) => p.name === 'baseUrl');
	expect(field?.default).toBe(DEFAULT_BASE_URL);
	const source = fs.readFileSync(
		path.join(__dirname, '../credentials/TracyApi.credentials.ts'),
		'utf8',
	);
	expect(source).not.toMatch(/from '\.\.\/nodes/);
});

describe('TracyApi credential test', () => {
	it('passes for a key that may read datasets, saying so, after one GET /v1/datasets with the key', async () => {
		for (const key of ['owner', 'sales', 'reader'] as const) {
			emulator.reset();
			const result = await testCredential(credentialsFor(emulator, key));
			expect(result).toEqual({ status: 'OK', message: CREDENTIAL_TEST_MESSAGES.reads });
			expect(emulator.requests).toHaveLength(1);
			expect(emulator.requests[0]).toMatchObject({
				method: 'GET',
				path: '/v1/datasets',
				query: { pageSize: '1' },
			});
			expect(emulator.requests[0].headers['x-api-key']).toBe(emulator.keyFor(key));
		}
	});

	it('passes for a create-only key that Tracy answers 403 on the dataset list, noting that it may only create', async () => {
		const result = await testCredential(credentialsFor(emulator, 'webform'));
		expect(result.status).toBe('OK');
		expect(result.message).toBe(CREDENTIAL_TEST_MESSAGES.createOnly);
		expect(result.message).toContain('may only create');
		expect(result.message).toContain('By ID');
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /v1/datasets 403',
		]);
	});

	it('fails for a key Tracy refuses (401), once, without retrying', async () => {
		const result = await testCredential({ apiKey: 'wrong-key', baseUrl: emulator.url });
		expect(result).toEqual({ status: 'Error', message: CREDENTIAL_TEST_MESSAGES.refused });
		expect(emulator.requests).toHaveLength(1);
	});

	it('fails when another server answers 404', async () => {
		const result = await testCredential({ apiKey: emulator.keyFor('owner'), baseUrl: notTracyUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The API Base URL answers, but not as the Tracy API');
		expect(result.message).toContain('404');
	});

	it('fails when another server answers 200 with a web page, or 403 with a web page', async () => {
		for (const status of [200, 403]) {
			const server = http.createServer((_req, res) => {
				res.writeHead(status, { 'Content-Type': 'text/html' });
				res.end('<html><body>Welcome</body></html>');
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			try {
				const result = await testCredential({
					apiKey: 'k',
					baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
				});
				expect(result.status).toBe('Error');
				expect(result.message).toContain('not as the Tracy API');
			} finally {
				await new Promise((resolve) => server.close(resolve));
			}
		}
	});

	it('reports an unreachable host', async () => {
		const result = await testCredential({
			apiKey: emulator.keyFor('owner'),
			baseUrl: 'http://127.0.0.1:1',
		});
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('never sends the key over plain http to a host that is not this machine', async () => {
		for (const baseUrl of [
			'http://tracy.example.com',
			'http://localhost.evil.com/',
			'HTTP://10.0.0.1:8080',
		]) {
			const result = await testCredential({ apiKey: 'k', baseUrl });
			expect(result.status).toBe('Error');
			expect(result.message).toContain('plain http:// for a host that is not this machine');
		}
		const bad = await testCredential({ apiKey: 'k', baseUrl: 'api.tra.cy' });
		expect(bad).toEqual({ status: 'Error', message: expect.stringContaining('is not a URL') });
	});

	it('accepts plain http to loopback addresses and tolerates trailing slashes', async () => {
		const port = new URL(emulator.url).port;
		for (const baseUrl of [`${emulator.url}///`, `http://localhost:${port}/`]) {
			emulator.reset();
			const result = await testCredential({ apiKey: emulator.keyFor('owner'), baseUrl });
			expect(result.status).toBe('OK');
			expect(emulator.requests[0].path).toBe('/v1/datasets');
		}
	});

	it('is the test n8n runs: the credential has no request test of its own, the node names its method in testedBy', () => {
		expect((new TracyApi() as ICredentialType).test).toBeUndefined();
		const tracy = new Tracy();
		expect(tracy.description.credentials).toEqual([
			{ name: 'tracyApi', required: true, testedBy: 'tracyApiTest' },
		]);
		expect(typeof tracy.methods.credentialTest.tracyApiTest).toBe('function');
	});
});

describe('base URL from the credential', () => {
	it('is used with trailing slashes removed', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: credentialsFor(emulator, 'owner', `${emulator.url}/`),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/records/1']);
	});

	it('keeps a path prefix (Tracy behind a proxy)', async () => {
		let seen: { url?: string; key?: string | string[] } = {};
		const proxy = http.createServer((req, res) => {
			seen = { url: req.url, key: req.headers['x-api-key'] };
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ id: 1, datums: [] }));
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/tracy/api/`;
		try {
			const result = await runNode({
				parameters: getParams(7),
				credentials: { apiKey: 'proxy-key', baseUrl: url },
			});
			expect(result.error).toBeUndefined();
			expect(seen).toEqual({ url: '/tracy/api/v1/records/7', key: 'proxy-key' });
		} finally {
			await new Promise((resolve) => proxy.close(resolve));
		}
	});

	it('never carries the key anywhere but in the X-Api-Key header', async () => {
		await runNode({ parameters: getParams(1), credentials: credentialsFor(emulator, 'owner') });
		const key = emulator.keyFor('owner');
		const [request] = emulator.requests;
		const { 'x-api-key': sent, ...otherHeaders } = request.headers;
		expect(sent).toBe(key);
		expect(JSON.stringify(otherHeaders)).not.toContain(key);
		expect(request.path + JSON.stringify(request.query) + request.rawBody).not.toContain(key);
	});
});
