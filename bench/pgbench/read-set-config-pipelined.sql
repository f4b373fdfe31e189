-- The same guarantees in two statements and one flight: set_config(..., true) sets both for
-- the implicit transaction that lasts until the Sync, and the call, a statement of its own,
-- runs under them (in the call's own statement they would come too late: bench/pooler-notes.md).
-- Run with -M extended -D rows=<seeded row count>.
\set id random(1, :rows)
\startpipeline
select set_config('transaction_read_only', 'on', true), set_config('statement_timeout', '5s', true);
select * from get_product(:id);
\endpipeline
