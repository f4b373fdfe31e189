-- Seeds the products that every benchmark reads and writes: ids 1..:rows (psql -v rows=N),
-- in a freshly installed db/ (products.product_id is an identity column starting at 1).
insert into products (sku, name, description, price, stock, attributes, tags)
select 'sku-' || i, 'product ' || i, 'seeded for the benchmarks', 9.99 + i % 100, 1000000,
       jsonb_build_object('colour', 'grey', 'weight_g', i % 1000), array['bench']
from generate_series(1, :rows) as i;

select count(*) = :rows and max(product_id) = :rows as seeded from products \gset
\if :seeded
\else
  \warn 'products is not exactly ids 1..' :rows ': seed a freshly installed database'
  \quit 3
\endif
vacuum analyze products;
