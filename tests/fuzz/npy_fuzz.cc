// libFuzzer harness of the .npy reader, the .npy numeric table and the header writer. A csc::Error
// is an expected outcome; a crash, a sanitizer report or an inconsistency is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "src/error.h"
#include "src/npy.h"
#include "src/numeric_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  bool read_ok = false;
  csc::io::NpyArray array;
  try {
    std::istringstream in(bytes);
    array = csc::io::read_npy(in, "fuzz.npy");
    read_ok = true;
  } catch (const csc::Error&) {
  }
  if (read_ok) {
    const std::vector<double> values = array.to_double();
    if (values.size() != array.header.element_count() || array.to_float().size() != values.size()) std::abort();
    // What we write for the same array must read back to the same shape and bytes.
    const std::string written = csc::io::encode_npy_header(array.header.dtype, array.header.shape) +
                                std::string(array.data.begin(), array.data.end());
    std::istringstream again(written);
    const csc::io::NpyArray reread = csc::io::read_npy(again, "rewritten.npy");
    if (reread.header.shape != array.header.shape || reread.header.dtype != array.header.dtype ||
        reread.data != array.data)
      std::abort();
  }

  // The table reader in blocks, with and without a column selection and a label column.
  for (int variant = 0; variant < 3; ++variant) {
    csc::io::TableOptions options;
    options.format = csc::io::TableFormat::npy;
    if (variant == 1) options.columns = "1,0";
    if (variant == 2) options.label_column = "0";
    try {
      std::istringstream in(bytes);
      csc::io::NumericBlockReader reader(in, "fuzz.npy", options);
      csc::io::NumericValues block;
      std::vector<std::string> labels;
      std::uint64_t rows = 0;
      while (const std::size_t got = reader.next_block(2, block, &labels)) {
        if (block.size() != got * reader.cols()) std::abort();
        rows += got;
      }
      // A table read succeeds only on a file the whole-array reader accepts, with the same row count.
      if (!read_ok || rows != array.rows()) std::abort();
    } catch (const csc::Error&) {
    }
  }
  return 0;
}
