# session: state, events and commands in the core; the store; the CLI's sources.
target_include_directories(ys_core PRIVATE src)
target_sources(ys_core PRIVATE
  src/core/map.c
  src/core/text.c
  src/core/number.c
  src/core/utf8.c
  src/core/buf.c
  src/core/payload.c
  src/core/event.c
  src/core/session.c
  src/core/digest.c
  src/core/digest_v1.c
  src/core/apply.c
  src/core/accept.c
  src/core/command.c
  src/core/import.c
  src/core/hall.c
  src/core/poll.c
  src/core/election.c
  src/core/result_json.c
  src/core/recount.c
  src/core/speech.c
  src/core/motion.c
  src/core/opinion.c
  src/core/correct.c
  src/core/meeting.c
  src/core/key.c
  src/core/vstate.c
  src/core/election_v.c
  src/core/poll_v.c
  src/core/vaudit.c
  src/core/vboard.c
  src/report/bulletin.c
  src/report/held.c
  src/report/plenary.c
)
set(YS_STORE_SOURCES
  src/store/store.c
  src/store/sqlite.c
  src/store/postgres.c
  src/store/lock.c
  src/store/copy.c
  src/store/journal.c
)
set(YS_CLI_SOURCES
  src/cli/main.c
  src/cli/common.c
  src/cli/cmd_init.c
  src/cli/cmd_import.c
  src/cli/cmd_attendance.c
  src/cli/cmd_held.c
  src/cli/cmd_status.c
  src/cli/cmd_doc.c
  src/cli/cmd_vote.c
  src/cli/cmd_speech.c
  src/cli/cmd_motion.c
  src/cli/cmd_opinion.c
  src/cli/cmd_delegate.c
  src/cli/cmd_correct.c
  src/cli/cmd_hall.c
  src/cli/cmd_report.c
  src/cli/cmd_export.c
  src/cli/out_file.c
  src/cli/cmd_log.c
  src/cli/cmd_backup.c
  src/cli/cmd_session_io.c
  src/cli/cmd_demo.c
  src/cli/demo_vote.c
  src/cli/cmd_key.c
  src/cli/cmd_trustee.c
  src/cli/client.c
  src/cli/secret_file.c
  src/cli/trustee_board.c
  src/cli/demo_data.c
  src/cli/demo_npc.c
  src/cli/rules_file.c
  src/cli/cmd_count.c
  src/cli/count_json.c
  src/cli/cmd_serve.c
  src/cli/cmd_user.c
)

# Not a test: `cmake --build DIR --target bench_log`, or bench/run-log.
if(NOT YS_FUZZ)
  add_executable(bench_log EXCLUDE_FROM_ALL bench/bench_log.c src/cli/rules_file.c)
  target_include_directories(bench_log PRIVATE src)
  target_link_libraries(bench_log PRIVATE ys_store ys_core)
endif()

# Not a test: the session file bench/run-verify times yishi-verify on (bench/RESULTS.md).
if(NOT YS_FUZZ)
  add_executable(bench_vverify EXCLUDE_FROM_ALL bench/bench_vverify.c src/cli/rules_file.c)
  target_include_directories(bench_vverify PRIVATE src)
  target_link_libraries(bench_vverify PRIVATE ys_store ys_core)
endif()
