# server: yishi serve (libmicrohttpd), auth, routes, SSE; its tests and fuzz target.
# Included at the end of CMakeLists.txt (not in fuzz mode: fuzz_router takes the same lists, server_sources.cmake).
include(cmake/server_sources.cmake)
find_package(Threads REQUIRED)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
# GnuTLS itself for the certificate and key libmicrohttpd (which uses it) is handed at each handshake, so
# that SIGHUP can reload them (src/server/tls.c).
pkg_check_modules(GNUTLS REQUIRED IMPORTED_TARGET gnutls)
# sd_notify: a systemd service of Type=notify is ready once the server listens.
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)

# The logins and the server's read connection live in the store, beside the log.
target_sources(ys_store PRIVATE ${YS_STORE_AUTH_SOURCES})
target_link_libraries(ys_store PUBLIC Threads::Threads)
# The logins of a file and the tokens in memory, without a server.
ys_unit_test(test_logins tests/unit/test_logins.c)
target_link_libraries(test_logins PRIVATE PkgConfig::SQLITE3)
ys_pg_test(test_logins) # the same rules for a session in PostgreSQL
# The read connections the server's threads keep.
ys_unit_test(test_reader tests/unit/test_reader.c src/cli/rules_file.c)
ys_pg_test(test_reader)

# Login cards as printed (the QR code of the code, as SVG or terminal text): `yishi cards` and the card route.
add_library(ys_card STATIC src/report/card.c)
target_link_libraries(ys_card PUBLIC ys_core PkgConfig::QRENCODE)

add_library(ys_server STATIC ${YS_SERVER_ROUTER_SOURCES} src/server/http.c src/server/loops.c src/server/deadline.c src/server/peers.c
  src/server/serve.c src/server/publish.c src/server/tls.c)
target_include_directories(ys_server PUBLIC include PRIVATE src)
target_link_libraries(ys_server PUBLIC ys_store ys_core ys_card ys_pdf PkgConfig::MHD PkgConfig::GNUTLS PkgConfig::SYSTEMD PkgConfig::CURL Threads::Threads)
target_link_libraries(yishi PRIVATE ys_server)

# The one table of event types against the fold, the projections, the streams' audiences and the docs.
ys_unit_test(test_events tests/unit/test_events.c src/cli/rules_file.c)
target_link_libraries(test_events PRIVATE ys_server)
target_compile_definitions(test_events PRIVATE YS_DOCS_DIR="${CMAKE_SOURCE_DIR}/docs")

# The demo the API tests copy (apitest.h, api_make_demo): made once per run, for its verifiable ballots take
# seconds to encrypt and most API tests start from a fresh demo.
set(YS_TEST_DEMO "${CMAKE_BINARY_DIR}/test-demo.db")
add_test(NAME demo_template COMMAND sh -c "rm -f '${YS_TEST_DEMO}' && '$<TARGET_FILE:yishi>' demo -f '${YS_TEST_DEMO}' >/dev/null")
set_tests_properties(demo_template PROPERTIES FIXTURES_SETUP demo ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1")
# The public board through nginx + nchan (scripts/board-nchan, deploy/nginx-nchan.conf); skipped (77) only
# where nginx or its nchan module is not installed, which scripts/install-deps installs.
add_test(NAME board_nchan COMMAND ${CMAKE_SOURCE_DIR}/tests/board/board_nchan_test.sh $<TARGET_FILE:yishi>
  ${CMAKE_SOURCE_DIR})
set_tests_properties(board_nchan PROPERTIES ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1;YISHI_TEST_DEMO=${YS_TEST_DEMO}"
  SKIP_RETURN_CODE 77 TIMEOUT 600 FIXTURES_REQUIRED demo)

# API tests: the real `yishi serve` on a free loopback port, driven with libcurl (tests/api/).
# YISHI_TEST_WEAK_PWHASH=1: the cheapest argon2id, so that hundreds of test delegates can log in quickly.
# Each runs again as NAME_pg with its demo sessions in PostgreSQL (YISHI_TEST_PG_DEMO: copies of the template
# database the fixture pg_demo filled from the same demo file).
set(YS_TEST_PG_DEMO "${CMAKE_BINARY_DIR}/test-demo-pg.url")
if(YS_INITDB)
  add_test(NAME pg_demo_template COMMAND ${CMAKE_SOURCE_DIR}/tests/pg/demo_template.sh $<TARGET_FILE:yishi> ${YS_PG_URL}
    ${YS_TEST_DEMO} ${YS_TEST_PG_DEMO})
  set_tests_properties(pg_demo_template PROPERTIES FIXTURES_SETUP pg_demo FIXTURES_REQUIRED "pg;demo" TIMEOUT 300
                       ENVIRONMENT "${YS_TEST_ENV}")
endif()
function(ys_api_test name)
  add_executable(${name} ${ARGN})
  target_include_directories(${name} PRIVATE src tests/api)
  target_link_libraries(${name} PRIVATE ys_server PkgConfig::CURL PkgConfig::CMOCKA)
  set(env "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1;YISHI_TEST_DEMO=${YS_TEST_DEMO}")
  add_test(NAME ${name} COMMAND ${name} $<TARGET_FILE:yishi>)
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 600 FIXTURES_REQUIRED demo)
  if(YS_INITDB)
    add_test(NAME ${name}_pg COMMAND ${name} $<TARGET_FILE:yishi>)
    set_tests_properties(${name}_pg PROPERTIES TIMEOUT 600 FIXTURES_REQUIRED "demo;pg;pg_demo"
                         ENVIRONMENT "${env};YISHI_TEST_STORE=${YS_PG_URL};YISHI_TEST_PG_DEMO=${YS_TEST_PG_DEMO}")
  endif()
