// n8n's community-package scanner, both of its legs, on this checkout instead of a published version:
// the source (nodes/, credentials/, package.json) and the unpacked `npm pack` tarball, as n8n scans a
// package before verifying it. Inline eslint-disable comments are ignored there, as in n8n's scan.
// Needs a built dist/ (npm run build). Exits 1 when either leg fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'tracy-scan-'));

let failed = false;
const report = (leg, result) => {
	if (result.passed) {
		console.log(`scanner, ${leg}: passed${result.message ? ` (${result.message})` : ''}`);
		return;
	}
	failed = true;
	console.error(`scanner, ${leg}: FAILED: ${result.message}`);
	if (result.details) console.error(result.details);
};

try {
	// the leg n8n runs on the provenance-attested source checkout
	report('source', await analyzePackage(root, SOURCE_FILE_PATTERNS));

	// the leg n8n runs on the published tarball: compiled .js and the package.json that ships
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
			cwd: root,
		}).toString(),
	);
	const unpacked = join(work, 'package');
	execFileSync('tar', ['-xzf', join(work, pack.filename), '-C', work]);
	report(
		`tarball (${pack.filename}, ${pack.entryCount} files)`,
		await analyzePackage(unpacked, ['**/*.js', 'package.json']),
	);
} finally {
	rmSync(work, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
