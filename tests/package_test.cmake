# Builds the Debian package from the build tree and checks what it installs:
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -P package_test.cmake
set(out ${BUILD_DIR}/package-test)
file(REMOVE_RECURSE ${out})
execute_process(COMMAND cpack -G DEB --config ${BUILD_DIR}/CPackConfig.cmake -B ${out}
  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpack failed:\n${log}")
endif()
file(GLOB debs ${out}/timeslice_*_amd64.deb)
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one timeslice_<version>_amd64.deb in ${out}, found: ${debs}")
endif()
execute_process(COMMAND dpkg-deb -c ${debs} OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
execute_process(COMMAND dpkg-deb -f ${debs} Depends OUTPUT_VARIABLE depends)
foreach(path
    ./usr/bin/timeslice
    ./usr/bin/timeslice-worker
    ./usr/share/applications/timeslice.desktop
    ./usr/share/icons/hicolor/scalable/apps/timeslice.svg
    ./usr/share/icons/hicolor/48x48/apps/timeslice.png
    ./usr/share/icons/hicolor/256x256/apps/timeslice.png
    ./usr/share/metainfo/io.github.timeslice.Timeslice.metainfo.xml
    ./usr/share/man/man1/timeslice.1.gz
    ./usr/share/timeslice/workloads/table-loading.json)
  string(FIND "${listing}" " ${path}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the package does not install ${path}:\n${listing}")
  endif()
endforeach()
foreach(dep libqt6widgets6 libqt6charts6 qt6-qpa-plugins libc6)
  string(FIND "${depends}" "${dep}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the package does not depend on ${dep}: ${depends}")
  endif()
endforeach()
execute_process(COMMAND appstreamcli validate --no-net ${SOURCE_DIR}/resources/timeslice.metainfo.xml
  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "appstreamcli refuses the metainfo:\n${log}")
endif()
message(STATUS "package: ${debs}\n${depends}")
