-- One read call in a transaction that the server keeps read-only and under a statement timeout,
-- as four statements with a round trip each: what per-call guarantees cost through a
-- transaction pooler, where session settings do not survive (bench/pooler-notes.md).
-- Run with -M extended -D rows=<seeded row count>.
\set id random(1, :rows)
begin read only;
set local statement_timeout = '5s';
select * from get_product(:id);
commit;
