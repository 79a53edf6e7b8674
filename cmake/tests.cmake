# Tests that are not tied to one part: CLI, replay and tamper tests over whole session files.
ys_unit_test(test_csv tests/unit/test_csv.c)
ys_unit_test(test_utf8 tests/unit/test_utf8.c)
ys_unit_test(test_buf tests/unit/test_buf.c)
ys_unit_test(test_alloc tests/unit/test_alloc.c)
ys_unit_test(test_count tests/unit/test_count.c)
ys_unit_test(test_rules tests/unit/test_rules.c src/cli/rules_file.c)
target_compile_definitions(test_rules PRIVATE YS_SOURCE_RULES_DIR="${CMAKE_SOURCE_DIR}/rules")
ys_unit_test(test_demo_data tests/unit/test_demo_data.c src/cli/demo_data.c src/cli/demo_npc.c)
ys_unit_test(test_session tests/unit/test_session.c src/cli/rules_file.c)
ys_unit_test(test_journal tests/unit/test_journal.c src/cli/rules_file.c)
target_link_libraries(test_journal PRIVATE PkgConfig::SQLITE3)
ys_pg_test(test_journal)
# PostgreSQL's own: one writer per session, sessions apart in one database, the same hashes and digests as a
# file, verify on a session, a lost connection.
ys_unit_test(test_pg tests/unit/test_pg.c src/cli/rules_file.c)
ys_pg_only(test_pg)
if(YS_INITDB)
  set_tests_properties(test_pg PROPERTIES RUN_SERIAL ON) # it counts the rows of the whole database
endif()
add_test(NAME cli COMMAND ${CMAKE_SOURCE_DIR}/tests/cli/cli_test.sh $<TARGET_FILE:yishi>)
set_tests_properties(cli PROPERTIES ENVIRONMENT "${YS_TEST_ENV}")
# The command line on a session in PostgreSQL: init, import, status, verify --store --session, the refusals.
if(YS_INITDB)
  add_test(NAME cli_pg COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/cli_pg.sh $<TARGET_FILE:yishi> ${YS_PG_URL})
  ys_pg_only(cli_pg)
  # A primary with a synchronous standby of its own (tests/pg/replica.sh): a crash of the primary and the
  # standby promoted lose nothing acknowledged, and writes go on through the same URL.
  add_test(NAME pg_failover COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/failover_test.sh $<TARGET_FILE:yishi>)
  set_tests_properties(pg_failover PROPERTIES ENVIRONMENT "${YS_TEST_ENV}" TIMEOUT 300)
  # The server while its PostgreSQL stops and starts again: 503 store_unreachable, then writes again by itself.
  add_test(NAME pg_outage COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/outage_test.sh $<TARGET_FILE:yishi>)
  set_tests_properties(pg_outage PROPERTIES ENVIRONMENT "${YS_TEST_ENV}" TIMEOUT 300)
  # A session moved: the demo imported into PostgreSQL and exported back, the same log, digests and verify.
  add_test(NAME session_io_pg COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/session_io_pg.sh $<TARGET_FILE:yishi> ${YS_PG_URL})
  ys_pg_only(session_io_pg)
  set_tests_properties(session_io_pg PROPERTIES TIMEOUT 300)
