// Every command of `gan`, each declaring its own options (native/cli_<command>.cpp).
#pragma once
#include "cli_checks.h"

namespace gan {

Command add_train_command(CLI::App& app);
Command add_generate_command(CLI::App& app);
Command add_convert_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
Command add_classifier_command(CLI::App& app);
Command add_bench_command(CLI::App& app);
Command add_invert_command(CLI::App& app);
Command add_directions_command(CLI::App& app);
#ifdef GAN_HAVE_VIEW
Command add_view_command(CLI::App& app);
#endif

}  // namespace gan
