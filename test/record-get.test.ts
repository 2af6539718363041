import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { credentialsFor, getParams } from './helpers';

let emulator: TracyEmulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

describe('Record → Get', () => {
	it('sends GET /v1/records/{id} with the stored key and outputs the record as Tracy answers it', async () => {
		const result = await runNode({
			parameters: getParams(2, { simplify: false }),
			credentials: credentialsFor(emulator, 'sales'),
		});

		expect(emulator.requests).toHaveLength(1);
		const [request] = emulator.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/records/2');
		expect(request.headers['x-api-key']).toBe(emulator.keyFor('sales'));
		expect(request.headers.accept).toBe('application/json');
		expect(request.rawBody).toBe('');

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const record = result.items[0].json;
		expect(record).toMatchObject({
			id: 2,
			dataset: { id: 1, name: 'Leads' },
			state: { id: 2, name: 'Qualified' },
			archived: null,
			removed: null,
		});
		const values = (record.datums as Array<{ property: { name: string }; value: unknown }>).map(
			(d) => [d.property.name, d.value],
		);
		expect(values).toEqual(
			expect.arrayContaining([
				['Name', 'Grace Hopper'],
				['Email', 'grace@example.com'],
				['Tags', 'Partner'],
			]),
		);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('fails with a clear permission error for a key that may not view the record', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: credentialsFor(emulator, 'webform'),
		});

		expect(emulator.requests).toHaveLength(1);
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(
			'The API key\'s role lacks the "view" permission on record 1',
		);
		expect(result.error?.description).toContain('"assigned only"');
		expect((result.error as { httpCode?: string }).httpCode).toBe('403');
	});

	it('says what was not found for an unknown record', async () => {
		const result = await runNode({
			parameters: getParams(999),
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.error?.message).toBe('Tracy found no record 999');
	});

	it('says the key is wrong on a 401 and sends the request once (no retry of a refused key)', async () => {
		const result = await runNode({
			parameters: getParams(1),
			credentials: { apiKey: 'not-a-real-key', baseUrl: emulator.url },
		});
		expect(emulator.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Tracy refused the API key (401)');
	});

	it('refuses a typed record ID that is not a number: n8n flags the parameter before running', async () => {
		await expect(
			runNode({ parameters: getParams('abc'), credentials: credentialsFor(emulator, 'owner') }),
		).rejects.toThrow('The record ID must be a whole number');
		expect(emulator.requests).toHaveLength(0);
	});

	it('refuses an ID from an expression that is not a number before sending anything', async () => {
		const result = await runNode({
			parameters: getParams('={{ $json.id }}'),
			items: [{ id: 'https://app.tra.cy/records/12' }],
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(emulator.requests).toHaveLength(0);
		expect(result.error?.message).toBe(
			'The field "Record" must be a positive whole number, not https://app.tra.cy/records/12',
		);
		expect(result.error?.description).toContain('A URL was given');
	});

	it('sends one request per input item and outputs one item per record, paired to its input', async () => {
		const result = await runNode({
			parameters: {
				...getParams(0),
				recordId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			},
			items: [{ id: 1 }, { id: 2 }, { id: 3 }],
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
			'GET /v1/records/1',
			'GET /v1/records/2',
			'GET /v1/records/3',
		]);
		expect(result.items.map((i) => i.json.id)).toEqual([1, 2, 3]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('hides the properties the role may not view instead of failing', async () => {
		const result = await runNode({
			parameters: getParams(1, { simplify: true }),
			credentials: credentialsFor(emulator, 'reader'),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 1,
			Name: 'Ada Lovelace',
			Email: 'ada@example.com',
		});
		expect(result.items[0].json).not.toHaveProperty('Phone');
	});

	it('simplifies a record with multi-valued properties into arrays', async () => {
		const result = await runNode({
			parameters: getParams(1, { simplify: true }),
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.items[0].json).toEqual({
			id: 1,
			state: 'New',
			Name: 'Ada Lovelace',
			Email: 'ada@example.com',
			Phone: '+44 20 7946 0001',
			Company: 'Analytical Engines Ltd',
			Source: 'Website',
			Tags: ['Hot', 'Newsletter'],
			Budget: 12000,
		});
	});
});
