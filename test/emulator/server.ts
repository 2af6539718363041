/**
 * The Tracy emulator: a real HTTP server on 127.0.0.1 that stands in for Tracy in tests, the
 * demo and the benchmarks. It follows Tracy's documented behaviour (API keys with a user type
 * and a role, per-dataset/state/property permissions, records always in one state, datums,
 * hidden records and datasets) and the package's stated assumptions (nodes/Tracy/transport/
 * assumptions.ts, A1..A12, A24..A28 for property types), and nothing more. It is not Tracy.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import fixtureJson from './fixture.json';

type Id = number;
type Scope = '*' | Id[];

interface FixtureProperty {
	id: Id;
	name: string;
	propertyType: string;
	isUsedAsTitle?: boolean;
	isRequired?: boolean;
	position: number;
	options?: Array<{ id: Id; text: string; color: number }>;
	/** A26: a relation names the dataset it links to, as JSON `{ "dataset": <id> }`. */
	parameters?: string;
}
interface FixtureState {
	id: Id;
	name: string;
	color: number;
	position: number;
}
interface FixtureDataset {
	id: Id;
	name: string;
	isDisabled: boolean;
	position: number;
	states: FixtureState[];
	properties: FixtureProperty[];
}
interface Permission {
	dataset: Id;
	states: Scope;
	create: boolean;
	move: boolean;
	archive: boolean;
	delete: boolean;
	view: Scope;
	edit: Scope;
}
interface Role {
	id: Id;
	name: string;
	permissions: Permission[];
}
export interface ApiKey {
	key: string;
	name: string;
	userType: 'user' | 'administrator' | 'owner';
	role: Id | null;
}
interface StoredDatum {
	id: Id;
	record: Id;
	property: Id;
	value: unknown;
}
interface StoredRecord {
	id: Id;
	dataset: Id;
	state: Id;
	archived: string | null;
	removed: string | null;
	created: string;
}
export type Fixture = typeof fixtureJson;

export interface ReceivedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	body: unknown;
	status?: number;
	/** Requests being handled when this one arrived, itself included. */
	inFlight?: number;
}

/** A canned answer for requests that match, for failure tests. */
export interface Fault {
	match: (req: ReceivedRequest) => boolean;
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** How many matching requests get the fault; Infinity for all. */
	times: number;
	/** When true the request is still processed, then the fault is answered (a 5xx after the write). */
	afterProcessing?: boolean;
	/** A body computed from the request (paging misbehaviour); wins over `body`. */
	respond?: (req: ReceivedRequest) => unknown;
	/** Misbehave on the socket: close without answering, close halfway through a 200's body, or never answer. */
	socket?: 'reset' | 'resetMidBody' | 'hang';
}

export interface EmulatorOptions {
	port?: number;
	/** Requests per second over all keys; beyond it the emulator answers 429 with Retry-After. */
	rateLimitPerSecond?: number;
	/** Delay before each answer, as a remote API would have. */
	delayMs?: number;
	/** Keep no request log (for benchmarks over many requests). */
	noLog?: boolean;
	/** Extra records to seed in the Leads dataset (for paging tests and benchmarks). */
	extraLeads?: number;
}

/**
 * An Automation whose action is "HTTP request" (documented; its payload is not, see A22): it POSTs
 * `{ automation, trigger, record }` to `url` when a record of `dataset` is created or changes state
 * (into `state`, when given). None exist unless added with addAutomation or POST /_emulator/automations.
 */
export interface EmulatorAutomation {
	id: number;
	name: string;
	dataset: Id;
	on: 'created' | 'stateChanged';
	state?: Id;
	url: string;
}
export interface AutomationCall {
	automation: number;
	url: string;
	body: unknown;
	status?: number;
	response?: string;
	error?: string;
}

class HttpProblem extends Error {
	constructor(
		public status: number,
		public title: string,
		public detail?: string,
		public extra: Record<string, unknown> = {},
	) {
		super(title);
	}
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Tracy's documented date form, `YYYY-MM-DDTHH:mm:ss.sssZ` (milliseconds optional here). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

export class TracyEmulator {
	readonly requests: ReceivedRequest[] = [];
	faults: Fault[] = [];
	/** Answers held back, as a slow Tracy would: the first that matches a request delays its answer. */
	delays: Array<{ match: (req: ReceivedRequest) => boolean; ms: number }> = [];
	/** Paging as a Tracy might do it differently (A14): serve at most this many records a page, ignore `page`, or report a total that grows by one page each answer. */
	paging: { maxPageSize?: number; ignorePage?: boolean; growingTotal?: boolean } = {};
	automations: EmulatorAutomation[] = [];
	readonly automationCalls: AutomationCall[] = [];
	private pendingCalls = new Set<Promise<void>>();
	private server?: http.Server;
	private datasets: FixtureDataset[] = [];
	private propertyTypes = new Map<
		string,
		{ id: string; isAutomatic: boolean; isPlural: boolean; isSortable: boolean; position: number }
	>();
	private roles = new Map<Id, Role>();
	private keys = new Map<string, ApiKey>();
	private records = new Map<Id, StoredRecord>();
	private datums = new Map<Id, StoredDatum>();
	private datumsByRecord = new Map<Id, StoredDatum[]>();
	private users: Array<{ id: Id; name: string; email: string }> = [];
	private nextRecordId = 1;
	private nextDatumId = 1;
	private windowStart = 0;
	private windowCount = 0;
	/** Requests being handled now, the most at one moment since `reset()`, and the 429s the rate limit sent. */
	inFlight = 0;
	peakInFlight = 0;
	rateLimited = 0;
	url = '';

