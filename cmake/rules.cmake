# rules: sources and tests of this part (see CMakeLists.txt).
# The rule-set parser and the law's arithmetic live in the core; the file lookup (rules_file.c) is
# in the CLI's sources (cmake/session.cmake), its test in cmake/tests.cmake, its fuzzer in cmake/fuzz.cmake.
target_sources(ys_core PRIVATE src/core/rules.c)
