/**
 * One record per person across n8n processes (queue mode), where no lock reaches: after a create,
 * the node lists the records with the same match values once more. When another execution created
 * one at the same moment, every process applies the same rule (A31): the oldest record (the lowest
 * ID, A20) is kept and receives this item's values, and the newer one this item created goes to
 * Tracy's trash. The output says `merged` and which record was kept.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TracyRecord } from '../contract/assumptions';
import { PATHS } from '../contract/assumptions';
import type { TracyItem } from './item';
import { asNodeError, tracyRequest } from '../transport/request';

export interface Twins {
	/** The record kept: the oldest of those with the same match values. */
	kept: TracyRecord;
	/** Values this item wrote to the kept record. */
	changed: string[];
}

/**
 * After `created`, the records that hold the same match values (`list`, the look-up of the match).
 * Undefined when `created` is the oldest (it stays; a newer twin is merged by its own execution).
 */
export async function mergeTwin(
	item: TracyItem,
	created: TracyRecord,
	list: () => Promise<TracyRecord[]>,
	write: (kept: TracyRecord) => Promise<{ record: TracyRecord; changed: string[] }>,
	describe: string,
): Promise<Twins | undefined> {
	const records = await list();
	const older = records
		.filter((r) => r.id !== created.id && r.id < created.id && !r.removed)
		.sort((a, b) => a.id - b.id)[0];
	if (!older) return undefined;
	const { record: kept, changed } = await write(older);
	try {
		await tracyRequest(item, { method: 'DELETE', url: PATHS.record(created.id) }, 'anything');
	} catch (error) {
		const cause = asNodeError(item.ctx, error);
		throw new NodeOperationError(
			item.ctx.getNode(),
			`Record ${created.id} was created at the same moment as record ${older.id} (${describe}), and could not be moved to the trash`,
			{
				description: `This item's values were written to record ${older.id}, the older one. Record ${created.id} is a twin: delete it in Tracy. Tracy answered: ${cause.message}`,
				itemIndex: item.index,
			},
		);
	}
	return { kept, changed };
}

/** The output fields of an item whose create was merged into an older twin. */
export const mergedFields = (created: TracyRecord, twins: Twins): IDataObject => ({
	created: false,
	merged: true,
	mergedFrom: created.id,
	changed: twins.changed,
});
