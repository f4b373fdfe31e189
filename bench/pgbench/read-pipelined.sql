-- 16 read calls per pipeline batch (one sync point at \endpipeline): the pgbench counterpart
-- of pgfns's pipelined scenario at a depth of 16 calls per connection.
-- Run with -M prepared -D rows=<seeded row count>; calls/s = batches/s x 16.
\set id1 random(1, :rows)
\set id2 random(1, :rows)
\set id3 random(1, :rows)
\set id4 random(1, :rows)
\set id5 random(1, :rows)
\set id6 random(1, :rows)
\set id7 random(1, :rows)
\set id8 random(1, :rows)
\set id9 random(1, :rows)
\set id10 random(1, :rows)
\set id11 random(1, :rows)
\set id12 random(1, :rows)
\set id13 random(1, :rows)
\set id14 random(1, :rows)
\set id15 random(1, :rows)
\set id16 random(1, :rows)
\startpipeline
select * from get_product(:id1);
select * from get_product(:id2);
select * from get_product(:id3);
select * from get_product(:id4);
select * from get_product(:id5);
select * from get_product(:id6);
select * from get_product(:id7);
select * from get_product(:id8);
select * from get_product(:id9);
select * from get_product(:id10);
select * from get_product(:id11);
select * from get_product(:id12);
select * from get_product(:id13);
select * from get_product(:id14);
select * from get_product(:id15);
select * from get_product(:id16);
\endpipeline
