/**
 * Tracy as a typed database: the column mapper's columns, values converted by property type (and
 * refused) before anything is sent, Simplify turning answers back, Create or Update, and the
 * Dataset resource. Run through n8n-core's engine against the emulator (A24..A29).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { mapperColumns, runNode } from './harness';
import { credentialsFor, mapperValue, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const sales = () => credentialsFor(emulator, 'sales');
const columns = mapperValue;
/** Record → Create in Companies (dataset 2) with the mapper, Name and Industry filled in. */
const company = (value: IDataObject, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'record',
	operation: 'create',
	dataset: rl(2),
	columns: columns({ 20: 'Typed Ltd', 29: 'Software', ...value }),
	...extra,
});
type Datum = { property: { id: number }; value: unknown };
const sent = (i = 0) =>
	Object.fromEntries(
		(
			(emulator.requests.filter((r) => r.method === 'POST')[i]?.body as { datums: Datum[] })
				.datums ?? []
		).map((d) => [d.property.id, d.value]),
	);
const sentList = (property: number, i = 0) =>
	(
		(emulator.requests.filter((r) => r.method === 'POST')[i]?.body as { datums: Datum[] }).datums ??
		[]
	)
		.filter((d) => d.property.id === property)
		.map((d) => d.value);

describe('the column mapper: columns from the dataset', () => {
	it('shows each writable property of Companies with its n8n type, the columns needed to move on marked, and an option dropdown', async () => {
		const { fields } = await mapperColumns(
			{ resource: 'record', operation: 'create', dataset: rl(2) },
			sales(),
		);
		const byId = Object.fromEntries(fields.map((f) => [f.id, f]));
		expect(fields.map((f) => f.id)).toEqual([
			'20',
			'21',
			'22',
			'23',
			'24',
			'25',
			'29',
			'30',
			'31',
			'32',
			'33',
		]);
		// needed to move a record on, not to create it: marked in the name, not required by n8n
		expect(byId['20']).toMatchObject({
			displayName: 'Name (needed to move on)',
			type: 'string',
			required: false,
			display: true,
			defaultMatch: false,
		});
		expect(byId['22']).toMatchObject({ displayName: 'Founded', type: 'dateTime', required: false });
		expect(byId['23']).toMatchObject({ displayName: 'Last Contact', type: 'dateTime' });
		// a Yes/No dropdown, empty until chosen: n8n would fill an untouched switch with false, and an update write it
		expect(byId['24']).toMatchObject({
			displayName: 'Customer',
			type: 'options',
			options: [
				{ name: 'Yes', value: true },
				{ name: 'No', value: false },
			],
		});
		expect(byId['24']).not.toHaveProperty('defaultValue');
		expect(byId['25']).toMatchObject({ displayName: 'Account Manager', type: 'string' });
		expect(byId['29']).toMatchObject({
			displayName: 'Industry (needed to move on)',
			type: 'options',
			required: false,
			options: [
				{ name: 'Software', value: 'Software' },
				{ name: 'Manufacturing', value: 'Manufacturing' },
				{ name: 'Retail', value: 'Retail' },
			],
		});
		expect(byId['30']).toMatchObject({ type: 'number' });
		expect(byId['31']).toMatchObject({
			displayName: 'Markets',
			type: 'array',
			canBeUsedToMatch: false,
		});
		expect(byId['33']).toMatchObject({
			displayName: 'Parent Company',
			type: 'string',
			canBeUsedToMatch: true,
		});
		// automatic (created at, record number) and file properties are left out (A27, A28)
		expect(fields.some((f) => ['26', '27', '28'].includes(f.id))).toBe(false);
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/2']);
	});

	it('offers the record ID to match on for Update (matched by default) and Create or Update', async () => {
		const update = await mapperColumns(
			{ resource: 'record', operation: 'update', dataset: rl(2) },
			sales(),
		);
		expect(update.fields[0]).toMatchObject({
			id: 'id',
			displayName: 'Record ID',
			defaultMatch: true,
			canBeUsedToMatch: true,
		});
		const upsert = await mapperColumns(
			{ resource: 'record', operation: 'upsert', dataset: rl(2) },
			sales(),
		);
		expect(upsert.fields[0]).toMatchObject({ id: 'id', defaultMatch: false, removed: true });
		expect(upsert.fields.filter((f) => f.defaultMatch)).toEqual([]);
	});

	it('matches Lead → Create or Update on the email property by default', async () => {
		const { fields } = await mapperColumns(
			{ resource: 'lead', operation: 'upsert', dataset: rl(1) },
			sales(),
		);
		expect(fields.filter((f) => f.defaultMatch).map((f) => f.displayName)).toEqual(['Email']);
		expect(fields.find((f) => f.id === '15')).toMatchObject({
			displayName: 'Account',
			type: 'string',
		});
	});

	it('tells a create-only key, in plain words, why there are no columns and what to do instead', async () => {
		const result = await mapperColumns(
			{ resource: 'record', operation: 'create', dataset: rl(1) },
			credentialsFor(emulator, 'webform'),
		);
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(
			/^This Tracy API key may not read this dataset \(a create-only key, as for a web form\)/,
		);
		expect(result.emptyFieldsNotice).toContain('"Property Values (By ID)"');
	});

	it('fails a mapped create with a create-only key in the same words, sending nothing but the refused read; By ID rows still create', async () => {
		const webform = credentialsFor(emulator, 'webform');
		const mapped = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				dataset: rl(1),
				columns: columns({ 1: 'Mapped' }),
			},
			credentials: webform,
		});
		expect(mapped.error?.message).toBe('Map Columns needs a key that may read the dataset');
		expect(mapped.error?.description).toContain('"Property Values (By ID)"');
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /v1/datasets/1 403',
		]);
		emulator.requests.length = 0;
		const byId = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				fieldsToSend: 'defineBelow',
				dataset: rl(1),
				propertyValues: { values: [{ property: rl(1), value: 'By ID' }] },
			},
			credentials: webform,
		});
		expect(byId.error).toBeUndefined();
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /v1/records 200',
		]);
	});
});

