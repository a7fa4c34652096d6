# End to end: libhwy's load-time timer calibration binds to csc's own TimerResolution
# (src/hwy_load_time.cc), which saves 3-5 ms per process. The dynamic linker's binding log names the
# object each of libhwy's calls resolved to; a link change that dropped the definition from the
# executable's dynamic symbols would bind it to libhwy's own again.
source "$(dirname "$0")/lib/assert.sh"

bindings=$(LD_DEBUG=bindings "$CSC" --version 2>&1 >/dev/null | grep 'TimerResolution')
expect_in "$bindings" "libhwy[^ ]* \[0\] to [^ ]*csc[^ ]* \[0\]" "libhwy's TimerResolution call binds to the csc executable"
expect_status 0 "$CSC" --version

finish
