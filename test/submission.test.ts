import {
	consentGiven,
	parseBodyText,
	readSubmission,
	recogniseName,
	shapeOf,
	SubmissionError,
} from '../nodes/Tracy/resources/lead/submission';
import { normaliseName } from '../nodes/Tracy/data/text';

const webhook = (body: unknown, query: object = {}) => ({
	headers: { host: 'n8n.example.com', 'content-type': 'application/json' },
	params: {},
	query,
	body,
	webhookUrl: 'https://n8n.example.com/webhook/tracy-lead',
	executionMode: 'production',
});

const formTrigger = (fields: object, query?: object) => ({
	...fields,
	submittedAt: '2026-11-29T10:00:00.000+00:00',
	formMode: 'production',
	...(query ? { formQueryParameters: query } : {}),
});

describe('names', () => {
	it.each([
		['E-mail', 'email'],
		['e_mail', 'email'],
		['Email Address', 'email'],
		['Your Email', 'email'],
		['work-email', 'email'],
		['Full Name', 'name'],
		['First Name', 'firstName'],
		['last_name', 'lastName'],
		['Surname', 'lastName'],
		['tel', 'phone'],
		['Phone Number', 'phone'],
		['Organisation', 'company'],
		['organization', 'company'],
		['Company Name', 'company'],
		['Comments', 'message'],
		['Your Message', 'message'],
		['utm_source', 'utmSource'],
		['UTM-Medium', 'utmMedium'],
		['utmCampaign', 'utmCampaign'],
		['utm_term', 'utmTerm'],
		['utm_content', 'utmContent'],
		['Source', 'source'],
	])('"%s" is %s', (name, key) => {
		expect(recogniseName(name)).toBe(key);
	});

	it.each(['newsletter', 'budget', 'website', 'your', 'utm', 'username', 'E-mail confirmation'])(
		'"%s" is no lead field',
		(name) => {
			expect(recogniseName(name)).toBeUndefined();
		},
	);

	it('normalises case, punctuation and accents', () => {
		expect(normaliseName(' Téléphone-No. ')).toBe('telephoneno');
	});
});

describe('shapes', () => {
	it('tells a Webhook item, a Form Trigger item and a plain item apart', () => {
		expect(shapeOf(webhook({ email: 'a@b.co' }))).toBe('webhook');
		expect(shapeOf(formTrigger({ Email: 'a@b.co' }))).toBe('form');
		expect(shapeOf({ email: 'a@b.co', body: 'a field called body' })).toBe('item');
	});
});

