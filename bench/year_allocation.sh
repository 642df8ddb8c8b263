#!/usr/bin/env bash
# Entente's year allocation against HiGHS: writes a generated year instance (with
# Entente's own value and solve time in it) and solves the same model with HiGHS as an
# LP and as a MIP. Prints both objectives and times and fails if they differ; see
# bench/year_allocation.py for the model.
#
#   bench/year_allocation.sh
#   OUT=/tmp/year.json bench/year_allocation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-target/year_instance.json}"
cargo run --release --locked --quiet -p entente-core --example year_instance -- "$out"
# The highspy wheel carries HiGHS itself, so pip is all the solver needs.
python3 -c 'import highspy' 2>/dev/null || python3 -m pip install --quiet highspy
exec python3 bench/year_allocation.py "$out"
