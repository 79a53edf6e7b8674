# Tests that are not tied to one part: CLI, replay and tamper tests over whole session files.
ys_unit_test(test_csv tests/unit/test_csv.c)
ys_unit_test(test_count tests/unit/test_count.c)
ys_unit_test(test_rules tests/unit/test_rules.c src/cli/rules_file.c)
ys_unit_test(test_demo_data tests/unit/test_demo_data.c src/cli/demo_data.c)
ys_unit_test(test_session tests/unit/test_session.c src/cli/rules_file.c)
ys_unit_test(test_journal tests/unit/test_journal.c src/cli/rules_file.c)
target_link_libraries(test_journal PRIVATE PkgConfig::SQLITE3)
