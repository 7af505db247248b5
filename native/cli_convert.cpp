// `gan convert`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "convert.h"

namespace gan {

Command add_convert_command(CLI::App& app) {
  auto opt = std::make_shared<ConvertOptions>();
  auto* c = app.add_subcommand("convert", "Rewrite a generator file as F32, F16 or 8-bit weights (q8: half of F16's bytes)");
  c->add_option("-w,--weights", opt->weights, "Generator .safetensors to read")->required()->check(non_empty_path());
  c->add_option("--to", opt->to, "Storage type: f32, f16, or q8 (int8 with a scale per row)")->capture_default_str()
      ->check(CLI::IsMember({"f32", "f16", "q8"}));
  c->add_option("-o,--out", opt->out, "File to write")->required()->check(non_empty_path());
  return {c, [opt] { return run_convert(*opt); }};
}

}  // namespace gan
