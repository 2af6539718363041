import { LIST_QUERY, MAX_PAGES_WITHOUT_TOTAL, PAGE_MARGIN } from '../contract/assumptions';

/** A list that cannot be read to its end under A14; the caller names the list and what was read. */
export class PagingError extends Error {}

/**
 * The one paging rule (A14) for every walk over Tracy's pages: Get Many, both polls, the
 * "From List" searches and the users list.
 * - A short page ends the list only when the total agrees, or when Tracy gives no total.
 * - A page holding only IDs of earlier pages means Tracy ignores `page`.
 * - The bound is set by the first answer's total (and the page size Tracy really served), plus a
 *   margin, so a total that grows while we read cannot keep us reading.
 * A walk that throws was not complete: callers keep nothing of it as if it were.
 */
export class PageWalk {
	readonly seen = new Set<number>();
	/** Distinct records read: the size of `seen`, or more for a walk resumed from a token. */
	private read = 0;
	/** The first record of page 1, carried in a token: an ignored `page` serves it again. */
	private first = 0;
	private resumed = false;
	private page = 0;
	private maxPages = MAX_PAGES_WITHOUT_TOTAL;

	constructor(private readonly pageSize: number) {}

	/** The next page to ask for. */
	next(): number {
		this.page++;
		if (this.page > this.maxPages) {
			throw new PagingError(
				`Tracy still had records after ${this.maxPages} pages, more than its first total implies`,
			);
		}
		return this.page;
	}

	/** Takes a page's IDs: those not seen before, and whether the list is now complete. */
	take(ids: number[], total: number | undefined): { fresh: number[]; done: boolean } {
		// a resumed walk knows only page 1's first record; finding it again means the same page again
		if (this.resumed && ids.includes(this.first)) throw this.ignored();
		const fresh = ids.filter((id) => !this.seen.has(id));
		for (const id of fresh) this.seen.add(id);
		this.read += fresh.length;
		if (this.page === 1) {
			this.first = ids[0] ?? 0;
			if (total !== undefined)
				this.maxPages = Math.ceil(total / Math.max(1, ids.length)) + PAGE_MARGIN;
		}
		if (total !== undefined ? this.read >= total : ids.length < this.pageSize)
			return { fresh, done: true };
		if (ids.length === 0) {
			throw new PagingError(
				`page ${this.page} was empty, but Tracy's total says ${total} records and only ${this.read} were read`,
			);
		}
		if (fresh.length === 0) throw this.ignored();
		return { fresh, done: false };
	}

	private ignored(): PagingError {
		return new PagingError(
			`page ${this.page} held only records of earlier pages: Tracy seems to ignore the "${LIST_QUERY.page}" parameter`,
		);
	}

	/**
	 * Where a walk stands, for a list read one page per call ("From List" searches, which n8n pages
	 * with a token): the next page, the bound, what was read, and the first ID of page 1.
	 */
	token(): string {
		return [this.page + 1, this.maxPages, this.read, this.first].join('.');
	}

	/** A walk resumed from {@link token} (or a fresh one for no token). */
	static resume(pageSize: number, token?: string): PageWalk {
		const walk = new PageWalk(pageSize);
		const [page, maxPages, read, first] = String(token ?? '')
			.split('.')
			.map(Number);
		const whole = (n: number) => Number.isSafeInteger(n) && n > 0;
		if (whole(page) && page > 1) {
			walk.page = page - 1;
			walk.resumed = true;
			if (whole(maxPages)) walk.maxPages = maxPages;
			if (whole(read)) walk.read = read;
			if (whole(first)) {
				walk.first = first;
				walk.seen.add(first);
			}
		}
		return walk;
	}
}

/** Every item of a list, page by page under {@link PageWalk}'s rule: for short lists read whole (datasets, users). */
export async function readAllPages<T extends { id?: unknown }>(
	pageSize: number,
	readPage: (page: number) => Promise<{ items: T[]; total?: number }>,
): Promise<T[]> {
	const walk = new PageWalk(pageSize);
	const all: T[] = [];
	for (;;) {
		const { items, total } = await readPage(walk.next());
		const { fresh, done } = walk.take(
			items.map((item) => Number(item.id)),
			total,
		);
		const isFresh = new Set(fresh);
		all.push(...items.filter((item) => isFresh.delete(Number(item.id))));
		if (done) return all;
	}
}
