/**
 * The node as a user meets it: n8n's editor in headless Chromium (Debian's `chromium`, driven by
 * playwright-core through its executablePath, no browser download), signed in through the login
 * form, against a running n8n with the package installed and the Tracy emulator behind it.
 *
 * Each step leaves a screenshot in `.e2e/editor-<timestamp>/` (git-ignored), kept after the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { BrowserContext, Locator, Page } from 'playwright-core';
import { chromium, selectors } from 'playwright-core';

import type { ReceivedRequest } from '../../emulator/server';
import { REPO_ROOT } from '../n8n';
import type { Check, E2eContext } from '../scenario';
import { scenario, selected, skip } from '../scenario';
import { N8nServer, OWNER } from '../server';
import type { WorkflowNode } from '../workflows';
import { chain, manualTrigger, tracyNode, workflow } from '../workflows';

const CHROMIUM = process.env.TRACY_E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const NAMES = {
	panel:
		'Editor: the nodes panel finds Tracy and both triggers with the icon, and Lead → Create opens its form',
	forms: 'Editor: the Record → Get Many, Update and Create forms render, with readable subtitles',
	settings: 'Editor: Settings → Request Options lists each option once',
	readLists:
		'Editor: Dataset, State and Property "From list" load through n8n with a read key, IDs shown',
	createOnlyLists:
		'Editor: with a create-only key the lists point to By ID, and By ID says where IDs come from',
	credentials: 'Editor: both credentials (read key, create-only key) test green',
	execute: 'Editor: Lead → Create executed from the editor creates the lead',
	columns:
		"Columns: the editor's mapper shows Companies' columns, those Tracy needs to move a record on marked in their names but not required, an option dropdown and a date field",
};

/** The fields a form shows, by label, in order (the Credential selector is checked on its own). */
const FORMS = {
	// the lead read from the submission, one list of field + property
	leadCreate: [
		'Resource',
		'Operation',
		'Dataset',
		'State',
		'Lead Values',
		'Lead Properties',
		'Other Properties',
		'Required Fields',
		'Simplify',
		'Options',
	],
	recordGetMany: [
		'Resource',
		'Operation',
		'Dataset',
		'Return All',
		'Limit',
		'Filters',
		'Sort',
		'Include Values',
		'Simplify',
	],
	recordUpdate: [
		'Resource',
		'Operation',
		'Dataset',
		'Values to Send',
		'Record',
		'Property Values',
		'Simplify',
	],
	recordCreate: [
		'Resource',
		'Operation',
		'Dataset',
		'State',
		'Values to Send',
		'Property Values',
		'Simplify',
		'Options',
	],
};

/** What the nodes panel shows for the package: its app entry, the second trigger, the Tracy Trigger's events. */
const PANEL = { app: 'Tracy', automationTrigger: 'Tracy Automation Trigger' };
const TRIGGER_EVENTS = ['On new record', 'On record entered state'];
const DESCRIPTIONS = {
	trigger: 'Starts the workflow when records are created in Tracy or enter a state (polling)',
	automationTrigger: "Starts the workflow when a Tracy Automation's HTTP request action calls it",
};
/** The package's icon as n8n serves it (light or dark, the same file for all three nodes). */
const PACKAGE_ICON = /\/icons\/n8n-nodes-tracy\/.*tracy(\.dark)?\.svg$/;

/** n8n's own request options (added by its loader to every declarative node) and ours. */
const REQUEST_OPTIONS = [
	'Batching',
	'Ignore SSL Issues (Insecure)',
	'Proxy',
	'Timeout',
	'Rate Limit Retries',
	'Max Retry Wait (Seconds)',
];

