// A wrong include for layering.includes_refuses_a_bad_tree: schema does not depend on client.
#include "client/pq/pool.hpp"
