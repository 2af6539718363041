/**
 * The node's description as n8n's editor gets it: each operation's form, field by field, after n8n's
 * loader has merged its request options in.
 */
import { DirectoryLoader } from 'n8n-core';
import type {
	INode,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { NodeTypeRegistry } from './engine-data';
import { TracyApi } from '../credentials/TracyApi.credentials';
import { TracyAutomationSecretApi } from '../credentials/TracyAutomationSecretApi.credentials';
import { CREDENTIAL_NAME } from '../nodes/Tracy/transport/request';
import { dataset } from '../nodes/Tracy/resources/dataset';
import { lead } from '../nodes/Tracy/resources/lead';
import { record } from '../nodes/Tracy/resources/record';
import { composeFields, subtitle, tracyResource } from '../nodes/Tracy/form/compose';
import { Tracy } from '../nodes/Tracy/Tracy.node';
import { TracyAutomationTrigger } from '../nodes/Tracy/TracyAutomationTrigger.node';
import { TracyTrigger } from '../nodes/Tracy/TracyTrigger.node';

function loaded(): INodeTypeDescription {
	const tracy = new Tracy();
	DirectoryLoader.applyDeclarativeNodeOptionParameters(tracy);
	return tracy.description;
}

const description = loaded();
const node = { typeVersion: 1, parameters: {} } as unknown as INode;

/** The top-level fields the editor shows for these parameters (defaults filled in as the editor does). */
function form(parameters: Record<string, unknown>, at = node) {
	const values = NodeHelpers.getNodeParameters(
		description.properties,
		parameters as never,
		true,
		false,
		at,
		description,
	)!;
	const shown = description.properties.filter((p) =>
		NodeHelpers.displayParameter(values, p, at, description),
	);
	return { values, shown };
}

function fieldNames(parameters: Record<string, unknown>, at = node) {
	return form(parameters, at)
		.shown.map((p) => `${p.name}${p.required ? '*' : ''}`)
		.filter((f) => !['resource', 'operation', 'requestOptions'].includes(f));
}

/** Each operation's form; `*` marks a required field. Before the fields were declared once, these were the same but for Simplify on the creates and on Update (under Options before). */
const FORMS: Array<[string, string, Record<string, unknown>, string[]]> = [
	['record', 'archive', {}, ['recordId*', 'simplify']],
	[
		'record',
		'create',
		{},
		['dataset*', 'state', 'fieldsToSend', 'columns*', 'simplify', 'options'],
	],
	[
		'record',
		'create',
		{ columns: { mappingMode: 'autoMapInputData', value: null } },
		[
			'dataset*',
			'state',
			'fieldsToSend',
			'columns*',
			'inputsToIgnore',
			'unmatchedInputs',
			'simplify',
			'options',
		],
	],
	[
		'record',
		'update',
		{ updateColumns: { mappingMode: 'autoMapInputData', value: null } },
		[
			'dataset*',
			'fieldsToSend',
			'updateColumns*',
			'inputsToIgnore',
			'unmatchedInputs',
			'simplify',
			'options',
		],
	],
	[
		'lead',
		'upsert',
		{ upsertColumns: { mappingMode: 'autoMapInputData', value: null } },
		[
			'dataset*',
			'state',
			'upsertColumns*',
			'inputsToIgnore',
			'unmatchedInputs',
			'simplify',
			'options',
		],
	],
	[
		'record',
		'create',
		{ fieldsToSend: 'defineBelow' },
		['dataset*', 'state', 'fieldsToSend', 'propertyValues', 'simplify', 'options'],
	],
	['record', 'delete', {}, ['recordId*', 'simplify']],
	['record', 'get', {}, ['recordId*', 'simplify']],
	[
		'record',
		'getAll',
		{},
		['dataset*', 'returnAll', 'limit', 'filters', 'sort', 'includeDatums', 'simplify'],
	],
	[
		'record',
		'getAll',
		{ returnAll: true },
		['dataset*', 'returnAll', 'filters', 'sort', 'includeDatums', 'simplify'],
	],
	['record', 'move', {}, ['recordId*', 'dataset*', 'state*', 'simplify']],
	['record', 'restore', {}, ['recordId*', 'simplify']],
	['record', 'unarchive', {}, ['recordId*', 'simplify']],
	['record', 'update', {}, ['dataset*', 'fieldsToSend', 'updateColumns*', 'simplify', 'options']],
	[
		'record',
		'update',
		{ fieldsToSend: 'defineBelow' },
		['dataset*', 'fieldsToSend', 'recordId*', 'propertyValues', 'simplify'],
	],
	['record', 'upsert', {}, ['dataset*', 'state', 'upsertColumns*', 'simplify', 'options']],
	['lead', 'upsert', {}, ['dataset*', 'state', 'upsertColumns*', 'simplify', 'options']],
	['dataset', 'get', {}, ['dataset*']],
	['dataset', 'getAll', {}, ['returnAll', 'limit']],
	[
		'lead',
		'create',
		{},
		[
			'dataset*',
			'state',
			'leadInput',
			'leadProperties',
			'otherProperties',
			'requiredFields',
			'simplify',
			'options',
		],
	],
	['lead', 'get', {}, ['recordId*', 'simplify']],
	[
		'lead',
		'getAll',
		{},
		['dataset*', 'email', 'returnAll', 'limit', 'filters', 'sort', 'includeDatums', 'simplify'],
	],
	[
		'lead',
		'getAll',
		{ email: 'a@example.com' },
		[
			'dataset*',
			'email',
			'emailProperty',
			'returnAll',
			'limit',
			'filters',
			'sort',
			'includeDatums',
			'simplify',
		],
	],
	['lead', 'move', {}, ['recordId*', 'dataset*', 'state*', 'simplify']],
];

const operations = [record.operations, lead.operations, dataset.operations].flatMap((o) =>
	(o.options as INodePropertyOptions[]).map((option) => [
		o.displayOptions!.show!.resource![0] as string,
		String(option.value),
	]),
);

/** Lead → Create's Options when the lead is read from the submission, in order. */
const LEAD_CREATE_OPTIONS = [
	'additionalBody',
	'overLongText',
	'skipIfExists',
	'consentField',
	'consentValues',
	'honeypotField',
	'ignoreFields',
];

describe('node description', () => {
	it('covers every operation in the forms below', () => {
		expect(new Set(FORMS.map(([r, o]) => `${r}:${o}`))).toEqual(
			new Set(operations.map(([r, o]) => `${r}:${o}`)),
		);
	});

	it.each(FORMS)(
		'%s → %s %j shows its fields in this order',
		(resource, operation, extra, fields) => {
			expect(fieldNames({ resource, operation, ...extra })).toEqual(fields);
		},
	);

	it('declares each field once, but for those whose form differs by operation', () => {
		const names = description.properties.map((p) => p.name);
		const repeated = names.filter((n, i) => names.indexOf(n) !== i);
		// Map Automatically's two settings under each of the three mappers, the Options of each create, of Update and
		// of the upserts, the optional state of the creates against the required one of the moves and the upserts'
		// state for new records, Update's record only without the mapper, Dataset → Get's dataset
		expect(repeated.sort()).toEqual([
			'dataset',
			'inputsToIgnore',
			'inputsToIgnore',
			'operation',
			'operation',
			'options',
			'options',
			'options',
			'recordId',
			'state',
			'state',
			'unmatchedInputs',
			'unmatchedInputs',
		]);
		expect(description.properties.length).toBeLessThanOrEqual(40);
	});

	it("shows Lead → Create's options: the submission's own only when reading the submission", () => {
		const options = (extra: Record<string, unknown>) => {
			const { values, shown } = form({ resource: 'lead', operation: 'create', ...extra });
			const field = shown.find((p) => p.name === 'options')!;
			return (field.options as INodeProperties[])
				.filter((o) => NodeHelpers.displayParameter(values, o, node, description, values))
				.map((o) => o.name);
		};
		expect(options({})).toEqual(LEAD_CREATE_OPTIONS);
		// Ignore Fields reads the submission only
		expect(options({ leadInput: 'fields' })).toEqual(
			LEAD_CREATE_OPTIONS.filter((o) => o !== 'ignoreFields'),
		);
	});

	it("shows the creates' options per resource: Additional Body for both, conversions for records, the lead checks for leads only", () => {
		const options = (resource: string) => {
			const { values, shown } = form({ resource, operation: 'create' });
			const field = shown.find((p) => p.name === 'options')!;
			return (field.options as INodeProperties[])
				.filter((o) => NodeHelpers.displayParameter(values, o, node, description, values))
				.map((o) => o.name);
		};
		expect(options('record')).toEqual([
			'additionalBody',
			'convertValues',
			'createMissingLinks',
			'splitCommas',
		]);
		expect(options('lead')).toEqual(LEAD_CREATE_OPTIONS);
	});

	it('lists each request option once after n8n has merged its own in, ours among them', () => {
		const requestOptions = description.properties.filter((p) => p.name === 'requestOptions');
		expect(requestOptions).toHaveLength(1);
		const names = (requestOptions[0].options as INodeProperties[]).map((o) => o.name);
		expect(names).toEqual([...new Set(names)]);
		expect(names).toEqual(
			expect.arrayContaining([
				'batching',
				'allowUnauthorizedCerts',
				'proxy',
				'timeout',
				'rateLimitRetries',
				'maxRetryWait',
			]),
		);
		expect(requestOptions[0].isNodeSetting).toBe(true);
	});

	it('names the default timeout where the request options are', () => {
		const ours = (
			description.properties.find((p) => p.name === 'requestOptions')!.options as INodeProperties[]
		).filter((o) => ['rateLimitRetries', 'maxRetryWait'].includes(o.name));
		expect(ours.some((o) => o.description?.includes('10,000 ms'))).toBe(true);
	});

	it('has a readable subtitle for every operation', () => {
		const registry = new NodeTypeRegistry().register('n8n-nodes-tracy.tracy', new Tracy());
		for (const [resource, operation] of operations) {
			const parameters = { resource, operation };
			const tracyNode: INode = {
				id: 'n',
				name: 'Tracy',
				type: 'n8n-nodes-tracy.tracy',
				typeVersion: 1,
				position: [0, 0],
				parameters,
			};
			const workflow = new Workflow({
				nodes: [tracyNode],
				connections: {},
				active: false,
				nodeTypes: registry,
			});
			const subtitle = workflow.expression.getSimpleParameterValue(
				tracyNode,
				description.subtitle!,
				'internal',
				{},
			);
			expect(typeof subtitle).toBe('string');
			expect(subtitle).toMatch(
				new RegExp(
					`^[A-Z][a-z]+( (or|[A-Z][a-z]+))* ${({ lead: 'Leads?', record: 'Records?', dataset: 'Datasets?' } as Record<string, string>)[resource]}( to State)?$`,
				),
			);
		}
	});

	it('has an action text for every operation and no data expressions on resource and operation', () => {
		for (const o of [record.operations, lead.operations, dataset.operations]) {
			expect(o.noDataExpression).toBe(true);
			for (const option of o.options as INodePropertyOptions[]) expect(option.action).toBeTruthy();
		}
	});
});

test("every top-level field's displayOptions name fields n8n 1.x can resolve: a dotted path only from the root ('/columns.mappingMode')", () => {
	// n8n 1.x resolves a dependency on 'columns.mappingMode' as a field of that name, finds none, and then
	// refuses to activate any workflow holding the node ("Could not resolve parameter dependencies");
	// n8n 2.x resolves it. A path from the root works on both.
	const unresolvable: string[] = [];
	for (const description of [
		new Tracy().description,
		new TracyTrigger().description,
		new TracyAutomationTrigger().description,
	]) {
		for (const p of description.properties) {
			for (const when of [p.displayOptions?.show, p.displayOptions?.hide]) {
				for (const key of Object.keys(when ?? {})) {
					if (key.includes('.') && !key.startsWith('/') && !key.startsWith('@'))
						unresolvable.push(`${description.name}.${p.name}: ${key}`);
				}
			}
		}
	}
	expect(unresolvable).toEqual([]);
});

describe('the form composed from the operation files', () => {
	const field = (name: string): INodeProperties => ({
		displayName: name,
		name,
		type: 'string',
		default: '',
	});
	const [a, b, c] = ['a', 'b', 'c'].map(field);
	const op = (value: string, fields: INodeProperties[]) => ({
		operation: { name: value, value, action: value, subtitle: `${value} Thing` },
		fields,
	});

	it('shows each field for exactly the operations that list it, in an order that keeps every form', () => {
		const one = tracyResource({ name: 'One', value: 'one' }, 'x', [
			op('x', [b, c]),
			op('y', [a, b]),
		]);
		const composed = composeFields([one]);
		expect(composed.map((f) => f.name)).toEqual(['a', 'b', 'c']);
		expect(composed.map((f) => f.displayOptions?.show?.operation)).toEqual([
			['y'],
			['x', 'y'],
			['x'],
		]);
	});

	it('refuses a field two resources share that would show for an operation not listing it', () => {
		const one = tracyResource({ name: 'One', value: 'one' }, 'x', [op('x', [a]), op('y', [])]);
		const two = tracyResource({ name: 'Two', value: 'two' }, 'y', [op('y', [a])]);
		expect(() => composeFields([one, two])).toThrow(
			'Field "a" would show for one → y, which does not list it',
		);
	});

	it('refuses two forms that order the same fields differently', () => {
		const one = tracyResource({ name: 'One', value: 'one' }, 'x', [
			op('x', [a, b]),
			op('y', [b, a]),
		]);
		expect(() => composeFields([one])).toThrow('in different orders');
	});

	it('makes the subtitle from the labels the operation files declare, and leaves them out of the Operation list', () => {
		const one = tracyResource({ name: 'Thing', value: 'thing' }, 'x', [
			op('Get Many', []),
			{
				operation: {
					name: 'Move to State',
					value: 'move',
					action: 'move',
					subtitle: 'Move Thing to State',
				},
				fields: [],
			},
		]);
		expect(JSON.parse(/\((\{.*\})\)/.exec(subtitle([one]))![1])).toEqual({
			'thing:Get Many': 'Get Many Thing',
			'thing:move': 'Move Thing to State',
		});
		expect((one.operations.options ?? []).some((o) => 'subtitle' in o)).toBe(false);
	});
});

test("every node names the credential by the transport's name, written out where n8n's lint reads it", () => {
	// n8n's lint rule credential-test-required finds a credential's `testedBy` only by the literal name in a
	// node's `credentials` array, so the name is written there; this keeps every copy equal to the transport's
	const names = [new Tracy(), new TracyTrigger(), new TracyAutomationTrigger()].flatMap((n) =>
		(n.description.credentials ?? []).map((c) => c.name),
	);
	expect(new Set(names.filter((n) => n !== new TracyAutomationSecretApi().name))).toEqual(
		new Set([CREDENTIAL_NAME]),
	);
	expect(new TracyApi().name).toBe(CREDENTIAL_NAME);
});
