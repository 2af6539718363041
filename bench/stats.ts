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

/** A Markdown table: header cells separated by " | ", alignment one letter a column (l or r; default l then r). */
export function table(header: string, rows: Array<Array<string | number>>, align = ''): string {
	const cells = header.split(' | ');
	const a = cells.map((_, i) => align[i] ?? (i === 0 ? 'l' : 'r'));
	const line = (r: Array<string | number>) => `| ${r.join(' | ')} |`;
	return [
		line(cells),
		`|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`,
		...rows.map(line),
	].join('\n');
}
