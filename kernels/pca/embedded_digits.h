// The data set `csc pca` runs on when no FILE is given: the handwritten digits (1797 × 64 pixels and a
// label column), the UCI test set as scikit-learn bundles it; see tests/data/digits/README.md.
#pragma once

#include <string_view>

namespace csc::pca {

// digits.csv byte for byte: a header row p0..p63,label and 1797 rows of integers.
std::string_view embedded_digits_csv();

}  // namespace csc::pca