endif()
add_test(NAME count_cases COMMAND run_count_cases $<TARGET_FILE:yishi> ${CMAKE_SOURCE_DIR}/tests/cases)
set_tests_properties(count_cases PROPERTIES ENVIRONMENT "${YS_TEST_ENV}")
ys_unit_test(test_poll tests/unit/test_poll.c src/cli/rules_file.c)
target_link_libraries(test_poll PRIVATE PkgConfig::SQLITE3)
ys_pg_test(test_poll)
ys_unit_test(test_agree tests/unit/test_agree.c src/cli/rules_file.c)
target_compile_definitions(test_agree PRIVATE YS_CASES_DIR="${CMAKE_SOURCE_DIR}/tests/cases")
ys_unit_test(test_speech tests/unit/test_speech.c src/cli/rules_file.c)
# Motions, amendments, inquiries, recall and suggestions, each rule by its article.
ys_unit_test(test_motion tests/unit/test_motion.c src/cli/rules_file.c)
ys_pg_test(test_motion) # the motions' log replayed from a session in PostgreSQL
# Opinions on documents, versions' explanations of changes, the drafting team's summary.
ys_unit_test(test_opinion tests/unit/test_opinion.c src/cli/rules_file.c)
ys_unit_test(test_correct tests/unit/test_correct.c src/cli/rules_file.c)
ys_pg_test(test_correct)
ys_unit_test(test_report tests/unit/test_report.c src/cli/rules_file.c)
ys_unit_test(test_meeting tests/unit/test_meeting.c src/cli/rules_file.c)
# The renderers (text exact, HTML through xmllint, the PDF through pdftotext) and the reports and exports.
ys_unit_test(test_rdoc tests/unit/test_rdoc.c src/cli/rules_file.c)
target_link_libraries(test_rdoc PRIVATE ys_pdf)
ys_unit_test(test_reports tests/unit/test_reports.c src/cli/rules_file.c)
ys_unit_test(test_hall tests/unit/test_hall.c src/cli/rules_file.c src/cli/demo_data.c src/cli/demo_npc.c)
target_link_libraries(test_hall PRIVATE PkgConfig::SQLITE3)
ys_pg_test(test_hall)
# The verifiable ballots' cryptography (src/crypto): tests/unit/test_v*.c.
ys_unit_test(test_vgroup tests/unit/test_vgroup.c)
target_link_libraries(test_vgroup PRIVATE ys_crypto)
ys_unit_test(test_vproof tests/unit/test_vproof.c)
target_link_libraries(test_vproof PRIVATE ys_crypto)
ys_unit_test(test_vkey tests/unit/test_vkey.c)
target_link_libraries(test_vkey PRIVATE ys_crypto)
ys_unit_test(test_key tests/unit/test_key.c src/cli/rules_file.c)
target_link_libraries(test_key PRIVATE PkgConfig::SQLITE3)
ys_pg_test(test_key)
ys_unit_test(test_vballot tests/unit/test_vballot.c tests/vectors/ballots_gen.c)
target_include_directories(test_vballot PRIVATE tests/vectors)
target_compile_definitions(test_vballot PRIVATE YS_VECTORS_DIR="${CMAKE_SOURCE_DIR}/tests/vectors")
target_link_libraries(test_vballot PRIVATE ys_crypto)
target_compile_definitions(test_vkey PRIVATE YS_VECTORS_DIR="${CMAKE_SOURCE_DIR}/tests/vectors")
ys_unit_test(test_vmix tests/unit/test_vmix.c)
target_link_libraries(test_vmix PRIVATE ys_crypto)
# tests/vectors/keys.json: `cmake --build DIR --target vectors_keys` writes it; the test regenerates and compares.
add_executable(gen_keys tests/vectors/gen_keys.c)
target_include_directories(gen_keys PRIVATE src)
target_link_libraries(gen_keys PRIVATE ys_crypto)
add_custom_target(vectors_keys COMMAND sh -c "$<TARGET_FILE:gen_keys> > ${CMAKE_SOURCE_DIR}/tests/vectors/keys.json"
                  DEPENDS gen_keys VERBATIM)
add_test(NAME vectors_keys COMMAND gen_keys --check ${CMAKE_SOURCE_DIR}/tests/vectors/keys.json)
ys_unit_test(test_velection tests/unit/test_velection.c src/cli/rules_file.c)
target_link_libraries(test_velection PRIVATE PkgConfig::SQLITE3)
ys_pg_test(test_velection)
# verify and yishi-verify on a file with a verifiable election, tampered through SQL; runs both programs.
ys_unit_test(test_vverify tests/unit/test_vverify.c src/cli/rules_file.c)
target_link_libraries(test_vverify PRIVATE PkgConfig::SQLITE3)
target_compile_definitions(test_vverify PRIVATE YS_YISHI_BIN="$<TARGET_FILE:yishi>"
                           YS_VERIFY_BIN="$<TARGET_FILE:yishi-verify>")
add_dependencies(test_vverify yishi yishi-verify)
# The seed afternoon (tests/cases/seed-2024-01-23): entered from the command line, its reports checked against the page.
add_test(NAME seed_2024_01_23 COMMAND sh ${CMAKE_SOURCE_DIR}/tests/cases/seed-2024-01-23/check.sh $<TARGET_FILE:yishi>)
set_tests_properties(seed_2024_01_23 PROPERTIES ENVIRONMENT "${YS_TEST_ENV}")
# The backup and restore of docs/operations.md: a served session backed up (yishi backup and the timer's
# script), stopped, replaced by its copy, verified and served again (loopback ports 18500–18549).
add_test(NAME package_restore COMMAND ${CMAKE_SOURCE_DIR}/tests/package/restore_test.sh $<TARGET_FILE:yishi>
         ${CMAKE_SOURCE_DIR}/deploy/yishi-backup)
set_tests_properties(package_restore PROPERTIES ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1" TIMEOUT 120)
