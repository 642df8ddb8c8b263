//! Criterion benchmark of `authorize()`: read decisions on marked records for a partner
//! officer, a mix of releasabilities, as a document list filters them.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use entente_core::{
    Action, Affiliation, Caller, Classification, Lifecycle, Marking, Principal, Record, RecordKind, Resource, Role,
    authorize,
};

fn decisions(c: &mut Criterion) {
    let is_framework = |code: &str| ["PFP", "EAPC", "MD", "ICI"].contains(&code);
    let markings: Vec<(Marking, Option<entente_core::NationCode>)> = [
        ("PUBLIC", None),
        ("UNCLASSIFIED", None),
        ("RESTRICTED MEMBERS ONLY", None),
        ("RESTRICTED REL TO PFP, EAPC", None),
        ("RESTRICTED REL TO UA", Some("UA")),
        ("RESTRICTED REL TO GE", Some("GE")),
        ("UNCLASSIFIED REL TO MD, ICI, JP", None),
        ("RESTRICTED REL TO nation:MD", Some("MD")),
    ]
    .iter()
    .map(|(text, owner)| {
        let Ok(marking) = Marking::parse(text, is_framework) else { panic!("{text}") };
        (marking, owner.and_then(|o| o.parse().ok()))
    })
    .collect();
    let Ok(georgia) = "GE".parse() else { panic!("code") };
    let caller = Caller::User(Principal {
        user_id: 1,
        role: Role::PartnerOfficer,
        affiliation: Affiliation::Nation(georgia),
        clearance: Classification::Restricted,
        nation_is_member: false,
        nation_frameworks: ["PFP", "EAPC", "EOP"].iter().filter_map(|f| f.parse().ok()).collect(),
    });
    let mut group = c.benchmark_group("authorize");
    group.throughput(Throughput::Elements(markings.len() as u64));
    group.bench_function("partner officer reads 8 marked records", |b| {
        b.iter(|| {
            markings
                .iter()
                .filter(|(marking, subject)| {
                    let record = Record {
                        kind: RecordKind::Document,
                        marking,
                        originator: &Affiliation::AllianceStaff,
                        subject: *subject,
                        lifecycle: Lifecycle::Unmanaged,
                    };
                    authorize(black_box(&caller), Action::Read, Resource::Record(record)).is_allowed()
                })
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, decisions);
criterion_main!(benches);
