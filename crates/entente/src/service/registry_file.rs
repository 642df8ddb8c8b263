//! The registry file: one CSV (or JSON) document holding nations, organisations,
//! frameworks, memberships and participations. The embedded reference dataset, `entente
//! import registry` and `entente export registry` all use it, so an export re-imports
//! unchanged.
//!
//! CSV columns: `record,code,framework,name_en,name_fr,kind,start,end,end_reason,note,source`,
//! where `record` is `nation`, `organisation`, `framework`, `membership` or `participation`
//! and `code` is the nation's code for memberships and participations.

use entente_core::{
    Bound, EndReason, Framework, FrameworkKind, Interval, Membership, Nation, Organisation, Participation, Provenance,
    RecordRef, Registry, RegistryParts,
};
use serde::{Deserialize, Serialize};

/// The CSV header, in order.
pub const CSV_COLUMNS: [&str; 11] =
    ["record", "code", "framework", "name_en", "name_fr", "kind", "start", "end", "end_reason", "note", "source"];

/// A registry file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values, one record a row.
    Csv,
    /// One JSON object with a list per kind of record.
    Json,
}

/// One problem in a registry file, located for the person who will fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Where: `line 12` (CSV) or `participations[3]` (JSON).
    pub location: String,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}, column `{field}`: {}", self.location, self.reason),
            None => write!(f, "{}: {}", self.location, self.reason),
        }
    }
}

/// A record as written, before its values are checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct RawRecord {
    record: String,
    code: String,
    framework: String,
    name_en: String,
    name_fr: String,
    kind: String,
    start: String,
    end: String,
    end_reason: String,
    note: String,
    source: String,
}

impl RawRecord {
    /// Every cell through `f`.
    fn map(&self, f: impl Fn(&str) -> String) -> Self {
        RawRecord {
            record: f(&self.record),
            code: f(&self.code),
            framework: f(&self.framework),
            name_en: f(&self.name_en),
            name_fr: f(&self.name_fr),
            kind: f(&self.kind),
            start: f(&self.start),
            end: f(&self.end),
            end_reason: f(&self.end_reason),
            note: f(&self.note),
            source: f(&self.source),
        }
    }

    /// As written to CSV, no cell readable as a formula.
    fn neutralised(&self) -> Self {
        self.map(|cell| super::spreadsheet::neutralise(cell).into_owned())
    }

    /// As read from CSV, the neutralising apostrophes taken off.
    fn restored(&self) -> Self {
        self.map(|cell| super::spreadsheet::restore(cell).to_owned())
    }
}

/// The JSON form: a list per kind of record, each with the fields its kind uses.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile {
    #[serde(default)]
    nations: Vec<RawRecord>,
    #[serde(default)]
    organisations: Vec<RawRecord>,
    #[serde(default)]
    frameworks: Vec<RawRecord>,
    #[serde(default)]
    memberships: Vec<RawRecord>,
    #[serde(default)]
    participations: Vec<RawRecord>,
}

/// Reads a registry file and checks it whole, reporting every problem at once.
pub fn parse(bytes: &[u8], format: FileFormat) -> Result<Registry, Vec<RowProblem>> {
    let located = match format {
        FileFormat::Csv => read_csv(bytes)?,
        FileFormat::Json => read_json(bytes)?,
    };
    build(located)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<(String, RawRecord)>, Vec<RowProblem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header_problem = |reason: String| vec![RowProblem { location: "line 1".into(), field: None, reason }];
    let headers = reader.headers().map_err(|e| header_problem(e.to_string()))?.clone();
    if headers.iter().collect::<Vec<_>>() != CSV_COLUMNS {
        return Err(header_problem(format!("the header must be `{}`", CSV_COLUMNS.join(","))));
    }
    let lines = LineIndex::new(bytes);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for result in reader.deserialize::<RawRecord>() {
        match result {
            Ok(record) => rows.push(record.restored()),
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p));
                problems.push(RowProblem { location: format!("line {line}"), field: None, reason: e.to_string() });
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Line numbers count the header as line 1, from each record's byte position (so that
    // quoted line breaks count right).
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let starts: Vec<u64> =
        reader.records().filter_map(Result::ok).map(|r| r.position().map_or(0, |p| lines.line_of(p))).collect();
    Ok(rows.into_iter().zip(starts).map(|(row, line)| (format!("line {line}"), row)).collect())
}