describe('readSubmission', () => {
	it('reads a Webhook JSON body and UTM parameters from the query string, and reports where each went', () => {
		const s = readSubmission(
			webhook(
				{
					'Full Name': 'Ada Lovelace',
					'E-mail': ' ada@example.com ',
					tel: '+44 1',
					organisation: 'Analytical',
					comments: 'Hi',
					newsletter: 'yes',
					utm_source: 'newsletter',
				},
				{ utm_source: 'ignored-because-body-has-it', utm_campaign: 'autumn', ref: 'x' },
			),
		);
		expect(s.from).toBe('webhook');
		expect(s.values).toEqual({
			name: 'Ada Lovelace',
			email: 'ada@example.com',
			phone: '+44 1',
			company: 'Analytical',
			message: 'Hi',
			utmSource: 'newsletter',
			utmCampaign: 'autumn',
		});
		expect(s.fields).toEqual({
			'body.Full Name': 'name',
			'body.E-mail': 'email',
			'body.tel': 'phone',
			'body.organisation': 'company',
			'body.comments': 'message',
			'body.utm_source': 'utmSource',
			'query.utm_campaign': 'utmCampaign',
		});
		expect(s.leftOut).toEqual(['body.newsletter', 'query.utm_source', 'query.ref']);
	});

	it('reads a form-encoded body the Webhook node left as text, repeated keys joined', () => {
		const s = readSubmission(
			webhook(
				'first_name=Grace&last_name=Hopper&email=grace%40example.com&interest=a&interest=b&message=Hello+there',
			),
		);
		expect(s.values).toEqual({
			name: 'Grace Hopper',
			email: 'grace@example.com',
			message: 'Hello there',
		});
		expect(s.fields).toEqual({
			'body.first_name': 'name',
			'body.last_name': 'name',
			'body.email': 'email',
			'body.message': 'message',
		});
		expect(s.leftOut).toEqual(['body.interest']);
	});

	it('reads a JSON body left as text', () => {
		expect(readSubmission(webhook('{"email":"x@example.com"}')).values).toEqual({
			email: 'x@example.com',
		});
	});

	it('reads Form Trigger fields by their labels, and UTM from the form page query', () => {
		const s = readSubmission(
			formTrigger(
				{
					'First Name': 'Katherine',
					'Last Name': 'Johnson',
					Email: 'k@example.com',
					'How can we help?': 'Orbits',
					Budget: 5000,
					Phone: null,
				},
				{ utm_medium: 'social' },
			),
		);
		expect(s.from).toBe('form');
		expect(s.values).toEqual({
			name: 'Katherine Johnson',
			email: 'k@example.com',
			message: 'Orbits',
			utmMedium: 'social',
		});
		expect(s.leftOut).toEqual(['Budget']);
		expect(s.fields['formQueryParameters.utm_medium']).toBe('utmMedium');
		expect(Object.keys(s.fields)).not.toContain('submittedAt');
	});

	it('keeps a full name over first and last name, and reports those as left out', () => {
		const s = readSubmission({ name: 'G. Hopper', first_name: 'Grace', last_name: 'Hopper' });
		expect(s.values.name).toBe('G. Hopper');
		expect(s.leftOut).toEqual(['first_name', 'last_name']);
	});

	it('joins a first name alone or a last name alone into the name', () => {
		expect(readSubmission({ lastName: 'Hopper' }).values).toEqual({ name: 'Hopper' });
	});

	it('takes the first non-empty of two fields for one lead field and reports the other', () => {
		const s = readSubmission({ email: '', 'e-mail': 'b@example.com', Mail: 'c@example.com' });
		expect(s.values.email).toBe('b@example.com');
		expect(s.leftOut).toEqual(['Mail']);
	});

	it('numbers and booleans become text; ignored fields are neither read nor reported', () => {
		const s = readSubmission(
			{ phone: 441234, company: 'X', email: 'a@b.co' },
			{ ignoreFields: ['Company'] },
		);
		expect(s.values).toEqual({ phone: '441234', email: 'a@b.co' });
		expect(s.leftOut).toEqual([]);
	});

	it('refuses a lead field that is an object, naming the input field', () => {
		expect(() => readSubmission(webhook({ email: { value: 'a@b.co' } }))).toThrow(
			new SubmissionError('Input field "body.email" (read as Email) is an object, not text', ''),
		);
		expect(() => readSubmission({ name: [{ first: 'A' }] })).toThrow(
			'Input field "name" (read as Name) is a list of objects, not text',
		);
	});

	it('leaves an object that is no lead field out, without failing', () => {
		expect(readSubmission({ email: 'a@b.co', meta: { page: '/' } }).leftOut).toEqual(['meta']);
	});

	it('refuses a body that is not an object, or text that is neither JSON nor form fields', () => {
		expect(() => readSubmission(webhook([1, 2]))).toThrow(
			'The submission body is an array, not an object of form fields',
		);
		expect(() => readSubmission(webhook('just text'))).toThrow(
			'The submission body is neither JSON nor form-encoded fields',
		);
		expect(() => readSubmission(webhook('{oops'))).toThrow(
			/^The submission body is not valid JSON/,
		);
	});

	describe('honeypot', () => {
		it('is filled: marked, and not read as a lead field', () => {
			const s = readSubmission(
				webhook({ email: 'bot@spam.example', website: 'http://spam.example' }),
				{ honeypotField: 'website' },
			);
			expect(s.honeypot).toEqual({ field: 'body.website', filled: true });
			expect(s.fields['body.website']).toBe('honeypot');
			expect(s.leftOut).toEqual([]);
		});

		it('is empty or absent: not filled', () => {
			expect(
				readSubmission({ email: 'a@b.co', Website: '' }, { honeypotField: 'website' }).honeypot,
			).toEqual({ field: 'Website', filled: false });
			expect(readSubmission({ email: 'a@b.co' }, { honeypotField: 'website' }).honeypot).toEqual({
				field: 'website',
				filled: false,
			});
		});

		it('is not read from the query string', () => {
			expect(
				readSubmission(webhook({ email: 'a@b.co' }, { website: 'x' }), { honeypotField: 'website' })
					.honeypot?.filled,
			).toBe(false);
		});
	});

	describe('consent', () => {
		it.each([true, 'on', 'yes', 'true', '1', 'I agree', ['I agree to be contacted']])(
			'%j is consent',
			(value) => {
				expect(consentGiven(value)).toBe(true);
			},
		);

		it.each([false, '', 'no', 'off', '0', [], null, undefined, { v: 1 }])(
			'%j is no consent',
			(value) => {
				expect(consentGiven(value)).toBe(false);
			},
		);

		it('takes only the values the user named when there are some', () => {
			expect(consentGiven('marketing', ['Marketing', 'All'])).toBe(true);
			expect(consentGiven('yes', ['Marketing'])).toBe(false);
			expect(consentGiven(['Newsletter', 'Marketing'], ['marketing'])).toBe(true);
		});

		it('reports the field, its value and whether it was given', () => {
			const s = readSubmission(formTrigger({ Email: 'a@b.co', 'GDPR Consent': ['I agree'] }), {
				consentField: 'gdpr_consent',
			});
			expect(s.consent).toEqual({
				field: 'gdpr_consent',
				input: 'GDPR Consent',
				value: ['I agree'],
				given: true,
			});
			expect(s.fields['GDPR Consent']).toBe('consent');
			expect(readSubmission({ email: 'a@b.co' }, { consentField: 'consent' }).consent).toEqual({
				field: 'consent',
				value: undefined,
				given: false,
			});
		});
	});
});

describe('parseBodyText', () => {
	it('parses an empty body as no fields', () => {
		expect(parseBodyText('  ')).toEqual({});
	});
});

describe('replay', () => {
	it('reads a kept { body, query } (as the example stores refused submissions) as a Webhook submission', () => {
		const s = readSubmission({ body: { email: 'a@example.com' }, query: { utm_source: 'x' } });
		expect(s.from).toBe('webhook');
		expect(s.values).toEqual({ email: 'a@example.com', utmSource: 'x' });
	});
});
