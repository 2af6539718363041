/**
 * Lead → Create: the lead read from the submission as n8n delivers it (Webhook body,
 * form-encoded body, n8n Form Trigger fields), one list of lead field + property, honeypot and
 * consent. Run through n8n-core's engine against the emulator with the create-only key.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type TracyEmulator } from './emulator/server';
import type { OnError } from './harness';
import { makeNode, runNode } from './harness';
import { credentialsFor, rl } from './helpers';

let emulator: TracyEmulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.stop());
beforeEach(() => emulator.reset());

const row = (field: string, property: number, value?: string) => ({
	field,
	property: rl(property),
	...(value === undefined ? {} : { value }),
});

/** Every lead field of the demo Leads dataset, by ID (what a create-only key can do). */
const ALL_ROWS = [
	row('name', 1),
	row('email', 2),
	row('phone', 3),
	row('company', 4),
	row('message', 5),
	row('utmSource', 7),
	row('utmMedium', 8),
	row('utmCampaign', 9),
];

const fromSubmission = (extra: INodeParameters = {}, rows = ALL_ROWS): INodeParameters => ({
	resource: 'lead',
	operation: 'create',
	dataset: rl(1),
	leadProperties: { values: rows },
	...extra,
});

const webhookItem = (
	body: IDataObject | string,
	query: IDataObject = {},
	contentType = 'application/json',
): IDataObject => ({
	headers: { host: 'n8n.example.com', 'content-type': contentType },
	params: {},
	query,
	body,
	webhookUrl: 'https://n8n.example.com/webhook/tracy-lead',
	executionMode: 'production',
});

const formTriggerItem = (fields: IDataObject, query?: IDataObject) => ({
	...fields,
	submittedAt: '2026-11-29T10:00:00.000+00:00',
	formMode: 'production',
	...(query ? { formQueryParameters: query } : {}),
});

async function run(parameters: INodeParameters, items: IDataObject[], onError?: OnError) {
	return await runNode({
		parameters,
		items,
		credentials: credentialsFor(emulator, 'webform'),
		onError,
	});
}

type Datums = Array<{ property: { id: number }; value: unknown }>;
const datumsOf = (i: number) => (emulator.requests[i].body as { datums: Datums }).datums;

describe('Lead → Create: the description', () => {
	it('opens on "From the Submission" with Email required', () => {
		const parameters = makeNode({ resource: 'lead', operation: 'create' }).parameters;
		expect(parameters.leadInput).toBe('submission');
		expect(parameters.requiredFields).toEqual(['email']);
	});
});