	constructor(readonly options: EmulatorOptions = {}) {
		this.reset();
	}

	/** Back to the fixture: seeded data, empty request log, no faults. */
	reset() {
		const fixture = JSON.parse(JSON.stringify(fixtureJson)) as Fixture;
		this.requests.length = 0;
		this.faults = [];
		this.delays = [];
		this.paging = {};
		this.peakInFlight = this.inFlight;
		this.rateLimited = 0;
		this.automations = [];
		this.automationCalls.length = 0;
		this.datasets = fixture.datasets as FixtureDataset[];
		this.propertyTypes = new Map(fixture.propertyTypes.map((t) => [t.id, t]));
		this.roles = new Map((fixture.roles as Role[]).map((r) => [r.id, r]));
		this.keys = new Map((fixture.apiKeys as ApiKey[]).map((k) => [k.key, k]));
		this.users = fixture.users;
		this.records.clear();
		this.datums.clear();
		this.datumsByRecord.clear();
		this.nextRecordId = 1;
		this.nextDatumId = 1;
		for (const seed of fixture.records) {
			const values = seed.values as Record<string, unknown>;
			this.insertRecord(
				seed.dataset,
				seed.state,
				values,
				seed.id,
				(seed as { archived?: string }).archived ?? null,
			);
		}
		for (let i = 0; i < (this.options.extraLeads ?? 0); i++) {
			this.insertRecord(1, 1 + (i % 2), {
				1: `Lead ${i + 1}`,
				2: `lead${i + 1}@example.com`,
				3: `+1 555 ${String(i).padStart(7, '0')}`,
			});
		}
	}

	keyFor(name: 'owner' | 'administrator' | 'sales' | 'webform' | 'reader' | 'assistant'): string {
		const byName: Record<string, string> = {
			owner: 'Owner',
			administrator: 'Administrator',
			sales: 'Sales automation',
			webform: 'Web form',
			reader: 'Reader without phone',
			assistant: 'Sales assistant',
		};
		const found = [...this.keys.values()].find((k) => k.name === byName[name]);
		if (!found) throw new Error(`no key ${name}`);
		return found.key;
	}

	addAutomation(
		automation: Omit<EmulatorAutomation, 'id' | 'name'> & { name?: string },
	): EmulatorAutomation {
		const id = this.automations.length + 1;
		const added = { ...automation, id, name: automation.name ?? `Automation ${id}` };
		this.automations.push(added);
		return added;
	}

	/** Waits until every automation call made so far has its answer. */
	async automationsSettled() {
		while (this.pendingCalls.size) await Promise.all([...this.pendingCalls]);
	}

	private fireAutomations(on: EmulatorAutomation['on'], record: StoredRecord) {
		for (const a of this.automations) {
			if (
				a.on !== on ||
				a.dataset !== record.dataset ||
				(a.state !== undefined && a.state !== record.state)
			)
				continue;
			const body = {
				automation: { id: a.id, name: a.name },
				trigger: on,
				record: this.recordJson(record, null, true),
			};
			const call: AutomationCall = { automation: a.id, url: a.url, body };
			this.automationCalls.push(call);
			const sent: Promise<void> = fetch(a.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			})
				.then(async (res) => {
					call.status = res.status;
					call.response = await res.text();
				})
				.catch((error: unknown) => {
					call.error = String(error);
				})
				.finally(() => this.pendingCalls.delete(sent));
			this.pendingCalls.add(sent);
		}
	}

	private adminAutomations(method: string, body: unknown): [number, unknown] {
		if (method === 'GET')
			return [200, { automations: this.automations, calls: this.automationCalls }];
		if (method === 'DELETE') {
			this.automations = [];
			return [200, { automations: [] }];
		}
		const b = (body ?? {}) as Partial<EmulatorAutomation>;
		if (
			method !== 'POST' ||
			typeof b.url !== 'string' ||
			typeof b.dataset !== 'number' ||
			!['created', 'stateChanged'].includes(String(b.on))
		) {
			throw new HttpProblem(
				400,
				'Expected POST { dataset: number, on: "created" | "stateChanged", state?: number, url: string }',
			);
		}
		return [
			201,
			this.addAutomation({
				dataset: b.dataset,
				on: b.on!,
				state: b.state,
				url: b.url,
				name: b.name,
			}),
		];
	}

	addKey(key: ApiKey) {
		this.keys.set(key.key, key);
	}

