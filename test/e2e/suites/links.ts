/**
 * Links by name in a real n8n: web-form leads name their company ("Analytical Engines Ltd"), never
 * "record 6". Lead → Create or Update maps the company to Account (a relation to Companies) and
 * the node looks the title up once per name; with Options › Create Missing Linked Records a new
 * company is created once, however many leads name it, and a later execution finds it.
 */
import type { ReceivedRequest } from '../../emulator/server';
import type { E2eContext } from '../scenario';
import { outputItems, querySuffix, scenario, selected, skip } from '../scenario';
import type { CredentialRef } from '../workflows';
import { byId, chain, itemsSource, manualTrigger, tracyNode, workflow } from '../workflows';

const NAME =
	'Links: web-form leads name their company; Lead → Create or Update links the existing one and creates the missing one once';
const AGAIN =
	'Links: a second execution naming the new company again (Map Automatically) links it and creates no second one';

/** Leads (1): Name 1, Email 2, Account 15 (a relation to Companies); Companies (2): Name 20, the title. */
const LEADS = 1;
const COMPANIES = 2;
const ACCOUNT = 15;
const COMPANY_TITLE = 20;
/** The emulator's demo company. */
const EXISTING = { id: 6, name: 'Analytical Engines Ltd' };
const NEW_COMPANY = 'Links New GmbH';

const key = (title: string) => title.trim().toLowerCase();

/** Five web-form submissions: two name the demo company, three a company Tracy does not have yet. */
const SUBMISSIONS = [
	{ name: 'Links Ada', email: 'links.ada@example.com', company: 'analytical engines LTD' },
	{
		name: 'Links Charles',
		email: 'links.charles@example.com',
		company: '  Analytical Engines Ltd ',
	},
	{ name: 'Links Grete', email: 'links.grete@example.com', company: NEW_COMPANY },
	{ name: 'Links Hans', email: 'links.hans@example.com', company: '  links new gmbh' },
	{ name: 'Links Ida', email: 'links.ida@example.com', company: 'LINKS NEW GMBH ' },
];
/** The second execution: one more lead of the new company, input fields named like the columns. */
const LATER = [{ Name: 'Links Karl', Email: 'links.karl@example.com', Account: ' Links new GmbH' }];

type Datum = { property: { id: number }; value: unknown };
type RecordJson = { id: number; removed?: boolean; datums?: Datum[] };
type PostBody = { dataset?: { id?: number }; datums?: Datum[] };

/** A relation datum's value as an ID, whether Tracy holds `6` or `{ id: 6 }`. */
function linkedId(value: unknown): unknown {
	const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
	return one && typeof one === 'object' && 'id' in one ? (one as { id: unknown }).id : one;
}

function datum(record: RecordJson | undefined, property: number) {
	return (record?.datums ?? []).find((d) => d.property.id === property)?.value;
}

const postsTo = (requests: ReceivedRequest[], dataset: number) =>
	requests.filter(
		(r) =>
			r.method === 'POST' &&
			r.path === '/v1/records' &&
			(r.body as PostBody | undefined)?.dataset?.id === dataset,
	);

/** GET /v1/records in Companies, grouped by the title filter they carry (trimmed, letter case aside). */
function titleLookUps(requests: ReceivedRequest[]) {
	const byName = new Map<string, number>();
	for (const r of requests) {
		if (r.method !== 'GET' || r.path !== '/v1/records' || r.query.dataset !== String(COMPANIES))
			continue;
		const filter = r.query[`property[${COMPANY_TITLE}]`] ?? '(no title filter)';
		byName.set(key(filter), (byName.get(key(filter)) ?? 0) + 1);
	}
	return Object.fromEntries([...byName].sort());
}

function upsertNode(name: string, credential: CredentialRef, columns: Record<string, unknown>) {
	return tracyNode(
		name,
		{
			resource: 'lead',
			operation: 'upsert',
			dataset: byId(LEADS),
			upsertColumns: {
				matchingColumns: ['2'],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: false,
				...columns,
			},
			options: { createMissingLinks: true },
		},
		credential,
		[660, 0],
	);
}

