//! A menu as a file: CSV or Excel (`.xlsx`), with the columns of the command-line contract
//! (`code,year,title_en,title_fr,area,kind,provider,open_to,marking,description_en,
//! description_fr`, then the optional `languages,default_seats`). Imports are
//! all-or-nothing and report every bad row with its line and column.

use entente_core::{Action, Caller, Marking, Registry};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::menu::{ActivityInput, Catalogue, MenuService, activity_record, check_activity, input_of, readable, row_of};
use super::registry_file::RowProblem;
use super::{ServiceError, spreadsheet};
use crate::store::menu::AreaTable;

/// The contract's columns, in order.
pub const MENU_COLUMNS: [&str; 11] = [
    "code",
    "year",
    "title_en",
    "title_fr",
    "area",
    "kind",
    "provider",
    "open_to",
    "marking",
    "description_en",
    "description_fr",
];

/// Columns an import may add after the contract's.
const OPTIONAL_COLUMNS: [&str; 2] = ["languages", "default_seats"];

/// CSV or Excel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuFormat {
    /// Comma-separated values.
    Csv,
    /// An Excel workbook: the first sheet.
    Xlsx,
}

impl MenuFormat {
    /// The format a file name's extension says.
    pub fn of_path(path: &str) -> Option<Self> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(MenuFormat::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(MenuFormat::Xlsx)
        } else {
            None
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MenuImport {
    /// Activities added.
    pub created: usize,
    /// Activities replaced.
    pub updated: usize,
}

fn file_problem(reason: String) -> ServiceError {
    ServiceError::InvalidFile(vec![RowProblem { location: "line 1".into(), field: None, reason }])
}

/// The file's rows as text cells, the header first.
fn cells(bytes: &[u8], format: MenuFormat) -> Result<Vec<Vec<String>>, ServiceError> {
    match format {
        MenuFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|e| {
                    ServiceError::InvalidFile(vec![RowProblem {
                        location: format!("line {}", i + 1),
                        field: None,
                        reason: e.to_string(),
                    }])
                })?;
                rows.push(record.iter().map(|c| spreadsheet::restore(c).to_owned()).collect());
            }
            Ok(rows)
        }
        MenuFormat::Xlsx => {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| file_problem(format!("not an Excel workbook: {e}")))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| file_problem("the workbook has no sheet".into()))?
                .map_err(|e| file_problem(e.to_string()))?;
            Ok(range.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect())
        }
    }
}

/// The rows of a menu file as typed activities, with their line numbers.
pub fn read(bytes: &[u8], format: MenuFormat) -> Result<Vec<(usize, ActivityInput)>, ServiceError> {
    let rows = cells(bytes, format)?;
    let Some(header) = rows.first() else { return Err(file_problem("the file is empty".into())) };
    let header: Vec<String> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_owned()).collect();
    let missing: Vec<&str> = MENU_COLUMNS.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Err(file_problem(format!("missing columns: {}", missing.join(", "))));
    }
    if let Some(extra) =
        header.iter().find(|h| !MENU_COLUMNS.contains(&h.as_str()) && !OPTIONAL_COLUMNS.contains(&h.as_str()))
    {
        return Err(file_problem(format!("unknown column `{extra}`")));
    }
    let index = |name: &str| header.iter().position(|h| h == name);
    Ok(rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, row)| {
            let cell =
                |name: &str| index(name).and_then(|i| row.get(i)).map(|c| c.trim().to_owned()).unwrap_or_default();
            (
                i + 1,
                ActivityInput {
                    code: cell("code"),
                    year: cell("year"),
                    title_en: cell("title_en"),
                    title_fr: cell("title_fr"),
                    description_en: cell("description_en"),
                    description_fr: cell("description_fr"),
                    area: cell("area"),
                    kind: cell("kind"),
                    provider: cell("provider"),
                    languages: cell("languages"),
                    marking: cell("marking"),
                    open_to: cell("open_to"),
                    default_seats: cell("default_seats"),
                },
            )
        })
        .collect())
}