describe('values by type, converted before sending', () => {
	it.each([
		['a date from YYYY-MM-DD', { 22: '2026-12-03' }, 22, '2026-12-03T00:00:00.000Z'],
		[
			'a date from ISO text with a time: the calendar date as written',
			{ 22: '2026-12-03T23:30:00+05:00' },
			22,
			'2026-12-03T00:00:00.000Z',
		],
		[
			'a date from a Luxon DateTime ({{ $now }})',
			{ 22: "={{ DateTime.fromISO('2026-12-03T01:00:00', { zone: 'Europe/Paris' }) }}" },
			22,
			'2026-12-03T00:00:00.000Z',
		],
		[
			'a date-time from a Luxon DateTime, to UTC',
			{ 23: "={{ DateTime.fromISO('2026-12-03T10:30:00', { zone: 'Europe/Paris' }) }}" },
			23,
			'2026-12-03T09:30:00.000Z',
		],
		[
			'a date-time from a JS Date',
			{ 23: '={{ new Date(Date.UTC(2026, 11, 3, 9, 30)) }}' },
			23,
			'2026-12-03T09:30:00.000Z',
		],
		[
			'a date-time from epoch milliseconds',
			{ 23: `={{ ${Date.UTC(2026, 11, 3, 9, 30)} }}` },
			23,
			'2026-12-03T09:30:00.000Z',
		],
		[
			'a date-time from ISO text with an offset',
			{ 23: '2026-12-03T10:30:00+01:00' },
			23,
			'2026-12-03T09:30:00.000Z',
		],
		[
			'a date-time from ISO text in UTC',
			{ 23: '2026-12-03T09:30:00Z' },
			23,
			'2026-12-03T09:30:00.000Z',
		],
		['a number from plain numeric text', { 30: ' 42 ' }, 30, 42],
		['a decimal number', { 30: '1.5' }, 30, 1.5],
		['a boolean from "yes"', { 24: 'yes' }, 24, true],
		['a boolean from "on" (a ticked HTML checkbox)', { 24: 'on' }, 24, true],
		['a boolean from "0"', { 24: '0' }, 24, false],
		['a boolean from "FALSE"', { 24: 'FALSE' }, 24, false],
		[
			'a boolean from a ticked form checkbox (its labels)',
			{ 24: "={{ ['I am a customer'] }}" },
			24,
			true,
		],
		// an empty list is no value on a create (and clears on Update): nothing sent, the yes/no stays empty
		['an unticked form checkbox ([]) leaves a yes/no empty', { 24: '={{ [] }}' }, 24, undefined],
		['an option by its text in another case', { 29: 'manufacturing' }, 29, 'Manufacturing'],
		['an option by its ID', { 29: '12' }, 29, 'Retail'],
		['a relation by record ID', { 33: '6' }, 33, 6],
		[
			'a relation from a record object',
			{ 33: '={{ { id: 6, name: "Analytical Engines Ltd" } }}' },
			33,
			6,
		],
		['a user by ID', { 25: 2 }, 25, 2],
		[
			'ticked boxes into a text property, as one text',
			{ 32: "={{ ['Trade fair', 'Webinar'] }}" },
			32,
			'Trade fair, Webinar',
		],
	] as Array<[string, IDataObject, number, unknown]>)(
		'%s',
		async (_name, value, property, expected) => {
			const result = await runNode({ parameters: company(value), credentials: sales() });
			expect(result.error).toBeUndefined();
			expect(sent()[property]).toEqual(expected);
			expect(emulator.recordCount(2)).toBe(2);
		},
	);

	it('finds a user given by email, in any letter case, with one read of the users per execution', async () => {
		const items = [{ manager: 'SAM@example.com' }, { manager: 'olivia@example.com' }];
		const result = await runNode({
			parameters: company({ 25: '={{ $json.manager }}' }),
			items,
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect([sent(0)[25], sent(1)[25]].sort()).toEqual([1, 2]);
		expect(emulator.requests.filter((r) => r.path === '/v1/users')).toHaveLength(1);
		const unknown = await runNode({
			parameters: company({ 25: 'nobody@example.com' }),
			credentials: sales(),
		});
		expect(unknown.error?.message).toBe(
			'Column "Account Manager": no Tracy user has the email "nobody@example.com"',
		);
	});

	it('reads a date-time without an offset in the workflow time zone', async () => {
		const result = await runNode({
			parameters: company({ 23: '2026-07-01 12:00' }),
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		// the harness runs in n8n's default time zone, America/New_York (EDT, UTC-4, in July)
		expect(sent()[23]).toBe('2026-07-01T16:00:00.000Z');
	});

	it('sends a plural property from an array, and from comma text when asked', async () => {
		await runNode({
			parameters: company({ 31: "={{ ['europe', 'Asia'] }}" }),
			credentials: sales(),
		});
		expect(sentList(31, 0)).toEqual(['Europe', 'Asia']);
		await runNode({
			parameters: company({ 31: 'Europe, North America' }, { options: { splitCommas: true } }),
			credentials: sales(),
		});
		expect(sentList(31, 1)).toEqual(['Europe', 'North America']);
		// the mapper's list field, typed by hand
		await runNode({ parameters: company({ 31: '["asia", "Europe"]' }), credentials: sales() });
		expect(sentList(31, 2)).toEqual(['Asia', 'Europe']);
		expect(emulator.recordCount(2)).toBe(4);
	});

	it('leaves empty columns out', async () => {
		await runNode({ parameters: company({ 21: '', 30: null, 24: '  ' }), credentials: sales() });
		expect(Object.keys(sent())).toEqual(['20', '29']);
	});

	it.each([
		[
			'an ambiguous date',
			{ 22: '03/12/2026' },
			'Column "Founded": "03/12/2026" is not a date this node can read without guessing',
			/^Accepted: 2026-12-03, 2026-12-03T14:30:00Z/,
		],
		[
			'a date that does not exist',
			{ 23: '2026-02-30' },
			'Column "Last Contact": "2026-02-30" is not a date this node can read without guessing',
			/Luxon DateTime/,
		],
		[
			'a decimal comma',
			{ 30: '1,5' },
			'Column "Employees": "1,5" is not a number',
			/^Write decimals with a dot \(1\.5\)/,
		],
		[
			'a word for a number',
			{ 30: 'many' },
			'Column "Employees": "many" is not a number',
			/Give a number/,
		],
		[
			'an unclear yes/no',
			{ 24: 'maybe' },
			'Column "Customer": "maybe" is not a yes/no value',
			/^Accepted: true\/false, yes\/no, on\/off, 1\/0, or a ticked checkbox\.$/,
		],
		[
			'an unknown option',
			{ 29: 'Aerospace' },
			'Column "Industry": "Aerospace" is not one of its options',
			/^Its options: Software, Manufacturing, Retail\.$/,
		],
		[
			'comma text for a plural property without Split',
			{ 31: 'Europe, Asia' },
			'Column "Markets": "Europe, Asia" is not one of its options',
			/Europe, North America, Asia/,
		],
		[
			'a list for a single option',
			{ 29: "={{ ['Software', 'Retail'] }}" },
			'Column "Industry" takes one value, not a list of 2',
			/single value/,
		],
		[
			'a relation by a title no record has',
			{ 33: 'Nobody Ltd' },
			'Column "Parent Company": no record of dataset "Companies" is titled "Nobody Ltd"',
			/Create Missing Linked Records/,
		],
		[
			'a user by a name no user has',
			{ 25: 'Sam' },
			'Column "Account Manager": no Tracy user is named "Sam" or has it as email',
			/user's ID/,
		],
	] as Array<[string, IDataObject, string, RegExp]>)(
		'refuses %s, naming the column, before anything is sent',
		async (_name, value, message, description) => {
			const result = await runNode({ parameters: company(value), credentials: sales() });
			expect(result.error?.message).toBe(message);
			expect(result.error?.description).toMatch(description);
			// reads only: the dataset, and for a name the look-up of the linked record or the users
			expect(emulator.requests.filter((r) => r.method !== 'GET')).toEqual([]);
			expect(emulator.requests[0].path).toBe('/v1/datasets/2');
			expect(emulator.recordCount(2)).toBe(1);
		},
	);

	it("leaves a file and an automatic property given by Map Automatically alone: they are Tracy's own (a record's output fed back)", async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				dataset: rl(2),
				columns: columns({}, [], 'autoMapInputData'),
			},
			items: [
				{ name: 'X', industry: 'Retail', contract: 'contract.pdf', created_at: '2026-12-03' },
			],
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(sent()).toEqual({ 20: 'X', 29: 'Retail' });
	});

	it('maps input fields to columns whatever their case and punctuation, converting each', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				dataset: rl(2),
				columns: columns({}, [], 'autoMapInputData'),
				simplify: true,
			},
			items: [
				{
					NAME: 'Auto Ltd',
					industry: 'retail',
					last_contact: '2026-12-03T10:00:00+01:00',
					'Customer?': 'yes',
					'e-mployees': undefined,
					Employees: '7',
				},
			],
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(sent()).toEqual({
			20: 'Auto Ltd',
			29: 'Retail',
			23: '2026-12-03T09:00:00.000Z',
			24: true,
			30: 7,
		});
		expect(result.items[0].json).toMatchObject({
			Name: 'Auto Ltd',
			Industry: 'Retail',
			'Last Contact': '2026-12-03T09:00:00.000Z',
			Customer: true,
			Employees: 7,
		});
	});

	it('sends values as given with Convert Values by Type off, and Tracy names the column it refuses', async () => {
		const result = await runNode({
			parameters: company({ 30: '42', 22: '2026-12-03' }, { options: { convertValues: false } }),
			credentials: sales(),
		});
		expect(sent()).toMatchObject({ 30: '42', 22: '2026-12-03' });
		expect(result.error?.message).toBe(
			'Tracy rejected the request: Column "Founded": Founded "2026-12-03" is not a date in the form YYYY-MM-DDT00:00:00.000Z',
		);
	});

	it('sends Property Values rows as given, reading nothing: Tracy has the last word on their types', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				fieldsToSend: 'defineBelow',
				dataset: rl(2),
				propertyValues: {
					values: [
						{ property: rl(20), value: 'Rows Ltd' },
						{ property: rl(22), value: '2026-12-03' },
					],
				},
			},
			credentials: sales(),
		});
		expect(emulator.requests.map((r) => r.method)).toEqual(['POST']);
		expect(sent()[22]).toBe('2026-12-03');
		expect(result.error?.message).toBe(
			'Tracy rejected the request: Property Values, row 2 (property 22): Founded "2026-12-03" is not a date in the form YYYY-MM-DDT00:00:00.000Z',
		);
	});

	it('reads the dataset once per execution, whatever the number of items', async () => {
		const items = Array.from({ length: 6 }, (_, i) => ({ name: `Company ${i}` }));
		const result = await runNode({
			parameters: company({ 20: '={{ $json.name }}' }),
			items,
			credentials: sales(),
		});
		expect(result.items).toHaveLength(6);
		expect(emulator.requests.filter((r) => r.path === '/v1/datasets/2')).toHaveLength(1);
		expect(emulator.requests.filter((r) => r.method === 'POST')).toHaveLength(6);
	});
});

