declare
  line jsonb;
  n integer := 0;
  product record;
begin
  if jsonb_typeof(lines_in) is distinct from 'array' or jsonb_array_length(lines_in) = 0 then
    raise exception 'an order needs a non-empty array of lines'
      using errcode = 'invalid_parameter_value';
  end if;

  insert into orders (order_id, customer, status, total, line_count, note, placed, updated)
  values (order_id_in, customer_in, 'placed', 0, 0, note_in, now(), now())
  on conflict on constraint orders_pkey do nothing;
  if not found then
    return query
    select orders.order_id, orders.total, orders.line_count, orders.placed, false
    from orders
    where orders.order_id = order_id_in;
    return;
  end if;

  for line in select jsonb_array_elements(lines_in) loop
    n := n + 1;
    select products.product_id, products.price, products.active into product
    from products
    where products.product_id = (line ->> 'product_id')::integer;
    if not found then
      raise exception 'order line %: no product with id %', n, line ->> 'product_id'
        using errcode = 'foreign_key_violation';
    end if;
    if not product.active then
      raise exception 'order line %: product % is off sale', n, product.product_id
        using errcode = 'invalid_parameter_value';
    end if;
    insert into order_lines (order_id, line_no, product_id, quantity, unit_price)
    values (order_id_in, n, product.product_id, (line ->> 'quantity')::integer, product.price);
  end loop;

  return query
  update orders
  set total = (select coalesce(sum(order_lines.quantity * order_lines.unit_price), 0)
               from order_lines
               where order_lines.order_id = order_id_in),
      line_count = n
  where orders.order_id = order_id_in
  returning orders.order_id, orders.total, orders.line_count, orders.placed, true;
end