impl MenuService {
    /// Imports a menu file: every row checked, every bad one reported, nothing stored
    /// unless all are good. A code already in its year's menu is replaced.
    pub async fn import(
        &self,
        actor: &Actor,
        registry: &Registry,
        bytes: &[u8],
        format: MenuFormat,
    ) -> Result<MenuImport, ServiceError> {
        actor.require(Action::Create, activity_record(&Marking::public()))?;
        let rows = read(bytes, format)?;
        let mut tx = self.db.write().await?;
        let catalogue =
            Catalogue { areas: tx.areas(AreaTable::Areas).await?, bodies: tx.areas(AreaTable::Bodies).await? };
        let mut problems = Vec::new();
        let mut good = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (line, input) in &rows {
            let location = format!("line {line}");
            match check_activity(input, registry, &catalogue) {
                Err(e) => problems.push(RowProblem { location, field: Some(e.field.into()), reason: e.reason }),
                Ok(activity) if !seen.insert((activity.year, activity.code.clone())) => problems.push(RowProblem {
                    location,
                    field: Some("code".into()),
                    reason: format!("{} appears twice in the {} menu of the file", activity.code, activity.year),
                }),
                Ok(activity)
                    if !entente_core::authorize(&actor.caller, Action::Create, activity_record(&activity.marking))
                        .is_allowed() =>
                {
                    problems.push(RowProblem {
                        location,
                        field: Some("marking".into()),
                        reason: "above what you may create".into(),
                    })
                }
                Ok(activity) => good.push(activity),
            }
        }
        if !problems.is_empty() {
            return Err(ServiceError::InvalidFile(problems));
        }
        let mut summary = MenuImport { created: 0, updated: 0 };
        for activity in &good {
            let row = row_of(activity, registry, false);
            match tx.activity(activity.code.as_str(), Some(i64::from(activity.year))).await? {
                Some(existing) => {
                    tx.update_activity(existing.id, &row).await?;
                    summary.updated += 1;
                }
                None => {
                    tx.insert_activity(&row).await?;
                    summary.created += 1;
                }
            }
        }
        append(&mut tx, &actor.label, "menu.import", json!({ "created": summary.created, "updated": summary.updated }))
            .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The activities of `year` the caller may read, as a file.
    pub async fn export(
        &self,
        caller: &Caller,
        registry: &Registry,
        year: i64,
        format: MenuFormat,
    ) -> Result<Vec<u8>, ServiceError> {
        let rows = self.db.read().await?.menu(year).await?;
        let visible: std::collections::BTreeSet<String> =
            readable(caller, registry, &rows)?.into_iter().map(|a| a.code.to_string()).collect();
        let header: Vec<&str> = MENU_COLUMNS.iter().chain(OPTIONAL_COLUMNS.iter()).copied().collect();
        let lines: Vec<[String; 13]> = rows
            .iter()
            .filter(|r| visible.contains(&r.code))
            .map(|r| {
                let i = input_of(r);
                [
                    i.code,
                    i.year,
                    i.title_en,
                    i.title_fr,
                    i.area,
                    i.kind,
                    i.provider,
                    i.open_to,
                    i.marking,
                    i.description_en,
                    i.description_fr,
                    i.languages,
                    i.default_seats,
                ]
            })
            .collect();
        match format {
            MenuFormat::Csv => {
                let mut writer = spreadsheet::writer(Vec::new());
                let io = |e: csv::Error| ServiceError::Corrupt(e.to_string());
                spreadsheet::write_row(&mut writer, &header).map_err(io)?;
                for line in &lines {
                    spreadsheet::write_row(&mut writer, line).map_err(io)?;
                }
                writer.into_inner().map_err(|e| ServiceError::Corrupt(e.to_string()))
            }
            MenuFormat::Xlsx => {
                let mut book = rust_xlsxwriter::Workbook::new();
                let sheet = book.add_worksheet();
                let xl = |e: rust_xlsxwriter::XlsxError| ServiceError::Corrupt(e.to_string());
                for (col, name) in header.iter().enumerate() {
                    sheet.write_string(0, col as u16, *name).map_err(xl)?;
                }
                for (row, line) in lines.iter().enumerate() {
                    for (col, cell) in line.iter().enumerate() {
                        // Strings throughout: a year or a code stays text, and nothing is
                        // ever a formula.
                        sheet.write_string(row as u32 + 1, col as u16, cell).map_err(xl)?;
                    }
                }
                book.save_to_buffer().map_err(xl)
            }
        }
    }
}
