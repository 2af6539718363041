// Checks every relative link of the project's Markdown: `[text](path)` must name a file or folder that
// exists, and `#anchor` (alone or after a .md path) a heading of that page, as GitHub makes its anchors.
// Web addresses are not checked. Run from anywhere: node .ci/check-links.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = [
	'README.md',
	'BENCHMARKS.md',
	'CHANGELOG.md',
	...readdirSync(join(root, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
].map((file) => join(root, file));

/** The lines of a file outside fenced code blocks (others are empty). */
function outsideFences(file) {
	let fenced = false;
	return readFileSync(file, 'utf8')
		.split('\n')
		.map((line) => {
			if (/^\s*```/.test(line)) {
				fenced = !fenced;
				return '';
			}
			return fenced ? '' : line;
		});
}

/** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file) {
	const seen = new Map();
	const found = new Set();
	for (const line of outsideFences(file)) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1]
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/<[^>]+>/g, '')
			.replace(/[*`]/g, '');
		const slug = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const n = seen.get(slug) ?? 0;
		seen.set(slug, n + 1);
		found.add(n ? `${slug}-${n}` : slug);
	}
	return found;
}

const cache = new Map();
const anchorsOf = (file) => {
	if (!cache.has(file)) cache.set(file, anchors(file));
	return cache.get(file);
};

const problems = [];
let count = 0;
for (const file of files) {
	outsideFences(file).forEach((raw, i) => {
		// inline code is not a link: `[a](b)` in backticks is left alone
		const line = raw.replace(/`[^`]*`/g, (code) => code.replace(/[[\]()]/g, ' '));
		for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
			const target = match[1];
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
			count++;
			const [path, anchor] = target.split('#');
			const where = `${relative(root, file)}:${i + 1}`;
			const dest = path ? resolve(dirname(file), decodeURI(path)) : file;
			if (!existsSync(dest)) {
				problems.push(`${where}: ${target}: no such file`);
				continue;
			}
			if (anchor !== undefined && dest.endsWith('.md') && !anchorsOf(dest).has(anchor))
				problems.push(
					`${where}: ${target}: no heading with that anchor in ${relative(root, dest)}`,
				);
		}
	});
}

if (problems.length) {
	console.error(problems.join('\n'));
	console.error(`${problems.length} broken link(s) of ${count}`);
	process.exit(1);
}
console.log(`${count} relative links checked in ${files.length} files: all resolve`);
