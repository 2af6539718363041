/**
 * `npm run test:live`: a short smoke run against a real Tracy workspace (not part of CI).
 *   TRACY_API_KEY      the key (never printed)
 *   TRACY_BASE_URL     the API host, without /v1 (default: the assumed https://api.tra.cy)
 *   TRACY_DATASET_ID   the dataset to create one test record in
 *   TRACY_PROPERTY_ID  optional: a text property for the test value (else the dataset's title property, if readable)
 * It creates one record through the real node, reads it back only if the key may, probes the
 * other assumptions with plain requests, and prints which assumptions held.
 */
import {
	parseErrorBody,
	parseListResponse,
	DEFAULT_BASE_URL,
} from '../../nodes/Tracy/contract/assumptions';
import { runNode, testCredential } from '../harness';

process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';

type Verdict = 'held' | 'did not hold' | 'not checked';
const rows: Array<[string, Verdict, string]> = [];
const note = (id: string, verdict: Verdict, detail: string) => rows.push([id, verdict, detail]);

async function main() {
	const apiKey = process.env.TRACY_API_KEY;
	const baseUrl = (process.env.TRACY_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
	const datasetId = process.env.TRACY_DATASET_ID;
	if (!apiKey || !datasetId) {
		console.error(
			'Set TRACY_API_KEY and TRACY_DATASET_ID (and TRACY_BASE_URL if Tracy is not at the assumed host).',
		);
		process.exit(2);
	}
	const call = async (path: string, init: RequestInit = {}) => {
		const response = await fetch(`${baseUrl}${path}`, {
			...init,
			redirect: 'manual',
			headers: {
				'X-Api-Key': apiKey,
				Accept: 'application/json',
				'Content-Type': 'application/json',
			},
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// keep the text
		}
		return { status: response.status, body };
	};

	console.log(`Tracy at ${baseUrl}, dataset ${datasetId}\n`);
	const test = await testCredential({ apiKey, baseUrl });
	note(
		'A1 host',
		test.status === 'OK' || /role may not read/.test(test.message) ? 'held' : 'did not hold',
		`credential test: ${test.message}`,
	);
	note(
		'A11 403 for a key that may view nothing',
		/role may not read/.test(test.message) ? 'held' : 'not checked',
		test.status === 'OK' ? 'the key may read datasets' : test.message,
	);

	const schema = await call(`/v1/datasets/${datasetId}`);
	let propertyId = process.env.TRACY_PROPERTY_ID;
	if (schema.status === 200) {
		const s = schema.body as {
			states?: unknown[];
			properties?: Array<{ id: number; isUsedAsTitle?: boolean }>;
		};
		note(
			'A3 dataset with states and properties',
			Array.isArray(s.states) && Array.isArray(s.properties) ? 'held' : 'did not hold',
			`GET /v1/datasets/${datasetId} → 200`,
		);
		propertyId ??= String(
			(s.properties ?? []).find((p) => p.isUsedAsTitle)?.id ?? s.properties?.[0]?.id ?? '',
		);
	} else {
		note(
			'A3 dataset with states and properties',
			'not checked',
			`GET /v1/datasets/${datasetId} → ${schema.status}`,
		);
	}
	if (!propertyId) {
		console.error(
			'The key may not read the dataset: set TRACY_PROPERTY_ID to a text property to write the test value to.',
		);
		process.exit(2);
	}

	const value = `n8n-nodes-tracy smoke test ${new Date().toISOString()}`;
	const created = await runNode({
		parameters: {
			resource: 'record',
			operation: 'create',
			fieldsToSend: 'defineBelow',
			dataset: { __rl: true, mode: 'id', value: datasetId },
			propertyValues: {
				values: [{ property: { __rl: true, mode: 'id', value: propertyId }, value }],
			},
		},
		credentials: { apiKey, baseUrl },
	});
	const record = created.items[0]?.json as
		| { id?: number; datums?: Array<{ property?: { id?: number }; value?: unknown }> }
		| undefined;
	if (created.error || !record?.id) {
		note(
			'A2 PostRecord body',
			'did not hold',
			created.error
				? `${created.error.message}: ${created.error.description ?? ''}`
				: 'no id in the answer',
		);
	} else {
		note('A2 PostRecord body', 'held', `created record ${record.id} in the first state`);
		const read = await call(`/v1/records/${record.id}`);
		if (read.status === 200) {
			const datum = ((read.body as typeof record).datums ?? []).find(
				(d) => String(d.property?.id) === propertyId,
			);
			note(
				'A2 datum value field',
				datum?.value === value ? 'held' : 'did not hold',
				datum ? `datum fields: ${Object.keys(datum).join(', ')}` : 'no datum for the property',
			);
		} else {
			note(
				'A2 datum value field',
				'not checked',
				`the key may not read the record back (${read.status})`,
			);
		}
		const removed = await call(`/v1/records/${record.id}`, { method: 'DELETE' });
		note(
			'A7 DELETE moves to the trash',
			removed.status === 200 ? 'held' : 'not checked',
			`DELETE /v1/records/${record.id} → ${removed.status}${removed.status === 200 ? '' : ' (remove the test record by hand)'}`,
		);
	}

	const list = await call(`/v1/records?dataset=${datasetId}&page=1&pageSize=1&include=datums`);
	if (list.status === 200) {
		const parsedList = parseListResponse(list.body);
		const shape = Array.isArray(list.body)
			? 'a bare array'
			: list.body && typeof list.body === 'object'
				? `an object with ${Object.keys(list.body).join(', ')}`
				: typeof list.body;
		if (!parsedList) {
			note('A4/A5 list endpoint and paging', 'did not hold', `${shape}: no known list envelope`);
		} else {
			const { items, total } = parsedList;
			note(
				'A4/A5 list endpoint and paging',
				items.length <= 1 ? 'held' : 'did not hold',
				`${shape}; ${items.length} item(s) for pageSize=1${total !== undefined ? `, total ${total}` : ''}`,
			);
		}
	} else {
		note(
			'A4/A5 list endpoint and paging',
			list.status === 403 ? 'not checked' : 'did not hold',
			`GET /v1/records?dataset=… → ${list.status}`,
		);
	}

	const missing = await call('/v1/records/2147483646');
	const parsed = parseErrorBody(missing.body);
	note(
		'A9 error body',
		parsed.message || parsed.detail ? 'held' : 'did not hold',
		`${missing.status}: ${parsed.message ?? ''} ${parsed.detail ?? ''}`.trim(),
	);

	const width = Math.max(...rows.map((r) => r[0].length));
	console.log(`${'assumption'.padEnd(width)}  verdict       detail`);
	for (const [id, verdict, detail] of rows)
		console.log(`${id.padEnd(width)}  ${verdict.padEnd(12)}  ${detail}`);
}

main().catch((error: Error) => {
	console.error(`Smoke run failed: ${error.message}`);
	process.exit(1);
});
