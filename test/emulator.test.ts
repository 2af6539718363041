/** The emulator's own rules, checked over HTTP without the node. */
import { startEmulator, type TracyEmulator } from './emulator/server';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

async function call(method: string, path: string, key?: string, body?: unknown) {
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers: { ...(key ? { 'X-Api-Key': key } : {}), 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		body: text ? JSON.parse(text) : undefined,
		headers: response.headers,
	};
}

describe('Tracy emulator', () => {
	it('answers 401 for a missing or unknown key', async () => {
		expect((await call('GET', '/v1/records/1')).status).toBe(401);
		expect((await call('GET', '/v1/records/1', 'nope')).status).toBe(401);
	});

	it('lets an unrestricted key (role null) read everything', async () => {
		const { status, body } = await call('GET', '/v1/records/6', emulator.keyFor('owner'));
		expect(status).toBe(200);
		expect(body.dataset).toEqual({ id: 2, name: 'Companies' });
	});

	it('hides a record none of whose properties the role may view (403) and lists without it', async () => {
		const webform = emulator.keyFor('webform');
		expect((await call('GET', '/v1/records/1', webform)).status).toBe(403);
		expect((await call('GET', '/v1/records?dataset=1', webform)).status).toBe(403);
		const sales = await call('GET', '/v1/records?dataset=2', emulator.keyFor('reader'));
		expect(sales.status).toBe(403);
	});

	it('hides datasets the role may not view and refuses a role that may view nothing', async () => {
		const reader = await call('GET', '/v1/datasets', emulator.keyFor('reader'));
		expect(reader.body.items.map((d: { name: string }) => d.name)).toEqual(['Leads']);
		const props = reader.body.items[0].properties.map((p: { name: string }) => p.name);
		expect(props).not.toContain('Phone');
		expect((await call('GET', '/v1/datasets', emulator.keyFor('webform'))).status).toBe(403);
	});

	it('omits datums of properties the role may not view', async () => {
		const { body } = await call('GET', '/v1/records/1', emulator.keyFor('reader'));
		expect(body.datums.map((d: { property: { name: string } }) => d.property.name)).not.toContain(
			'Phone',
		);
	});

	it('lets the web-form role create leads in New only, with any property, and view nothing', async () => {
		const key = emulator.keyFor('webform');
		const created = await call('POST', '/v1/records', key, {
			dataset: { id: 1 },
			datums: [
				{ property: { id: 1 }, value: 'Form Lead' },
				{ property: { id: 2 }, value: 'form@example.com' },
			],
		});
		expect(created.status).toBe(200);
		expect(created.body.state.name).toBe('New');
		expect(created.body.datums).toEqual([]);
		expect(emulator.storedRecords(1).find((r) => r.id === created.body.id)).toBeDefined();
		const inQualified = await call('POST', '/v1/records', key, {
			dataset: { id: 1 },
			state: { id: 2 },
			datums: [],
		});
		expect(inQualified.status).toBe(403);
		expect(inQualified.body.permission).toBe('create');
		expect(
			(await call('POST', '/v1/records', key, { dataset: { id: 2 }, datums: [] })).status,
		).toBe(403);
	});

	it('refuses a create without create permission and an edit without edit permission', async () => {
		const reader = emulator.keyFor('reader');
		const refused = await call('POST', '/v1/records', reader, { dataset: { id: 1 }, datums: [] });
		expect(refused).toMatchObject({ status: 403, body: { permission: 'create' } });
		const datumId = (await call('GET', '/v1/records/1', reader)).body.datums[0].id;
		const edit = await call('PUT', '/v1/datums', reader, { id: datumId, value: 'x' });
		expect(edit).toMatchObject({ status: 403, body: { permission: 'edit' } });
	});

	it('validates values by property type and names the datum', async () => {
		const { status, body } = await call('POST', '/v1/records', emulator.keyFor('owner'), {
			dataset: { id: 1 },
			datums: [
				{ property: { id: 2 }, value: 'not-an-email' },
				{ property: { id: 99 }, value: 'x' },
				{ property: { id: 6 }, value: 'Carrier pigeon' },
			],
		});
		expect(status).toBe(422);
		expect(Object.keys(body.errors).sort()).toEqual([
			'datums[0].value',
			'datums[1].property',
			'datums[2].value',
		]);
	});

	it('keeps a record in exactly one state and refuses a forward move while a required property is empty', async () => {
		const owner = emulator.keyFor('owner');
		const refused = await call('POST', '/v1/moves', owner, { record: { id: 5 }, state: { id: 2 } });
		expect(refused.status).toBe(422);
		expect(refused.body.detail).toContain('Phone');
		const moved = await call('POST', '/v1/moves', owner, { record: { id: 1 }, state: { id: 2 } });
		expect(moved.status).toBe(200);
		expect(moved.body.state.name).toBe('Qualified');
	});

	it('needs the move permission on the current state', async () => {
		const refused = await call('POST', '/v1/moves', emulator.keyFor('reader'), {
			record: { id: 1 },
			state: { id: 4 },
		});
		expect(refused).toMatchObject({ status: 403, body: { permission: 'move' } });
	});

	it('archives, trashes and restores with the archive and delete permissions; full deletion needs an administrator', async () => {
		const sales = emulator.keyFor('sales');
		expect(
			(await call('PUT', '/v1/records', sales, { id: 1, archived: '2026-11-26T00:00:00.000Z' }))
				.body.archived,
		).toBe('2026-11-26T00:00:00.000Z');
		expect((await call('DELETE', '/v1/records/1', sales)).body.removed).toEqual(expect.any(String));
		expect(
			(await call('PUT', '/v1/records', sales, { id: 1, removed: null })).body.removed,
		).toBeNull();
		expect((await call('DELETE', '/v1/records/1?permanent=true', sales)).status).toBe(403);
		expect(
			(await call('DELETE', '/v1/records/1?permanent=true', emulator.keyFor('administrator')))
				.status,
		).toBe(200);
		expect((await call('GET', '/v1/records/1', sales)).status).toBe(404);
	});

	it('pages, filters and sorts the record list', async () => {
		const owner = emulator.keyFor('owner');
		const page = await call(
			'GET',
			'/v1/records?dataset=1&pageSize=2&page=2&archived=false&sort=1&order=asc',
			owner,
		);
		expect(page.body.total).toBe(4);
		expect(page.body.items.map((r: { id: number }) => r.id)).toEqual([2, 5]);
		const filtered = await call(
			'GET',
			`/v1/records?dataset=1&${encodeURIComponent('property[6]')}=Website&include=datums`,
			owner,
		);
		expect(filtered.body.items.map((r: { id: number }) => r.id)).toEqual([1, 5]);
		expect(filtered.body.items[0].datums.length).toBeGreaterThan(0);
	});

	it('rate-limits with 429 and Retry-After when asked to', async () => {
		const limited = await startEmulator({ rateLimitPerSecond: 2 });
		try {
			const statuses = [];
			for (let i = 0; i < 4; i++) {
				const r = await fetch(`${limited.url}/v1/records/1`, {
					headers: { 'X-Api-Key': limited.keyFor('owner') },
				});
				statuses.push([r.status, r.headers.get('retry-after')]);
			}
			expect(statuses.slice(0, 2).map((s) => s[0])).toEqual([200, 200]);
			expect(statuses[2]).toEqual([429, '1']);
		} finally {
			await limited.stop();
		}
	});

	describe('property types (A24..A28)', () => {
		const company = (datums: Array<[number, unknown]>) => ({
			dataset: { id: 2 },
			datums: [[20, 'Typed Ltd'], [29, 'Software'], ...datums].map(([id, value]) => ({
				property: { id },
				value,
			})),
		});
		const create = async (datums: Array<[number, unknown]>) =>
			await call('POST', '/v1/records', emulator.keyFor('sales'), company(datums));
		const refusal = async (datums: Array<[number, unknown]>) =>
			Object.values((await create(datums)).body.errors ?? {}).flat();

		it('keeps dates, date-times, booleans, relations, users and numbers of the right form', async () => {
			const created = await create([
				[22, '2026-12-03T00:00:00Z'],
				[23, '2026-12-03T09:30:00.000Z'],
				[24, false],
				[25, 1],
				[30, '42'],
				[31, 'Asia'],
				[31, 'Europe'],
				[33, 6],
			]);
			expect(created.status).toBe(200);
			const values = Object.fromEntries(
				created.body.datums.map((d: { property: { name: string }; value: unknown }) => [
					d.property.name,
					d.value,
				]),
			);
			expect(values).toMatchObject({
				Founded: '2026-12-03T00:00:00.000Z',
				'Last Contact': '2026-12-03T09:30:00.000Z',
				Customer: false,
				'Account Manager': 1,
				Employees: 42,
				'Parent Company': 6,
				'Created At': expect.stringMatching(/^2026-01-01T\d\d:\d\d:00\.000Z$/),
				Number: 2,
			});
		});

		it.each([
			[
				'a date-time not in UTC ISO form',
				[23, '03/12/2026'],
				'Last Contact "03/12/2026" is not a date-time in the form YYYY-MM-DDTHH:mm:ss.sssZ',
			],
			[
				'a date-time with an offset',
				[23, '2026-12-03T10:00:00+01:00'],
				'Last Contact "2026-12-03T10:00:00+01:00" is not a date-time',
			],
			[
				'a date with a time',
				[22, '2026-12-03T10:00:00.000Z'],
				'Founded "2026-12-03T10:00:00.000Z" is not a date in the form YYYY-MM-DDT00:00:00.000Z',
			],
			['a date without a time', [22, '2026-12-03'], 'Founded "2026-12-03" is not a date'],
			['a boolean as text', [24, 'yes'], 'Customer "yes" is not true or false'],
			[
				'a relation to a missing record',
				[33, 99],
				'Parent Company record 99 does not exist in dataset 2',
			],
			[
				'a relation to a record of another dataset',
				[33, 1],
				'Parent Company record 1 does not exist in dataset 2',
			],
			['a relation as text', [33, '6'], 'Parent Company "6" is not a record ID'],
			['an unknown user', [25, 9], 'Account Manager user 9 does not exist'],
			['a file', [26, 'contract.pdf'], 'Contract takes files uploaded through Files, not a value'],
			[
				'an automatic property',
				[27, '2026-12-03T00:00:00.000Z'],
				'Created At is filled in by Tracy and cannot be written',
			],
			[
				'an option in the wrong case',
				[29, 'software'],
				'Industry "software" is not one of the options (Software, Manufacturing, Retail)',
			],
		] as Array<[string, [number, unknown], string]>)('refuses %s', async (_name, datum, reason) => {
			const reasons = await refusal([datum]);
			expect(reasons.join(' ')).toContain(reason);
			expect(emulator.recordCount(2)).toBe(1);
		});

		it('links leads to companies and describes the relation in the property', async () => {
			const dataset = await call('GET', '/v1/datasets/1', emulator.keyFor('owner'));
			const account = dataset.body.properties.find((p: { id: number }) => p.id === 15);
			expect(account).toMatchObject({
				name: 'Account',
				propertyType: { id: 'relation' },
				parameters: '{"dataset":2}',
			});
			const lead = await call('POST', '/v1/records', emulator.keyFor('sales'), {
				dataset: { id: 1 },
				datums: [
					{ property: { id: 1 }, value: 'Linked' },
					{ property: { id: 15 }, value: 6 },
				],
			});
			expect(lead.status).toBe(200);
		});
	});
});