/** What a By ID hint must tell a user holding a create-only key: where the ID is shown. */
const BY_ID_HINT = /From List[\s\S]*\(#\d+\)/i;

const FORMS_WORKFLOW = 'e2eEditorForms';
const LEAD_WORKFLOW = 'e2eEditorLead';
const NODE = {
	getMany: 'List the records',
	update: 'Change a record',
	create: 'New record',
	createOnly: 'New record (web form)',
	columns: 'New company (columns)',
	lead: 'Web form lead',
};
const LEAD = { name: 'Mary Jackson', email: 'mary.jackson@example.com' };

function byId(value: string) {
	return { __rl: true, mode: 'id', value };
}

function workflows(credentials: E2eContext['credentials']) {
	const forms: WorkflowNode[] = [
		tracyNode(NODE.getMany, { resource: 'record', operation: 'getAll' }, credentials.sales, [0, 0]),
		// Property Values (By ID): the rows this scenario checks; the column mapper has a scenario of its own
		tracyNode(
			NODE.update,
			{ resource: 'record', operation: 'update', fieldsToSend: 'defineBelow' },
			credentials.sales,
			[260, 0],
		),
		tracyNode(
			NODE.create,
			{ resource: 'record', operation: 'create', fieldsToSend: 'defineBelow' },
			credentials.sales,
			[520, 0],
		),
		tracyNode(
			NODE.createOnly,
			{ resource: 'record', operation: 'create', fieldsToSend: 'defineBelow' },
			credentials.webform,
			[780, 0],
		),
		tracyNode(
			NODE.columns,
			{ resource: 'record', operation: 'create', dataset: byId('2') },
			credentials.sales,
			[1040, 0],
		),
	];
	const start = manualTrigger();
	const lead = tracyNode(
		NODE.lead,
		{
			resource: 'lead',
			operation: 'create',
			dataset: byId('1'),
			leadInput: 'fields',
			leadProperties: {
				values: [
					{ field: 'name', property: byId('1'), value: LEAD.name },
					{ field: 'email', property: byId('2'), value: LEAD.email },
				],
			},
		},
		credentials.webform,
		[260, 0],
	);
	return [
		workflow(FORMS_WORKFLOW, 'E2E: the Tracy forms', forms, {}),
		workflow(
			LEAD_WORKFLOW,
			'E2E: a lead from the editor',
			[start, lead],
			chain({}, start.name, lead.name),
		),
	];
}

// ------------------------------------------------------------------------------------------------ the page

/** The little of the DOM the page functions use (the project compiles without the DOM library). */
interface DomElement {
	offsetParent: unknown;
	textContent: string | null;
	cloneNode(deep: boolean): DomElement;
	querySelectorAll(selector: string): { forEach(f: (e: { remove(): void }) => void): void };
}
interface DomImage {
	complete: boolean;
	naturalWidth: number;
	addEventListener(event: string, f: () => void, options: { once: boolean }): void;
}

/** Visible texts of the elements, without the Fixed/Expression toggles n8n puts inside labels. */
async function texts(locator: Locator): Promise<string[]> {
	return locator.evaluateAll((elements: unknown[]) =>
		(elements as DomElement[])
			.filter((e) => e.offsetParent !== null)
			.map((e) => {
				const copy = e.cloneNode(true);
				copy.querySelectorAll('[data-test-id$=options-container]').forEach((o) => o.remove());
				return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
			}),
	);
}

/** One visible line of the nodes panel: a section header ("Actions (13)") or an entry with its icon. */
interface PanelRow {
	category: boolean;
	name: string;
	description: string;
	icon: string;
	iconWidth: number;
}

interface DomNode {
	offsetParent: unknown;
	textContent: string | null;
	closest(selector: string): DomNode | null;
	querySelector(selector: string): DomNode | null;
	getAttribute(name: string): string | null;
}

class Editor {
	private shot = 0;

	constructor(
		readonly page: Page,
		readonly server: N8nServer,
		readonly folder: string,
	) {}

	async screenshot(name: string) {
		this.shot++;
		const file = path.join(this.folder, `${String(this.shot).padStart(2, '0')}-${name}.png`);
		await this.page.screenshot({ path: file }).catch(() => undefined);
		return file;
	}

	async signIn() {
		await this.page.goto(`${this.server.url}/signin`);
		await this.page.locator('input[name=emailOrLdapLoginId]').fill(OWNER.email);
		await this.page.locator('input[name=password]').fill(OWNER.password);
		await this.page.getByTestId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	}

	async openWorkflow(id: string) {
		await this.page.goto(`${this.server.url}/workflow/${id}`);
		await this.page.getByTestId('canvas-node').first().waitFor();
	}

	canvasNode(name: string) {
		return this.page.getByTestId('canvas-node').filter({
			has: this.page.locator('[class*=_label_]', {
				hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`),
			}),
		});
	}

	async subtitle(name: string) {
		return (
			(await this.canvasNode(name).locator('[class*=_subtitle_]').first().textContent()) ?? ''
		).trim();
	}

	/** Opens a node's form (NDV) from the canvas; waits until its fields are editable. */
	async openNode(name: string) {
		await this.canvasNode(name).dblclick();
		await this.page.getByTestId('ndv').waitFor();
		await this.page.getByTestId('node-parameters').waitFor();
	}

	async closeNode() {
		await this.page.getByTestId('ndv-close-button').click();
		await this.page.getByTestId('ndv').waitFor({ state: 'hidden' });
	}

	/** An entry of the nodes panel, by its exact name. */
	panelItem(name: string) {
		return this.page
			.getByTestId('item-iterator-item')
			.filter({
				has: this.page
					.getByTestId('node-creator-item-name')
					.filter({ hasText: new RegExp(`^${name}$`) }),
			})
			.first();
	}

	/** The visible lines of the nodes panel, in order, each entry's icon loaded (or failed) first. */
	async panelRows(): Promise<PanelRow[]> {
		return this.page
			.getByTestId('node-creator')
			.locator('[data-test-id=node-creator-category-item], [data-test-id=node-creator-item-name]')
			.evaluateAll((elements: unknown[]) =>
				Promise.all(
					(elements as DomNode[])
						.filter((e) => e.offsetParent !== null)
						.map(async (e) => {
							const text = (node: DomNode | null | undefined) =>
								(node?.textContent ?? '').replace(/\s+/g, ' ').trim();
							if (e.getAttribute('data-test-id') === 'node-creator-category-item') {
								return { category: true, name: text(e), description: '', icon: '', iconWidth: 0 };
							}
							const item =
								e.closest('[data-test-id=item-iterator-item]') ?? e.closest('[data-keyboard-nav]');
							const img = item?.querySelector('img') as (DomNode & DomImage) | null | undefined;
							if (img && !img.complete) {
								await new Promise<void>((resolve) => {
									img.addEventListener('load', () => resolve(), { once: true });
									img.addEventListener('error', () => resolve(), { once: true });
								});
							}
							return {
								category: false,
								name: text(e),
								description: text(
									item?.querySelector('[data-test-id=node-creator-item-description]'),
								),
								icon: img?.getAttribute('src') ?? '',
								iconWidth: img?.naturalWidth ?? 0,
							};
						}),
				),
			);
	}

	/** The open node's output in Table view: column headers and the cells of each row. */
	async outputTable() {
		const panel = this.page.getByTestId('output-panel');
		const table = panel.locator('table').first();
		await table.waitFor();
		const headers = await texts(table.locator(':scope > thead > tr > th'));
		const rows: string[][] = [];
		for (const row of await table.locator(':scope > tbody > tr').all())
			rows.push(await texts(row.locator(':scope > td')));
		return { headers, rows };
	}

	/** The labels of the form's fields, in order (a label's own text: no hint, no Fixed/Expression toggle). */
	async fieldLabels() {
		return texts(
			this.page.getByTestId('node-parameters').locator('[data-test-id=input-label] > div > label'),
		);
	}

	async credentialShown() {
		return (
			(await this.page
				.getByTestId('node-credentials-select')
				.locator('input')
				.first()
				.inputValue()
				.catch(() => '')) || ''
		).trim();
	}

	/** Whether the switch of a boolean field is on. */
	async switchOn(field: string) {
		const on = this.page
			.getByTestId(`parameter-input-${field}`)
			.locator('.is-checked, [aria-checked=true], [data-state=checked]');
		return (await on.count()) > 0;
	}

	/** The visible entries of the open dropdown (element-plus selects append theirs to the page body). */
	async dropdownEntries() {
		const items = this.page.locator('.el-select-dropdown__item');
		await items.locator('visible=true').first().waitFor();
		return texts(items);
	}

	locator(field: string) {
		return this.page.getByTestId(`resource-locator-${field}`).last();
	}

	/** Opens a resource locator's list and waits for its entries or its error. */
	async openList(field: string): Promise<{ entries: string[]; error: string }> {
		await this.locator(field).getByTestId('rlc-input').click();
		const entry = this.page.getByTestId('rlc-item').locator('visible=true').first();
		const error = this.page.getByTestId('rlc-error-container').locator('visible=true').first();
		await entry.or(error).waitFor({ timeout: 20_000 });
		const result = {
			entries: await texts(this.page.getByTestId('rlc-item')),
			error: (await texts(this.page.getByTestId('rlc-error-container'))).join(' '),
		};
		return result;
	}

	async closeList() {
		await this.page.keyboard.press('Escape');
		await this.page
			.getByTestId('rlc-search')
			.locator('visible=true')
			.waitFor({ state: 'hidden' })
			.catch(() => undefined);
	}

	async pick(entry: RegExp) {
		await this.page.getByTestId('rlc-item').filter({ hasText: entry }).first().click();
	}

	/** Switches a resource locator to By ID, optionally types an ID, and returns what its field shows (the hint). */
	async byId(field: string, id?: string) {
		await this.locator(field).getByTestId('rlc-mode-selector').click();
		await this.page
			.locator('.el-select-dropdown__item')
			.filter({ hasText: /^\s*By ID\s*$/ })
			.locator('visible=true')
			.click();
		if (id !== undefined) {
			const input = this.locator(field).getByTestId('rlc-input');
			await input.fill(id);
			// leave the field: n8n commits the value then, before a list that depends on it is asked for
			await input.press('Tab');
		}
		const item = this.page
			.getByTestId('parameter-item')
			.filter({ has: this.locator(field) })
			.last();
		return ((await item.textContent()) ?? '').replace(/\s+/g, ' ').trim();
	}

	async addPropertyValue() {
		await this.page
			.getByTestId('fixed-collection-add')
			.filter({ hasText: 'Add Property Value' })
			.click();
		await this.locator('property').waitFor();
	}
}

// ------------------------------------------------------------------------------------------------ checks

function tracyRequests(requests: ReceivedRequest[]) {
	return requests.map((r) => `${r.method} ${r.path} ${r.status}`);
}

function keysUsed(requests: ReceivedRequest[]) {
	return [...new Set(requests.map((r) => r.headers['x-api-key']))];
}

function noDuplicates(c: Check, values: string[], what: string) {
	const repeated = values.filter((v, i) => values.indexOf(v) !== i);
	c.equal([...new Set(repeated)], [], `${what} lists nothing twice (${values.join(', ')})`);
}

// ------------------------------------------------------------------------------------------------ the suite

export async function editorSuite({ folder, emulator, ops, credentials }: E2eContext) {
	const names = Object.values(NAMES);
	if (!names.some(selected)) return;
	if (
		!ops.has('lead.create') ||
		!ops.has('record.create') ||
		!ops.has('record.getAll') ||
		!ops.has('record.update')
	) {
		for (const name of names)
			skip(name, 'the built node lacks one of Lead → Create, Record → Create, Get Many, Update');
		return;
	}
	if (!folder.install.n8nVersion.startsWith('2.41.')) {
		// the steps follow the data-test-id names of n8n 2.41's editor
		for (const name of names)
			skip(name, `written for n8n 2.41's editor, not ${folder.install.n8nVersion}`);
		return;
	}
	if (!fs.existsSync(CHROMIUM)) {
		// a failure, not a skip: CI installs it (.ci/run), and a silent skip would hide the editor
		await scenario(
			names[0],
			emulator,
			async () => {
				throw new Error(
					`${CHROMIUM} is missing: run \`bash test/e2e/install-chromium.sh\` (Debian's chromium package) or set TRACY_E2E_CHROMIUM`,
				);
			},
			() => undefined,
		);
		return;
	}

	const shots = path.join(
		REPO_ROOT,
		'.e2e',
		`editor-${new Date().toISOString().replace(/[:.]/g, '-')}`,
	);
	fs.mkdirSync(shots, { recursive: true });
	console.log(`\neditor screenshots: ${path.relative(REPO_ROOT, shots)}/`);

	await folder.importWorkflows(workflows(credentials));
	const server = await N8nServer.start(folder);
	// a fresh profile each run, inside the run folder; removed at the end
	const profile = fs.mkdtempSync(path.join(shots, 'profile-'));
	selectors.setTestIdAttribute('data-test-id');
	let context: BrowserContext | undefined;
	const consoleErrors: string[] = [];
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1440, height: 900 },
		});
		context.setDefaultTimeout(30_000);
		const page = context.pages()[0] ?? (await context.newPage());
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300));
		});
		// leaving a workflow with unsaved changes may ask the browser to confirm: leave
		page.on('dialog', (d) => void d.accept().catch(() => undefined));
		const editor = new Editor(page, server, shots);
		await editor.signIn();
		// the page as it was when a step gave up, beside the step screenshots
		const shotOnError =
			<T>(tag: string, run: () => Promise<T>) =>
			async () => {
				try {
					return await run();
				} catch (error) {
					await editor.screenshot(`failed-${tag}`);
					throw error;
				}
			};
		const onFailure = () =>
			`  n8n log:\n${server.logTail(20)}\n  browser console errors (last 10):\n    ${consoleErrors.slice(-10).join('\n    ')}`;

		// ------------------------------------------------------------ the nodes panel, Lead → Create
		await scenario(
			NAMES.panel,
			emulator,
			shotOnError('panel', async () => {
				// a new workflow opens the panel on triggers: the search lists "Tracy" (Tracy and the
				// Tracy Trigger, which n8n shows as one app) and the Tracy Automation Trigger
				await page.goto(`${server.url}/workflow/new`);
				await page.getByTestId('canvas-add-button').click();
				await page.getByTestId('node-creator-search-bar').fill('Tracy');
				await editor.panelItem(PANEL.app).waitFor();
				await editor.panelItem(PANEL.automationTrigger).waitFor();
				const search = await editor.panelRows();
				await editor.screenshot('nodes-panel-search');
				await editor.panelItem(PANEL.app).click();
				await page.getByTestId('node-creator-category-item').first().waitFor();
				const opened = await editor.panelRows();
				await editor.screenshot('nodes-panel-tracy');
				// without a trigger in the workflow n8n folds the actions away: unfold them
				const actionsHeader = page
					.getByTestId('node-creator-category-item')
					.filter({ hasText: /^\s*Actions\b/ });
				if (
					!(await page
						.getByTestId('node-creator-item-name')
						.filter({ hasText: /^Create a lead$/ })
						.isVisible())
				)
					await actionsHeader.click();
				const create = page
					.getByTestId('node-creator-item-name')
					.filter({ hasText: /^Create a lead$/ });
				await create.waitFor();
				const app = await editor.panelRows();
				await editor.screenshot('nodes-panel-actions');
				await create.click();
				await page.getByTestId('node-parameters').waitFor();
				const labels = await editor.fieldLabels();
				await editor.screenshot('lead-create-form');
				await editor.closeNode();
				return { search, opened, app, labels };
			}),
			(c, r) => {
				const row = (rows: PanelRow[], name: string) => rows.find((x) => x.name === name);
				const iconOk = (x: PanelRow | undefined) =>
					Boolean(x && PACKAGE_ICON.test(x.icon) && x.iconWidth > 0);
				const list = (rows: PanelRow[]) =>
					rows.map((x) => (x.category ? `[${x.name}]` : `${x.name} <${x.icon}>`)).join(', ');
				for (const name of [PANEL.app, PANEL.automationTrigger]) {
					c.that(
						iconOk(row(r.search, name)),
						`the search lists "${name}" with the package's icon, loaded: ${list(r.search)}`,
					);
				}
				// n8n merges "<X> Trigger" into "<X>" and gives the entry the trigger's description
				c.equal(
					row(r.search, PANEL.app)?.description,
					DESCRIPTIONS.trigger,
					'"Tracy" shows the Tracy Trigger\'s description (n8n\'s rule for a merged app)',
				);
				c.equal(
					row(r.search, PANEL.automationTrigger)?.description,
					DESCRIPTIONS.automationTrigger,
					'the Tracy Automation Trigger shows its description',
				);
				c.equal(
					r.search.filter((x) => x.name === PANEL.app).length,
					1,
					'Tracy and the Tracy Trigger are listed as one "Tracy" entry',
				);
				const section = (rows: PanelRow[], header: RegExp) => {
					const from = rows.findIndex((x) => x.category && header.test(x.name));
					if (from < 0) return undefined;
					const to = rows.findIndex((x, i) => i > from && x.category);
					return rows.slice(from + 1, to < 0 ? undefined : to);
				};
				const triggers = section(r.opened, /^Triggers\b/);
				c.equal(
					triggers?.map((x) => x.name),
					TRIGGER_EVENTS,
					`"Tracy" lists the Tracy Trigger's events under Triggers: ${list(r.opened)}`,
				);
				c.that(
					triggers?.length && triggers.every(iconOk),
					`each trigger event shows the package's icon: ${list(triggers ?? [])}`,
				);
				c.that(
					r.opened.some((x) => x.category && /^Actions \(\d+\)$/.test(x.name)),
					`"Tracy" has an Actions section: ${list(r.opened)}`,
				);
				const actions = section(r.app, /^Actions\b/) ?? [];
				for (const action of [
					'Create a lead',
					'Get many records',
					'Update a record',
					'Create a record',
				]) {
					c.that(
						actions.some((x) => x.name === action),
						`the actions list offers "${action}": ${list(actions)}`,
					);
				}
				c.that(
					actions.length > 0 && actions.every(iconOk),
					`each action shows the package's icon: ${list(actions)}`,
				);
				c.equal(r.labels, FORMS.leadCreate, 'the Lead → Create form shows these fields, in order');
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ the record forms, subtitles
		await scenario(
			NAMES.forms,
			emulator,
			shotOnError('forms', async () => {
				await editor.openWorkflow(FORMS_WORKFLOW);
				const subtitles = {
					getMany: await editor.subtitle(NODE.getMany),
					update: await editor.subtitle(NODE.update),
					create: await editor.subtitle(NODE.create),
				};
				await editor.screenshot('canvas-subtitles');
				const forms: Record<
					string,
					{ labels: string[]; credential: string; simplify: boolean; includeValues: boolean }
				> = {};
				for (const [key, name] of [
					['getMany', NODE.getMany],
					['update', NODE.update],
					['create', NODE.create],
				] as const) {
					await editor.openNode(name);
					forms[key] = {
						labels: await editor.fieldLabels(),
						credential: await editor.credentialShown(),
						simplify: await editor.switchOn('simplify'),
						includeValues: await editor.switchOn('includeDatums'),
					};
					await editor.screenshot(`record-${key}-form`);
					await editor.closeNode();
				}
				return { subtitles, forms };
			}),
			(c, { subtitles, forms }) => {
				c.equal(
					forms.getMany.labels,
					FORMS.recordGetMany,
					'the Record → Get Many form shows these fields, in order',
				);
				c.equal(
					forms.update.labels,
					FORMS.recordUpdate,
					'the Record → Update form shows these fields, in order',
				);
				c.equal(
					forms.create.labels,
					FORMS.recordCreate,
					'the Record → Create form shows these fields, in order',
				);
				for (const [key, form] of Object.entries(forms))
					c.equal(form.credential, credentials.sales.name, `the ${key} form shows its credential`);
				c.that(
					forms.getMany.includeValues,
					'Include Values reads as on (its default), so the switch is read right',
				);
				c.that(forms.getMany.simplify, 'Simplify is on by default for Get Many');
				c.equal(
					subtitles,
					{ getMany: 'Get Many Records', update: 'Update Record', create: 'Create Record' },
					'the canvas subtitles read as words',
				);
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ the column mapper
		await scenario(
			NAMES.columns,
			emulator,
			shotOnError('columns', async () => {
				await editor.openWorkflow(FORMS_WORKFLOW);
				await editor.openNode(NODE.columns);
				const fields = page.getByTestId('mapping-fields-container');
				await page.getByTestId('parameter-input-29').waitFor();
				const labels = (await texts(fields.locator('label[for^="value"]'))).map((l) => l.trim());
				const mode = await page
					.getByTestId('mapping-mode-select')
					.locator('input')
					.first()
					.inputValue();
				const removable = async (id: string) =>
					(await page.getByTestId(`remove-field-button-${id}`).count()) > 0;
				const required = {
					name: !(await removable('20')),
					industry: !(await removable('29')),
					website: !(await removable('21')),
				};
				const issues = await fields.getByTestId('parameter-issues').count();
				const datePlaceholder = await page
					.getByTestId('parameter-input-22')
					.locator('input')
					.first()
					.getAttribute('placeholder');
				await editor.screenshot('columns-mapper');
				await page.getByTestId('parameter-input-29').click();
				const options = await editor.dropdownEntries();
				await editor.screenshot('columns-option-dropdown');
				await page.keyboard.press('Escape');
				const hidden = await Promise.all(
					['26', '27', '28'].map(
						async (id) => await page.getByTestId(`parameter-input-${id}`).count(),
					),
				);
				await editor.closeNode();
				return { labels, mode, required, issues, datePlaceholder, options, hidden };
			}),
			(c, r) => {
				c.equal(
					r.labels,
					[
						'Name (needed to move on)',
						'Website',
						'Founded',
						'Last Contact',
						'Customer',
						'Account Manager',
						'Industry (needed to move on)',
						'Employees',
						'Markets',
						'External ID',
						'Parent Company',
					],
					"the mapper shows Companies' writable columns, in order (automatic and file ones left out)",
				);
				c.that(
					/Map Each Column Manually/.test(r.mode),
					`the mapping mode reads "Map Each Column Manually": ${r.mode}`,
				);
				c.equal(
					r.required,
					{ name: false, industry: false, website: false },
					'every column can be removed: a create without Name or Industry runs (Tracy needs them only to move the record on)',
				);
				c.equal(r.issues, 0, 'no column is flagged as missing, so the node runs');
				c.that(
					/date/i.test(r.datePlaceholder ?? ''),
					`Founded is a date field: "${r.datePlaceholder}"`,
				);
				c.equal(
					r.options,
					['Software', 'Manufacturing', 'Retail'],
					"Industry is a dropdown of the property's options",
				);
				c.equal(
					r.hidden,
					[0, 0, 0],
					'no field for Contract (file), Created At and Number (automatic)',
				);
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ Settings → Request Options
		await scenario(
			NAMES.settings,
			emulator,
			shotOnError('settings', async () => {
				await editor.openWorkflow(FORMS_WORKFLOW);
				await editor.openNode(NODE.getMany);
				await page.getByTestId('tab-settings').click();
				const collection = page
					.getByTestId('ndv')
					.getByTestId('parameter-item')
					.filter({ has: page.getByTestId('input-label').filter({ hasText: 'Request Options' }) });
				const collections = await collection.count();
				await collection.first().getByTestId('collection-parameter-add').click();
				const options = await editor.dropdownEntries();
				await editor.screenshot('settings-request-options');
				await page.keyboard.press('Escape');
				await editor.closeNode();
				return { collections, options };
			}),
			(c, { collections, options }) => {
				c.equal(collections, 1, 'Settings has one Request Options collection');
				noDuplicates(c, options, 'Request Options');
				for (const option of REQUEST_OPTIONS)
					c.that(
						options.includes(option),
						`Request Options offers ${option}: ${options.join(', ')}`,
					);
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ From list, read key
		await scenario(
			NAMES.readLists,
			emulator,
			shotOnError('readLists', async () => {
				await editor.openWorkflow(FORMS_WORKFLOW);
				await editor.openNode(NODE.create);
				const datasets = await editor.openList('dataset');
				await editor.screenshot('from-list-datasets-read-key');
				await editor.pick(/^Leads\b/);
				const states = await editor.openList('state');
				await editor.screenshot('from-list-states-read-key');
				await editor.closeList();
				await editor.addPropertyValue();
				const properties = await editor.openList('property');
				await editor.screenshot('from-list-properties-read-key');
				await editor.closeList();
				await editor.closeNode();
				return { datasets, states, properties };
			}),
			(c, { datasets, states, properties, requests }) => {
				c.equal(datasets.error, '', 'the dataset list loaded without error');
				// "Name (#1)" or, with a note after the ID, "Name (#1, required)"
				const shows = (entries: string[], label: string) =>
					entries.some((e) => e.startsWith(label) || e.startsWith(`${label.slice(0, -1)},`));
				c.that(
					shows(datasets.entries, 'Leads (#1)') && shows(datasets.entries, 'Companies (#2)'),
					`datasets show their ID: ${datasets.entries.join(', ')}`,
				);
				c.equal(states.error, '', 'the state list loaded without error');
				const expectedStates = ['New (#1)', 'Qualified (#2)', 'Won (#3)', 'Lost (#4)'];
				c.that(
					states.entries.length === expectedStates.length &&
						expectedStates.every((label, i) => states.entries[i]?.startsWith(label)),
					`the states of Leads, in order, with their IDs: ${states.entries.join(', ')}`,
				);
				c.equal(properties.error, '', 'the property list loaded without error');
				c.that(
					shows(properties.entries, 'Name (#1)') && shows(properties.entries, 'Email (#2)'),
					`properties show their ID: ${properties.entries.join(', ')}`,
				);
				c.that(
					requests.length >= 2,
					`the lists were loaded from Tracy through n8n's server: ${tracyRequests(requests).join(', ')}`,
				);
				c.that(
					requests.every((r) => r.method === 'GET' && r.status === 200),
					`every list request is a GET answered 200: ${tracyRequests(requests).join(', ')}`,
				);
				c.equal(
					keysUsed(requests),
					[emulator.keyFor('sales')],
					'every list request carries the read key',
				);
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ From list, create-only key
		await scenario(
			NAMES.createOnlyLists,
			emulator,
			shotOnError('createOnlyLists', async () => {
				await editor.openWorkflow(FORMS_WORKFLOW);
				await editor.openNode(NODE.createOnly);
				const out: Record<string, { error: string; entries: string[]; byId: string }> = {};
				const dataset = await editor.openList('dataset');
				await editor.screenshot('from-list-datasets-create-only-key');
				await editor.closeList();
				out.dataset = { ...dataset, byId: await editor.byId('dataset', '1') };
				const state = await editor.openList('state');
				await editor.screenshot('from-list-states-create-only-key');
				await editor.closeList();
				out.state = { ...state, byId: await editor.byId('state') };
				await editor.addPropertyValue();
				const property = await editor.openList('property');
				await editor.screenshot('from-list-properties-create-only-key');
				await editor.closeList();
				out.property = { ...property, byId: await editor.byId('property') };
				await editor.screenshot('by-id-hints-create-only-key');
				await editor.closeNode();
				return { lists: out };
			}),
			(c, { lists, requests }) => {
				for (const [field, list] of Object.entries(lists)) {
					c.equal(list.entries, [], `${field}: nothing listed with a create-only key`);
					c.that(
						/By ID/.test(list.error),
						`${field}: the list's error says to switch to By ID: ${list.error}`,
					);
					c.that(
						BY_ID_HINT.test(list.byId),
						`${field}: By ID's hint says where the ID is shown (From List, "Name (#id)"): ${list.byId}`,
					);
				}
				c.that(
					requests.length >= 2,
					`the lists asked Tracy through n8n's server: ${tracyRequests(requests).join(', ')}`,
				);
				c.that(
					requests.every((r) => r.method === 'GET' && r.status === 403),
					`Tracy refused each with 403: ${tracyRequests(requests).join(', ')}`,
				);
				c.equal(
					keysUsed(requests),
					[emulator.keyFor('webform')],
					'every list request carries the create-only key',
				);
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ credential tests
		await scenario(
			NAMES.credentials,
			emulator,
			shotOnError('credentials', async () => {
				const out: Record<string, { success: boolean; failure: boolean; text: string }> = {};
				for (const [key, credential] of [
					['sales', credentials.sales],
					['webform', credentials.webform],
				] as const) {
					await page.goto(`${server.url}/home/credentials`);
					// exact: earlier suites add credentials with similar names ("Tracy emulator (sales assistant key)")
					await page
						.getByTestId('resources-list-item')
						.filter({ has: page.getByText(credential.name, { exact: true }) })
						.first()
						.click();
					const dialog = page.getByTestId('credential-edit-dialog');
					const success = dialog.getByTestId('credentials-config-container-test-success');
					const failure = dialog.getByText(/Couldn.t connect/);
					await success.or(failure).first().waitFor({ timeout: 30_000 });
					out[key] = {
						success: await success.isVisible(),
						failure: await failure.isVisible(),
						text: (await dialog.getByTestId('node-credentials-config-container').innerText())
							.replace(/\s+/g, ' ')
							.trim(),
					};
					await editor.screenshot(`credential-test-${key}`);
					await page.keyboard.press('Escape');
				}
				return { out };
			}),
			(c, { out, requests }) => {
				for (const [key, result] of Object.entries(out)) {
					c.that(
						result.success && !result.failure,
						`the ${key} credential tests green: ${result.text.slice(0, 400)}`,
					);
				}
				c.that(
					/create/i.test(out.webform?.text ?? ''),
					`the create-only credential's dialog says such a key may create: ${out.webform?.text.slice(0, 400)}`,
				);
				const byKey = (key: string) => requests.filter((r) => r.headers['x-api-key'] === key);
				c.that(
					byKey(emulator.keyFor('sales')).some(
						(r) => r.path === '/v1/datasets' && r.status === 200,
					),
					'the read key was tested against Tracy (200)',
				);
				c.that(
					byKey(emulator.keyFor('webform')).some(
						(r) => r.path === '/v1/datasets' && r.status === 403,
					),
					'the create-only key was tested against Tracy (403)',
				);
				c.that(
					requests.every((r) => r.method === 'GET'),
					`the tests only read: ${tracyRequests(requests).join(', ')}`,
				);
			},
			{ onFailure },
		);

		// ------------------------------------------------------------ execute Lead → Create
		await scenario(
			NAMES.execute,
			emulator,
			shotOnError('execute', async () => {
				// earlier suites store leads too (one with this very email): the new lead is the one not there before
				const before = new Set(emulator.storedRecords(1).map((r) => r.id));
				await editor.openWorkflow(LEAD_WORKFLOW);
				const subtitle = await editor.subtitle(NODE.lead);
				await page.getByTestId('execute-workflow-button').click();
				const node = editor.canvasNode(NODE.lead);
				await node
					.getByTestId('canvas-node-status-success')
					.or(node.locator('[data-test-id=node-issues], [class*=_issues_]'))
					.first()
					.waitFor({ timeout: 60_000 });
				const succeeded = await node.getByTestId('canvas-node-status-success').isVisible();
				await editor.screenshot('lead-create-executed');
				await editor.openNode(NODE.lead);
				const output = await editor.outputTable();
				await editor.screenshot('lead-create-output');
				await editor.closeNode();
				return { before, subtitle, succeeded, output };
			}),
			(c, { before, subtitle, succeeded, output, requests }) => {
				c.that(succeeded, 'the canvas marks the lead node as succeeded');
				c.equal(subtitle, 'Create Lead', "the lead node's subtitle");
				c.equal(
					tracyRequests(requests).map((r) => r.replace(/ 20\d$/, ' 2xx')),
					['POST /v1/records 2xx'],
					'one create, nothing read',
				);
				c.equal(
					keysUsed(requests),
					[emulator.keyFor('webform')],
					'the create carries the create-only key',
				);
				const body = requests[0]?.body as
					| {
							dataset?: { id?: number };
							datums?: Array<{ property: { id: number }; value: unknown }>;
					  }
					| undefined;
				c.equal(body?.dataset?.id, 1, 'the lead goes to dataset 1');
				c.equal(
					Object.fromEntries((body?.datums ?? []).map((d) => [d.property.id, d.value])),
					{ 1: LEAD.name, 2: LEAD.email },
					'the datums sent',
				);
				const added = emulator.storedRecords(1).filter((r) => !before.has(r.id));
				c.equal(added.length, 1, 'Tracy stored one new lead');
				const stored = added[0];
				const datums = Object.fromEntries(
					((stored?.datums ?? []) as Array<{ property: { id: number }; value: unknown }>).map(
						(d) => [d.property.id, d.value],
					),
				);
				c.that(
					datums[1] === LEAD.name && datums[2] === LEAD.email,
					`the new lead holds the name and email: ${JSON.stringify(datums)}`,
				);
				const table = (rows: string[][]) => rows.map((row) => row.join(' | ')).join(' / ');
				c.equal(output.rows.length, 1, `the node's output is one item: ${table(output.rows)}`);
				const idColumn = output.headers.indexOf('id');
				c.that(idColumn >= 0, `the node's output has an id column: ${output.headers.join(', ')}`);
				c.equal(
					output.rows[0]?.[idColumn],
					String(stored?.id),
					"the node's output shows the new lead's ID",
				);
			},
			{ onFailure },
		);
		// let n8n see the editor leave, so its collaboration lock on the workflow is released
		await page.goto(`${server.url}/home/workflows`).catch(() => undefined);
	} finally {
		await context?.close().catch(() => undefined);
		fs.rmSync(profile, { recursive: true, force: true });
		await server.stop();
	}
}
