import { createHash, timingSafeEqual } from 'node:crypto';

import { AUTOMATION_RECORD_ID_PATHS } from '../contract/assumptions';
import { asId } from '../data/validation';

function at(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.').filter(Boolean)) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** Where the record ID is looked for: `field` when given, else the paths of A22, in order. */
export function recordIdPaths(field?: string): readonly string[] {
	return field?.trim() ? [field.trim()] : AUTOMATION_RECORD_ID_PATHS;
}

/** A body that is itself a record: only then may a top-level `id` be the record's, not the automation's or the event's. */
function looksLikeRecord(payload: unknown): boolean {
	return !!payload && typeof payload === 'object' && ('dataset' in payload || 'datums' in payload);
}

/** The record ID in an automation's payload: at `field` when given, else at the first path of A22 that holds one. */
export function findRecordId(payload: unknown, field?: string): number | undefined {
	for (const path of recordIdPaths(field)) {
		if (path === 'id' && !field?.trim() && !looksLikeRecord(payload)) continue;
		const id = asId(at(payload, path));
		if (id !== undefined) return id;
	}
	return undefined;
}

/** Compares in time that depends neither on where the strings differ nor on their lengths (both hashed first). */
export function secretsMatch(given: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}