endfunction()
ys_api_test(test_api tests/api/test_api.c)
ys_api_test(test_plenary tests/api/test_plenary.c)
ys_api_test(test_speech_api tests/api/test_speech_api.c)
# Motions over HTTP: on whose behalf each login acts, paper signatures, a body's recall, the deadline.
ys_api_test(test_motion_api tests/api/test_motion_api.c)
ys_api_test(test_exposure tests/api/test_exposure.c)
# Guessing at logins from several loopback addresses (127.0.0.x): slowdown, unlock, no oracle.
ys_api_test(test_auth tests/api/test_auth.c)
# Dead stream clients and slow senders, with a 1 s heartbeat and a 2 s request deadline.
ys_api_test(test_conn tests/api/test_conn.c)
set_tests_properties(test_conn PROPERTIES TIMEOUT 120)
# Two sessions on one service: their paths, logins, writers and streams kept apart.
ys_api_test(test_sessions_api tests/api/test_sessions_api.c)
# A session created from the desk: yishi serve --setup, its code, and the setup API.
ys_api_test(test_setup tests/api/test_setup.c)
set_tests_properties(test_setup PROPERTIES TIMEOUT 120)
# Many stalled streams, a stream too slow to keep up, connections per address and in all.
ys_api_test(test_streams tests/api/test_streams.c)
set_tests_properties(test_streams PROPERTIES TIMEOUT 300)
# One writer per file, one server per port, a file-size limit, SIGTERM with a half-sent request, raw refusals.
ys_api_test(test_ops tests/api/test_ops.c)
# HTTPS with a self-signed certificate made at test time (openssl or certtool, from scripts/install-deps).
ys_api_test(test_tls tests/api/test_tls.c)
ys_api_test(test_hall_api tests/api/test_hall_api.c)
# The key ceremony of verifiable ballots, with the test as the trustees' devices.
ys_api_test(test_key_api tests/api/test_key_api.c)
ys_api_test(test_velection_api tests/api/test_velection_api.c)
# yishi trustee: three trustees' ceremonies at once from the command line, a poll decrypted, each refusal.
ys_api_test(test_trustee_cli tests/api/test_trustee_cli.c)
# The hall laptop's operator as an attacker: the file, its WAL and the server's memory (ptrace) searched.
ys_api_test(test_attacker tests/api/test_attacker.c)
target_link_libraries(test_attacker PRIVATE PkgConfig::SQLITE3)
set_tests_properties(test_tls PROPERTIES TIMEOUT 120)
# The routes the pages read beside the votes: who has voted, receipts, cards for printing, accounts, bulletins.
ys_api_test(test_console tests/api/test_console.c)
target_link_libraries(test_console PRIVATE PkgConfig::SQLITE3)
# api_docs: every example request in docs/api.md, sent to a fresh demo server, answers as documented.
add_executable(test_docs tests/api/test_docs.c)
target_include_directories(test_docs PRIVATE src tests/api)
target_link_libraries(test_docs PRIVATE ys_server PkgConfig::CURL PkgConfig::CMOCKA)
add_test(NAME api_docs COMMAND test_docs $<TARGET_FILE:yishi> ${CMAKE_SOURCE_DIR}/docs/api.md)
set_tests_properties(api_docs PROPERTIES ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1;YISHI_TEST_DEMO=${YS_TEST_DEMO}"
                     TIMEOUT 300 FIXTURES_REQUIRED demo)