describe('Lead → Create from the submission', () => {
	it('reads a Webhook JSON body and the UTM query string: one create, no reads, and says which field went where', async () => {
		const result = await run(fromSubmission(), [
			webhookItem(
				{
					'Full Name': 'Ada Lovelace',
					'E-mail': 'ada@example.com',
					tel: '+44 1',
					organisation: 'Analytical Engines',
					comments: 'Hello',
					newsletter: 'yes',
				},
				{ utm_source: 'newsletter', utm_campaign: 'autumn', fbclid: 'x' },
			),
		]);
		expect(result.error).toBeUndefined();
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /v1/records 200',
		]);
		expect(emulator.requests[0].body).toEqual({
			dataset: { id: 1 },
			datums: [
				{ property: { id: 1 }, value: 'Ada Lovelace' },
				{ property: { id: 2 }, value: 'ada@example.com' },
				{ property: { id: 3 }, value: '+44 1' },
				{ property: { id: 4 }, value: 'Analytical Engines' },
				{ property: { id: 5 }, value: 'Hello' },
				{ property: { id: 7 }, value: 'newsletter' },
				{ property: { id: 9 }, value: 'autumn' },
			],
		});
		const out = result.items[0].json;
		expect(out.created).toBe(true);
		expect(out.id).toEqual(expect.any(Number));
		expect(out.sent).toEqual({
			name: 'Ada Lovelace',
			email: 'ada@example.com',
			phone: '+44 1',
			company: 'Analytical Engines',
			message: 'Hello',
			utmSource: 'newsletter',
			utmCampaign: 'autumn',
		});
		expect(out.submission).toEqual({
			from: 'webhook',
			fields: {
				'body.Full Name': 'name',
				'body.E-mail': 'email',
				'body.tel': 'phone',
				'body.organisation': 'company',
				'body.comments': 'message',
				'query.utm_source': 'utmSource',
				'query.utm_campaign': 'utmCampaign',
			},
			leftOut: ['body.newsletter', 'query.fbclid'],
		});
		expect(emulator.storedRecords(1).some((r) => r.id === out.id)).toBe(true);
	});

	it('reads a form-encoded body, parsed by the Webhook node or left as text, and joins first and last name', async () => {
		const result = await run(fromSubmission(), [
			webhookItem(
				{ first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', company: '' },
				{},
				'application/x-www-form-urlencoded',
			),
			webhookItem(
				'first-name=Katherine&last-name=Johnson&email=katherine%40example.com&message=Orbits+please',
				{},
				'application/x-www-form-urlencoded',
			),
		]);
		expect(result.error).toBeUndefined();
		expect(datumsOf(0)).toEqual([
			{ property: { id: 1 }, value: 'Grace Hopper' },
			{ property: { id: 2 }, value: 'grace@example.com' },
		]);
		expect(datumsOf(1)).toEqual([
			{ property: { id: 1 }, value: 'Katherine Johnson' },
			{ property: { id: 2 }, value: 'katherine@example.com' },
			{ property: { id: 5 }, value: 'Orbits please' },
		]);
		expect(result.items[1].json.submission).toEqual({
			from: 'webhook',
			fields: {
				'body.first-name': 'name',
				'body.last-name': 'name',
				'body.email': 'email',
				'body.message': 'message',
			},
			leftOut: [],
		});
	});

	it('reads n8n Form Trigger fields by their labels, with UTM from the form page query', async () => {
		const result = await run(fromSubmission(), [
			formTriggerItem(
				{
					Name: 'Dorothy Vaughan',
					Email: 'dorothy@example.com',
					Company: 'NACA',
					'How can we help?': 'FORTRAN',
					Budget: 5000,
				},
				{ utm_medium: 'social' },
			),
		]);
		expect(result.error).toBeUndefined();
		expect(datumsOf(0)).toEqual([
			{ property: { id: 1 }, value: 'Dorothy Vaughan' },
			{ property: { id: 2 }, value: 'dorothy@example.com' },
			{ property: { id: 4 }, value: 'NACA' },
			{ property: { id: 5 }, value: 'FORTRAN' },
			{ property: { id: 8 }, value: 'social' },
		]);
		expect(result.items[0].json.submission).toMatchObject({ from: 'form', leftOut: ['Budget'] });
	});

	it('lists a recognised field that has no row under Lead Properties as left out, and sends it nowhere', async () => {
		const result = await run(fromSubmission({}, [row('email', 2)]), [
			webhookItem({ name: 'Only Email', email: 'only@example.com' }),
		]);
		expect(datumsOf(0)).toEqual([{ property: { id: 2 }, value: 'only@example.com' }]);
		expect(result.items[0].json.submission).toEqual({
			from: 'webhook',
			fields: { 'body.email': 'email' },
			leftOut: ['body.name'],
		});
	});

	it("a row's own value overrides the submission, and Other Properties add anything else", async () => {
		const result = await run(
			fromSubmission(
				{ otherProperties: { values: [{ property: rl(13), value: '={{ $json.body.budget }}' }] } },
				[row('name', 1, '={{ $json.body.who.toUpperCase() }}'), row('email', 2)],
			),
			[webhookItem({ who: 'ada', name: 'not this one', email: 'ada@example.com', budget: 2500 })],
		);
		expect(result.error).toBeUndefined();
		expect(datumsOf(0)).toEqual([
			{ property: { id: 1 }, value: 'ADA' },
			{ property: { id: 2 }, value: 'ada@example.com' },
			{ property: { id: 13 }, value: 2500 },
		]);
		expect(result.items[0].json.submission).toMatchObject({
			fields: { 'body.email': 'email' },
			leftOut: expect.arrayContaining(['body.name', 'body.who']),
		});
	});
});