/// Where each line of a file starts, to name the line of a reader's position. The csv
/// reader's own line count lags by one after each CRLF line end, as in the files Entente
/// exports; byte offsets do not.
struct LineIndex<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let newlines = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect();
        Self { bytes, newlines }
    }

    /// The 1-based line of the record at `position` (a position on the line end before a
    /// record belongs to the record's line).
    fn line_of(&self, position: &csv::Position) -> u64 {
        let byte = usize::try_from(position.byte()).unwrap_or(self.bytes.len());
        let start = if self.bytes.get(byte) == Some(&b'\n') { byte + 1 } else { byte };
        let before = self.newlines.partition_point(|&n| n < start);
        u64::try_from(before).unwrap_or(0) + 1
    }
}

fn read_json(bytes: &[u8]) -> Result<Vec<(String, RawRecord)>, Vec<RowProblem>> {
    let file: JsonFile = serde_json::from_slice(bytes).map_err(|e| {
        vec![RowProblem {
            location: format!("line {}, column {}", e.line(), e.column()),
            field: None,
            reason: e.to_string(),
        }]
    })?;
    let mut located = Vec::new();
    let lists = [
        ("nations", "nation", file.nations),
        ("organisations", "organisation", file.organisations),
        ("frameworks", "framework", file.frameworks),
        ("memberships", "membership", file.memberships),
        ("participations", "participation", file.participations),
    ];
    for (list, kind, records) in lists {
        for (i, mut record) in records.into_iter().enumerate() {
            record.record = kind.to_owned();
            located.push((format!("{list}[{i}]"), record));
        }
    }
    Ok(located)
}

/// Converts located raw records into a checked registry.
fn build(located: Vec<(String, RawRecord)>) -> Result<Registry, Vec<RowProblem>> {
    let mut parts = RegistryParts::default();
    let mut origins: [Vec<String>; 5] = Default::default();
    let mut problems = Vec::new();
    for (location, raw) in located {
        let mut check = Checker { location: &location, problems: &mut problems };
        match raw.record.as_str() {
            "nation" => {
                if let Some(code) = check.value("code", &raw.code, |t| t.parse()) {
                    let (name_en, name_fr) = check.names(&raw);
                    parts.nations.push(Nation { code, name_en, name_fr });
                    origins[0].push(location);
                }
            }
            "organisation" => {
                if let Some(code) = check.value("code", &raw.code, |t| t.parse()) {
                    let (name_en, name_fr) = check.names(&raw);
                    parts.organisations.push(Organisation { code, name_en, name_fr });
                    origins[1].push(location);
                }
            }
            "framework" => {
                let code = check.value("code", &raw.code, |t| t.parse());
                let kind = check.value("kind", &raw.kind, |t| {
                    FrameworkKind::parse(t).ok_or("expected `partnership` or `dialogue`")
                });
                let (name_en, name_fr) = check.names(&raw);
                if let (Some(code), Some(kind)) = (code, kind) {
                    parts.frameworks.push(Framework {
                        code,
                        name_en,
                        name_fr,
                        kind,
                        description: raw.note.clone(),
                        source: raw.source.clone(),
                    });
                    origins[2].push(location);
                }
            }
            "membership" => {
                let nation = check.value("code", &raw.code, |t| t.parse());
                let timing = check.timing(&raw);
                if let (Some(nation), Some((interval, end_reason))) = (nation, timing) {
                    parts.memberships.push(Membership { nation, interval, end_reason, provenance: provenance(&raw) });
                    origins[3].push(location);
                }
            }
            "participation" => {
                let nation = check.value("code", &raw.code, |t| t.parse());
                let framework = check.value("framework", &raw.framework, |t| t.parse());
                let timing = check.timing(&raw);
                if let (Some(nation), Some(framework), Some((interval, end_reason))) = (nation, framework, timing) {
                    let provenance = provenance(&raw);
                    parts.participations.push(Participation { nation, framework, interval, end_reason, provenance });
                    origins[4].push(location);
                }
            }
            other => check.fail(
                "record",
                format!(
                    "unknown record `{other}`: expected nation, organisation, framework, membership or participation"
                ),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Registry::new(parts).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let (list, i) = match e.record {
                    RecordRef::Nation(i) => (0, i),
                    RecordRef::Organisation(i) => (1, i),
                    RecordRef::Framework(i) => (2, i),
                    RecordRef::Membership(i) => (3, i),
                    RecordRef::Participation(i) => (4, i),
                };
                let location = origins[list].get(i).cloned().unwrap_or_default();
                RowProblem { location, field: None, reason: e.reason }
            })
            .collect()
    })
}

fn provenance(raw: &RawRecord) -> Provenance {
    Provenance { note: raw.note.clone(), source: raw.source.clone() }
}

