# man: the manual pages, man/*.in filled from the built programs' --help by man/generate.sh into build/man,
# part of `all`, installed uncompressed (a distribution's packaging compresses), and their test.
# The glob is CONFIGURE_DEPENDS, so a page added under man/ is built and installed without naming it here.
file(GLOB YS_MAN_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.[15].in)
list(SORT YS_MAN_SOURCES)
set(YS_MAN1_PAGES "")
set(YS_MAN5_PAGES "")
foreach(source ${YS_MAN_SOURCES})
  get_filename_component(page ${source} NAME)
  string(REGEX REPLACE "\\.in$" "" page ${page})
  if(page MATCHES "\\.1$")
    list(APPEND YS_MAN1_PAGES ${CMAKE_BINARY_DIR}/man/${page})
  else()
    list(APPEND YS_MAN5_PAGES ${CMAKE_BINARY_DIR}/man/${page})
  endif()
endforeach()

add_custom_command(OUTPUT ${YS_MAN1_PAGES} ${YS_MAN5_PAGES}
  COMMAND ${CMAKE_SOURCE_DIR}/man/generate.sh -D CONFIG_FILE=${CMAKE_INSTALL_FULL_SYSCONFDIR}/yishi/yishi.conf
          -D RULES_DIR=${CMAKE_INSTALL_FULL_DATADIR}/yishi/rules $<TARGET_FILE:yishi> $<TARGET_FILE:yishi-verify>
          ${CMAKE_BINARY_DIR}/man ${YS_MAN_SOURCES}
  DEPENDS yishi yishi-verify ${CMAKE_SOURCE_DIR}/man/generate.sh ${YS_MAN_SOURCES}
  COMMENT "Writing the manual pages from man/ and the programs' --help"
  VERBATIM)
add_custom_target(man ALL DEPENDS ${YS_MAN1_PAGES} ${YS_MAN5_PAGES})
install(FILES ${YS_MAN1_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${YS_MAN5_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)

# Every command has a page, every option of its --help is explained in it, its synopsis is the --help's
# usage, and every page renders without a warning and has a NAME that lexgrog reads.
add_test(NAME man COMMAND ${CMAKE_SOURCE_DIR}/tests/man/man_test.sh $<TARGET_FILE:yishi>
         $<TARGET_FILE:yishi-verify> ${CMAKE_BINARY_DIR}/man)
