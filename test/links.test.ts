/**
 * Links the way people name them: a lead's Account (a relation to Companies) given the company's
 * name, a user column given a user's name; the missing company created once with Create Missing
 * Linked Records, by one execution of twenty items, by two executions at once, and by two
 * processes at once. Records and requests are counted in the emulator (A32).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import { anotherProcess, credentialsFor, mapperValue, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const sales = () => credentialsFor(emulator, 'sales');

/** Record → Create in Leads with the mapper: Name, Email and Account (15, a relation to Companies). */
const lead = (options: IDataObject = {}): INodeParameters => ({
	resource: 'record',
	operation: 'create',
	dataset: rl(1),
	columns: mapperValue({
		1: '={{ $json.name }}',
		2: '={{ $json.email }}',
		15: '={{ $json.company }}',
	}),
	options: options as INodeParameters,
});

const leads = (n: number, company: (i: number) => string) =>
	Array.from({ length: n }, (_, i) => ({
		name: `Lead ${i}`,
		email: `lead${i}@example.com`,
		company: company(i),
	}));

type Datum = { property: { id: number }; value: unknown };
const creates = (dataset: number) =>
	emulator.requests.filter(
		(r) => r.method === 'POST' && (r.body as { dataset: { id: number } }).dataset.id === dataset,
	);
const accountOf = (i: number) =>
	(creates(1)[i].body as { datums: Datum[] }).datums.find((d) => d.property.id === 15)?.value;
const titleLookUps = () =>
	emulator.requests.filter((r) => r.method === 'GET' && r.query.dataset === '2').length;
const companiesNamed = (name: string) =>
	emulator
		.storedRecords(2)
		.filter(
			(r) =>
				!r.removed && (r.datums as Datum[]).some((d) => d.property.id === 20 && d.value === name),
		);

describe('a relation by the linked record title', () => {
	it('links a lead to its company by name (trimmed, letter case aside) with one look-up per name', async () => {
		const result = await runNode({
			parameters: lead(),
			credentials: sales(),
			items: leads(3, (i) => (i < 2 ? ' analytical engines LTD ' : 'Analytical Engines Ltd')),
		});
		expect(result.error).toBeUndefined();
		expect([0, 1, 2].map(accountOf)).toEqual([6, 6, 6]);
		const lookUps = emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/records');
		expect(lookUps).toHaveLength(1);
		expect(lookUps[0].query).toMatchObject({
			dataset: '2',
			'property[20]': 'analytical engines LTD',
		});
		expect(
			emulator.requests.filter((r) => r.path.startsWith('/v1/datasets')).map((r) => r.path),
		).toEqual(['/v1/datasets/1', '/v1/datasets/2']);
		expect(creates(2)).toHaveLength(0);
	});

	it('a name no company has fails the item naming the column, the dataset and the name; nothing is sent', async () => {
		const result = await runNode({
			parameters: lead(),
			credentials: sales(),
			items: leads(1, () => 'Acme GmbH'),
		});
		expect(result.error?.message).toBe(
			'Column "Account": no record of dataset "Companies" is titled "Acme GmbH"',
		);
		expect(result.error?.description).toContain('Create Missing Linked Records');
		expect(emulator.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
	});

	it('a name several companies have fails listing them', async () => {
		for (const name of ['Twin Co', 'TWIN CO']) {
			await runNode({
				parameters: {
					resource: 'record',
					operation: 'create',
					dataset: rl(2),
					fieldsToSend: 'defineBelow',
					propertyValues: { values: [{ property: rl(20), value: name }] },
				},
				credentials: sales(),
			});
		}
		emulator.requests.length = 0;
		const result = await runNode({
			parameters: lead(),
			credentials: sales(),
			items: leads(1, () => 'twin co'),
		});
		expect(result.error?.message).toBe(
			'Column "Account": 2 records of dataset "Companies" are titled "twin co": 7, 8',
		);
		expect(creates(1)).toHaveLength(0);
	});

	it('Create Missing Linked Records: 20 leads of one new company in one execution create it once, with its name alone', async () => {
		const result = await runNode({
			parameters: lead({ createMissingLinks: true }),
			credentials: sales(),
			items: leads(20, (i) => (i % 2 ? 'Acme GmbH' : 'acme gmbh')),
		});
		expect(result.error).toBeUndefined();
		expect(creates(2)).toHaveLength(1);
		// one look-up of the name, then the look-up for a twin after the create (A31)
		expect(titleLookUps()).toBe(2);
		expect(creates(2)[0].body).toEqual({
			dataset: { id: 2 },
			datums: [{ property: { id: 20 }, value: 'acme gmbh' }],
		});
		const companyId = (emulator.storedRecords(2).at(-1) as { id: number }).id;
		expect(creates(1).map((_, i) => accountOf(i))).toEqual(Array(20).fill(companyId));
	});

	it('Create Missing Linked Records: two executions at once, 20 leads each, one company', async () => {
		emulator.delays.push({ match: (r) => r.method === 'GET' && r.path === '/v1/records', ms: 100 });
		const results = await Promise.all(
			[0, 1].map(
				async () =>
					await runNode({
						parameters: lead({ createMissingLinks: true }),
						credentials: sales(),
						items: leads(20, () => 'New Company'),
					}),
			),
		);
		for (const r of results) expect(r.error).toBeUndefined();
		expect(companiesNamed('New Company')).toHaveLength(1);
		expect(creates(2)).toHaveLength(1);
		expect(creates(1)).toHaveLength(40);
		// the first: a look-up, the create, a look-up for a twin; the second waited, then found it
		expect(titleLookUps()).toBe(3);
	});

	it('Create Missing Linked Records: two processes at once, one company left outside the trash', async () => {
		emulator.delays.push({ match: (r) => r.method === 'GET' && r.path === '/v1/records', ms: 300 });
		const results = await Promise.all(
			[anotherProcess(), anotherProcess()].map(
				async (nodeType) =>
					await runNode({
						parameters: lead({ createMissingLinks: true }),
						credentials: sales(),
						items: leads(5, () => 'Queue Company'),
						nodeType,
					}),
			),
		);
		for (const r of results) expect(r.error).toBeUndefined();
		const kept = companiesNamed('Queue Company');
		expect(kept).toHaveLength(1);
		// every lead of both processes links to the one kept
		expect(creates(1).map((_, i) => accountOf(i))).toEqual(Array(10).fill(kept[0].id));
	});
});

describe('a user by name', () => {
	it('finds Sam Sales by name and Olivia by email, letter case aside', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				dataset: rl(2),
				columns: mapperValue({ 20: 'User Ltd', 25: '={{ $json.manager }}' }),
			},
			credentials: sales(),
			items: [{ manager: ' sam sales ' }, { manager: 'OLIVIA@example.com' }],
		});
		expect(result.error).toBeUndefined();
		expect(
			creates(2).map(
				(r) => (r.body as { datums: Datum[] }).datums.find((d) => d.property.id === 25)?.value,
			),
		).toEqual([2, 1]);
	});
});
