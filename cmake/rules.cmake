# rules: sources and tests of this part (see CMakeLists.txt).
