import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PageWalk, PagingError, readAllPages } from '../reading/paging';
import { parseId } from '../data/validation';
import type { TracyDatasetSchema, TracyRecord } from '../contract/assumptions';
import {
	INCLUDE_DATUMS,
	LIST_QUERY,
	MAX_PAGE_SIZE,
	PATHS,
	datumValue,
} from '../contract/assumptions';
import { readList, tracyRequest } from '../transport/request';

/** "Leads (#1)": the ID beside the name, so it can be typed "By ID" for a key that may not list; the search finds it too. */
function withId(name: unknown, kind: string, id: unknown, note = ''): string {
	return name === undefined || name === null || name === ''
		? `${kind} (#${String(id)}${note})`
		: `${String(name)} (#${String(id)}${note})`;
}

function matches(name: string, filter?: string) {
	return !filter || name.toLowerCase().includes(filter.toLowerCase());
}

/** A list that cannot load says why and how to carry on, rather than showing an empty list. */
async function withHint<T>(
	ctx: ILoadOptionsFunctions,
	what: string,
	run: () => Promise<T>,
): Promise<T> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof PagingError) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The ${what} list could not be read to its end: ${error.message} (assumption A14, see the README)`,
			);
		}
		// the editor shows only the message of a list error, so the way out goes there
		const hint = `Switch to "By ID" and type the ID: the ${what} list needs a key that may read them.`;
		if (error instanceof NodeApiError) {
			error.message = `${error.message}. ${hint}`;
			// hands back the same error, with Tracy's status and description intact
			throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
		}
		throw new NodeOperationError(ctx.getNode(), `${(error as Error).message}. ${hint}`);
	}
}

function datasetId(ctx: ILoadOptionsFunctions, optional = false): number | undefined {
	// raw: extractValue refuses a parameter the current operation does not show
	const value = ctx.getNodeParameter('dataset', '') as unknown;
	return parseId(ctx, value, 'Dataset', { optional });
}

async function loadDataset(ctx: ILoadOptionsFunctions): Promise<TracyDatasetSchema> {
	return await tracyRequest<TracyDatasetSchema>(
		ctx,
		{ method: 'GET', url: PATHS.dataset(datasetId(ctx) as number) },
		'dataset',
	);
}

export async function searchDatasets(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await withHint(this, 'dataset', async () => {
		const datasets = await readAllPages(
			MAX_PAGE_SIZE,
			async (page) =>
				await readList<TracyDatasetSchema>(
					this,
					PATHS.datasets,
					{ [LIST_QUERY.page]: page, [LIST_QUERY.pageSize]: MAX_PAGE_SIZE },
					'datasetList',
				),
		);
		const results: INodeListSearchItems[] = datasets
			.map((d) => ({ name: withId(d.name, 'Dataset', d.id), value: String(d.id) }))
			.filter((d) => matches(d.name, filter));
		return { results };
	});
}

export async function searchStates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await withHint(this, 'state', async () => {
		const dataset = await loadDataset(this);
		const results = [...(dataset.states ?? [])]
			.sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0))
			.map((s) => ({ name: withId(s.name, 'State', s.id), value: String(s.id) }))
			.filter((s) => matches(s.name, filter));
		return { results };
	});
}

export async function searchProperties(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await withHint(this, 'property', async () => {
		const dataset = await loadDataset(this);
		const results = (dataset.properties ?? [])
			.map((p) => ({
				name: withId(p.name, 'Property', p.id, p.isRequired ? ', required' : ''),
				value: String(p.id),
			}))
			.filter((p) => matches(p.name, filter));
		return { results };
	});
}

export async function searchRecords(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await withHint(this, 'record', async () => {
		// n8n asks page by page with the token we hand back; the walk's rule carries over in it (A14)
		const walk = PageWalk.resume(MAX_PAGE_SIZE, paginationToken);
		const page = walk.next();
		// operations without a Dataset field list the records of every dataset the key can see
		const dataset = datasetId(this, true);
		const { items, total } = await readList(this, PATHS.records, {
			...(dataset !== undefined ? { [LIST_QUERY.dataset]: dataset } : {}),
			[LIST_QUERY.page]: page,
			[LIST_QUERY.pageSize]: MAX_PAGE_SIZE,
			[LIST_QUERY.include]: INCLUDE_DATUMS,
		} as IDataObject);
		const records = items as unknown as TracyRecord[];
		const { fresh, done } = walk.take(
			records.map((r) => r.id),
			total,
		);
		const isFresh = new Set(fresh);
		const results = records
			.filter((r) => isFresh.delete(r.id))
			.map((r) => {
				const title = (r.datums ?? []).find((d) => d.property?.isUsedAsTitle) ?? r.datums?.[0];
				const label = title ? String(datumValue(title) ?? '') : '';
				return { name: label ? `${label} (#${r.id})` : `Record #${r.id}`, value: String(r.id) };
			})
			.filter((r) => matches(r.name, filter));
		return { results, paginationToken: done ? undefined : walk.token() };
	});
}
