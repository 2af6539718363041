// n8n-core logs to the console unless told otherwise; imported first by the benchmark's entry point
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
