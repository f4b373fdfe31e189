-- read-guarded.sql's four statements sent in one flight (one Sync at \endpipeline).
-- Run with -M extended -D rows=<seeded row count>.
\set id random(1, :rows)
\startpipeline
begin read only;
set local statement_timeout = '5s';
select * from get_product(:id);
commit;
\endpipeline
