# libFuzzer targets: one per parser. Built only with -DYS_FUZZ=ON and clang; scripts/test runs each briefly.
function(ys_fuzz_target name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE src)
  target_link_libraries(${name} PRIVATE ys_core)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()
ys_fuzz_target(fuzz_csv fuzz/fuzz_csv.c)
ys_fuzz_target(fuzz_rules fuzz/fuzz_rules.c)
ys_fuzz_target(fuzz_count fuzz/fuzz_count.c src/cli/count_json.c)
ys_fuzz_target(fuzz_log fuzz/fuzz_log.c)
target_compile_definitions(fuzz_log PRIVATE YS_SOURCE_RULES_DIR="${CMAKE_SOURCE_DIR}/rules")
# The board's JSON of verifiable votes: a ballot, partial decryptions, a shuffle (src/crypto's readers).
ys_fuzz_target(fuzz_vballot fuzz/fuzz_vballot.c)
# The server's router and JSON bodies without sockets (memory mode); the store for the routes that read the file.
include(cmake/server_sources.cmake)
ys_fuzz_target(fuzz_router fuzz/fuzz_router.c src/cli/rules_file.c src/report/card.c src/report/pdf.c
  ${YS_SERVER_ROUTER_SOURCES} ${YS_STORE_SOURCES} ${YS_STORE_AUTH_SOURCES})
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(PANGOCAIRO_FUZZ REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)
target_link_libraries(fuzz_router PRIVATE PkgConfig::SQLITE3 PkgConfig::LIBPQ PkgConfig::QRENCODE PkgConfig::PANGOCAIRO_FUZZ pthread)
