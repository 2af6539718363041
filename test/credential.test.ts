import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

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

describe('TracyApi credential test', () => {
	it('passes for a key that may read datasets, sending GET /v1/datasets with the key', async () => {
		const result = await testCredential(credentialsFor(emulator, 'sales'));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0]).toMatchObject({ method: 'GET', path: '/v1/datasets', query: { pageSize: '1' } });
		expect(emulator.requests[0].headers['x-api-key']).toBe(emulator.keyFor('sales'));
	});

	it('says the key is wrong on a 401', async () => {
		const result = await testCredential({ apiKey: 'wrong-key', baseUrl: emulator.url });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Tracy refused the API key: it is wrong, incomplete or revoked/);
	});

	it('explains that a 403 is expected for a create-only lead key and is not an error of the key', async () => {
		const result = await testCredential(credentialsFor(emulator, 'webform'));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The API key is valid, but its role may not read datasets');
		expect(result.message).toContain('expected for a create-only key');
	});

	it('says the host is not the Tracy API when another server answers', async () => {
		const result = await testCredential({ apiKey: emulator.keyFor('owner'), baseUrl: notTracyUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The API Base URL answers, but not as the Tracy API');
	});

	it('reports an unreachable host', async () => {
		const result = await testCredential({ apiKey: emulator.keyFor('owner'), baseUrl: 'http://127.0.0.1:1' });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('tolerates trailing slashes in the base URL', async () => {
		const result = await testCredential({ apiKey: emulator.keyFor('owner'), baseUrl: `${emulator.url}///` });
		expect(result.status).toBe('OK');
		expect(emulator.requests[0].path).toBe('/v1/datasets');
	});
});

describe('base URL from the credential', () => {
	it('is used with trailing slashes removed', async () => {
		const result = await runNode({ parameters: getParams(1), credentials: credentialsFor(emulator, 'owner', `${emulator.url}/`) });
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
			const result = await runNode({ parameters: getParams(7), credentials: { apiKey: 'proxy-key', baseUrl: url } });
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
