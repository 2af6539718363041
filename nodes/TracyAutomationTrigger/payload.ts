import { AUTOMATION_RECORD_ID_PATHS } from '../Tracy/transport/assumptions';

function at(value: unknown, path: string): unknown {
	let current = value;
	for (const key of path.split('.').filter(Boolean)) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

function asId(value: unknown): number | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return /^\d+$/.test(text) && Number(text) > 0 && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/** The record ID in an automation's payload: at `field` when given, else at the first path of A22 that holds one. */
export function findRecordId(payload: unknown, field?: string): number | undefined {
	const paths = field?.trim() ? [field.trim()] : AUTOMATION_RECORD_ID_PATHS;
	for (const path of paths) {
		const id = asId(at(payload, path));
		if (id !== undefined) return id;
	}
	return undefined;
}

/** Compares in time that does not depend on where the strings differ. */
export function secretsMatch(given: string, expected: string): boolean {
	let diff = given.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) {
		diff |= expected.charCodeAt(i) ^ given.charCodeAt(i % Math.max(given.length, 1));
	}
	return diff === 0;
}
