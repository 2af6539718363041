/** Small statistics and formatting helpers for the benchmark tables. */

export function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Spread {
	median: number;
	min: number;
	max: number;
	n: number;
}

export function spread(values: number[]): Spread {
	return {
		median: median(values),
		min: Math.min(...values),
		max: Math.max(...values),
		n: values.length,
	};
}

export const fixed = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** "median (min–max)" */
export function showSpread(s: Spread, digits = 2): string {
	return `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function table(
	header: string[],
	rows: Array<Array<string | number>>,
	align?: Array<'l' | 'r'>,
): string {
	const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
	const lines = [
		`| ${header.join(' | ')} |`,
		`|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`,
		...rows.map((r) => `| ${r.join(' | ')} |`),
	];
	return lines.join('\n');
}
