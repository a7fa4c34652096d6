// The CSV parser alone, for scripts/bench/pca: streams a table through csc's NumericBlockReader with
// the block size `csc pca --memory M` uses, and discards the blocks. Prints rows, columns and seconds.
// Built by scripts/bench/pca against a build tree; not part of csc.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "kernels/io/units.h"
#include "src/numeric_table.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: pca_parse_only FILE MEMORY [LABEL_COLUMN]\n");
    return 2;
  }
  csc::io::TableOptions options;
  if (argc > 3) options.label_column = argv[3];
  const auto start = std::chrono::steady_clock::now();
  csc::io::NumericBlockReader reader(argv[1], options);
  const std::size_t d = reader.cols();
  // As subcommands/pca.cc: a block takes a quarter of the --memory budget.
  const std::size_t block_rows = std::max<std::size_t>(1, *csc::io::parse_size(argv[2]) / 4 / (8 * d));
  csc::io::NumericValues block;
  std::vector<std::string> labels;
  std::size_t rows = 0;
  double checksum = 0;
  while (const std::size_t n = reader.next_block(block_rows, block, reader.has_labels() ? &labels : nullptr)) {
    rows += n;
    checksum += block[0];  // keeps the parse from being optimised away
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"rows\": %zu, \"cols\": %zu, \"seconds\": %.6f, \"checksum\": %.17g}\n", rows, d, seconds, checksum);
  return 0;
}
