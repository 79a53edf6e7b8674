# Tests that are not tied to one part: CLI, replay and tamper tests over whole session files.