/// Checks one record's fields, collecting problems instead of stopping at the first.
struct Checker<'a> {
    location: &'a str,
    problems: &'a mut Vec<RowProblem>,
}

impl Checker<'_> {
    fn fail(&mut self, field: &str, reason: String) {
        self.problems.push(RowProblem { location: self.location.to_owned(), field: Some(field.into()), reason });
    }

    fn value<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        text: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        match parse(text) {
            Ok(value) => Some(value),
            Err(e) if text.is_empty() => {
                self.fail(field, format!("is required ({e})"));
                None
            }
            Err(e) => {
                self.fail(field, e.to_string());
                None
            }
        }
    }

    fn names(&mut self, raw: &RawRecord) -> (String, String) {
        for (field, value) in [("name_en", &raw.name_en), ("name_fr", &raw.name_fr)] {
            if value.trim().is_empty() {
                self.fail(field, "is required".into());
            }
        }
        (raw.name_en.clone(), raw.name_fr.clone())
    }

    fn timing(&mut self, raw: &RawRecord) -> Option<(Interval, Option<EndReason>)> {
        let start: Option<Bound> = self.value("start", &raw.start, str::parse);
        let end: Option<Option<Bound>> =
            if raw.end.is_empty() { Some(None) } else { self.value("end", &raw.end, str::parse).map(Some) };
        let end_reason = match raw.end_reason.as_str() {
            "" => Some(None),
            text => self.value("end_reason", text, |t| {
                EndReason::parse(t).map(Some).ok_or("expected left, accession, suspended or replaced")
            }),
        };
        let (start, end, end_reason) = (start?, end?, end_reason?);
        if end.is_none() && end_reason.is_some() {
            self.fail("end_reason", "is given but the interval has no end".into());
            return None;
        }
        match Interval::new(start, end) {
            Ok(interval) => Some((interval, end_reason)),
            Err(e) => {
                self.fail("end", e.to_string());
                None
            }
        }
    }
}

/// Writes a registry in `format`.
pub fn write(registry: &Registry, format: FileFormat) -> Result<Vec<u8>, std::io::Error> {
    let records = records_of(registry);
    match format {
        FileFormat::Csv => {
            let mut writer = super::spreadsheet::writer(Vec::new());
            for (_, record) in &records {
                writer.serialize(record.neutralised())?;
            }
            writer.into_inner().map_err(|e| e.into_error())
        }
        FileFormat::Json => {
            let mut file = JsonFile::default();
            for (list, record) in records {
                match list {
                    0 => file.nations.push(record),
                    1 => file.organisations.push(record),
                    2 => file.frameworks.push(record),
                    3 => file.memberships.push(record),
                    _ => file.participations.push(record),
                }
            }
            let mut bytes = serde_json::to_vec_pretty(&file)?;
            bytes.push(b'\n');
            Ok(bytes)
        }
    }
}

fn records_of(registry: &Registry) -> Vec<(u8, RawRecord)> {
    let named = |record: &str, code: &str, en: &str, fr: &str| RawRecord {
        record: record.into(),
        code: code.into(),
        name_en: en.into(),
        name_fr: fr.into(),
        ..RawRecord::default()
    };
    let timed =
        |record: &str, nation: &str, interval: &Interval, reason: Option<EndReason>, p: &Provenance| RawRecord {
            record: record.into(),
            code: nation.into(),
            start: interval.start().to_string(),
            end: interval.end().map(|e| e.to_string()).unwrap_or_default(),
            end_reason: reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            note: p.note.clone(),
            source: p.source.clone(),
            ..RawRecord::default()
        };
    let mut out = Vec::new();
    out.extend(registry.nations().map(|n| (0, named("nation", n.code.as_str(), &n.name_en, &n.name_fr))));
    out.extend(registry.organisations().map(|o| (1, named("organisation", o.code.as_str(), &o.name_en, &o.name_fr))));
    out.extend(registry.frameworks().map(|f| {
        let mut record = named("framework", f.code.as_str(), &f.name_en, &f.name_fr);
        record.kind = f.kind.as_str().into();
        record.note = f.description.clone();
        record.source = f.source.clone();
        (2, record)
    }));
    out.extend(
        registry
            .memberships()
            .iter()
            .map(|m| (3, timed("membership", m.nation.as_str(), &m.interval, m.end_reason, &m.provenance))),
    );
    out.extend(registry.participations().iter().map(|p| {
        let mut record = timed("participation", p.nation.as_str(), &p.interval, p.end_reason, &p.provenance);
        record.framework = p.framework.to_string();
        (4, record)
    }));
    out
}
