import { LIST_QUERY, MAX_PAGES_WITHOUT_TOTAL, PAGE_MARGIN } from '../transport/assumptions';

/** A list that cannot be read to its end under A14; the caller names the list and what was read. */
export class PagingError extends Error {}

/**
 * The one paging rule (A14) for every walk over Tracy's pages: Get Many and both polls.
 * - A short page ends the list only when the total agrees, or when Tracy gives no total.
 * - A page holding only IDs of earlier pages means Tracy ignores `page`.
 * - The bound is set by the first answer's total (and the page size Tracy really served), plus a
 *   margin, so a total that grows while we read cannot keep us reading.
 * A walk that throws was not complete: callers keep nothing of it as if it were.
 */
export class PageWalk {
	readonly seen = new Set<number>();
	private page = 0;
	private maxPages = MAX_PAGES_WITHOUT_TOTAL;

	constructor(private readonly pageSize: number) {}

	/** The next page to ask for. */
	next(): number {
		this.page++;
		if (this.page > this.maxPages) {
			throw new PagingError(`Tracy still had records after ${this.maxPages} pages, more than its first total implies`);
		}
		return this.page;
	}

	/** Takes a page's IDs: those not seen before, and whether the list is now complete. */
	take(ids: number[], total: number | undefined): { fresh: number[]; done: boolean } {
		const fresh = ids.filter((id) => !this.seen.has(id));
		for (const id of fresh) this.seen.add(id);
		if (this.page === 1 && total !== undefined) {
			this.maxPages = Math.ceil(total / Math.max(1, ids.length)) + PAGE_MARGIN;
		}
		if (total !== undefined ? this.seen.size >= total : ids.length < this.pageSize) return { fresh, done: true };
		if (ids.length === 0) {
			throw new PagingError(`page ${this.page} was empty, but Tracy's total says ${total} records and only ${this.seen.size} were read`);
		}
		if (fresh.length === 0) {
			throw new PagingError(`page ${this.page} held only records of earlier pages: Tracy seems to ignore the "${LIST_QUERY.page}" parameter`);
		}
		return { fresh, done: false };
	}
}
