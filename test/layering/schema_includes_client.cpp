// Must not compile: the schema layer does not depend on the client layer, so the client's
// private headers are out of its reach (test layering.schema_includes_client).
#include "client/pq/pool.hpp"
