//! Criterion benchmarks of the core's registry questions on the reference dataset: every
//! nation's status on one day (what `GET /api/v1/registry/status` computes), one nation's
//! status, and the changes over a year.

use criterion::{Criterion, criterion_group, criterion_main};
use entente::service::registry::REFERENCE_DATASET;
use entente::service::registry_file::{FileFormat, parse};
use entente_core::parse_day;
use std::hint::black_box;

fn registry_questions(c: &mut Criterion) {
    let Ok(registry) = parse(REFERENCE_DATASET.as_bytes(), FileFormat::Csv) else {
        panic!("the reference dataset must parse");
    };
    let Ok(day) = parse_day("2010-01-01") else { panic!("a valid day") };
    let Ok(sweden) = "SE".parse() else { panic!("a valid code") };
    let Ok(year_end) = parse_day("2010-12-31") else { panic!("a valid day") };

    c.bench_function("statuses_at (every nation, one day)", |b| b.iter(|| registry.statuses_at(black_box(day))));
    c.bench_function("status_at (one nation, one day)", |b| {
        b.iter(|| registry.status_at(black_box(sweden), black_box(day)))
    });
    c.bench_function("changes_between (one year)", |b| {
        b.iter(|| registry.changes_between(black_box(day), black_box(year_end)))
    });
    c.bench_function("parse the reference dataset", |b| {
        b.iter(|| parse(black_box(REFERENCE_DATASET.as_bytes()), FileFormat::Csv).map(|r| r.nations().count()))
    });
}

/// Sign-in latency is dominated by one Argon2id verification at the chosen parameters.
fn password_verification(c: &mut Criterion) {
    let Ok(stored) = entente::service::passwords::Hashing::default().hash("a long enough password") else {
        panic!("hash")
    };
    let mut group = c.benchmark_group("sign-in");
    group.sample_size(20);
    group.bench_function("Argon2id verify (m=19456 KiB, t=2, p=1)", |b| {
        b.iter(|| entente::service::passwords::verify(black_box("a long enough password"), black_box(&stored)))
    });
    group.finish();
}

/// The whole eligibility matrix of a generated 1,400-activity menu on one day: every nation
/// with a status by every activity (what `GET /api/v1/menus/{year}/eligibility` computes).
fn eligibility_matrix(c: &mut Criterion) {
    let Ok(registry) = parse(REFERENCE_DATASET.as_bytes(), FileFormat::Csv) else { panic!("reference dataset") };
    let Ok(rules) = entente::service::council::reference_rules(&registry) else { panic!("reference rules") };
    let catalogue = entente::service::council::reference_catalogue();
    let demo = entente::service::demo_menu::generate(2026, 1400, 1, &catalogue.areas, &catalogue.bodies, &registry);
    let activities: Vec<_> = demo
        .activities
        .iter()
        .map(|input| match entente::service::menu::check_activity(input, &registry, &catalogue) {
            Ok(activity) => activity,
            Err(e) => panic!("generated activity refused: {e}"),
        })
        .collect();
    let grounds = entente::service::menu::grounds(&registry, &rules);
    let Ok(day) = parse_day("2026-06-01") else { panic!("a valid day") };
    let Ok(before_berlin) = parse_day("2005-06-01") else { panic!("a valid day") };
    let nations = registry.statuses_at(day).len();
    let mut group = c.benchmark_group("eligibility");
    group.bench_function(format!("matrix: {nations} nations x 1400 activities, 2026-06-01"), |b| {
        b.iter(|| grounds.matrix(black_box(&activities), black_box(day)))
    });
    group.bench_function("matrix: 1400 activities, 2005-06-01 (framework rules)", |b| {
        b.iter(|| grounds.matrix(black_box(&activities), black_box(before_berlin)))
    });
    let Ok(georgia) = "GE".parse() else { panic!("a valid code") };
    group.bench_function("one answer with its reasons", |b| {
        b.iter(|| grounds.eligibility(black_box(georgia), black_box(&activities[7]), black_box(day)))
    });
    group.finish();
}

criterion_group!(benches, registry_questions, password_verification, eligibility_matrix);
criterion_main!(benches);
