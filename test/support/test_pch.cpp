// Compiles support/test_pch.hpp once; every test program reuses the result.