export async function linksSuite({ folder, emulator, ops, credentials }: E2eContext) {
	if (!selected(NAME) && !selected(AGAIN)) return;
	if (!ops.has('lead.upsert')) {
		skip(NAME, 'the built node has no Lead → Create or Update');
		return;
	}
	const node = 'Create or Update Lead';
	const build = (id: string, items: object[], columns: Record<string, unknown>) => {
		const start = manualTrigger();
		const [data, source] = itemsSource('Web form', items, [220, 0]);
		const upsert = upsertNode(node, credentials.sales, columns);
		return workflow(
			id,
			`E2E: ${id}`,
			[start, data, source, upsert],
			chain({}, start.name, data.name, source.name, upsert.name),
		);
	};
	const firstId = 'e2eLinksWebForm';
	const againId = 'e2eLinksAgain';
	await folder.importWorkflows([
		// the column mapper: Name, Email and Account from the form's fields
		build(firstId, SUBMISSIONS, {
			mappingMode: 'defineBelow',
			value: {
				1: '={{ $json.name }}',
				2: '={{ $json.email }}',
				[ACCOUNT]: '={{ $json.company }}',
			},
		}),
		// Map Automatically: the input fields carry the column names
		build(againId, LATER, { mappingMode: 'autoMapInputData', value: null }),
	]);
	const companiesNamed = (name: string) =>
		(emulator.storedRecords(COMPANIES) as RecordJson[]).filter(
			(r) => key(String(datum(r, COMPANY_TITLE) ?? '')) === key(name),
		);
	const before = companiesNamed(NEW_COMPANY).length;
	const storedLead = (id: unknown) =>
		(emulator.storedRecords(LEADS) as RecordJson[]).find((r) => r.id === id);

	let newCompanyId: number | undefined;
	await scenario(
		NAME,
		emulator,
		() => folder.execute(firstId, 0),
		(c, { execution, requests }) => {
			c.equal(
				execution.status ?? (execution.finished ? 'success' : 'failed'),
				'success',
				'execution status',
			);
			c.equal(before, 0, `no company "${NEW_COMPANY}" before the run`);
			const companies = companiesNamed(NEW_COMPANY);
			c.equal(companies.length, 1, `exactly one company "${NEW_COMPANY}" is stored`);
			const company = companies[0];
			newCompanyId = company?.id;
			c.that(company && !company.removed, 'the new company is not in the trash');
			c.that(
				typeof newCompanyId === 'number' && newCompanyId !== EXISTING.id,
				`the new company has an ID of its own (${String(newCompanyId)})`,
			);
			c.that(
				SUBMISSIONS.slice(2)
					.map((s) => s.company.trim())
					.includes(String(datum(company, COMPANY_TITLE))),
				`its title is a submitted spelling, trimmed: "${String(datum(company, COMPANY_TITLE))}"`,
			);
			c.equal(
				companiesNamed(EXISTING.name).map((r) => r.id),
				[EXISTING.id],
				`"${EXISTING.name}" is still the one company of that name`,
			);

			const companyPosts = postsTo(requests, COMPANIES);
			c.equal(companyPosts.length, 1, 'exactly one POST creates a company');
			c.equal(
				(companyPosts[0]?.body as PostBody | undefined)?.datums?.map((d) => d.property.id),
				[COMPANY_TITLE],
				'the company is created with its title alone',
			);
			c.that(
				requests.every((r) => r.method !== 'DELETE'),
				'nothing was moved to the trash (no twin company)',
			);
			// one look-up per name (made under the match lock with Create Missing Linked Records), and
			// for the new one a look-up after its create for a twin made at the same moment by another process
			c.equal(
				titleLookUps(requests),
				{ [key(EXISTING.name)]: 1, [key(NEW_COMPANY)]: 2 },
				'title look-ups in Companies: one per name, plus the twin check after the one create',
			);
			c.equal(
				requests.filter((r) => r.method === 'GET' && r.path === `/v1/datasets/${COMPANIES}`).length,
				1,
				"Companies' schema read once",
			);

			const leadPosts = postsTo(requests, LEADS);
			c.equal(leadPosts.length, SUBMISSIONS.length, 'one lead created per submission');
			const expected = SUBMISSIONS.map((_, i) => (i < 2 ? EXISTING.id : newCompanyId));
			SUBMISSIONS.forEach((s, i) => {
				const post = leadPosts.find((r) =>
					((r.body as PostBody).datums ?? []).some(
						(d) => d.property.id === 2 && d.value === s.email,
					),
				);
				c.equal(
					linkedId(datum(post?.body as RecordJson | undefined, ACCOUNT)),
					expected[i],
					`lead ${i + 1} (${JSON.stringify(s.company)}): Account sent as the company's ID`,
				);
			});

			const items = outputItems(execution, node);
			c.equal(items.length, SUBMISSIONS.length, 'one output item per submission');
			c.equal(
				items.map((i) => i.created),
				SUBMISSIONS.map(() => true),
				'every output item is a created lead',
			);
			c.equal(
				items.map((i) => i.Email),
				SUBMISSIONS.map((s) => s.email),
				'the output items in the order of the submissions',
			);
			items.forEach((item, i) => {
				const stored = storedLead(item.id);
				c.that(stored, `output item ${i + 1} is a lead Tracy stored (id ${String(item.id)})`);
				c.equal(
					linkedId(datum(stored, ACCOUNT)),
					expected[i],
					`stored lead ${i + 1}: Account links company ${String(expected[i])}`,
				);
				c.equal(
					linkedId(item.Account),
					expected[i],
					`output item ${i + 1}: Account is company ${String(expected[i])}`,
				);
			});
		},
	);

	if (!selected(AGAIN)) return;
	await scenario(
		AGAIN,
		emulator,
		() => folder.execute(againId, 0),
		(c, { execution, requests }) => {
			c.equal(
				execution.status ?? (execution.finished ? 'success' : 'failed'),
				'success',
				'execution status',
			);
			c.equal(postsTo(requests, COMPANIES).length, 0, 'no company is created');
			c.equal(companiesNamed(NEW_COMPANY).length, 1, `still one company "${NEW_COMPANY}"`);
			c.equal(
				titleLookUps(requests),
				{ [key(NEW_COMPANY)]: 1 },
				'one title look-up, which finds the company',
			);
			const items = outputItems(execution, node);
			c.equal(items.length, 1, 'one output item');
			c.equal(items[0]?.created, true, 'the lead is created');
			const expected = newCompanyId ?? companiesNamed(NEW_COMPANY)[0]?.id;
			c.that(expected !== undefined, 'the new company is known');
			c.equal(
				linkedId(datum(storedLead(items[0]?.id), ACCOUNT)),
				expected,
				'the stored lead links the company the first execution created',
			);
			c.equal(
				requests
					.filter((r) => r.method !== 'GET')
					.map((r) => `${r.method} ${r.path}${querySuffix(r)}`),
				['POST /v1/records'],
				'the one write is the lead',
			);
		},
	);
}
