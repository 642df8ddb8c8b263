#!/usr/bin/env python3
"""Entente's year allocation against HiGHS on the same instance.

Reads a year instance written by `cargo run --release -p entente-core --example
year_instance -- FILE` (default /tmp/year.json) and solves the same model with HiGHS
(through highspy), as an LP and as a MIP, then prints both objectives and solve times
beside Entente's value and time from the file's "entente" key.

The model: one integer variable x_r per ask r, 0 <= x_r <= seats_r, and x_r = 0 when
the ask is not eligible. Maximise sum weight(priority_r) * x_r subject to
  - capacity: for each event e, sum of x_r over e's asks <= capacity_e;
  - quota: for each event e with a quota and each nation n asking on e,
    sum of x_r of n's asks on e <= quota_e;
  - budgets: for each budget of nation n with no area, sum of x_r of n's asks on all
    events <= seats; with an area, the same over the events in that area only
    (a nation with both kinds of budget gets both rows).
The rows are two laminar families of sets of asks (the events, which are disjoint;
and (nation, event) within (nation, area) within nation), so the matrix is a network
matrix and the LP optimum is integral. The MIP is solved too, as a check that does
not rest on that argument.

Exits 1 when HiGHS's optimum differs from entente.value, 0 otherwise.

    python3 bench/year_allocation.py [FILE]
"""
import json
import os
import sys
import time

import highspy


def model(instance):
    """The LP in row-wise sparse form; every coefficient is 1."""
    weights = {int(p): w for p, w in instance["weights"].items()}
    cost, upper, rows = [], [], []  # rows: (list of columns, upper bound)
    by_nation, by_nation_area = {}, {}
    for event in instance["events"]:
        columns, by_nation_here = [], {}
        for ask in event["asks"]:
            column = len(cost)
            cost.append(weights[ask["priority"]])
            upper.append(ask["seats"] if ask["eligible"] else 0)
            columns.append(column)
            by_nation_here.setdefault(ask["nation"], []).append(column)
            by_nation.setdefault(ask["nation"], []).append(column)
            by_nation_area.setdefault((ask["nation"], event["area"]), []).append(column)
        rows.append((columns, event["capacity"]))
        if event["quota"] is not None:
            rows += [(c, event["quota"]) for c in by_nation_here.values()]
    for budget in instance["budgets"]:
        key = budget["nation"] if budget["area"] is None else (budget["nation"], budget["area"])
        columns = (by_nation if budget["area"] is None else by_nation_area).get(key, [])
        rows.append((columns, budget["seats"]))

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, [0.0] * len(cost), upper
    lp.row_lower_, lp.row_upper_ = [-highspy.kHighsInf] * len(rows), [b for _, b in rows]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    starts, index = [0], []
    for columns, _ in rows:
        index += columns
        starts.append(len(index))
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, [1.0] * len(index)
    return lp


def new_highs():
    # HiGHS prints its banner on stdout from C++ when the first instance is made, before
    # output_flag can be set; hide it so the table is the whole output.
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 1)
    try:
        highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


def solve(lp, integer):
    """(objective, seconds, column values), timing run() only."""
    highs = new_highs()
    highs.passModel(lp)
    if integer:
        n = lp.num_col_
        highs.changeColsIntegrality(n, list(range(n)), [highspy.HighsVarType.kInteger] * n)
        highs.setOptionValue("mip_rel_gap", 0.0)  # the default 1e-4 would allow ~7 points short
    start = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - start
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        sys.exit(f"HiGHS {'MIP' if integer else 'LP'}: {highs.modelStatusToString(status)}")
    return highs.getInfo().objective_function_value, seconds, list(highs.getSolution().col_value)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/year.json"
    with open(path) as f:
        instance = json.load(f)
    entente = instance["entente"]

    start = time.perf_counter()
    lp = model(instance)
    build = time.perf_counter() - start
    lp_value, lp_seconds, values = solve(lp, integer=False)
    mip_value, mip_seconds, _ = solve(lp, integer=True)
    integral = all(abs(v - round(v)) <= 1e-6 for v in values)

    print(f"{path}: {len(instance['events'])} events, {lp.num_col_} asks, {lp.num_row_} rows, "
          f"{len(lp.a_matrix_.index_)} nonzeros; HiGHS {new_highs().version()}")
    print(f"{'solver':<16}{'objective':>12}{'seconds':>10}{'/ Entente':>11}")
    print(f"{'Entente':<16}{entente['value']:>12}{entente['seconds']:>10.4f}{1:>11.2f}")
    for name, value, seconds in [("HiGHS LP", lp_value, lp_seconds), ("HiGHS MIP", mip_value, mip_seconds)]:
        print(f"{name:<16}{value:>12.1f}{seconds:>10.4f}{seconds / entente['seconds']:>11.2f}")
    print(f"HiGHS model build (Python, not in the times above): {build:.4f} s")
    print(f"HiGHS LP solution integral: {'yes' if integral else 'NO'}")
    equal = round(lp_value) == round(mip_value) == entente["value"]
    print(f"objectives equal: {'yes' if equal else 'NO'}")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
