# csv: sources and tests of this part (see CMakeLists.txt).
target_sources(ys_core PRIVATE src/core/csv.c)
