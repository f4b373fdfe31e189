// A wrong include for layering.includes_refuses_a_bad_tree: a path with "../".
#include "../schema/schema_raw.hpp"
