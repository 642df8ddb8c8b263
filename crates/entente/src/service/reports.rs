//! A nation's yearly progress report as an Excel workbook: a summary sheet, one sheet per
//! programme and one for the PARP, each listing its goals and indicators with the latest
//! value, the progress (a number from 0 to 1, or an empty cell where no data) and status.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::ServiceError;
use super::progress::{GoalProgress, NationProgress};

const HEADER: [&str; 12] = [
    "Objective",
    "Goal",
    "Indicator",
    "Unit",
    "Direction",
    "Baseline",
    "Target",
    "Target date",
    "Latest value",
    "Measured on",
    "Progress",
    "Status",
];

fn xl(e: XlsxError) -> ServiceError {
    ServiceError::Corrupt(format!("workbook: {e}"))
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(text: &str) -> String {
    text.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

fn write_optional(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), ServiceError> {
    if let Some(v) = value {
        sheet.write_number_with_format(row, col, v, format).map_err(xl)?;
    }
    Ok(())
}

fn goals_sheet(
    book: &mut Workbook,
    name: &str,
    goals: &[GoalProgress],
    bold: &Format,
    share: &Format,
) -> Result<(), ServiceError> {
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(name)).map_err(xl)?;
    for (col, title) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, bold).map_err(xl)?;
    }
    let mut row = 1u32;
    for goal in goals {
        let title = if goal.code.is_empty() { goal.title.clone() } else { format!("{} {}", goal.code, goal.title) };
        if goal.indicator_progress.is_empty() {
            sheet.write_string(row, 0, &goal.objective).map_err(xl)?;
            sheet.write_string(row, 1, &title).map_err(xl)?;
            sheet.write_string(row, 11, "no indicators").map_err(xl)?;
            row += 1;
        }
        for indicator in &goal.indicator_progress {
            // Strings are written as strings: nothing typed into Entente becomes a formula.
            sheet.write_string(row, 0, &goal.objective).map_err(xl)?;
            sheet.write_string(row, 1, &title).map_err(xl)?;
            sheet.write_string(row, 2, &indicator.title).map_err(xl)?;
            sheet.write_string(row, 3, &indicator.unit).map_err(xl)?;
            sheet.write_string(row, 4, &indicator.direction).map_err(xl)?;
            sheet.write_number(row, 5, indicator.baseline).map_err(xl)?;
            sheet.write_number(row, 6, indicator.target).map_err(xl)?;
            sheet.write_string(row, 7, &indicator.target_date).map_err(xl)?;
            if let Some(v) = indicator.value {
                sheet.write_number(row, 8, v).map_err(xl)?;
            }
            sheet.write_string(row, 9, indicator.measured_on.as_deref().unwrap_or("")).map_err(xl)?;
            write_optional(sheet, row, 10, indicator.progress, share)?;
            sheet.write_string(row, 11, indicator.status.as_deref().unwrap_or("no data")).map_err(xl)?;
            row += 1;
        }
    }
    sheet.autofit();
    Ok(())
}

/// The workbook of `progress` for the nation named `name`.
pub fn workbook(progress: &NationProgress, name: &str) -> Result<Vec<u8>, ServiceError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let share = Format::new().set_num_format("0%");
    {
        let summary = book.add_worksheet();
        summary.set_name("Summary").map_err(xl)?;
        let rows: [(&str, String); 4] = [
            ("Nation", format!("{name} ({})", progress.nation)),
            ("Year", progress.year.to_string()),
            ("Status", progress.status.clone().unwrap_or_else(|| "no data".into())),
            ("Marking", progress.marking.clone().unwrap_or_default()),
        ];
        for (i, (label, value)) in rows.iter().enumerate() {
            summary.write_string_with_format(i as u32, 0, *label, &bold).map_err(xl)?;
            summary.write_string(i as u32, 1, value).map_err(xl)?;
        }
        summary.write_string_with_format(4, 0, "Progress", &bold).map_err(xl)?;
        write_optional(summary, 4, 1, progress.progress, &share)?;
        summary.write_string_with_format(5, 0, "Previous year", &bold).map_err(xl)?;
        write_optional(summary, 5, 1, progress.previous, &share)?;
        summary.write_string_with_format(6, 0, "Indicators measured", &bold).map_err(xl)?;
        summary.write_string(6, 1, format!("{} of {}", progress.measured, progress.indicators)).map_err(xl)?;
        let header = ["Programme", "Title", "Programme status", "Progress", "Status", "Measured", "Indicators"];
        for (col, title) in header.iter().enumerate() {
            summary.write_string_with_format(8, col as u16, *title, &bold).map_err(xl)?;
        }
        let mut row = 9u32;
        for p in &progress.programmes {
            summary.write_string(row, 0, &p.code).map_err(xl)?;
            summary.write_string(row, 1, &p.title).map_err(xl)?;
            summary.write_string(row, 2, &p.programme_status).map_err(xl)?;
            write_optional(summary, row, 3, p.progress, &share)?;
            summary.write_string(row, 4, p.status.as_deref().unwrap_or("no data")).map_err(xl)?;
            summary.write_number(row, 5, p.measured as f64).map_err(xl)?;
            summary.write_number(row, 6, p.indicators as f64).map_err(xl)?;
            row += 1;
        }
        summary.write_string(row, 0, "PARP").map_err(xl)?;
        summary.write_string(row, 1, "Planning and Review Process").map_err(xl)?;
        write_optional(summary, row, 3, progress.parp.progress, &share)?;
        summary.write_string(row, 4, progress.parp.status.as_deref().unwrap_or("no data")).map_err(xl)?;
        summary.autofit();
    }
    for p in &progress.programmes {
        goals_sheet(&mut book, &p.code, &p.goals, &bold, &share)?;
    }
    goals_sheet(&mut book, "PARP", &progress.parp.goals, &bold, &share)?;
    book.save_to_buffer().map_err(xl)
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        assert_eq!(sheet_name("ITPP-GE-2026/v2 [draft]: a very long title indeed"), "ITPP-GE-2026v2 draft a very lon");
        assert!(sheet_name(&"x".repeat(40)).chars().count() <= 31);
    }
}
