// A minimal PNG writer for palette images (large heatmaps embedded in SVG as data: URIs).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace csc::plot {

// An 8-bit palette PNG, compressed well for images with runs and repeated rows (upscaled
// heatmaps), plainly otherwise: `pixels` holds width*height palette
// indices, row by row from the top; `palette` holds 0xRRGGBB colours (at most 256) and
// `transparent_index`, when in range, marks one entry as fully transparent (missing cells).
std::string encode_png_indexed(std::uint32_t width, std::uint32_t height, const std::vector<std::uint8_t>& pixels,
                               const std::vector<std::uint32_t>& palette, int transparent_index = -1);

std::string base64_encode(const std::string& bytes);

}  // namespace csc::plot
