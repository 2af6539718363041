import { startEmulator, type TracyEmulator } from './emulator/server';
import { listSearch, runNode } from './harness';
import {
	autoMapParams,
	createParams,
	credentialsFor,
	moveParams,
	rl,
	updateParams,
} from './helpers';

let emulator: TracyEmulator;
let big: TracyEmulator;

beforeAll(async () => {
	emulator = await startEmulator();
	big = await startEmulator({ extraLeads: 250 });
});
afterAll(async () => {
	await emulator.stop();
	await big.stop();
});
beforeEach(() => {
	emulator.reset();
	big.reset();
});

const owner = () => credentialsFor(emulator, 'owner');

describe('Record → Create', () => {
	it('sends the PostRecord body with datums from the rows and outputs the created record', async () => {
		const result = await runNode({
			parameters: createParams(
				[
					[1, '={{ $json.name }}'],
					[2, '={{ $json.email }}'],
					[12, '={{ $json.tags }}'],
				],
				{ state: rl(2) },
			),
			items: [{ name: 'Edsger Dijkstra', email: 'edsger@example.com', tags: ['Hot', 'Partner'] }],
			credentials: credentialsFor(emulator, 'sales'),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests).toHaveLength(1);
		const [request] = emulator.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/records');
		expect(request.headers['content-type']).toContain('application/json');
		expect(request.body).toEqual({
			dataset: { id: 1 },
			state: { id: 2 },
			datums: [
				{ property: { id: 1 }, value: 'Edsger Dijkstra' },
				{ property: { id: 2 }, value: 'edsger@example.com' },
				{ property: { id: 12 }, value: 'Hot' },
				{ property: { id: 12 }, value: 'Partner' },
			],
		});
		expect(result.items).toHaveLength(1);
		// simplified by default: the state's name and one field per property
		expect(result.items[0].json).toEqual({
			id: 7,
			state: 'Qualified',
			Name: 'Edsger Dijkstra',
			Email: 'edsger@example.com',
			Tags: ['Hot', 'Partner'],
		});
		expect(emulator.storedRecords(1).find((r) => r.id === 7)).toBeDefined();
	});

	it("leaves the state out when none is chosen, so Tracy uses the dataset's first state", async () => {
		const result = await runNode({
			parameters: createParams([[1, 'No State Given']], { simplify: true }),
			credentials: owner(),
		});
		expect(emulator.requests[0].body).not.toHaveProperty('state');
		expect(result.items[0].json).toEqual({ id: 7, state: 'New', Name: 'No State Given' });
	});

	it('maps input fields to properties by name, reading the dataset once for all items', async () => {
		const result = await runNode({
			parameters: autoMapParams({ inputsToIgnore: 'submittedAt' }),
			items: [
				{ Name: 'One', email: 'one@example.com', submittedAt: 'x' },
				{ Name: 'Two', EMAIL: 'two@example.com', Company: '' },
			],
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		const paths = emulator.requests.map((r) => `${r.method} ${r.path}`);
		expect(paths.filter((p) => p === 'GET /v1/datasets/1')).toHaveLength(1);
		expect(paths.filter((p) => p === 'POST /v1/records')).toHaveLength(2);
		const bodies = emulator.requests.filter((r) => r.method === 'POST').map((r) => r.body);
		expect(bodies).toEqual(
			expect.arrayContaining([
				{
					dataset: { id: 1 },
					datums: [
						{ property: { id: 1 }, value: 'One' },
						{ property: { id: 2 }, value: 'one@example.com' },
					],
				},
				{
					dataset: { id: 1 },
					datums: [
						{ property: { id: 1 }, value: 'Two' },
						{ property: { id: 2 }, value: 'two@example.com' },
					],
				},
			]),
		);
	});

	it('names an input field that matches no property, before creating anything', async () => {
		const result = await runNode({
			parameters: autoMapParams(),
			items: [{ Name: 'X', Emial: 'typo@example.com' }],
			credentials: owner(),
		});
		expect(result.error?.message).toBe('Input field "Emial" matches no column of dataset "Leads"');
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
	});

	it('merges Additional Body (JSON) last, so it can override the assumed body', async () => {
		await runNode({
			parameters: createParams([[1, 'X']], {
				options: { additionalBody: '{ "state": { "id": 3 }, "source": "n8n" }' },
			}),
			credentials: owner(),
		});
		expect(emulator.requests[0].body).toEqual({
			dataset: { id: 1 },
			state: { id: 3 },
			datums: [{ property: { id: 1 }, value: 'X' }],
			source: 'n8n',
		});
	});

	it("names the row Tracy rejected, with Tracy's reason", async () => {
		const result = await runNode({
			parameters: createParams([
				[1, 'X'],
				[2, 'not-an-email'],
			]),
			credentials: owner(),
		});
		expect(result.error?.message).toBe(
			'Tracy rejected the request: Property Values, row 2 (property 2): Email "not-an-email" is not a valid email address',
		);
		expect((result.error as { httpCode?: string }).httpCode).toBe('422');
	});
});

describe('Record → Get Many', () => {
	const getAll = (extra: Record<string, unknown> = {}) => ({
		resource: 'record',
		operation: 'getAll',
		dataset: rl(1),
		...extra,
	});

	it('walks at least three pages with Return All, one item per record', async () => {
		const result = await runNode({
			parameters: getAll({ returnAll: true }),
			credentials: credentialsFor(big, 'owner'),
		});
		expect(result.error).toBeUndefined();
		expect(big.requests.map((r) => r.query.page)).toEqual(['1', '2', '3']);
		expect(
			big.requests.every(
				(r) =>
					r.query.pageSize === '100' && r.query.dataset === '1' && r.query.archived === 'false',
			),
		).toBe(true);
		expect(result.items).toHaveLength(254);
		expect(new Set(result.items.map((i) => i.json.id)).size).toBe(254);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('stops at the limit with no extra request', async () => {
		const small = await runNode({
			parameters: getAll({ limit: 30 }),
			credentials: credentialsFor(big, 'owner'),
		});
		expect(big.requests.map((r) => [r.query.page, r.query.pageSize])).toEqual([['1', '30']]);
		expect(small.items).toHaveLength(30);
		big.reset();
		const over = await runNode({
			parameters: getAll({ limit: 150 }),
			credentials: credentialsFor(big, 'owner'),
		});
		expect(big.requests.map((r) => r.query.page)).toEqual(['1', '2']);
		expect(over.items).toHaveLength(150);
	});

	it('stops at a short page when Tracy answers a bare array without a total (A5)', async () => {
		const http = await import('node:http');
		const pages: string[] = [];
		const server = http.createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const page = Number(url.searchParams.get('page'));
			const size = Number(url.searchParams.get('pageSize'));
			pages.push(`${page}/${size}`);
			const ids = Array.from({ length: 250 }, (_, i) => i + 1).slice(
				(page - 1) * size,
				page * size,
			);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(ids.map((id) => ({ id, datums: [] }))));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = server.address() as { port: number };
			const result = await runNode({
				parameters: getAll({ returnAll: true }),
				credentials: { apiKey: 'k', baseUrl: `http://127.0.0.1:${port}` },
			});
			expect(pages).toEqual(['1/100', '2/100', '3/100']);
			expect(result.items).toHaveLength(250);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('does not ask for a page past the total', async () => {
		await runNode({ parameters: getAll({ returnAll: true }), credentials: owner() });
		expect(emulator.requests).toHaveLength(1);
	});

	it('sends filters and sort and returns what matches', async () => {
		const result = await runNode({
			parameters: getAll({
				returnAll: true,
				filters: {
					state: rl(1),
					propertyValues: { values: [{ property: rl(6), value: 'Website' }] },
				},
				sort: { sortBy: 'property', sortProperty: rl(1), order: 'desc' },
				simplify: true,
			}),
			credentials: owner(),
		});
		expect(emulator.requests[0].query).toEqual({
			dataset: '1',
			state: '1',
			archived: 'false',
			'property[6]': 'Website',
			sort: '1',
			order: 'desc',
			include: 'datums',
			page: '1',
			pageSize: '100',
		});
		expect(result.items.map((i) => i.json.Name)).toEqual(['Katherine Johnson', 'Ada Lovelace']);
	});

	it('ignores an optional filter added in the editor but left empty', async () => {
		// the editor stores a locator added inside a collection as { mode, value }, without __rl
		const result = await runNode({
			parameters: getAll({ returnAll: true, filters: { state: { mode: 'list', value: '' } } }),
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].query).not.toHaveProperty('state');
		expect(result.items).toHaveLength(4);
	});

	it('returns archived records only when asked', async () => {
		const result = await runNode({
			parameters: getAll({ returnAll: true, filters: { archived: 'archivedOnly' } }),
			credentials: owner(),
		});
		expect(emulator.requests[0].query.archived).toBe('true');
		expect(result.items.map((i) => i.json.id)).toEqual([4]);
	});

	it('leaves out properties the role may not view, without an error', async () => {
		const result = await runNode({
			parameters: getAll({ returnAll: true, simplify: true }),
			credentials: credentialsFor(emulator, 'reader'),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items.some((i) => 'Phone' in i.json)).toBe(false);
		expect(result.items[0].json.Email).toBe('ada@example.com');
	});

	it('refuses a limit of 0 before sending anything', async () => {
		const result = await runNode({ parameters: getAll({ limit: 0 }), credentials: owner() });
		expect(result.error?.message).toBe(
			'The field "Limit" must be a whole number of at least 1, not 0',
		);
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Record → Create refuses an empty record', () => {
	const autoMap = autoMapParams({ inputsToIgnore: 'submittedAt' });

	it('with Map Automatically on an item without values, naming why, and creates nothing', async () => {
		for (const json of [{}, { Name: '', Email: null }, { submittedAt: '2026-11-29' }]) {
			emulator.reset();
			const result = await runNode({ parameters: autoMap, items: [json], credentials: owner() });
			expect(result.error?.message).toBe(
				'Map Automatically found no value to send: the input item has no field with a value',
			);
			expect(result.error?.description).toContain('Input Fields to Ignore');
			expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/1']);
		}
	});

	it('with no Property Values, before any request', async () => {
		const result = await runNode({
			parameters: createParams([]),
			credentials: owner(),
		});
		expect(result.error?.message).toBe(
			'Property Values is empty: there is no value to create the record with',
		);
		expect(emulator.requests).toHaveLength(0);
	});

	it('fails only the empty item with Continue On Fail, paired to its input', async () => {
		const result = await runNode({
			parameters: autoMap,
			items: [{ Name: 'Kept' }, {}, { Name: 'Also Kept' }],
			credentials: owner(),
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json.message).toMatch(/no value to send/);
		expect(result.items.filter((i) => i.json.Name).map((i) => i.json.Name)).toEqual([
			'Kept',
			'Also Kept',
		]);
		expect(emulator.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
	});

	it('still sends values given only in Additional Body (JSON)', async () => {
		const result = await runNode({
			parameters: createParams([], {
				options: { additionalBody: '{ "datums": [{ "property": { "id": 1 }, "value": "Raw" }] }' },
			}),
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].body).toEqual({
			dataset: { id: 1 },
			datums: [{ property: { id: 1 }, value: 'Raw' }],
		});
	});
});

describe('Record → Update', () => {
	it('reads the record once, then PUTs existing datums and POSTs new ones, and outputs the updated record', async () => {
		const result = await runNode({
			parameters: updateParams(
				5,
				[
					[2, 'kj@example.com'],
					[3, '+1 555 0100'],
				],
				{ simplify: true },
			),
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /v1/records/5',
			'PUT /v1/datums',
			'POST /v1/datums',
		]);
		const [, put, post] = emulator.requests;
		expect(put.body).toMatchObject({
			record: { id: 5 },
			property: { id: 2 },
			value: 'kj@example.com',
		});
		expect(typeof (put.body as { id: number }).id).toBe('number');
		expect(post.body).toEqual({ record: { id: 5 }, property: { id: 3 }, value: '+1 555 0100' });
		expect(result.items[0].json).toMatchObject({
			id: 5,
			Email: 'kj@example.com',
			Phone: '+1 555 0100',
		});
	});

	it('replaces a multi-valued property and clears one with an empty array', async () => {
		const result = await runNode({
			parameters: updateParams(
				1,
				[
					[12, '={{ ["Partner"] }}'],
					[4, '={{ [] }}'],
				],
				{ simplify: true },
			),
			credentials: owner(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'DELETE', 'DELETE']);
		expect(result.items[0].json.Tags).toEqual(['Partner']);
		expect(result.items[0].json).not.toHaveProperty('Company');
	});

	it('refuses to update a record of another dataset and changes nothing', async () => {
		const result = await runNode({
			parameters: updateParams(6, [[1, 'x']]),
			credentials: owner(),
		});
		expect(result.error?.message).toBe('Record 6 is in dataset 2 (Companies), not in dataset 1');
		expect(emulator.requests.map((r) => r.method)).toEqual(['GET']);
	});
});

describe('Record → Move to State, Archive, Delete, Restore', () => {
	it('moves a record through POST /v1/moves', async () => {
		const result = await runNode({
			parameters: moveParams(1, 3, { simplify: true }),
			credentials: owner(),
		});
		expect(emulator.requests[0]).toMatchObject({
			method: 'POST',
			path: '/v1/moves',
			body: { record: { id: 1 }, state: { id: 3 } },
		});
		expect(result.items[0].json.state).toBe('Won');
	});

	it('explains a move refused because a required property is empty', async () => {
		const result = await runNode({
			parameters: moveParams(5, 2),
			credentials: owner(),
		});
		expect(result.error?.message).toBe(
			'Tracy refused to move the record: Phone: is required to move to Qualified',
		);
		expect(result.error?.description).toContain('fill it first (Update), then move');
	});

	it('archives, unarchives, trashes and restores', async () => {
		const run = (operation: string) =>
			runNode({
				parameters: { resource: 'record', operation, recordId: rl(2), simplify: false },
				credentials: owner(),
			});
		const archived = await run('archive');
		expect(emulator.requests[0]).toMatchObject({
			method: 'PUT',
			path: '/v1/records',
			body: { id: 2, archived: expect.any(String) },
		});
		expect(archived.items[0].json.archived).toEqual(expect.any(String));
		expect((await run('unarchive')).items[0].json.archived).toBeNull();
		expect(emulator.requests[1].body).toEqual({ id: 2, archived: null });
		const trashed = await run('delete');
		expect(emulator.requests[2]).toMatchObject({ method: 'DELETE', path: '/v1/records/2' });
		expect(trashed.items[0].json.removed).toEqual(expect.any(String));
		expect((await run('restore')).items[0].json.removed).toBeNull();
		expect(emulator.requests[3].body).toEqual({ id: 2, removed: null });
	});

	it('says which permission is missing', async () => {
		const result = await runNode({
			parameters: { resource: 'record', operation: 'delete', recordId: rl(2) },
			credentials: credentialsFor(emulator, 'reader'),
		});
		expect(result.error?.message).toBe(
			'The API key\'s role lacks the "delete" permission on record 2',
		);
	});
});

describe('lists to pick from', () => {
	it('lists datasets, states in order, properties and records, filtered by the search text', async () => {
		const creds = credentialsFor(emulator, 'sales');
		const creating = { resource: 'record', operation: 'create', dataset: rl(1) };
		expect((await listSearch('searchDatasets', {}, creds)).results).toEqual([
			{ name: 'Leads (#1)', value: '1' },
			{ name: 'Companies (#2)', value: '2' },
		]);
		// the ID beside each name is what a create-only key types "By ID"; it can be searched for too
		expect((await listSearch('searchDatasets', {}, creds, '#2')).results).toEqual([
			{ name: 'Companies (#2)', value: '2' },
		]);
		const states = await listSearch('searchStates', creating, creds);
		expect(states.results.map((s) => s.name)).toEqual([
			'New (#1)',
			'Qualified (#2)',
			'Won (#3)',
			'Lost (#4)',
		]);
		const props = await listSearch('searchProperties', creating, creds, 'utm');
		expect(props.results.map((p) => p.name)).toEqual([
			'UTM Source (#7)',
			'UTM Medium (#8)',
			'UTM Campaign (#9)',
			'UTM Term (#10)',
			'UTM Content (#11)',
		]);
		const required = await listSearch('searchProperties', creating, creds, 'name');
		expect(required.results).toEqual([{ name: 'Name (#1, required)', value: '1' }]);
		const records = await listSearch(
			'searchRecords',
			{ resource: 'record', operation: 'update', dataset: rl(1) },
			creds,
			'grace',
		);
		expect(records.results).toEqual([{ name: 'Grace Hopper (#2)', value: '2' }]);
		expect(emulator.requests.at(-1)?.query).toMatchObject({ dataset: '1', include: 'datums' });
		// Get has no Dataset field: the list spans every dataset the key can see
		const anywhere = await listSearch(
			'searchRecords',
			{ resource: 'record', operation: 'get' },
			creds,
			'analytical',
		);
		expect(anywhere.results).toEqual([{ name: 'Analytical Engines Ltd (#6)', value: '6' }]);
		expect(emulator.requests.every((r) => r.headers['x-api-key'] === creds.apiKey)).toBe(true);
	});

	it("shows Tracy's message and points to By ID when the key may not read", async () => {
		// the editor shows only the message of a list error, so the way out must be in it
		await expect(
			listSearch('searchDatasets', {}, credentialsFor(emulator, 'webform')),
		).rejects.toMatchObject({
			message:
				'The API key\'s role lacks the "view" permission on the datasets. Switch to "By ID" and type the ID: the dataset list needs a key that may read them.',
			description: expect.stringContaining('assigned only'),
		});
	});
});
