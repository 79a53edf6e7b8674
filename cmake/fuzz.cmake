# libFuzzer targets: one per parser. Built only with -DYS_FUZZ=ON and clang; scripts/test runs each briefly.
function(ys_fuzz_target name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE src)
  target_link_libraries(${name} PRIVATE ys_core)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()
ys_fuzz_target(fuzz_csv fuzz/fuzz_csv.c)
ys_fuzz_target(fuzz_rules fuzz/fuzz_rules.c)