# bench/run-serve: the server under a hall's load (N streams, 533 logins, check-ins and votes at once).
# Not built by default and never run by CTest: a measurement, not a test.
add_executable(bench_serve EXCLUDE_FROM_ALL bench/bench_serve.c)
target_link_libraries(bench_serve PRIVATE ys_core PkgConfig::CURL PkgConfig::JANSSON Threads::Threads)

# bench/run-hall: a national hall's vote on raw epoll sockets (hall_load), with nginx and SQLite as the limits;
# bench/crash: the server killed during bursts. hall_load is a measurement, not built by default; hall_crash
# is built, because its short run is the test crash_short below.
add_library(hall_common STATIC bench/hall_http.c bench/hall_setup.c bench/hall_votes.c)
target_link_libraries(hall_common PUBLIC m)
add_executable(hall_load EXCLUDE_FROM_ALL bench/hall_load.c bench/hall_sqlite.c bench/hall_board.c)
target_link_libraries(hall_load PRIVATE hall_common PkgConfig::SQLITE3 Threads::Threads)
# the public board's watchers, processes of at most 17,000 started by hall_load (--watchers)
add_executable(hall_watch EXCLUDE_FROM_ALL bench/hall_watch.c)
target_link_libraries(hall_watch PRIVATE hall_common)
# bench/run-hall vote: the verifiable ballot path on the national demo (key ceremony, encrypted bursts, decryption)
add_executable(hall_vote EXCLUDE_FROM_ALL bench/hall_vote.c)
target_link_libraries(hall_vote PRIVATE hall_common ys_crypto Threads::Threads)
# many congresses on one service (bench/run-many): S sessions voting at once on one server, PostgreSQL or files
add_executable(hall_many EXCLUDE_FROM_ALL bench/hall_many.c)
target_link_libraries(hall_many PRIVATE hall_common PkgConfig::JANSSON)
add_executable(hall_crash bench/hall_crash.c)
target_link_libraries(hall_crash PRIVATE hall_common ys_store)
target_include_directories(hall_crash PRIVATE include)
# The short crash run: 20 SIGKILLs and 5 SIGTERMs at random moments of vote bursts, a full disk (a tmpfs,
# skipped unless root) and a file-size limit (prlimit on the server, as any user); the long one is bench/crash.
add_test(NAME crash_short COMMAND hall_crash --yishi $<TARGET_FILE:yishi> --dir ${CMAKE_CURRENT_BINARY_DIR}/crash_short
         --delegates 200 --kills 20 --terms 5 --full 1)
set_tests_properties(crash_short PROPERTIES ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1" TIMEOUT 300
                     LABELS crash)
# The same kills with the session in PostgreSQL (the fixture's cluster), where no room is the database's to lack.
if(YS_INITDB)
  add_test(NAME crash_short_pg COMMAND hall_crash --yishi $<TARGET_FILE:yishi> --dir ${CMAKE_CURRENT_BINARY_DIR}/crash_short_pg
           --store ${YS_PG_URL} --delegates 200 --kills 20 --terms 5)
  set_tests_properties(crash_short_pg PROPERTIES ENVIRONMENT "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1" TIMEOUT 300
                       LABELS crash FIXTURES_REQUIRED pg)
endif()
ys_api_test(test_held_api tests/api/test_held_api.c)
# The reports and exports over HTTP: each format, roll calls of named polls only, what was said by who may read it.
ys_api_test(test_reports_api tests/api/test_reports_api.c)
# Sessions of two congresses in one PostgreSQL database served whole (--store): accounts per congress, tokens
# per session, a write to one alone, the second writer refused, both verified after the stop.
add_executable(test_pg_sessions_api tests/api/test_pg_sessions_api.c)
target_include_directories(test_pg_sessions_api PRIVATE src tests/api)
target_link_libraries(test_pg_sessions_api PRIVATE ys_server PkgConfig::CURL PkgConfig::CMOCKA)
if(YS_INITDB)
  add_test(NAME test_pg_sessions_api COMMAND test_pg_sessions_api $<TARGET_FILE:yishi>)
  set_tests_properties(test_pg_sessions_api PROPERTIES FIXTURES_REQUIRED pg TIMEOUT 300 ENVIRONMENT
                       "${YS_TEST_ENV};YISHI_TEST_WEAK_PWHASH=1;YISHI_TEST_STORE=${YS_PG_URL}")
endif()
