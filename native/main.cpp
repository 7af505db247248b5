// The `gan` command: train, generate, convert, eval, classifier, bench and view, with every error reported as one
// clear line and a non-zero exit. Each command declares its options in native/cli_<command>.cpp.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "file_io.h"
#include "format_error.h"
#include "gemm_engine.h"
#include "option_suggestion.h"

namespace {

// Parses the command line; on a mistake prints what to do instead (an unknown command's list, a misspelt option's
// nearest name, CLI11's message otherwise) and returns the exit code, else -1.
int parse_or_explain(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return -1;
  } catch (const CLI::ParseError& e) {
    // CLI11 says only "A subcommand is required" for a mistyped command.
    if (app.get_subcommands().empty() && argc > 1 && argv[1][0] != '-') {
      std::string names;
      for (const CLI::App* sub : app.get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
      std::fprintf(stderr, "gan: unknown command '%s'; the commands are %s (gan --help says more)\n", argv[1],
                   names.c_str());
      return e.get_exit_code();
    }
    if (gan::print_option_suggestion(app)) return e.get_exit_code();  // --epoch: "did you mean --epochs?"
    return app.exit(e);
  }
}

// Runs a parsed command; every error becomes one line on stderr and exit code 1.
int run_reporting_errors(const gan::Command& command) {
  try {
    gan::choose_gemm_engine();
    return command.run();
  } catch (const gan::UserError& e) {
    std::fprintf(stderr, "gan: error: %s\n", e.what());
  } catch (const gan::FormatError& e) {
    std::fprintf(stderr, "gan: error: %s\n", e.what());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "gan: error: out of memory; try a smaller --batch or --count\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan: error: %s\n", e.what());
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gan: a GAN for handwritten digits (the seed's PyTorch tutorial model, in portable C++)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gan 0.1 (weights format 1)");
  const std::vector<gan::Command> commands{
      gan::add_train_command(app),    gan::add_generate_command(app), gan::add_convert_command(app),
      gan::add_eval_command(app),     gan::add_classifier_command(app), gan::add_bench_command(app),
      gan::add_invert_command(app),   gan::add_directions_command(app),
#ifdef GAN_HAVE_VIEW
      gan::add_view_command(app),
#endif
  };
  const int parse_exit = parse_or_explain(app, argc, argv);
  if (parse_exit >= 0) return parse_exit;
  for (const gan::Command& command : commands)
    if (*command.app) return run_reporting_errors(command);
  return 1;
}