describe('Simplify turns answers back', () => {
	it('gives option text, ISO dates, arrays for plural properties, relation and user IDs', async () => {
		const result = await runNode({
			parameters: { resource: 'record', operation: 'get', recordId: rl(6), simplify: true },
			credentials: sales(),
		});
		expect(result.items[0].json).toEqual({
			id: 6,
			state: 'Active',
			Name: 'Analytical Engines Ltd',
			Website: 'https://engines.example.com',
			Founded: '1843-07-01T00:00:00.000Z',
			Customer: true,
			'Account Manager': 2,
			Industry: 'Manufacturing',
			Employees: 12,
			Markets: ['Europe'],
			'External ID': 'AE-1',
			'Created At': '2026-01-01T00:06:00.000Z',
			Number: 1,
		});
	});

	it('gives a relation as the linked record ID', async () => {
		const created = await runNode({
			parameters: company({ 33: 6 }, { simplify: true }),
			credentials: sales(),
		});
		expect(created.items[0].json['Parent Company']).toBe(6);
	});
});

describe('Create or Update', () => {
	const lead = (value: IDataObject, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'lead',
		operation: 'upsert',
		dataset: rl(1),
		upsertColumns: columns(value, ['2']),
		...extra,
	});
	const calls = () => emulator.requests.map((r) => `${r.method} ${r.path}`);

	it('run twice with the same email: one record, then an update of only what changed', async () => {
		const first = await runNode({
			parameters: lead({ 1: 'Upsert Person', 2: 'upsert@example.com', 13: '100' }),
			credentials: sales(),
		});
		expect(first.error).toBeUndefined();
		// the look-up, the create, and the look-up for a twin another process made meanwhile (A31)
		expect(calls()).toEqual([
			'GET /v1/datasets/1',
			'GET /v1/records',
			'POST /v1/records',
			'GET /v1/records',
		]);
		expect(emulator.requests[1].query).toMatchObject({
			dataset: '1',
			'property[2]': 'upsert@example.com',
			include: 'datums',
		});
		expect(first.items[0].json).toMatchObject({
			Name: 'Upsert Person',
			Email: 'upsert@example.com',
			Budget: 100,
			created: true,
		});
		const id = first.items[0].json.id;
		expect(emulator.recordCount(1)).toBe(6);

		emulator.requests.length = 0;
		const second = await runNode({
			parameters: lead({ 1: 'Upsert Person', 2: 'UPSERT@example.com', 13: '250' }),
			credentials: sales(),
		});
		expect(second.error).toBeUndefined();
		// the email matched in any letter case (A17) is equal: kept in its stored case; only Budget is written
		expect(calls()).toEqual(['GET /v1/datasets/1', 'GET /v1/records', 'PUT /v1/datums']);
		expect(emulator.requests.slice(2).map((r) => (r.body as { value: unknown }).value)).toEqual([
			250,
		]);
		expect(second.items[0].json).toMatchObject({
			id,
			Email: 'upsert@example.com',
			Budget: 250,
			created: false,
			changed: ['Budget'],
		});
		expect(emulator.recordCount(1)).toBe(6);

		emulator.requests.length = 0;
		const third = await runNode({
			parameters: lead({ 1: 'Upsert Person', 2: 'UPSERT@example.com', 13: 250 }),
			credentials: sales(),
		});
		expect(calls()).toEqual(['GET /v1/datasets/1', 'GET /v1/records']);
		expect(third.items[0].json).toMatchObject({ id, created: false, changed: [] });
	});

	it('one execution with the same email twice: the second item updates what the first created', async () => {
		const result = await runNode({
			parameters: lead({ 1: '={{ $json.name }}', 2: 'twice@example.com' }),
			items: [{ name: 'First' }, { name: 'Second' }],
			credentials: sales(),
		});
		expect(result.items.map((i) => [i.json.created, i.json.Name, i.pairedItem])).toEqual([
			[true, 'First', { item: 0 }],
			[false, 'Second', { item: 1 }],
		]);
		expect(emulator.recordCount(1)).toBe(6);
		// the first item's look-up and its look-up for a twin, then the second item's look-up
		expect(calls().filter((c) => c === 'GET /v1/records')).toHaveLength(3);
	});

	it('costs one list request plus the writes per item (and a look-up for a twin after a create), and one dataset read', async () => {
		const items = Array.from({ length: 5 }, (_, i) => ({ email: `bulk${i}@example.com` }));
		await runNode({
			parameters: lead({ 1: 'Bulk', 2: '={{ $json.email }}' }),
			items,
			credentials: sales(),
		});
		expect(calls().filter((c) => c === 'GET /v1/datasets/1')).toHaveLength(1);
		expect(calls().filter((c) => c === 'GET /v1/records')).toHaveLength(10);
		expect(calls().filter((c) => c === 'POST /v1/records')).toHaveLength(5);
	});

	it('fails an item that matches several records, naming them, and changes nothing', async () => {
		await runNode({ parameters: company({ 32: 'DUP' }), credentials: sales() });
		await runNode({ parameters: company({ 32: 'DUP' }), credentials: sales() });
		emulator.requests.length = 0;
		const upsert: INodeParameters = {
			resource: 'record',
			operation: 'upsert',
			dataset: rl(2),
			upsertColumns: columns({ 32: 'DUP', 30: 5 }, ['32']),
		};
		const result = await runNode({ parameters: upsert, credentials: sales() });
		expect(result.error?.message).toBe(
			'2 records of dataset "Companies" have External ID = "DUP": 7, 8',
		);
		expect(result.error?.description).toMatch(/Update All Matches/);
		expect(calls()).toEqual(['GET /v1/datasets/2', 'GET /v1/records']);
		const all = await runNode({
			parameters: { ...upsert, options: { updateAllMatches: true } },
			credentials: sales(),
		});
		expect(all.items.map((i) => [i.json.id, i.json.Employees, i.json.changed])).toEqual([
			[7, 5, ['Employees']],
			[8, 5, ['Employees']],
		]);
	});

	it('with Continue On Fail, gives one output or error item per input item, paired to it', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'upsert',
				dataset: rl(2),
				upsertColumns: columns(
					{ 32: '={{ $json.ext }}', 20: 'Paired', 29: 'Retail', 22: '={{ $json.founded }}' },
					['32'],
				),
			},
			items: [
				{ ext: 'AE-1', founded: '1843-07-01' },
				{ ext: 'NEW-1', founded: '03/12/2026' },
				{ ext: '', founded: '2026-01-01' },
				{ ext: 'NEW-2', founded: '2026-01-01' },
			],
			credentials: sales(),
			onError: 'continueRegularOutput',
		});
		expect(result.items.map((i) => [i.pairedItem, i.json.created ?? i.json.message])).toEqual([
			[{ item: 0 }, false],
			[
				{ item: 1 },
				'Column "Founded": "03/12/2026" is not a date this node can read without guessing',
			],
			[{ item: 2 }, 'Column "External ID" is a column to match on, but it has no value'],
			[{ item: 3 }, true],
		]);
		expect(emulator.recordCount(2)).toBe(2);
	});

	it('matches on the record ID: updates it, and creates when it does not exist', async () => {
		const upsert = (id: number): INodeParameters => ({
			resource: 'record',
			operation: 'upsert',
			dataset: rl(2),
			upsertColumns: columns({ id, 20: 'By ID Ltd', 29: 'Retail' }, ['id']),
		});
		const found = await runNode({ parameters: upsert(6), credentials: sales() });
		expect(found.items[0].json).toMatchObject({
			id: 6,
			Name: 'By ID Ltd',
			Industry: 'Retail',
			created: false,
			changed: ['Name', 'Industry'],
		});
		const missing = await runNode({ parameters: upsert(999), credentials: sales() });
		expect(missing.items[0].json).toMatchObject({ Name: 'By ID Ltd', created: true });
		expect(missing.items[0].json.id).not.toBe(999);
	});
});