describe('Lead → Create field by field', () => {
	it("takes each row's value, one list for value and property", async () => {
		const result = await run(
			fromSubmission({ leadInput: 'fields' }, [
				row('email', 2, '={{ $json.contact.mail }}'),
				row('name', 1, '={{ $json.contact.who }}'),
				row('phone', 3, '={{ $json.nothing }}'),
			]),
			[{ contact: { mail: 'x@example.com', who: 'X' } }],
		);
		expect(result.error).toBeUndefined();
		expect(datumsOf(0)).toEqual([
			{ property: { id: 2 }, value: 'x@example.com' },
			{ property: { id: 1 }, value: 'X' },
		]);
		expect(result.items[0].json.sent).toEqual({ email: 'x@example.com', name: 'X' });
		expect(result.items[0].json).not.toHaveProperty('submission');
	});
});

describe('Lead → Create: honeypot', () => {
	it('skips a filled honeypot without a request, marks it, and goes on with the others, paired', async () => {
		const result = await run(fromSubmission({ options: { honeypotField: 'website' } }), [
			webhookItem({ name: 'Ada', email: 'ada@example.com', website: '' }),
			webhookItem({ name: 'Bot', email: 'bot@spam.example', website: 'http://spam.example' }),
			webhookItem({ name: 'Grace', email: 'grace@example.com' }),
		]);
		expect(result.error).toBeUndefined();
		expect(emulator.requests).toHaveLength(2);
		expect(datumsOf(0)).toContainEqual({ property: { id: 2 }, value: 'ada@example.com' });
		expect(datumsOf(1)).toContainEqual({ property: { id: 2 }, value: 'grace@example.com' });
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[1].json).toEqual({
			created: false,
			skipped: 'honeypot',
			honeypotField: 'body.website',
		});
		expect(result.items[0].json.created).toBe(true);
		// an empty honeypot is neither sent nor reported as a form field left out
		expect(result.items[0].json.submission).toMatchObject({ leftOut: [] });
	});
});

describe('Lead → Create: consent', () => {
	const consentRows = [...ALL_ROWS, row('consent', 14)];

	it('sends a lead with consent and stores the consent value in the chosen property', async () => {
		const result = await run(
			fromSubmission({ options: { consentField: 'consent' } }, consentRows),
			[
				webhookItem({ name: 'Ada', email: 'ada@example.com', consent: 'on' }),
				formTriggerItem({
					Name: 'Grace',
					Email: 'grace@example.com',
					Consent: ['I agree to be contacted'],
				}),
			],
		);
		expect(result.error).toBeUndefined();
		expect(datumsOf(0)).toContainEqual({ property: { id: 14 }, value: 'on' });
		expect(datumsOf(1)).toContainEqual({ property: { id: 14 }, value: 'I agree to be contacted' });
		expect(result.items[0].json.submission).toMatchObject({
			fields: { 'body.consent': 'consent' },
		});
		expect(result.items[0].json.sent).toMatchObject({ consent: 'on' });
	});

	it('sends nothing without consent: an error item naming the field, the others go on', async () => {
		const result = await run(
			fromSubmission({ options: { consentField: 'consent' } }, consentRows),
			[
				webhookItem({ name: 'No', email: 'no@example.com', consent: 'no' }),
				webhookItem({ name: 'Missing', email: 'missing@example.com' }),
				webhookItem({ name: 'Yes', email: 'yes@example.com', consent: true }),
			],
			'continueErrorOutput',
		);
		expect(emulator.requests).toHaveLength(1);
		expect(datumsOf(0)).toContainEqual({ property: { id: 14 }, value: 'true' });
		expect(result.errorItems.map((i) => i.json.message)).toEqual([
			'Consent not given: input field "body.consent" is "no"',
			'Consent not given: the submission has no field "consent"',
		]);
		expect(result.errorItems.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 2 }]);
	});

	it('takes only the values the user named', async () => {
		const result = await run(
			fromSubmission(
				{ options: { consentField: 'gdpr', consentValues: 'marketing, all' } },
				consentRows,
			),
			[
				webhookItem({ email: 'a@example.com', gdpr: 'yes' }),
				webhookItem({ email: 'b@example.com', gdpr: 'Marketing' }),
			],
			'continueRegularOutput',
		);
		expect(result.items[0].json.message).toBe(
			'Consent not given: input field "body.gdpr" is "yes"',
		);
		expect(datumsOf(0)).toContainEqual({ property: { id: 14 }, value: 'Marketing' });
	});
});

