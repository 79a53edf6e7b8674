# web: the pages under web/, built into yishi serve (src/server/web.c), their tests and the browser tests.
# Included after server.cmake. web_gen, built first, writes web_files.c from every file under web/; the glob
# is CONFIGURE_DEPENDS, so adding or removing a file re-runs it as editing one does.
file(GLOB_RECURSE YS_WEB_FILES CONFIGURE_DEPENDS LIST_DIRECTORIES false RELATIVE ${CMAKE_SOURCE_DIR}/web
     ${CMAKE_SOURCE_DIR}/web/*)
# Hidden files (an editor's swap file, .DS_Store) are never pages, and the server would refuse their names.
list(FILTER YS_WEB_FILES EXCLUDE REGEX "(^|/)\\.")
list(SORT YS_WEB_FILES)
list(LENGTH YS_WEB_FILES YS_WEB_COUNT)
list(JOIN YS_WEB_FILES "\n" YS_WEB_LIST)
# Rewritten only when the list changes, so that a file removed re-runs web_gen even where make does not
# notice a shorter list of dependencies.
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/web_files.txt CONTENT "${YS_WEB_LIST}\n")
list(TRANSFORM YS_WEB_FILES PREPEND ${CMAKE_SOURCE_DIR}/web/ OUTPUT_VARIABLE YS_WEB_PATHS)

add_executable(web_gen src/server/web_gen.c src/server/web_meta.c)
target_include_directories(web_gen PRIVATE src)
target_link_libraries(web_gen PRIVATE ys_core)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/web_files.c
  COMMAND web_gen ${CMAKE_SOURCE_DIR}/web ${CMAKE_BINARY_DIR}/web_files.txt ${CMAKE_BINARY_DIR}/web_files.c
  DEPENDS web_gen ${CMAKE_BINARY_DIR}/web_files.txt ${YS_WEB_PATHS}
  COMMENT "Embedding the ${YS_WEB_COUNT} files under web/"
  VERBATIM)
target_sources(ys_server PRIVATE src/server/web.c src/server/web_meta.c ${CMAKE_BINARY_DIR}/web_files.c)

# The table against web/ itself, paths, types and ETags, --web's refusals.
ys_unit_test(test_web tests/unit/test_web.c)
target_link_libraries(test_web PRIVATE ys_server)
target_compile_definitions(test_web PRIVATE YS_WEB_DIR="${CMAKE_SOURCE_DIR}/web")
# The pages over HTTP from the real server: every route, 304, HEAD, traversal, --web from disk.
ys_api_test(test_web_api tests/api/test_web_api.c)
target_compile_definitions(test_web_api PRIVATE YS_WEB_DIR="${CMAKE_SOURCE_DIR}/web")

# The pages in a real Chromium (tests/browser/, npm playwright-core): skipped (77) only where node or
# /usr/bin/chromium is not installed, which scripts/install-deps installs. Labelled, so that scripts/test
# runs them in its first build only (ctest -LE browser in the others).
add_test(NAME browser COMMAND ${CMAKE_SOURCE_DIR}/tests/browser/run.sh $<TARGET_FILE:yishi>
         ${CMAKE_BINARY_DIR}/browser-artifacts)
set_tests_properties(browser PROPERTIES ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1"
                     SKIP_RETURN_CODE 77 TIMEOUT 900 LABELS browser)

# The pages' libraries in node alone (tests/js/: the verifiable ballots' cryptography against the C code's
# answers and vectors); no Chromium, so every build runs it. Skipped (77) only where node is not installed.
add_test(NAME js COMMAND ${CMAKE_SOURCE_DIR}/tests/js/run.sh)
set_tests_properties(js PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