describe('Record → Update with the column mapper', () => {
	const update = (value: IDataObject, match: string[]): INodeParameters => ({
		resource: 'record',
		operation: 'update',
		dataset: rl(2),
		updateColumns: columns(value, match),
	});

	it('finds the record by an external ID and writes only the changed values', async () => {
		const result = await runNode({
			parameters: update({ 32: 'AE-1', 24: 'no', 30: 12 }, ['32']),
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /v1/datasets/2',
			'GET /v1/records',
			'PUT /v1/datums',
		]);
		expect(result.items[0].json).toMatchObject({
			id: 6,
			Customer: false,
			Employees: 12,
			changed: ['Customer'],
		});
	});

	it('by record ID, and fails naming the values when no record matches', async () => {
		const byId = await runNode({
			parameters: update({ id: '6', 31: "={{ ['Asia', 'Europe'] }}" }, ['id']),
			credentials: sales(),
		});
		expect(byId.items[0].json).toMatchObject({
			id: 6,
			Markets: ['Asia', 'Europe'],
			changed: ['Markets'],
		});
		const none = await runNode({
			parameters: update({ 32: 'NOPE', 30: 1 }, ['32']),
			credentials: sales(),
		});
		expect(none.error?.message).toBe('No record of dataset "Companies" has External ID = "NOPE"');
	});

	it('refuses a column to match on without a value, before reading records', async () => {
		const result = await runNode({ parameters: update({ 30: 3 }, ['32']), credentials: sales() });
		expect(result.error?.message).toBe(
			'Column "External ID" is a column to match on, but it has no value',
		);
		expect(emulator.requests.map((r) => r.path)).toEqual(['/v1/datasets/2']);
	});
});