describe('Lead → Create: bad input, each before any request', () => {
	const cases: Array<[string, INodeParameters, IDataObject, RegExp]> = [
		[
			'no email',
			fromSubmission(),
			webhookItem({ name: 'Nobody', message: 'hi' }),
			/^The submission has no Email$/,
		],
		[
			'an email that is not one',
			fromSubmission(),
			webhookItem({ email: 'not-an-email' }),
			/^The submission's email \(body\.email\) "not-an-email" is not an email address$/,
		],
		[
			'two fields to one property',
			fromSubmission({}, [row('name', 1), row('email', 1)]),
			webhookItem({ name: 'A', email: 'a@example.com' }),
			/^Lead Properties › Email is property 1, which Name already uses$/,
		],
		[
			'a field listed twice',
			fromSubmission({}, [row('email', 2), row('email', 3)]),
			webhookItem({ email: 'a@example.com' }),
			/^Lead Properties lists Email twice \(rows 1 and 2\)$/,
		],
		[
			'a field that is an object',
			fromSubmission(),
			webhookItem({ email: { address: 'a@example.com' } }),
			/^Input field "body\.email" \(read as Email\) is an object, not text$/,
		],
		[
			'a row value that is an object',
			fromSubmission({}, [row('email', 2), row('name', 1, '={{ $json.body.person }}')]),
			webhookItem({ email: 'a@example.com', person: { first: 'A' } }),
			/^Lead Properties › Name › Value must be text, not an object$/,
		],
		[
			'a body that is not form fields',
			fromSubmission(),
			webhookItem('hello there', {}, 'text/plain'),
			/^The submission body is neither JSON nor form-encoded fields$/,
		],
		[
			'a row whose property resolves to nothing',
			fromSubmission({}, [
				row('email', 2),
				{ field: 'name', property: rl('={{ $json.body.nothing }}') },
			]),
			webhookItem({ email: 'a@example.com', name: 'A' }),
			/^The field "Lead Properties › Name › Property" is empty$/,
		],
		[
			'required field read but not mapped',
			fromSubmission({ requiredFields: ['email', 'phone'] }, [row('email', 2)]),
			webhookItem({ email: 'a@example.com', phone: '1' }),
			/^Phone is required but has no Tracy property$/,
		],
		[
			'consent stored without a consent field',
			fromSubmission({}, [row('email', 2), row('consent', 14, 'yes')]),
			webhookItem({ email: 'a@example.com' }),
			/^Lead Properties › Consent needs Options › Consent Field$/,
		],
	];

	it.each(cases)('%s', async (_name, parameters, item, message) => {
		const result = await run(
			parameters,
			[item, webhookItem({ name: 'Fine', email: 'fine@example.com' })],
			'continueRegularOutput',
		);
		expect(result.items).toHaveLength(2);
		expect(String(result.items[0].json.message)).toMatch(message);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// the bad item sent nothing; the good one was created (where its own parameters allow it)
		expect(
			emulator.requests.every(
				(r) =>
					!JSON.stringify(r.body).includes('a@example.com') &&
					!JSON.stringify(r.body).includes('not-an-email'),
			),
		).toBe(true);
		expect(emulator.requests.length).toBeLessThanOrEqual(1);
	});

	it('stops the workflow on bad input without Continue On Fail, naming the field', async () => {
		const result = await run(fromSubmission(), [webhookItem({ name: 'Nobody' })]);
		expect(result.error?.message).toBe('The submission has no Email');
		expect(result.error?.description).toMatch(
			/Its fields: body\.name\. Name the form field "email"/,
		);
		expect(emulator.requests).toHaveLength(0);
	});
});
