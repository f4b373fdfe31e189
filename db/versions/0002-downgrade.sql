begin
  revoke select, insert, update, delete on order_lines from $db_user_prefix$_orders;
  revoke select, insert, update, delete on orders from $db_user_prefix$_orders;
  revoke select on products from $db_user_prefix$_orders;

  drop table order_lines;
  drop table orders;
end
