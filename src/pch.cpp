// Compiles src/pch.hpp once; every layer reuses the result.
