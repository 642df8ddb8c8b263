//! Criterion benchmarks of seat allocation: one busy event by the single-event rule, and a
//! whole year (1,400 events, 100 nations, 30,000 requests, budgets that bind for a third
//! of the nations) by the exact year allocation and by the min-cost flow alone.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use entente_core::allocation::sample::{Shape, year};
use entente_core::allocation::year::{allocate_year, optimum};
use entente_core::allocation::{allocate_event, value};

fn allocation(c: &mut Criterion) {
    let (events, budgets) = year(Shape::YEAR);
    let Some(busiest) = events.iter().max_by_key(|e| e.asks.len()) else { return };
    c.bench_function("allocate_event (busiest event of the year)", |b| {
        b.iter(|| black_box(allocate_event(busiest.seats, &busiest.asks)))
    });
    let mut group = c.benchmark_group("year");
    group.sample_size(10);
    group.bench_function("allocate_year (1,400 events, 30,000 requests)", |b| {
        b.iter(|| black_box(allocate_year(&events, &budgets)))
    });
    group.bench_function("min-cost flow alone", |b| b.iter(|| black_box(optimum(&events, &budgets))));
    group.finish();
    let result = allocate_year(&events, &budgets);
    let single: u64 = events.iter().map(|e| value(&e.asks, &allocate_event(e.seats, &e.asks))).sum();
    eprintln!(
        "year: value {} (the flow's optimum {}), {} nations fixed by budgets, {} rounds; without budgets {}",
        result.value,
        optimum(&events, &budgets).0,
        result.fixed.len(),
        result.rounds,
        single
    );
}

criterion_group!(benches, allocation);
criterion_main!(benches);