describe('Dataset resource', () => {
	it('Get Many lists the datasets the key may see, with ID and name', async () => {
		const all = await runNode({
			parameters: { resource: 'dataset', operation: 'getAll', returnAll: true },
			credentials: sales(),
		});
		expect(all.items.map((i) => i.json)).toEqual([
			{ id: 1, name: 'Leads' },
			{ id: 2, name: 'Companies' },
		]);
		const reader = await runNode({
			parameters: { resource: 'dataset', operation: 'getAll', limit: 5 },
			credentials: credentialsFor(emulator, 'reader'),
		});
		expect(reader.items.map((i) => i.json.name)).toEqual(['Leads']);
		const one = await runNode({
			parameters: { resource: 'dataset', operation: 'getAll', limit: 1 },
			credentials: sales(),
		});
		expect(one.items).toHaveLength(1);
	});

	it("Get gives the dataset's properties with type, required, plural and options, and its states in order", async () => {
		const result = await runNode({
			parameters: { resource: 'dataset', operation: 'get', dataset: rl(2) },
			credentials: sales(),
		});
		const json = result.items[0].json as { properties: IDataObject[]; states: IDataObject[] };
		expect(json).toMatchObject({ id: 2, name: 'Companies' });
		expect(json.states).toEqual([
			{ id: 5, name: 'Active', position: 1 },
			{ id: 6, name: 'Inactive', position: 2 },
		]);
		expect(json.properties.find((p) => p.id === 29)).toEqual({
			id: 29,
			name: 'Industry',
			type: 'option',
			accepts: 'One of its options, by text (any letter case) or ID.',
			title: false,
			required: true,
			plural: false,
			automatic: false,
			editable: 'unknown',
			options: [
				{ id: 10, text: 'Software' },
				{ id: 11, text: 'Manufacturing' },
				{ id: 12, text: 'Retail' },
			],
		});
		expect(json.properties.find((p) => p.id === 31)).toMatchObject({
			type: 'options',
			plural: true,
		});
		expect(json.properties.find((p) => p.id === 27)).toMatchObject({
			name: 'Created At',
			automatic: true,
			editable: 'no',
			accepts: 'Filled in by Tracy; cannot be set.',
		});
		expect(json.properties.find((p) => p.id === 20)).toMatchObject({ name: 'Name', title: true });
		// a relation says what it links to by name, and that a title is enough to link (A32)
		expect(json.properties.find((p) => p.id === 33)).toMatchObject({
			type: 'relation',
			linksTo: { id: 2, name: 'Companies', titleProperty: 'Name' },
			accepts: "The linked record's ID, or its title (the text Tracy shows for it).",
		});
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/2']);
	});
});
