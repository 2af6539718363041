/** The fields a web form typically sends, in the order the editor shows them. */
export const LEAD_FIELDS = [
	{ key: 'name', label: 'Name' },
	{ key: 'email', label: 'Email' },
	{ key: 'phone', label: 'Phone' },
	{ key: 'company', label: 'Company' },
	{ key: 'message', label: 'Message' },
	{ key: 'source', label: 'Source' },
	{ key: 'utmSource', label: 'UTM Source' },
	{ key: 'utmMedium', label: 'UTM Medium' },
	{ key: 'utmCampaign', label: 'UTM Campaign' },
	{ key: 'utmTerm', label: 'UTM Term' },
	{ key: 'utmContent', label: 'UTM Content' },
] as const;

export type LeadFieldKey = (typeof LEAD_FIELDS)[number]['key'];

export const LEAD_FIELD_LABELS = Object.fromEntries(
	LEAD_FIELDS.map((f) => [f.key, f.label]),
) as Record<LeadFieldKey, string>;

// deliberately loose: Tracy has the last word, this only catches what is plainly not an address
export const EMAIL_PATTERN = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/;
