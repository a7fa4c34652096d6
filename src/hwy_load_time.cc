// libhwy 1.0.3 (Debian 12) measures its timer's resolution in a static initialiser of
// nanobenchmark.cc, spinning for several milliseconds whenever libhwy.so is loaded: 3-5 ms of every
// csc process (perf: a third of `csc --version`, 7 ms, on a Zen 3 VM). csc never uses nanobenchmark,
// the only user of that value, so the executable defines the function: the dynamic linker looks in
// the executable first, and libhwy's initialiser calls this one (ELF symbol interposition). Checked
// by tests/cli/hwy_interposed.sh; `csc --version` then takes ~2 ms.
#include <hwy/nanobenchmark.h>

namespace hwy::platform {

uint64_t TimerResolution() { return 1; }

}  // namespace hwy::platform
