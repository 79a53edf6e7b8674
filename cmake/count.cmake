# count: the counting engine in the core, the case runner and the benchmark (see CMakeLists.txt).
# `yishi count` itself (src/cli/cmd_count.c, count_json.c) is listed with the CLI in session.cmake.
target_sources(ys_core PRIVATE src/core/count.c)

if(NOT YS_FUZZ)
  # Runs `yishi count` on every tests/cases/*.json and compares the parsed output; see tests/cases/README.md.
  add_executable(run_count_cases tests/cases/run_cases.c)
  target_link_libraries(run_count_cases PRIVATE ys_core)

  # Not a test: `cmake --build DIR --target bench_count`, or bench/run-count.
  add_executable(bench_count EXCLUDE_FROM_ALL bench/bench_count.c)
  target_link_libraries(bench_count PRIVATE ys_core)
endif()
