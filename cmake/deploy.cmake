# deploy: what runs yishi serve as a system service — the systemd units (deploy/yishi.service, the backup
# timer), the example configuration as /etc/yishi/yishi.conf, the backup script, the user and its folders.
# YS_SYSTEMD_UNIT_DIR: systemd's own folder (pkg-config systemd), else lib/systemd/system under the prefix.
find_package(PkgConfig REQUIRED)
pkg_check_modules(YS_SYSTEMD_PC QUIET systemd)
if(YS_SYSTEMD_PC_FOUND AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  pkg_get_variable(YS_SYSTEMD_UNIT_DEFAULT systemd systemdsystemunitdir)
  pkg_get_variable(YS_SYSUSERS_DEFAULT systemd sysusersdir)
  pkg_get_variable(YS_TMPFILES_DEFAULT systemd tmpfilesdir)
endif()
# Under another prefix (/usr/local, a test's folder) systemd's absolute folders would be outside it:
# relative to the prefix instead.
if(NOT YS_SYSTEMD_UNIT_DEFAULT)
  set(YS_SYSTEMD_UNIT_DEFAULT lib/systemd/system)
endif()
if(NOT YS_SYSUSERS_DEFAULT)
  set(YS_SYSUSERS_DEFAULT lib/sysusers.d)
endif()
if(NOT YS_TMPFILES_DEFAULT)
  set(YS_TMPFILES_DEFAULT lib/tmpfiles.d)
endif()
set(YS_SYSTEMD_UNIT_DIR ${YS_SYSTEMD_UNIT_DEFAULT} CACHE PATH "where the systemd units are installed")
set(YS_SYSUSERS_DIR ${YS_SYSUSERS_DEFAULT} CACHE PATH "where sysusers.d/yishi.conf is installed")
set(YS_TMPFILES_DIR ${YS_TMPFILES_DEFAULT} CACHE PATH "where tmpfiles.d/yishi.conf is installed")

install(FILES deploy/yishi.service deploy/yishi-backup.service deploy/yishi-backup.timer
        DESTINATION ${YS_SYSTEMD_UNIT_DIR})
install(FILES deploy/yishi.sysusers DESTINATION ${YS_SYSUSERS_DIR} RENAME yishi.conf)
install(FILES deploy/yishi.tmpfiles DESTINATION ${YS_TMPFILES_DIR} RENAME yishi.conf)
install(FILES deploy/yishi.conf DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/yishi)
# lib/yishi/yishi-backup, run by yishi-backup.service: not a command for PATH, and not in the multiarch
# CMAKE_INSTALL_LIBDIR, since it is a script. The units name /usr/bin/yishi and /usr/lib/yishi, a package's.
install(PROGRAMS deploy/yishi-backup DESTINATION lib/yishi)
