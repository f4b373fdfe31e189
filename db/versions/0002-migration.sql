begin
  create table orders (
    order_id uuid primary key,
    customer text not null,
    status text not null check (status in ('placed', 'paid', 'shipped', 'cancelled')),
    total numeric(12,2) not null,
    line_count integer not null,
    note text,
    placed timestamp with time zone not null,
    updated timestamp with time zone not null
  );
  create index orders_customer_placed_idx on orders (customer, placed);

  create table order_lines (
    order_id uuid not null references orders (order_id) on delete cascade,
    line_no integer not null,
    product_id integer not null references products (product_id),
    quantity integer not null check (quantity > 0),
    unit_price numeric(12,2) not null,
    primary key (order_id, line_no)
  );

  -- orders reads the catalog (for prices) but never changes it
  grant select on products to $db_user_prefix$_orders;
  grant select, insert, update, delete on orders to $db_user_prefix$_orders;
  grant select, insert, update, delete on order_lines to $db_user_prefix$_orders;
end
