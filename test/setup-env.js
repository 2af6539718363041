// n8n-core logs to the console unless told otherwise
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';

// n8n-workflow runs parameter regexes (the By ID fields' validation) in a vm with a 250 ms guard; a
// busy machine can stall one past it and fail a test at random. Our patterns are fixed and linear,
// so tests run them natively.
const { setSafeRegexEngine } = require('n8n-workflow');
setSafeRegexEngine({
	exec: (pattern, input, flags) => new RegExp(pattern, flags).exec(input),
	test: (pattern, input, flags) => new RegExp(pattern, flags).test(input),
	replace: (pattern, input, flags, replacement) =>
		input.replace(new RegExp(pattern, flags), replacement),
	matchAll: (pattern, input, flags) =>
		Array.from(
			input.matchAll(new RegExp(pattern, flags?.includes('g') ? flags : `${flags ?? ''}g`)),
		),
	split: (pattern, input, flags) => input.split(new RegExp(pattern, flags)),
});
