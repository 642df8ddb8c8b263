//! Registry files: all-or-nothing imports with a report of every bad row, and round trips.

use entente::service::ServiceError;
use entente::service::registry_file::FileFormat;

use crate::support::{TestApp, on_both_backends};

on_both_backends!(
    a_bad_file_is_reported_row_by_row_and_changes_nothing,
    export_and_import_round_trip,
    an_import_is_audited,
    an_import_is_seen_at_once_by_the_api,
);

const HEADER: &str = "record,code,framework,name_en,name_fr,kind,start,end,end_reason,note,source\n";

async fn a_bad_file_is_reported_row_by_row_and_changes_nothing(app: TestApp) {
    let before = String::from_utf8(app.services.registry.export(FileFormat::Csv).await.unwrap()).unwrap();
    let revision = app.services.registry.revision().await.unwrap();
    let file = format!(
        "{HEADER}\
         nation,SE,,Sweden,Suède,,,,,,\n\
         framework,PFP,,Partnership for Peace,Partenariat pour la paix,partnership,,,,,\n\
         participation,XX,PFP,,,,1994-05-09,,,,src\n\
         participation,SE,PFP,,,,1994-13-09,,,,src\n\
         participation,SE,PFP,,,,2010-01-01,2009-01-01,left,,src\n\
         participation,SE,PFP,,,,1994-05-09,2000-01-01,left,,src\n\
         participation,SE,PFP,,,,1999-01-01,,,,src\n"
    );
    let Err(ServiceError::InvalidFile(problems)) =
        app.services.registry.import(file.as_bytes(), FileFormat::Csv, "test").await
    else {
        panic!("the file should be refused");
    };
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        report,
        vec![
            "line 4, column `code`: `XX` is not an ISO 3166-1 alpha-2 country code",
            "line 5, column `start`: `1994-13-09` is not a real calendar date",
            "line 6, column `end`: the end `2009-01-01` is before the start `2010-01-01`",
        ],
        "field-level problems come first; overlaps are checked once every row reads"
    );
    let overlap = format!(
        "{HEADER}nation,SE,,Sweden,Suède,,,,,,\n\
         framework,PFP,,Partnership for Peace,Partenariat pour la paix,partnership,,,,,\n\
         participation,SE,PFP,,,,1994-05-09,2000-01-01,left,,src\n\
         participation,SE,PFP,,,,1999-01-01,,,,src\n\
         participation,SE,MD,,,,1999-01-01,,,,src\n"
    );
    let Err(ServiceError::InvalidFile(problems)) =
        app.services.registry.import(overlap.as_bytes(), FileFormat::Csv, "test").await
    else {
        panic!("the overlapping file should be refused");
    };
    let report: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(report.len(), 2, "{report:?}");
    assert!(report[0].starts_with("line 5: participation of `SE` in `PFP` overlaps"), "{report:?}");
    assert_eq!(report[1], "line 6: unknown framework `MD`");

    assert_eq!(app.services.registry.revision().await.unwrap(), revision, "nothing was written");
    assert_eq!(String::from_utf8(app.services.registry.export(FileFormat::Csv).await.unwrap()).unwrap(), before);
}

async fn export_and_import_round_trip(app: TestApp) {
    for format in [FileFormat::Csv, FileFormat::Json] {
        let exported = app.services.registry.export(format).await.unwrap();
        let summary = app.services.registry.import(&exported, format, "test").await.unwrap();
        assert_eq!(summary.nations, 80);
        assert!(
            app.services.registry.export(format).await.unwrap() == exported,
            "{format:?} export changed on re-import"
        );
    }
    let csv = app.services.registry.export(FileFormat::Csv).await.unwrap();
    let reference = entente::service::registry::REFERENCE_DATASET.as_bytes();
    let reread = entente::service::registry_file::parse(reference, FileFormat::Csv).unwrap();
    let rewritten = entente::service::registry_file::write(&reread, FileFormat::Csv).unwrap();
    assert!(csv == rewritten, "the database holds exactly the reference dataset");
}

async fn an_import_is_audited(app: TestApp) {
    let exported = app.services.registry.export(FileFormat::Json).await.unwrap();
    app.services.registry.import(&exported, FileFormat::Json, "cli:alice").await.unwrap();
    let actions = app.audit_actions().await;
    assert_eq!(
        actions,
        vec![
            ("system:reference-dataset".to_owned(), "registry.import".to_owned()),
            ("system:reference-dataset".to_owned(), "menu.reference".to_owned()),
            ("cli:alice".to_owned(), "registry.import".to_owned())
        ]
    );
}

async fn an_import_is_seen_at_once_by_the_api(app: TestApp) {
    let uri = "/api/v1/registry/status?at=2024-03-07";
    let sweden = |body: &serde_json::Value| {
        body["nations"].as_array().unwrap().iter().find(|n| n["nation"] == "SE").map(|n| n["status"].clone())
    };
    assert_eq!(sweden(&app.get_json(uri).await), Some("member".into()));
    let csv = String::from_utf8(app.services.registry.export(FileFormat::Csv).await.unwrap()).unwrap();
    let without_swedish_membership: String =
        csv.lines().filter(|l| !l.starts_with("membership,SE,")).map(|l| format!("{l}\n")).collect();
    app.services.registry.import(without_swedish_membership.as_bytes(), FileFormat::Csv, "test").await.unwrap();
    assert_eq!(sweden(&app.get_json(uri).await), None, "the answer kept for the old registry is not served");
}
