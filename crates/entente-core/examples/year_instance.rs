//! Writes the benchmark year (see `allocation::sample`) as JSON, with Entente's answer and
//! how long it took, for `bench/year_allocation.py` to solve again with HiGHS.
//!
//! `cargo run --release -p entente-core --example year_instance -- FILE`

use std::time::Instant;

use entente_core::allocation::sample::{Shape, year};
use entente_core::allocation::year::{allocate_year, optimum};
use serde_json::json;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "year_instance.json".into());
    let (events, budgets) = year(Shape::YEAR);
    let runs = 5;
    let started = Instant::now();
    let mut result = allocate_year(&events, &budgets);
    for _ in 1..runs {
        result = allocate_year(&events, &budgets);
    }
    let seconds = started.elapsed().as_secs_f64() / f64::from(runs);
    let started = Instant::now();
    let (flow_value, _) = optimum(&events, &budgets);
    let flow_seconds = started.elapsed().as_secs_f64();
    let document = json!({
        "events": events.iter().map(|e| json!({
            "id": e.id, "area": e.area, "capacity": e.seats.capacity, "quota": e.seats.quota,
            "asks": e.asks.iter().map(|a| json!({
                "id": a.id, "nation": a.nation.as_str(), "seats": a.seats, "priority": a.priority,
                "order": a.order, "eligible": a.eligible,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "budgets": budgets.iter().map(|b| json!({ "nation": b.nation.as_str(), "area": b.area, "seats": b.seats })).collect::<Vec<_>>(),
        "weights": { "1": 3, "2": 2, "3": 1 },
        "entente": {
            "value": result.value, "seconds": seconds, "flow_value": flow_value, "flow_seconds": flow_seconds,
            "rounds": result.rounds, "fixed_nations": result.fixed.len(),
        },
    });
    std::fs::write(&path, serde_json::to_vec(&document)?)?;
    eprintln!(
        "{path}: {} events, {} requests, {} budgets; Entente's value {} in {:.1} ms (flow alone {:.1} ms)",
        events.len(),
        events.iter().map(|e| e.asks.len()).sum::<usize>(),
        budgets.len(),
        result.value,
        seconds * 1e3,
        flow_seconds * 1e3
    );
    Ok(())
}
