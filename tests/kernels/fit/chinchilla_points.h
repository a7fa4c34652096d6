// The 240 Chinchilla points of Besiroglu et al. (2024) as the fit tests use them: read from
// tests/data/chinchilla (a plain CSV without quotes), D = C / (6 N), the 5 highest losses dropped.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace csc::test {

struct ChinchillaColumns {
  std::vector<double> n, d, loss;
};

inline ChinchillaColumns load_chinchilla_240() {
  std::ifstream in(std::string(CSC_TEST_DATA) + "/chinchilla/svg_extracted_data.csv");
  if (!in) throw std::runtime_error("cannot open tests/data/chinchilla/svg_extracted_data.csv");
  std::string line;
  std::getline(in, line);  // header: x,y,color,Model Size,Training FLOP,hex_color,loss
  ChinchillaColumns all;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    const double n = std::stod(cells.at(3)), c = std::stod(cells.at(4)), loss = std::stod(cells.at(6));
    all.n.push_back(n), all.d.push_back(c / (6 * n)), all.loss.push_back(loss);
  }
  std::vector<double> sorted = all.loss;
  std::sort(sorted.begin(), sorted.end());
  const double cut = sorted[sorted.size() - 5];  // the 5 highest losses are distinct in this file
  ChinchillaColumns kept;
  for (std::size_t i = 0; i < all.loss.size(); ++i)
    if (all.loss[i] < cut) kept.n.push_back(all.n[i]), kept.d.push_back(all.d[i]), kept.loss.push_back(all.loss[i]);
  return kept;
}

}  // namespace csc::test
