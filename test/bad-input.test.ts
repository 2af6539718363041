/**
 * A catalogue of bad input. Each case runs the real node on one item whose values come from
 * expressions (as data from a form or an earlier node would) and must fail with a message that
 * names the field, before any request reaches Tracy.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import { runNode } from './harness';
import {
	autoMapParams,
	createParams,
	credentialsFor,
	getParams,
	moveParams,
	propertyValues,
	rl,
	updateParams,
	webFormLead,
} from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const create = (extra: INodeParameters) => createParams([[1, '={{ $json.v }}']], extra);
const getMany = (extra: INodeParameters): INodeParameters => ({
	resource: 'record',
	operation: 'getAll',
	dataset: rl(1),
	...extra,
});
const lead = (fields: INodeParameters, extra: INodeParameters = {}, properties?: INodeParameters) =>
	webFormLead(extra, fields, properties);
const huge = 'x'.repeat(10_001);

const cases: Array<[string, INodeParameters, IDataObject, RegExp]> = [
	[
		'record ID: text',
		getParams('={{ $json.id }}'),
		{ id: 'abc' },
		/^The field "Record" must be a positive whole number, not abc$/,
	],
	[
		'record ID: a URL',
		getParams('={{ $json.id }}'),
		{ id: 'https://app.tra.cy/r/5' },
		/"Record" must be a positive whole number, not https:\/\/app\.tra\.cy\/r\/5/,
	],
	[
		'record ID: negative',
		getParams('={{ $json.id }}'),
		{ id: -5 },
		/"Record" must be a positive whole number, not -5/,
	],
	[
		'record ID: zero',
		getParams('={{ $json.id }}'),
		{ id: 0 },
		/"Record" must be a positive whole number, not 0/,
	],
	[
		'record ID: fraction',
		getParams('={{ $json.id }}'),
		{ id: 1.5 },
		/"Record" must be a positive whole number, not 1\.5/,
	],
	['record ID: null', getParams('={{ $json.id }}'), { id: null }, /^The field "Record" is empty$/],
	[
		'record ID: empty text',
		getParams('={{ $json.id }}'),
		{ id: '  ' },
		/^The field "Record" is empty$/,
	],
	[
		'record ID: array',
		getParams('={{ $json.id }}'),
		{ id: [1, 2] },
		/"Record" must be a positive whole number, not \[1,2\]/,
	],
	[
		'record ID: object',
		getParams('={{ $json.id }}'),
		{ id: { id: 1 } },
		/"Record" must be a positive whole number, not \{"id":1\}/,
	],
	[
		'record ID: too large',
		getParams('={{ $json.id }}'),
		{ id: '99999999999999999999' },
		/"Record" must be a positive whole number/,
	],
	[
		'create: dataset empty',
		create({ dataset: rl('={{ $json.d }}') }),
		{ d: '', v: 'x' },
		/^The field "Dataset" is empty$/,
	],
	[
		'create: dataset by name',
		create({ dataset: rl('={{ $json.d }}') }),
		{ d: 'Leads', v: 'x' },
		/"Dataset" must be a positive whole number, not Leads/,
	],
	[
		'create: state by name',
		create({ state: rl('={{ $json.s }}') }),
		{ s: 'New', v: 'x' },
		/"State" must be a positive whole number, not New/,
	],
	[
		'create: row without property',
		create({ propertyValues: propertyValues([['={{ $json.p }}', 'x']]) }),
		{ p: '' },
		/^The field "Property Values, row 1: Property" is empty$/,
	],
	[
		'create: value resolving to null',
		create({}),
		{ v: null },
		/^Property Values, row 1 \(property 1\) is empty: its value resolved to null$/,
	],
	[
		'create: value is an object',
		create({}),
		{ v: { first: 'A' } },
		/^Property Values, row 1 \(property 1\) must be text, a number or a boolean, not an object$/,
	],
	[
		'create: nested array',
		create({}),
		{ v: [['a']] },
		/^Property Values, row 1 \(property 1\), element 1 must be text, a number or a boolean, not a nested array$/,
	],
	[
		'create: null inside an array',
		create({}),
		{ v: ['a', null] },
		/^Property Values, row 1 \(property 1\), element 2 is empty \(null\)$/,
	],
	[
		'create: huge string',
		create({}),
		{ v: huge },
		/^Property Values, row 1 \(property 1\) is too long: 10001 characters, at most 10000$/,
	],
	[
		'create: not a finite number',
		create({}),
		{ v: Number.POSITIVE_INFINITY },
		/^Property Values, row 1 \(property 1\) is not a finite number$/,
	],
	[
		'create: malformed Additional Body',
		create({ options: { additionalBody: '={{ $json.b }}' } }),
		{ v: 'x', b: '{ "state": ' },
		/^Options › Additional Body \(JSON\) is not valid JSON$/,
	],
	[
		'create: Additional Body is an array',
		create({ options: { additionalBody: '={{ $json.b }}' } }),
		{ v: 'x', b: '[1,2]' },
		/^Options › Additional Body \(JSON\) must be a JSON object$/,
	],
	[
		'get many: limit 0',
		getMany({ limit: '={{ $json.l }}' }),
		{ l: 0 },
		/^The field "Limit" must be a whole number of at least 1, not 0$/,
	],
	[
		'get many: negative limit',
		getMany({ limit: '={{ $json.l }}' }),
		{ l: -3 },
		/"Limit" must be a whole number of at least 1, not -3/,
	],
	[
		'get many: state filter by name',
		getMany({ filters: { state: rl('={{ $json.s }}') } }),
		{ s: 'Won' },
		/"Filters › State" must be a positive whole number, not Won/,
	],
	[
		'get many: filter value is an object',
		getMany({
			filters: { propertyValues: { values: [{ property: rl(2), value: '={{ $json.v }}' }] } },
		}),
		{ v: { a: 1 } },
		/^Filters › Property Values, row 1: Value must be text or a number$/,
	],
	[
		'get many: sort property missing',
		getMany({ sort: { sortBy: 'property', sortProperty: rl('={{ $json.p }}') } }),
		{ p: '' },
		/^The field "Sort › Sort Property" is empty$/,
	],
	[
		'update: nothing to update',
		updateParams(1, []),
		{},
		/^Property Values is empty: there is nothing to update$/,
	],
	[
		'update: dataset empty',
		updateParams(1, [[1, 'x']], { dataset: rl('={{ $json.d }}') }),
		{ d: null },
		/^The field "Dataset" is empty$/,
	],
	['move: state empty', moveParams(1, '={{ $json.s }}'), { s: '' }, /^The field "State" is empty$/],
	[
		'lead: invalid email',
		lead({ email: '={{ $json.email }}' }),
		{ email: 'ada(at)example.com' },
		/^Lead Properties › Email › Value "ada\(at\)example\.com" is not an email address$/,
	],
	[
		'lead: email without a domain',
		lead({ email: '={{ $json.email }}' }),
		{ email: 'ada@localhost' },
		/^Lead Properties › Email › Value "ada@localhost" is not an email address$/,
	],
	[
		'lead: email as an array of objects',
		lead({ email: '={{ $json.email }}' }),
		{ email: [{ a: 'a@example.com' }] },
		/^Lead Properties › Email › Value must be text, not a list of objects$/,
	],
	[
		'lead: name as an object',
		lead({ name: '={{ $json.name }}' }),
		{ name: { first: 'Ada' } },
		/^Lead Properties › Name › Value must be text, not an object$/,
	],
	[
		'lead: required field empty',
		lead({ name: '={{ $json.name }}', email: '={{ $json.email }}' }, { requiredFields: ['name'] }),
		{ email: 'a@example.com', name: '' },
		/^Lead Properties › Name is required but empty$/,
	],
	[
		'lead: required field resolving to null',
		lead({ email: '={{ $json.email }}' }, { requiredFields: ['email'] }),
		{ email: null },
		/^Lead Properties › Email is required but empty$/,
	],
	[
		'lead: mapping is not an ID',
		lead({ email: 'a@example.com' }, {}, { email: rl('={{ $json.p }}') }),
		{ p: 'Email' },
		/"Lead Properties › Email › Property" must be a positive whole number, not Email/,
	],
	[
		'lead: one property for two fields',
		lead({ name: 'A', email: 'a@example.com' }, {}, { name: rl(2), email: rl(2) }),
		{},
		/^Lead Properties › Email is property 2, which Name already uses$/,
	],
	[
		'lead: nothing to send',
		lead({ phone: '={{ $json.phone }}' }, {}, { name: rl(1) }),
		{ phone: '123' },
		/^The lead has no value to send$/,
	],
	[
		'lead: skip if exists without email',
		lead({ name: 'A' }, { options: { skipIfExists: true } }),
		{},
		/^Skip if Exists \(by Email\) needs an email$/,
	],
	[
		'lead: other property ID is text',
		lead(
			{ name: 'A' },
			{ otherProperties: { values: [{ property: rl('={{ $json.p }}'), value: 'x' }] } },
		),
		{ p: 'Budget' },
		/"Other Properties, row 1: Property" must be a positive whole number, not Budget/,
	],
	[
		'lead: get many by email without its property',
		{
			resource: 'lead',
			operation: 'getAll',
			dataset: rl(1),
			email: 'a@example.com',
			returnAll: true,
		},
		{},
		/^Email Property is empty$/,
	],
];

describe('bad input is refused before anything is sent, naming the field', () => {
	it.each(cases)('%s', async (_name, parameters, json, message) => {
		const result = await runNode({
			parameters,
			items: [json],
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toMatch(message);
		expect(emulator.requests).toHaveLength(0);
	});

	it('has at least 30 cases', () => {
		expect(cases.length).toBeGreaterThanOrEqual(30);
	});
});

describe('input that looks odd but is fine', () => {
	it('sends unicode, emoji and right-to-left text intact', async () => {
		const name = 'Zoë 🚀 Ñandú — שלום 名字';
		const result = await runNode({
			parameters: create({}),
			items: [{ v: name }],
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].body).toMatchObject({
			datums: [{ property: { id: 1 }, value: name }],
		});
		expect(Buffer.from(emulator.requests[0].rawBody, 'utf8').toString('utf8')).toContain(name);
		expect(Object.values(result.items[0].json)).toContain(name);
	});

	it('refuses an input field that matches no property after reading the dataset once, creating nothing', async () => {
		const result = await runNode({
			parameters: autoMapParams(),
			items: [{ Nmae: 'typo' }],
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.error?.message).toBe('Input field "Nmae" matches no column of dataset "Leads"');
		expect(result.error?.description).toContain('Columns: Name, Email');
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/datasets/1']);
	});

	it('accepts numbers and booleans where text is expected, and a typed ID with spaces', async () => {
		const result = await runNode({
			parameters: create({
				dataset: rl(' 1 '),
				propertyValues: propertyValues([
					[13, '={{ $json.v }}'],
					[1, '={{ true }}'],
				]),
			}),
			items: [{ v: 2500 }],
			credentials: credentialsFor(emulator, 'owner'),
		});
		expect(result.error).toBeUndefined();
		expect(emulator.requests[0].body).toMatchObject({
			dataset: { id: 1 },
			datums: [
				{ property: { id: 13 }, value: 2500 },
				{ property: { id: 1 }, value: true },
			],
		});
	});
});
