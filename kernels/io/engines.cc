// The list of engines, in the order `compare` runs them; adding an engine = one file + one entry here.
#include "kernels/io/engine.h"

namespace csc::io {

namespace {
const EngineOps* const kEngines[] = {&kPsyncEngine, &kMmapEngine, &kUringEngine, &kThreadPoolEngine};
}  // namespace

std::span<const EngineOps* const> engines() { return kEngines; }

const EngineOps* find_engine(std::string_view name) {
  for (const EngineOps* engine : kEngines)
    if (name == engine->name) return engine;
  return nullptr;
}

std::string engine_names() {
  std::string out;
  for (const EngineOps* engine : kEngines) out += (out.empty() ? "" : ", ") + std::string(engine->name);
  return out;
}

}  // namespace csc::io
