# session: state, events and commands in the core; the store; the CLI's sources.
target_sources(ys_core PRIVATE
)
set(YS_STORE_SOURCES
)
set(YS_CLI_SOURCES
  src/cli/main.c
)
