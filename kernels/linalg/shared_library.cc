// dlopen/dlsym behind kernels/linalg/shared_library.h.
#include "kernels/linalg/shared_library.h"

#include <dlfcn.h>

namespace csc::linalg {

std::unique_ptr<SharedLibrary> SharedLibrary::open(const std::string& soname, std::string& reason) {
  void* handle = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    reason = "unavailable: " + soname + " not found (" + (why ? why : "dlopen failed") + ")";
    return nullptr;
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(handle, soname));
}

SharedLibrary::~SharedLibrary() { dlclose(handle_); }

void* SharedLibrary::symbol(const char* name, std::string& reason) const {
  dlerror();  // clear a stale error so a null result is attributed correctly
  void* address = dlsym(handle_, name);
  if (address == nullptr) reason = "unavailable: " + soname_ + " has no " + name;
  return address;
}

}  // namespace csc::linalg
