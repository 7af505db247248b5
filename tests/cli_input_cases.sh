# Sourced by cli_errors.sh (its check/untouched helpers, fixtures and run folder A): corrupt and odd input files.
