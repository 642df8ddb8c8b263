//! Criterion benchmarks of assessments at the demo's scale as the issue sets it: 100
//! nations, each with a programme of 20 goals and 60 indicators and 5 years of
//! measurements (30,000 values); every nation's progress for a year rolled up; one
//! nation's yearly report as a page and as a workbook; and the world map of a day.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use entente::http::i18n::Lang;
use entente::http::web::{draw_world_map, report_html};
use entente::service::progress::{Inputs, assemble, assemble_all};
use entente::service::registry::REFERENCE_DATASET;
use entente::service::registry_file::{FileFormat, parse};
use entente::service::reports::workbook;
use entente::store::assessments::{GoalPlace, MeasuredValue, StoredIndicator};

const NATIONS: usize = 100;
const YEAR: i64 = 2026;

/// Two-letter codes AA, AB, ...: as many as asked.
fn code(n: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    format!("{}{}", letters[n / 26] as char, letters[n % 26] as char)
}

fn demo_scale() -> Inputs {
    let mut inputs = Inputs::default();
    let mut next = 1i64;
    for n in 0..NATIONS {
        let nation = code(n);
        for goal in 0..20 {
            let goal_id = (n * 100 + goal) as i64;
            inputs.places.push(GoalPlace {
                goal_id,
                goal_title: format!("Goal {goal}"),
                objective_id: (n * 10 + goal / 4) as i64,
                objective_title: format!("Objective {}", goal / 4),
                programme_code: format!("DEMO-{nation}-ITPP"),
                programme_title: "Programme".into(),
                programme_status: "in_execution".into(),
                programme_marking: format!("UNCLASSIFIED REL TO {nation}"),
                nation: nation.clone(),
            });
            for k in 0..3 {
                let id = next;
                next += 1;
                inputs.indicators.push(StoredIndicator {
                    id,
                    nation: nation.clone(),
                    programme_goal_id: Some(goal_id),
                    parp_goal_id: None,
                    title: format!("Indicator {k}"),
                    unit: "%".into(),
                    direction: if k == 2 { "lower".into() } else { "higher".into() },
                    baseline: if k == 2 { 90.0 } else { 10.0 },
                    baseline_date: "2022-01-01".into(),
                    target: if k == 2 { 30.0 } else { 70.0 },
                    target_date: "2027-12-31".into(),
                    marking: format!("UNCLASSIFIED REL TO {nation}"),
                });
                for year in (YEAR - 4)..=YEAR {
                    let step = (year - YEAR + 5) as f64;
                    let value = if k == 2 { 90.0 - 8.0 * step } else { 10.0 + 8.0 * step + (id % 7) as f64 };
                    inputs.values.push(MeasuredValue {
                        indicator_id: id,
                        year,
                        nation: nation.clone(),
                        marking: format!("UNCLASSIFIED REL TO {nation}"),
                        measured_on: format!("{year}-11-30"),
                        value,
                        judgement: String::new(),
                    });
                }
            }
        }
    }
    inputs
}

fn assessments(c: &mut Criterion) {
    let inputs = demo_scale();
    assert_eq!(inputs.indicators.len(), NATIONS * 60);
    assert_eq!(inputs.values.len(), NATIONS * 60 * 5);
    c.bench_function(
        "roll-up of every nation's progress for a year (100 nations, 6,000 indicators, 30,000 values)",
        |b| b.iter(|| assemble_all(black_box(YEAR), black_box(inputs.clone())).map(|all| all.len())),
    );
    let first = code(0);
    let one = Inputs {
        places: inputs.places.iter().filter(|p| p.nation == first).cloned().collect(),
        parp_goals: Vec::new(),
        indicators: inputs.indicators.iter().filter(|i| i.nation == first).cloned().collect(),
        values: inputs.values.iter().filter(|v| v.indicator_id <= 60).cloned().collect(),
    };
    let Ok(progress) = assemble(&first, YEAR, &one) else { panic!("a nation's progress") };
    let Ok(registry) = parse(REFERENCE_DATASET.as_bytes(), FileFormat::Csv) else { panic!("the reference dataset") };
    let Ok(day) = entente_core::parse_day("2024-06-01") else { panic!("a day") };
    let generated = day;
    c.bench_function("a nation's yearly report as a page", |b| {
        b.iter(|| report_html(black_box(&progress), &registry, Lang::En, generated).map(|h| h.len()))
    });
    c.bench_function("a nation's yearly report as a workbook", |b| {
        b.iter(|| workbook(black_box(&progress), "Nation").map(|w| w.len()))
    });
    c.bench_function("the world map of a day", |b| {
        b.iter(|| draw_world_map(&registry, black_box(day), Lang::En).len())
    });
}

criterion_group!(benches, assessments);
criterion_main!(benches);