	/** A property added to a dataset until the next reset (names in other scripts, for the column mapper). */
	addProperty(datasetId: Id, property: Omit<FixtureProperty, 'position'>) {
		const dataset = this.datasets.find((d) => d.id === datasetId);
		if (!dataset) throw new Error(`no dataset ${datasetId}`);
		dataset.properties.push({ ...property, position: dataset.properties.length + 1 });
	}

	async start(): Promise<string> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 1000;
		await new Promise<void>((resolve) =>
			this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve),
		);
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		return this.url;
	}

	async stop() {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	/** Stored records of a dataset as plain objects, for assertions and the demo. */
	storedRecords(datasetId: Id) {
		return [...this.records.values()]
			.filter((r) => r.dataset === datasetId)
			.map((r) => this.recordJson(r, null, true));
	}

	recordCount(datasetId?: Id) {
		return [...this.records.values()].filter(
			(r) => datasetId === undefined || r.dataset === datasetId,
		).length;
	}

	// ---------------------------------------------------------------- data

	private insertRecord(
		datasetId: Id,
		stateId: Id,
		values: Record<string, unknown>,
		id?: Id,
		archived: string | null = null,
	) {
		const recordId = id ?? this.nextRecordId;
		this.nextRecordId = Math.max(this.nextRecordId, recordId + 1);
		const record: StoredRecord = {
			id: recordId,
			dataset: datasetId,
			state: stateId,
			archived,
			removed: null,
			created: new Date(Date.UTC(2026, 0, 1) + recordId * 60_000).toISOString(),
		};
		this.records.set(recordId, record);
		this.datumsByRecord.set(recordId, []);
		// A27: automatic properties are filled in by Tracy when the record is created
		const dataset = this.dataset(datasetId);
		for (const p of dataset?.properties ?? []) {
			if (p.propertyType === 'createdAt') this.insertDatum(recordId, p.id, record.created);
			if (p.propertyType === 'recordNumber')
				this.insertDatum(recordId, p.id, this.recordCount(datasetId));
		}
		for (const [propertyId, value] of Object.entries(values)) {
			for (const v of Array.isArray(value) ? value : [value])
				this.insertDatum(recordId, Number(propertyId), v);
		}
		return record;
	}

	private insertDatum(recordId: Id, propertyId: Id, value: unknown) {
		const datum: StoredDatum = {
			id: this.nextDatumId++,
			record: recordId,
			property: propertyId,
			value,
		};
		this.datums.set(datum.id, datum);
		this.datumsByRecord.get(recordId)!.push(datum);
		return datum;
	}

	private deleteDatum(datum: StoredDatum) {
		this.datums.delete(datum.id);
		const list = this.datumsByRecord.get(datum.record) ?? [];
		list.splice(list.indexOf(datum), 1);
	}

	private dataset(id: Id) {
		return this.datasets.find((d) => d.id === id);
	}

	private property(dataset: FixtureDataset, id: Id) {
		return dataset.properties.find((p) => p.id === id);
	}

	// ---------------------------------------------------------------- permissions

	/** The permission entry of a role for a dataset and state; null role = unrestricted. */
	private permission(key: ApiKey, datasetId: Id, stateId: Id): Permission | 'all' | undefined {
		if (key.role === null) return 'all';
		const role = this.roles.get(key.role);
		return role?.permissions.find(
			(p) => p.dataset === datasetId && (p.states === '*' || p.states.includes(stateId)),
		);
	}

	private can(
		key: ApiKey,
		action: 'create' | 'move' | 'archive' | 'delete',
		datasetId: Id,
		stateId: Id,
	) {
		const p = this.permission(key, datasetId, stateId);
		return p === 'all' || Boolean(p?.[action]);
	}

	private canProperty(
		key: ApiKey,
		access: 'view' | 'edit',
		datasetId: Id,
		stateId: Id,
		propertyId: Id,
	) {
		const p = this.permission(key, datasetId, stateId);
		if (p === 'all') return true;
		if (!p) return false;
		return p[access] === '*' || p[access].includes(propertyId);
	}

	/** Documented: a record none of whose properties the role may view is hidden. */
	private canSeeRecord(key: ApiKey, record: StoredRecord) {
		const dataset = this.dataset(record.dataset)!;
		return dataset.properties.some((p) =>
			this.canProperty(key, 'view', record.dataset, record.state, p.id),
		);
	}

	/** Documented: so is a dataset. */
	private canSeeDataset(key: ApiKey, dataset: FixtureDataset) {
		return dataset.states.some((s) =>
			dataset.properties.some((p) => this.canProperty(key, 'view', dataset.id, s.id, p.id)),
		);
	}

	private forbid(permission: string, what: string): never {
		throw new HttpProblem(
			403,
			'Forbidden',
			`The role of this API key lacks the "${permission}" permission ${what}.`,
			{ permission },
		);
	}

	// ---------------------------------------------------------------- JSON shapes

	private stateJson(dataset: FixtureDataset, stateId: Id) {
		const s = dataset.states.find((st) => st.id === stateId)!;
		return {
			id: s.id,
			dataset: { id: dataset.id },
			name: s.name,
			color: s.color,
			position: s.position,
		};
	}

	private propertyJson(dataset: FixtureDataset, p: FixtureProperty) {
		return {
			id: p.id,
			dataset: { id: dataset.id },
			propertyType: this.propertyTypes.get(p.propertyType) ?? { id: p.propertyType },
			name: p.name,
			isUsedAsTitle: Boolean(p.isUsedAsTitle),
			isRequired: Boolean(p.isRequired),
			parameters: p.parameters ?? null,
			position: p.position,
			options: (p.options ?? []).map((o) => ({
				id: o.id,
				property: { id: p.id },
				text: o.text,
				color: o.color,
			})),
		};
	}

	private recordJson(record: StoredRecord, key: ApiKey | null, withDatums: boolean) {
		const dataset = this.dataset(record.dataset)!;
		const json: Record<string, unknown> = {
			id: record.id,
			dataset: { id: dataset.id, name: dataset.name },
			state: this.stateJson(dataset, record.state),
			archived: record.archived,
			removed: record.removed,
		};
		if (withDatums) {
			json.datums = (this.datumsByRecord.get(record.id) ?? [])
				.filter(
					(d) => !key || this.canProperty(key, 'view', record.dataset, record.state, d.property),
				)
				.map((d) => this.datumJson(dataset, d));
		}
		return json;
	}

	private datumJson(dataset: FixtureDataset, d: StoredDatum) {
		const p = this.property(dataset, d.property)!;
		return {
			id: d.id,
			record: { id: d.record },
			property: {
				id: p.id,
				name: p.name,
				isUsedAsTitle: Boolean(p.isUsedAsTitle),
				propertyType: this.propertyTypes.get(p.propertyType) ?? { id: p.propertyType },
			},
			value: d.value,
		};
	}

	private datasetJson(dataset: FixtureDataset, key: ApiKey) {
		const visible = dataset.properties.filter((p) =>
			dataset.states.some((s) => this.canProperty(key, 'view', dataset.id, s.id, p.id)),
		);
		return {
			id: dataset.id,
			name: dataset.name,
			isDisabled: dataset.isDisabled,
			position: dataset.position,
			path: `/${dataset.id}`,
			states: dataset.states.map((s) => this.stateJson(dataset, s.id)),
			properties: visible.map((p) => this.propertyJson(dataset, p)),
			representations: [],
		};
	}

	// ---------------------------------------------------------------- validation

	/**
	 * A2: a value must suit its property's type; an option is given by its text or its id.
	 * A24..A28: a date-time is ISO 8601 in UTC as Tracy documents it, a date the same at midnight
	 * UTC, a boolean is JSON true/false, a relation and a user are the linked record's and the
	 * user's numeric IDs, a file is not written as a datum, and automatic properties are refused.
	 */
	private validateValue(p: FixtureProperty, value: unknown): string | undefined {
		if (value === null) return undefined;
		if (typeof value === 'object')
			return `must be a single value, not ${Array.isArray(value) ? 'an array' : 'an object'}`;
		const text = String(value);
		if (text.length > 10_000) return 'is longer than 10000 characters';
		const type = this.propertyTypes.get(p.propertyType);
		if (type?.isAutomatic) return 'is filled in by Tracy and cannot be written';
		switch (p.propertyType) {
			case 'email':
				return EMAIL.test(text)
					? undefined
					: `"${text.slice(0, 100)}" is not a valid email address`;
			case 'number':
				return text.trim() !== '' && Number.isFinite(Number(text))
					? undefined
					: `"${text.slice(0, 100)}" is not a number`;
			case 'option':
			case 'options':
				return (p.options ?? []).some((o) => o.text === text || String(o.id) === text)
					? undefined
					: `"${text.slice(0, 100)}" is not one of the options (${(p.options ?? []).map((o) => o.text).join(', ')})`;
			case 'dateTime':
				return ISO_UTC.test(text) && !Number.isNaN(Date.parse(text))
					? undefined
					: `"${text.slice(0, 100)}" is not a date-time in the form YYYY-MM-DDTHH:mm:ss.sssZ`;
			case 'date':
				return ISO_UTC.test(text) &&
					!Number.isNaN(Date.parse(text)) &&
					/T00:00:00(\.000)?Z$/.test(text)
					? undefined
					: `"${text.slice(0, 100)}" is not a date in the form YYYY-MM-DDT00:00:00.000Z`;
			case 'boolean':
				return typeof value === 'boolean'
					? undefined
					: `${JSON.stringify(value).slice(0, 100)} is not true or false`;
			case 'relation': {
				if (typeof value !== 'number' || !Number.isSafeInteger(value))
					return `${JSON.stringify(value).slice(0, 100)} is not a record ID`;
				const target = this.relationDataset(p);
				const linked = this.records.get(value);
				return linked && linked.dataset === target && !linked.removed
					? undefined
					: `record ${value} does not exist in dataset ${target}`;
			}
			case 'user':
				if (typeof value !== 'number' || !Number.isSafeInteger(value))
					return `${JSON.stringify(value).slice(0, 100)} is not a user ID`;
				return this.users.some((u) => u.id === value) ? undefined : `user ${value} does not exist`;
			case 'file':
				return 'takes files uploaded through Files, not a value';
			default:
				return undefined;
		}
	}

	private relationDataset(p: FixtureProperty): Id | undefined {
		try {
			return (JSON.parse(p.parameters ?? '{}') as { dataset?: Id }).dataset;
		} catch {
			return undefined;
		}
	}

	private normaliseValue(p: FixtureProperty, value: unknown) {
		if (value === null) return null;
		if (p.propertyType === 'number') return Number(value);
		if (p.propertyType === 'option' || p.propertyType === 'options') {
			return (p.options ?? []).find(
				(o) => o.text === String(value) || String(o.id) === String(value),
			)!.text;
		}
		// kept with milliseconds, as Tracy's documented form
		if (p.propertyType === 'date' || p.propertyType === 'dateTime')
			return new Date(String(value)).toISOString();
		return value;
	}

	private requireRecord(key: ApiKey, id: Id) {
		const record = this.records.get(id);
		if (!record) throw new HttpProblem(404, 'Not Found', `Record ${id} does not exist.`);
		if (!this.canSeeRecord(key, record)) {
			this.forbid('view', `on any property of record ${id} in its current state`);
		}
		return record;
	}

	// ---------------------------------------------------------------- routes

	private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
		// counted from the first byte to the answer sent (or the connection gone)
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		res.once('close', () => this.inFlight--);
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const entry: ReceivedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams.entries()),
			headers: req.headers,
			rawBody,
			body: undefined,
			inFlight: this.inFlight,
		};
		try {
			entry.body = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			entry.body = rawBody;
		}
		if (!this.options.noLog) this.requests.push(entry);

		const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			entry.status = status;
			const payload =
				body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
			const type =
				typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
			const write = () => {
				res.writeHead(status, { 'Content-Type': type, ...headers });
				res.end(payload);
			};
			const delay = this.delays.find((d) => d.match(entry))?.ms ?? this.options.delayMs;
			if (delay) setTimeout(write, delay);
			else write();
		};

		const fault = this.faults.find((f) => f.times > 0 && f.match(entry));
		const answerFault = (f: Fault) => {
			f.times--;
			if (f.socket === 'hang') return;
			if (f.socket === 'reset') return void req.socket.destroy();
			if (f.socket === 'resetMidBody') {
				entry.status = 200;
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
				res.write('{"id": 1, "dataset": {"id": 1}, "na');
				return void setTimeout(() => req.socket.destroy(), 20);
			}
			send(
				f.status,
				f.respond ? f.respond(entry) : (f.body ?? { title: 'Injected fault', status: f.status }),
				f.headers,
			);
		};
		if (fault && !fault.afterProcessing) return answerFault(fault);

		if (this.options.rateLimitPerSecond) {
			const now = Date.now();
			if (now - this.windowStart >= 1000) {
				this.windowStart = now;
				this.windowCount = 0;
			}
			if (++this.windowCount > this.options.rateLimitPerSecond) {
				const wait = Math.max(1, Math.ceil((1000 - (now - this.windowStart)) / 1000));
				this.rateLimited++;
				return send(
					429,
					{ title: 'Too Many Requests', status: 429, detail: 'Rate limit exceeded.' },
					{ 'Retry-After': String(wait) },
				);
			}
		}

		try {
			const [status, body] = this.route(entry);
			if (fault?.afterProcessing) return answerFault(fault);
			send(status, body);
		} catch (error) {
			if (error instanceof HttpProblem) {
				send(error.status, {
					type: `https://httpstatuses.io/${error.status}`,
					title: error.title,
					status: error.status,
					detail: error.detail,
					...error.extra,
				});
			} else {
				send(500, { title: 'Internal Server Error', status: 500, detail: String(error) });
			}
		}
	}

	private authenticate(req: ReceivedRequest): ApiKey {
		const header = req.headers['x-api-key'];
		const value = Array.isArray(header) ? header[0] : header;
		if (!value) throw new HttpProblem(401, 'Unauthorized', 'The X-Api-Key header is missing.');
		const key = this.keys.get(value);
		if (!key) throw new HttpProblem(401, 'Unauthorized', 'The API key is not valid.');
		return key;
	}

	private route(req: ReceivedRequest): [number, unknown] {
		const { method, path } = req;
		if (method === 'GET' && path === '/v1/health') return [200, { status: 'Healthy' }];
		// not Tracy's: how tests and `npm run dev` set up automations (the server binds 127.0.0.1 only)
		if (path === '/_emulator/automations') return this.adminAutomations(method, req.body);
		if (!path.startsWith('/v1/')) throw new HttpProblem(404, 'Not Found', `No route for ${path}.`);
		const key = this.authenticate(req);
		let m: RegExpExecArray | null;
		if (method === 'GET' && path === '/v1/datasets') return this.listDatasets(key);
		if (method === 'GET' && (m = /^\/v1\/datasets\/(\d+)$/.exec(path)))
			return this.getDataset(key, Number(m[1]));
		// A30: the workspace's users, for a user property given by email
		if (method === 'GET' && path === '/v1/users')
			return [200, { items: this.users.map((u) => ({ ...u })), total: this.users.length }];
		if (method === 'GET' && path === '/v1/records') return this.listRecords(key, req.query);
		if (method === 'POST' && path === '/v1/records') return this.createRecord(key, req.body);
		if (method === 'PUT' && path === '/v1/records') return this.patchRecord(key, req.body);
		if (method === 'GET' && (m = /^\/v1\/records\/(\d+)$/.exec(path))) {
			return [200, this.recordJson(this.requireRecord(key, Number(m[1])), key, true)];
		}
		if (method === 'DELETE' && (m = /^\/v1\/records\/(\d+)$/.exec(path)))
			return this.deleteRecord(key, Number(m[1]), req.query);
		if (method === 'PUT' && path === '/v1/datums') return this.updateDatum(key, req.body);
		if (method === 'POST' && path === '/v1/datums') return this.createDatum(key, req.body);
		if (method === 'DELETE' && (m = /^\/v1\/datums\/(\d+)$/.exec(path)))
			return this.removeDatum(key, Number(m[1]));
		if (method === 'POST' && path === '/v1/moves') return this.move(key, req.body);
		if (/^\/v1\/(records|datums|datasets|moves)(\/\d+)?$/.test(path)) {
			throw new HttpProblem(405, 'Method Not Allowed', `${method} is not allowed on ${path}.`);
		}
		throw new HttpProblem(404, 'Not Found', `No route for ${path}.`);
	}

	private listDatasets(key: ApiKey): [number, unknown] {
		const visible = this.datasets.filter((d) => this.canSeeDataset(key, d));
		// A11: a role that may view nothing at all is refused rather than shown an empty list
		if (!visible.length) this.forbid('view', 'on any dataset');
		return [200, { items: visible.map((d) => this.datasetJson(d, key)), total: visible.length }];
	}

	private getDataset(key: ApiKey, id: Id): [number, unknown] {
		const dataset = this.dataset(id);
		if (!dataset) throw new HttpProblem(404, 'Not Found', `Dataset ${id} does not exist.`);
		if (!this.canSeeDataset(key, dataset)) this.forbid('view', `on any property of dataset ${id}`);
		return [200, this.datasetJson(dataset, key)];
	}

	private listRecords(key: ApiKey, q: Record<string, string>): [number, unknown] {
		const page = q.page === undefined ? 1 : Number(q.page);
		const pageSize = q.pageSize === undefined ? 25 : Number(q.pageSize);
		const errors: Record<string, string[]> = {};
		if (!Number.isInteger(page) || page < 1) errors.page = ['must be a whole number of at least 1'];
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
			errors.pageSize = ['must be between 1 and 100'];
		if (q.order && !['asc', 'desc'].includes(q.order)) errors.order = ['must be asc or desc'];
		const datasetId = q.dataset ? Number(q.dataset) : undefined;
		const dataset = datasetId !== undefined ? this.dataset(datasetId) : undefined;
		if (datasetId !== undefined && !dataset)
			errors.dataset = [`dataset ${q.dataset} does not exist`];
		if (Object.keys(errors).length)
			throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, { errors });
		if (dataset && !this.canSeeDataset(key, dataset))
			this.forbid('view', `on any property of dataset ${dataset.id}`);

		const propertyFilters = Object.entries(q)
			.map(([k, v]) => [/^property\[(\d+)\]$/.exec(k)?.[1], v] as const)
			.filter(([id]) => id !== undefined)
			.map(([id, v]) => [Number(id), v] as const);

		let rows = [...this.records.values()].filter((r) => {
			if (datasetId !== undefined && r.dataset !== datasetId) return false;
			if (q.state && r.state !== Number(q.state)) return false;
			if (q.archived === 'true' && !r.archived) return false;
			if (q.archived === 'false' && r.archived) return false;
			if (q.removed === 'true' ? !r.removed : r.removed) return false;
			if (!this.canSeeRecord(key, r)) return false;
			for (const [propertyId, value] of propertyFilters) {
				if (!this.canProperty(key, 'view', r.dataset, r.state, propertyId)) return false;
				const datums = (this.datumsByRecord.get(r.id) ?? []).filter(
					(d) => d.property === propertyId,
				);
				if (!datums.some((d) => String(d.value).toLowerCase() === value.toLowerCase()))
					return false;
			}
			return true;
		});

		const sort = q.sort ?? 'id';
		const direction = q.order === 'desc' ? -1 : 1;
		const sortValue = (r: StoredRecord): string | number => {
			if (sort === 'id') return r.id;
			if (sort === 'created') return r.created;
			if (sort === 'state')
				return this.dataset(r.dataset)!.states.find((s) => s.id === r.state)!.position;
			const d = (this.datumsByRecord.get(r.id) ?? []).find((x) => x.property === Number(sort));
			const v = d?.value;
			return typeof v === 'number' ? v : String(v ?? '').toLowerCase();
		};
		rows = rows.sort((a, b) => {
			const av = sortValue(a);
			const bv = sortValue(b);
			return (av < bv ? -1 : av > bv ? 1 : a.id - b.id) * direction;
		});
		const include = (q.include ?? '').split(',').includes('datums');
		const served = Math.min(pageSize, this.paging.maxPageSize ?? pageSize);
		const from = this.paging.ignorePage ? 0 : (page - 1) * served;
		const slice = rows.slice(from, from + served);
		const total = this.paging.growingTotal ? rows.length + page * served : rows.length;
		return [
			200,
			{ items: slice.map((r) => this.recordJson(r, key, include)), page, pageSize: served, total },
		];
	}

	private refId(value: unknown): Id | undefined {
		if (value && typeof value === 'object' && 'id' in value) {
			const id = (value as { id: unknown }).id;
			return typeof id === 'number'
				? id
				: typeof id === 'string' && /^\d+$/.test(id)
					? Number(id)
					: undefined;
		}
		return undefined;
	}

	private createRecord(key: ApiKey, body: unknown): [number, unknown] {
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, {
				errors: { body: ['must be a JSON object'] },
			});
		}
		const b = body as Record<string, unknown>;
		const datasetId = this.refId(b.dataset);
		const dataset = datasetId !== undefined ? this.dataset(datasetId) : undefined;
		if (!dataset) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: {
					dataset: [
						datasetId === undefined
							? 'is required as { "id": <number> }'
							: `dataset ${datasetId} does not exist`,
					],
				},
			});
		}
		let stateId = b.state === undefined || b.state === null ? undefined : this.refId(b.state);
		if (b.state !== undefined && b.state !== null && stateId === undefined) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { state: ['must be { "id": <number> }'] },
			});
		}
		// A2: without a state the record starts in the dataset's first state
		if (stateId === undefined)
			stateId = [...dataset.states].sort((x, y) => x.position - y.position)[0].id;
		if (!dataset.states.some((s) => s.id === stateId)) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { state: [`state ${stateId} does not belong to dataset ${dataset.id}`] },
			});
		}
		if (!this.can(key, 'create', dataset.id, stateId)) {
			this.forbid('create', `in state ${stateId} of dataset ${dataset.id}`);
		}
		const datums = b.datums === undefined ? [] : b.datums;
		if (!Array.isArray(datums)) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { datums: ['must be an array'] },
			});
		}
		const errors: Record<string, string[]> = {};
		const accepted: Array<[FixtureProperty, unknown]> = [];
		datums.forEach((d: unknown, i: number) => {
			const propertyId = this.refId((d as Record<string, unknown>)?.property);
			const p = propertyId !== undefined ? this.property(dataset, propertyId) : undefined;
			if (!p) {
				errors[`datums[${i}].property`] = [
					propertyId === undefined
						? 'is required as { "id": <number> }'
						: `property ${propertyId} does not exist in dataset ${dataset.id}`,
				];
				return;
			}
			if (!this.canProperty(key, 'edit', dataset.id, stateId!, p.id)) {
				errors[`datums[${i}].property`] = [
					`the role of this API key may not edit property ${p.id} (${p.name})`,
				];
				return;
			}
			const value = (d as Record<string, unknown>).value;
			const problem = this.validateValue(p, value);
			if (problem) errors[`datums[${i}].value`] = [`${p.name} ${problem}`];
			else accepted.push([p, value]);
		});
		if (Object.keys(errors).length) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, { errors });
		}
		const record = this.insertRecord(dataset.id, stateId, {});
		for (const [p, value] of accepted) {
			if (value !== null) this.insertDatum(record.id, p.id, this.normaliseValue(p, value));
		}
		this.fireAutomations('created', record);
		return [200, this.recordJson(record, key, true)];
	}

	private patchRecord(key: ApiKey, body: unknown): [number, unknown] {
		const b = (body ?? {}) as Record<string, unknown>;
		const id = typeof b.id === 'number' ? b.id : undefined;
		if (id === undefined) {
			throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, {
				errors: { id: ['is required'] },
			});
		}
		const record = this.records.get(id);
		if (!record) throw new HttpProblem(404, 'Not Found', `Record ${id} does not exist.`);
		if ('archived' in b) {
			if (!this.can(key, 'archive', record.dataset, record.state))
				this.forbid('archive', `in state ${record.state} of dataset ${record.dataset}`);
			record.archived = b.archived ? String(b.archived) : null;
		}
		if ('removed' in b) {
			if (!this.can(key, 'delete', record.dataset, record.state))
				this.forbid('delete', `in state ${record.state} of dataset ${record.dataset}`);
			if (b.removed !== null) {
				throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, {
					errors: { removed: ['only null (restore) is accepted; use DELETE to move to the trash'] },
				});
			}
			record.removed = null;
		}
		return [200, this.recordJson(record, key, true)];
	}

	private deleteRecord(key: ApiKey, id: Id, q: Record<string, string>): [number, unknown] {
		const record = this.records.get(id);
		if (!record) throw new HttpProblem(404, 'Not Found', `Record ${id} does not exist.`);
		if (!this.can(key, 'delete', record.dataset, record.state))
			this.forbid('delete', `in state ${record.state} of dataset ${record.dataset}`);
		if (q.permanent === 'true') {
			// documented: full deletion is a management capability of administrators and owners
			if (key.userType === 'user') {
				throw new HttpProblem(
					403,
					'Forbidden',
					'Full deletion needs an administrator or owner key.',
					{ permission: 'full deletion' },
				);
			}
			for (const d of [...(this.datumsByRecord.get(id) ?? [])]) this.deleteDatum(d);
			this.records.delete(id);
			return [200, { id, deleted: true }];
		}
		record.removed = new Date().toISOString();
		return [200, this.recordJson(record, key, true)];
	}

	private datumTarget(key: ApiKey, recordId: Id | undefined, propertyId: Id | undefined) {
		if (recordId === undefined) {
			throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, {
				errors: { record: ['is required'] },
			});
		}
		const record = this.records.get(recordId);
		if (!record) throw new HttpProblem(404, 'Not Found', `Record ${recordId} does not exist.`);
		const dataset = this.dataset(record.dataset)!;
		const p = propertyId !== undefined ? this.property(dataset, propertyId) : undefined;
		if (!p) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { property: [`property ${propertyId} does not exist in dataset ${dataset.id}`] },
			});
		}
		if (!this.canProperty(key, 'edit', record.dataset, record.state, p.id)) {
			this.forbid(
				'edit',
				`on property ${p.id} (${p.name}) in state ${record.state} of dataset ${dataset.id}`,
			);
		}
		return { record, dataset, p };
	}

	private updateDatum(key: ApiKey, body: unknown): [number, unknown] {
		const b = (body ?? {}) as Record<string, unknown>;
		const id = typeof b.id === 'number' ? b.id : undefined;
		const datum = id !== undefined ? this.datums.get(id) : undefined;
		if (!datum) throw new HttpProblem(404, 'Not Found', `Datum ${String(b.id)} does not exist.`);
		const { dataset, p } = this.datumTarget(key, datum.record, datum.property);
		const problem = this.validateValue(p, b.value);
		if (problem)
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { value: [`${p.name} ${problem}`] },
			});
		datum.value = this.normaliseValue(p, b.value);
		return [200, this.datumJson(dataset, datum)];
	}

	private createDatum(key: ApiKey, body: unknown): [number, unknown] {
		const b = (body ?? {}) as Record<string, unknown>;
		const { record, dataset, p } = this.datumTarget(
			key,
			this.refId(b.record),
			this.refId(b.property),
		);
		const problem = this.validateValue(p, b.value);
		if (problem)
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { value: [`${p.name} ${problem}`] },
			});
		const datum = this.insertDatum(record.id, p.id, this.normaliseValue(p, b.value));
		return [200, this.datumJson(dataset, datum)];
	}

	private removeDatum(key: ApiKey, id: Id): [number, unknown] {
		const datum = this.datums.get(id);
		if (!datum) throw new HttpProblem(404, 'Not Found', `Datum ${id} does not exist.`);
		this.datumTarget(key, datum.record, datum.property);
		this.deleteDatum(datum);
		return [200, { id }];
	}

	private move(key: ApiKey, body: unknown): [number, unknown] {
		const b = (body ?? {}) as Record<string, unknown>;
		const recordId = this.refId(b.record);
		const stateId = this.refId(b.state);
		if (recordId === undefined || stateId === undefined) {
			throw new HttpProblem(400, 'One or more validation errors occurred.', undefined, {
				errors: {
					...(recordId === undefined ? { record: ['is required'] } : {}),
					...(stateId === undefined ? { state: ['is required'] } : {}),
				},
			});
		}
		const record = this.requireRecord(key, recordId);
		const dataset = this.dataset(record.dataset)!;
		const target = dataset.states.find((s) => s.id === stateId);
		if (!target) {
			throw new HttpProblem(422, 'One or more validation errors occurred.', undefined, {
				errors: { state: [`state ${stateId} does not belong to dataset ${dataset.id}`] },
			});
		}
		if (!this.can(key, 'move', record.dataset, record.state))
			this.forbid('move', `in state ${record.state} of dataset ${dataset.id}`);
		const current = dataset.states.find((s) => s.id === record.state)!;
		if (target.position > current.position) {
			// documented: a move to a next state is refused while a required property is empty
			const filled = new Set(
				(this.datumsByRecord.get(record.id) ?? [])
					.filter((d) => d.value !== null && d.value !== '')
					.map((d) => d.property),
			);
			const missing = dataset.properties.filter((p) => p.isRequired && !filled.has(p.id));
			if (missing.length) {
				throw new HttpProblem(
					422,
					'The record cannot be moved.',
					`Required properties are empty: ${missing.map((p) => p.name).join(', ')}.`,
					{
						errors: Object.fromEntries(
							missing.map((p) => [p.name, [`is required to move to ${target.name}`]]),
						),
					},
				);
			}
		}
		const moved = record.state !== target.id;
		record.state = target.id;
		if (moved) this.fireAutomations('stateChanged', record);
		return [200, this.recordJson(record, key, true)];
	}
}

export async function startEmulator(options: EmulatorOptions = {}) {
	const emulator = new TracyEmulator(options);
	await emulator.start();
	return emulator;
}
