// A scratch directory for the I/O tests (under $TMPDIR or /tmp), removed with everything in it.
#pragma once

#include <dirent.h>
#include <stdlib.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace csc::io::test {

class ScratchDir {
 public:
  ScratchDir() {
    const char* base = getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/csc-io-test-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
  }
  ~ScratchDir() {
    for (const auto& name : entries()) unlink((path_ + "/" + name).c_str());
    rmdir(path_.c_str());
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    if (DIR* dir = opendir(path_.c_str())) {
      while (dirent* e = readdir(dir))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") names.push_back(e->d_name);
      closedir(dir);
    }
    return names;
  }
  bool on_tmpfs() const {
    struct statfs fs {};
    return statfs(path_.c_str(), &fs) == 0 && fs.f_type == 0x01021994;
  }

 private:
  std::string path_;
};

}  // namespace csc::io::test
