# Every third-party library comes from a Debian package (scripts/setup installs them).
find_package(CLI11 2.1 CONFIG REQUIRED)
find_package(fmt 9 CONFIG REQUIRED)
find_package(Eigen3 3.4 CONFIG REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(hwy 1.0 CONFIG REQUIRED)
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(PkgConfig REQUIRED)
pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing>=2.0)
find_path(LBFGSPP_INCLUDE_DIR LBFGS.h REQUIRED)   # header-only, no CMake config shipped
add_library(lbfgspp INTERFACE)
target_include_directories(lbfgspp INTERFACE ${LBFGSPP_INCLUDE_DIR})
target_link_libraries(lbfgspp INTERFACE Eigen3::Eigen)
