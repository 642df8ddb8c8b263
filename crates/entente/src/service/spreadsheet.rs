//! CSV as spreadsheets read it: RFC 4180 line endings (CRLF), and cells that a spreadsheet
//! would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
//! neutralised with a leading apostrophe, which spreadsheets show as text. Entente's own
//! importer takes the apostrophe off again, so a file exported and imported is unchanged.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as it is written: with an apostrophe before a formula's first character.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// A cell as read back: the apostrophe [`neutralise`] added is taken off.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A CSV writer with CRLF line endings.
pub fn writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out)
}

/// Writes one row, every cell neutralised.
pub fn write_row<W: std::io::Write, S: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    let cells: Vec<String> = cells.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect();
    writer.write_record(&cells)
}

#[cfg(test)]
mod tests {
    use super::{neutralise, restore, write_row, writer};

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for cell in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
            assert_eq!(restore(&neutralise(cell)), cell);
        }
        assert_eq!(neutralise("Georgia"), "Georgia");
        assert_eq!(restore("'quoted on purpose"), "'quoted on purpose");
    }

    #[test]
    fn rows_end_with_crlf() {
        let mut w = writer(Vec::new());
        write_row(&mut w, ["a", "=1"]).unwrap();
        write_row(&mut w, ["b", "c"]).unwrap();
        assert_eq!(String::from_utf8(w.into_inner().unwrap()).unwrap(), "a,'=1\r\nb,c\r\n");
    }
}
