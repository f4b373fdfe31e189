-- One read call per transaction: the cheap read method of db/, on a random seeded row.
-- Run with -M prepared -D rows=<seeded row count>.
\set id random(1, :rows)
select * from get_product(:id);
