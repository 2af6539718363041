/**
 * Every value where the user meant it: Map Automatically by names in every script, two input
 * fields for one column refused, dates from numbers by their size, integers past 2^53 refused,
 * text properties given text, `[]` clearing every type, required columns that do not stop a
 * create, and Tracy's own record output fed back. Each fails the item naming the column and
 * the accepted forms before anything is sent, or sends exactly what the user named.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { mapperColumns, runNode } from './harness';
import { credentialsFor, getParams, mapperValue, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const sales = () => credentialsFor(emulator, 'sales');
type Datum = { property: { id: number }; value: unknown };

const columns = (value: IDataObject, mappingMode = 'defineBelow') =>
	mapperValue(value, [], mappingMode);

/** Record → Create in Companies (2), mapped automatically from the input item. */
const autoCompany = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'record',
	operation: 'create',
	dataset: rl(2),
	columns: columns({}, 'autoMapInputData'),
	...extra,
});
/** Record → Create in Companies with the columns defined below. */
const company = (value: IDataObject): INodeParameters => ({
	resource: 'record',
	operation: 'create',
	dataset: rl(2),
	columns: columns({ 20: 'Exact Ltd', 29: 'Software', ...value }),
});

const posted = () =>
	(emulator.requests.find((r) => r.method === 'POST')?.body as { datums: Datum[] } | undefined)
		?.datums ?? [];
const sentTo = (property: number) =>
	posted()
		.filter((d) => d.property.id === property)
		.map((d) => d.value);
const nothingSent = () =>
	expect(emulator.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);

describe('Map Automatically: names in every script', () => {
	beforeEach(() => {
		emulator.addProperty(2, { id: 40, name: 'Имя контакта', propertyType: 'text' });
		emulator.addProperty(2, { id: 41, name: 'Телефон', propertyType: 'phone' });
		emulator.addProperty(2, { id: 42, name: '電話番号', propertyType: 'phone' });
		emulator.addProperty(2, { id: 43, name: 'Τηλέφωνο', propertyType: 'phone' });
		emulator.addProperty(2, { id: 44, name: 'Téléphone', propertyType: 'phone' });
	});

	it('each value goes to the property of its name, in Cyrillic, Japanese, Greek and French', async () => {
		const result = await runNode({
			parameters: autoCompany(),
			credentials: sales(),
			items: [
				{
					Name: 'Script Ltd',
					Industry: 'Software',
					'имя контакта': 'Иван',
					ТЕЛЕФОН: '+7 495 000 00 00',
					電話番号: '03-0000-0000',
					τηλεφωνο: '+30 21 0000 0000',
					telephone: '+33 1 00 00 00 00',
				},
			],
		});
		expect(result.error).toBeUndefined();
		expect(sentTo(40)).toEqual(['Иван']);
		expect(sentTo(41)).toEqual(['+7 495 000 00 00']);
		expect(sentTo(42)).toEqual(['03-0000-0000']);
		expect(sentTo(43)).toEqual(['+30 21 0000 0000']);
		expect(sentTo(44)).toEqual(['+33 1 00 00 00 00']);
		expect(sentTo(20)).toEqual(['Script Ltd']);
	});

	it('a field named "#" or "№" matches no column: the item fails naming it; Ignore Them leaves it out', async () => {
		const items = [{ Name: 'Hash Ltd', Industry: 'Software', '#': 7, '№': 'A-1' }];
		const failed = await runNode({ parameters: autoCompany(), credentials: sales(), items });
		expect(failed.error?.message).toBe(
			'Input fields "#", "№" match no column of dataset "Companies"',
		);
		expect(failed.error?.description).toContain('"Input Fields That Match No Column"');
		nothingSent();

		const ignored = await runNode({
			parameters: autoCompany({ unmatchedInputs: 'ignore' }),
			credentials: sales(),
			items: [{ ...items[0], submittedAt: '2026-12-07T10:00:00Z' }],
		});
		expect(ignored.error).toBeUndefined();
		expect(posted().map((d) => d.property.id)).toEqual([20, 29]);
	});

	it('two input fields that reach one column fail the item naming both and the column', async () => {
		const result = await runNode({
			parameters: autoCompany(),
			credentials: sales(),
			items: [{ Name: 'Two Ltd', Industry: 'Software', Employees: 5, employees: 7 }],
		});
		expect(result.error?.message).toBe(
			'Input fields "Employees" and "employees" both match column "Employees"',
		);
		nothingSent();
	});

	it("Tracy's own Get output fed back creates a copy: id, state and automatic fields left alone", async () => {
		const got = await runNode({ parameters: getParams(6), credentials: sales() });
		expect(got.error).toBeUndefined();
		const record = got.items[0].json;
		expect(Object.keys(record)).toEqual(
			expect.arrayContaining(['id', 'state', 'Created At', 'Number', 'External ID']),
		);
		emulator.requests.length = 0;
		const copy = await runNode({
			parameters: autoCompany(),
			credentials: sales(),
			items: [record],
		});
		expect(copy.error).toBeUndefined();
		const ids = posted().map((d) => d.property.id);
		expect(ids).toEqual(expect.arrayContaining([20, 21, 22, 24, 25, 29, 30, 31, 32]));
		// Created At (27), Number (28) and the file Contract (26) are Tracy's
		expect(ids.filter((id) => [26, 27, 28].includes(id))).toEqual([]);
		expect(copy.items[0].json.id).not.toBe(6);
	});
});

