// A dlopen'ed shared library whose failures come back as readable reasons, not crashes: how the CUDA
// twins reach cuBLAS/cuSOLVER without the binary needing them to start.
#pragma once

#include <memory>
#include <string>
#include <utility>

namespace csc::linalg {

class SharedLibrary {
 public:
  // dlopen(soname, RTLD_NOW | RTLD_LOCAL). On failure: nullptr and reason
  // "unavailable: <soname> not found (<dlerror>)".
  static std::unique_ptr<SharedLibrary> open(const std::string& soname, std::string& reason);

  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  ~SharedLibrary();

  // The address of `name`, or nullptr with reason "unavailable: <soname> has no <name>".
  void* symbol(const char* name, std::string& reason) const;

  // Stores symbol `name` into the function pointer `fn`; false (reason set) when it is missing.
  template <class Fn>
  bool bind(Fn& fn, const char* name, std::string& reason) const {
    fn = reinterpret_cast<Fn>(symbol(name, reason));
    return fn != nullptr;
  }

  const std::string& soname() const { return soname_; }

 private:
  SharedLibrary(void* handle, std::string soname) : handle_(handle), soname_(std::move(soname)) {}

  void* handle_;
  std::string soname_;
};

}  // namespace csc::linalg
