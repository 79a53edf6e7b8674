# The server's sources, one list for the server library and the fuzzer (fuzz.cmake), which drives the router
# without sockets: a file added to the server is linked into both.
# Everything of the server but HTTP itself.
set(YS_SERVER_ROUTER_SOURCES
  src/server/router.c
  src/server/routes.c
  src/server/routes_auth.c
  src/server/routes_logins.c
  src/server/routes_write.c
  src/server/routes_poll.c
  src/server/routes_speech.c
  src/server/routes_held.c
  src/server/routes_receipt.c
  src/server/routes_hall.c
  src/server/routes_key.c
  src/server/routes_board.c
  src/server/routes_correct.c
  src/server/routes_report.c
  src/server/routes_motion.c
  src/server/routes_opinion.c
  src/server/view.c
  src/server/writer.c
  src/server/checkers.c
  src/server/sse.c
  src/server/throttle.c
  src/server/config.c
  src/server/log.c
  src/server/setup.c
  src/server/sessions.c
)
# The logins and the server's read connection live in the store, beside the log.
set(YS_STORE_AUTH_SOURCES src/store/auth.c src/store/auth_sqlite.c src/store/auth_pg.c src/store/auth_tokens.c
  src/store/reader.c)