describe('values by type, without a guess', () => {
	it.each([
		['epoch seconds', 1764772200, '2025-12-03T14:30:00.000Z'],
		['epoch milliseconds', 1764772200000, '2025-12-03T14:30:00.000Z'],
		['epoch seconds as text', '1764772200', '2025-12-03T14:30:00.000Z'],
		['epoch milliseconds as text', '1764772200000', '2025-12-03T14:30:00.000Z'],
	])('a date-time from %s', async (_, value, expected) => {
		const result = await runNode({ parameters: company({ 23: value }), credentials: sales() });
		expect(result.error).toBeUndefined();
		expect(sentTo(23)).toEqual([expected]);
	});

	it.each([
		['a year', 2026],
		['a compact date', 20261207],
		['a compact date as text', '20261207'],
		['a year as text', '2026'],
	])('%s for a date fails naming the column and the accepted forms', async (_, value) => {
		const result = await runNode({ parameters: company({ 22: value }), credentials: sales() });
		expect(result.error?.message).toBe(
			`Column "Founded": ${typeof value === 'string' ? `"${value}"` : value} is not a date this node can read without guessing`,
		);
		expect(result.error?.description).toContain('epoch seconds (1764772200)');
		nothingSent();
	});

	it('a date-time with an offset given to a date keeps the calendar date as written', async () => {
		const result = await runNode({
			parameters: company({ 22: '2026-12-03T23:30:00-05:00' }),
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(sentTo(22)).toEqual(['2026-12-03T00:00:00.000Z']);
	});

	it.each([
		['digits past 2^53', '9007199254740993'],
		['a number past 2^53', 2 ** 53 + 2],
	])('%s for a number fail the item instead of being rounded', async (_, value) => {
		const result = await runNode({ parameters: company({ 30: value }), credentials: sales() });
		expect(result.error?.message).toBe(
			`Column "Employees": ${value} is beyond the integers a number holds exactly`,
		);
		nothingSent();
	});

	it('text, email, phone and url properties receive text', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				dataset: rl(1),
				columns: columns({ 1: 42, 2: 'n@example.com', 3: 4930123456, 4: true, 13: 5 }),
			},
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(sentTo(1)).toEqual(['42']);
		expect(sentTo(3)).toEqual(['4930123456']);
		expect(sentTo(4)).toEqual(['true']);
		// a number property keeps its number
		expect(sentTo(13)).toEqual([5]);
	});

	it('an object for a text property fails naming the column', async () => {
		const result = await runNode({
			parameters: company({ 32: { city: 'Berlin' } }),
			credentials: sales(),
		});
		expect(result.error?.message).toBe('Column "External ID": {"city":"Berlin"} is not text');
		nothingSent();
	});

	it('{{ [] }} clears a yes/no property on Update, as it does every other type', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'update',
				dataset: rl(2),
				fieldsToSend: 'columns',
				updateColumns: {
					...columns({ id: 6, 24: '={{ [] }}', 31: '={{ [] }}' }),
					matchingColumns: ['id'],
				},
			},
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		const writes = emulator.requests.filter((r) => r.method !== 'GET');
		expect(writes.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
		expect(result.items[0].json).toMatchObject({ changed: ['Customer', 'Markets'] });
		expect(result.items[0].json.Customer).toBeUndefined();
	});
});

describe('required columns', () => {
	it('the mapper marks what Tracy needs to move a record on, but n8n does not require it', async () => {
		const { fields } = await mapperColumns(
			{ resource: 'record', operation: 'create', dataset: rl(2) },
			sales(),
		);
		const byId = Object.fromEntries(fields.map((f) => [f.id, f]));
		expect(byId['20']).toMatchObject({ displayName: 'Name (needed to move on)', required: false });
		expect(byId['29']).toMatchObject({
			displayName: 'Industry (needed to move on)',
			required: false,
		});
		expect(byId['21']).toMatchObject({ displayName: 'Website', required: false });
	});

	it('a create with the required columns empty runs', async () => {
		const result = await runNode({
			parameters: {
				resource: 'record',
				operation: 'create',
				dataset: rl(2),
				columns: columns({ 21: 'https://no-name.example.com' }),
			},
			credentials: sales(),
		});
		expect(result.error).toBeUndefined();
		expect(posted()).toEqual([{ property: { id: 21 }, value: 'https://no-name.example.com' }]);
	});
});
