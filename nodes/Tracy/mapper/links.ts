/**
 * Links the way people name them: a relation column given the linked record's title ("Acme GmbH")
 * instead of its ID, and a user column given a user's name. Titles are looked up once per
 * execution and value, shared by every item (A32); with Options › Create Missing Linked Records a
 * missing one is created once, even when items of one execution, or executions of this process
 * at the same moment, name the same new company (the match lock), and across processes the twin
 * check keeps the oldest (A31).
 */
import type { NodeApiError } from 'n8n-workflow';

import type { TracyDatasetSchema, TracyProperty, TracyRecord } from '../contract/assumptions';
import {
	buildPostRecordBody,
	INCLUDE_DATUMS,
	LIST_QUERY,
	PATHS,
	titleProperty,
	UPSERT_MATCH_LIMIT,
} from '../contract/assumptions';
import type { TracyItem } from '../engine/item';
import { matchKey, withMatchLock } from '../engine/matchLocks';
import { mergeTwin } from '../engine/twins';
import { asNodeError, readList, tracyRequest } from '../transport/request';
import { datasetSchema, titleLookUp } from '../reading/sharedReads';
import type { TypedProperty } from '../data/types';
import { compareKey } from '../data/text';
import { failItem } from '../data/validation';

/** A value that names a record or user by text rather than by ID. */
export const isName = (v: unknown): v is string =>
	typeof v === 'string' && v.trim() !== '' && !/^\s*\d+\s*$/.test(v);

/** A title as Tracy compares a filter (A17). */
const titleKey = compareKey;

interface LinkTarget {
	schema: TracyDatasetSchema;
	title: TracyProperty;
}

/** The linked dataset and its title property; a key that may not read it gets words a marketer understands. */
async function linkTarget(
	item: TracyItem,
	p: TypedProperty,
	label: string,
	name: string,
): Promise<LinkTarget> {
	const ctx = item.ctx;
	if (p.relationDataset === undefined) {
		failItem(
			ctx,
			`${label}: "${name.slice(0, 80)}" is not a record ID, and the property does not say which dataset it links to`,
			"Give the linked record's ID (A26 in the README).",
		);
	}
	let schema: TracyDatasetSchema;
	try {
		schema = await datasetSchema(item, p.relationDataset);
	} catch (error) {
		if (String((error as NodeApiError).httpCode ?? '') === '403') {
			failItem(
				ctx,
				`${label}: to link "${name.slice(0, 80)}" by its name, this API key must be allowed to see the dataset it links to (ID ${p.relationDataset})`,
				"Ask your Tracy admin to let the key's role view that dataset, or give the linked record's ID.",
			);
		}
		throw asNodeError(ctx, error);
	}
	const title = titleProperty(schema);
	if (!title) {
		failItem(
			ctx,
			`${label}: dataset "${schema.name}" has no title property, so "${name.slice(0, 80)}" cannot be looked up by name`,
			"Give the linked record's ID (A32 in the README).",
		);
	}
	return { schema, title };
}

/** A32: the records of the linked dataset whose title is `name`, by the title property's filter. */
async function findByTitle(item: TracyItem, target: LinkTarget, name: string): Promise<number[]> {
	const { items } = await readList<TracyRecord>(item, PATHS.records, {
		[LIST_QUERY.dataset]: target.schema.id,
		[LIST_QUERY.propertyFilter(target.title.id)]: name.trim(),
		[LIST_QUERY.page]: 1,
		[LIST_QUERY.pageSize]: UPSERT_MATCH_LIMIT,
		[LIST_QUERY.include]: INCLUDE_DATUMS,
	});
	// the filter compares as Tracy does; the title must still be the name, letter case aside
	return items
		.filter(
			(r) =>
				!r.removed &&
				(r.datums ?? []).some(
					(d) =>
						d.property?.id === target.title.id &&
						titleKey(String(d.value ?? '')) === titleKey(name),
				),
		)
		.map((r) => r.id)
		.sort((a, b) => a - b);
}

/** Creates the missing linked record with its title alone; another process's twin made at the same moment is merged (A31). */
async function createLinked(item: TracyItem, target: LinkTarget, name: string): Promise<number> {
	const created = await tracyRequest<TracyRecord>(
		item,
		{
			method: 'POST',
			url: PATHS.records,
			body: buildPostRecordBody(target.schema.id, undefined, [
				{ propertyId: target.title.id, value: name.trim() },
			]),
		},
		'record',
	);
	const twins = await mergeTwin(
		item,
		created,
		async () => (await findByTitle(item, target, name)).map((id) => ({ id }) as TracyRecord),
		async (kept) => ({ record: kept, changed: [] }),
		`${target.title.name ?? 'title'} "${name.trim()}"`,
	);
	return twins ? twins.kept.id : created.id;
}

/** The ID of the record titled `name`, or the item fails naming the column, the dataset and the title. */
async function linkedId(
	item: TracyItem,
	p: TypedProperty,
	label: string,
	name: string,
	createMissing: boolean,
): Promise<number> {
	const target = await linkTarget(item, p, label, name);
	const look = async () => await findByTitle(item, target, name);
	// one look-up per execution and name; with Create Missing Linked Records it is made under the
	// match lock, so that executions of this process naming the same new company create it once
	const key = matchKey(target.schema.id, [{ column: String(target.title.id), value: name }]);
	const ids = await titleLookUp(
		item,
		`${target.schema.id}:${titleKey(name)}`,
		createMissing
			? async () =>
					await withMatchLock(key, async () => {
						const found = await look();
						return found.length ? found : [await createLinked(item, target, name)];
					})
			: look,
	);
	if (ids.length > 1) {
		failItem(
			item.ctx,
			`${label}: ${ids.length} records of dataset "${target.schema.name}" are titled "${name.trim().slice(0, 80)}": ${ids.slice(0, 20).join(', ')}`,
			'Give the ID of the one you mean, or rename the others in Tracy.',
		);
	}
	if (!ids.length) {
		failItem(
			item.ctx,
			`${label}: no record of dataset "${target.schema.name}" is titled "${name.trim().slice(0, 80)}"`,
			"Check the name, give the record's ID, or turn on Options › Create Missing Linked Records.",
		);
	}
	return ids[0];
}

/** The mapper's entries whose relation column names records by title: each replaced by the records' IDs. */
export async function linksByTitle(
	item: TracyItem,
	entries: Array<{ column: string; label: string; value: unknown }>,
	byId: Map<string, TypedProperty>,
	createMissing: boolean,
): Promise<void> {
	for (const entry of entries) {
		const p = byId.get(entry.column);
		if (p?.kind !== 'relation') continue;
		const list = Array.isArray(entry.value) ? entry.value : [entry.value];
		if (!list.some(isName)) continue;
		const ids: unknown[] = [];
		for (const v of list)
			ids.push(isName(v) ? await linkedId(item, p, entry.label, v, createMissing) : v);
		entry.value = Array.isArray(entry.value) ? ids : ids[0];
	}
}

/** Users named by email or by name, compared trimmed and letter case aside; several users with one name fail. */
export function userByName(
	users: Array<{ id: number; email?: string; name?: string }>,
	value: string,
): { id?: number; several?: Array<{ id: number; name?: string }> } {
	const wanted = titleKey(value);
	const byEmail = users.filter((u) => titleKey(String(u.email ?? '')) === wanted);
	if (byEmail.length) return { id: byEmail[0].id };
	const byName = users.filter((u) => titleKey(String(u.name ?? '')) === wanted);
	if (byName.length > 1) return { several: byName };
	return { id: byName[0]?.id };
}
