//! Record forms: the create and edit forms of the menu's records (activities, events,
//! council decisions, policies), drawn by one template. A refused field's reason is shown
//! next to that field; a refusal that names no field of the form, above it.

use askama::Template;
use axum::http::StatusCode;

use super::{Chrome, PageResult, render};
use crate::http::i18n::Lang;
use crate::service::ServiceError;

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Date,
    Number,
    LongText,
    /// One of the field's options.
    Choice,
    /// Shown, not typed: the record keeps it.
    Fixed,
    /// Neither shown nor typed: tells the handler which form was sent.
    Hidden,
}

/// One field of a record form.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub input: Input,
    /// Value and label of each choice (for [`Input::Choice`]).
    pub options: Vec<(String, String)>,
    pub hint: String,
    pub required: bool,
    /// Other names the services give this field in their refusals (the decision's
    /// `nations` field is refused as `nation`).
    pub also: &'static [&'static str],
    pub error: Option<String>,
}

impl Field {
    fn new(name: &'static str, label: String, value: &str, input: Input) -> Self {
        Self {
            name,
            label,
            value: value.to_owned(),
            input,
            options: Vec::new(),
            hint: String::new(),
            required: false,
            also: &[],
            error: None,
        }
    }

    /// A one-line text field.
    pub fn text(name: &'static str, label: String, value: &str) -> Self {
        Self::new(name, label, value, Input::Text)
    }

    /// A day.
    pub fn date(name: &'static str, label: String, value: &str) -> Self {
        Self::new(name, label, value, Input::Date)
    }

    /// A whole number.
    pub fn number(name: &'static str, label: String, value: &str) -> Self {
        Self::new(name, label, value, Input::Number)
    }

    /// A text of several lines.
    pub fn long_text(name: &'static str, label: String, value: &str) -> Self {
        Self::new(name, label, value, Input::LongText)
    }

    /// One of `options`; an empty first option when the field may be left empty.
    pub fn choice(name: &'static str, label: String, value: &str, options: Vec<(String, String)>) -> Self {
        Self { options, ..Self::new(name, label, value, Input::Choice) }
    }

    /// A value the record keeps, shown and sent back unchanged.
    pub fn fixed(name: &'static str, label: String, value: &str) -> Self {
        Self::new(name, label, value, Input::Fixed)
    }

    /// A value sent back unseen.
    pub fn hidden(name: &'static str, value: &str) -> Self {
        Self::new(name, String::new(), value, Input::Hidden)
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: String) -> Self {
        self.hint = hint;
        self
    }

    pub fn also(mut self, names: &'static [&'static str]) -> Self {
        self.also = names;
        self
    }

    /// The HTML input type of a one-line field.
    pub fn html_type(&self) -> &'static str {
        match self.input {
            Input::Date => "date",
            Input::Number => "number",
            _ => "text",
        }
    }

    pub fn is_long(&self) -> bool {
        self.input == Input::LongText
    }

    pub fn is_choice(&self) -> bool {
        self.input == Input::Choice
    }

    pub fn is_hidden(&self) -> bool {
        self.input == Input::Hidden
    }

    pub fn is_fixed(&self) -> bool {
        self.input == Input::Fixed
    }

    /// The ids of the hint and the error that describe the field.
    pub fn described_by(&self) -> String {
        let hint = (!self.hint.is_empty()).then(|| format!("f-{}-hint", self.name));
        let error = self.error.is_some().then(|| format!("f-{}-error", self.name));
        hint.into_iter().chain(error).collect::<Vec<_>>().join(" ")
    }

    fn answers_to(&self, field: &str) -> bool {
        self.name == field || self.also.contains(&field)
    }
}

/// A record form: where it posts, its fields and what went wrong.
pub struct RecordForm {
    pub heading: String,
    pub lede: String,
    pub action: String,
    pub submit: String,
    /// Where "cancel" leads.
    pub back: String,
    pub fields: Vec<Field>,
    /// A refusal that names no field of the form.
    pub error: Option<String>,
}

impl RecordForm {
    pub fn new(heading: String, action: String, submit: String, back: String, fields: Vec<Field>) -> Self {
        Self { heading, lede: String::new(), action, submit, back, fields, error: None }
    }

    pub fn lede(mut self, lede: String) -> Self {
        self.lede = lede;
        self
    }

    /// Puts a refusal in words next to the field it names, or above the form; the fields
    /// keep what was typed. Only refusals of what was typed are shown on the form: others
    /// (a refused role, a failing database) fail the request as they would anywhere.
    pub fn refused(mut self, error: ServiceError, lang: Lang) -> Result<(Self, StatusCode), ServiceError> {
        let status = match &error {
            ServiceError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::Conflict(_) => StatusCode::CONFLICT,
            _ => return Err(error),
        };
        let message = super::error_message(&error, lang);
        let field = match &error {
            ServiceError::Invalid { field, .. } => self.fields.iter_mut().find(|f| f.answers_to(field)),
            _ => None,
        };
        match field {
            Some(field) => field.error = Some(message),
            None => self.error = Some(message),
        }
        Ok((self, status))
    }

    /// Whether a field was refused (the page then says so above the form as well, for
    /// those who read from the top).
    pub fn has_field_error(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct RecordFormPage {
    chrome: Chrome,
    form: RecordForm,
}

/// Renders the form with `status`.
pub fn show(chrome: Chrome, form: RecordForm, status: StatusCode) -> PageResult {
    Ok(render(status, &RecordFormPage { chrome, form }))
}

/// Shows the form again after a refusal, or fails the request.
pub fn show_refused(chrome: Chrome, form: RecordForm, error: ServiceError, lang: Lang) -> PageResult {
    let (form, status) = form.refused(error, lang)?;
    show(chrome, form, status)
}

/// The values typed in a form, by name; a name not sent reads as empty.
pub struct Typed(pub std::collections::HashMap<String, String>);

impl Typed {
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).map(|v| v.trim().to_owned()).unwrap_or_default()
    }

    /// A decimal number (a point or a comma before the decimals); a refusal names the field.
    pub fn decimal(&self, name: &str) -> Result<f64, crate::service::ServiceError> {
        let text = self.get(name);
        text.replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            crate::service::ServiceError::Invalid {
                field: name.to_owned(),
                reason: crate::service::Reason::NotANumber(text),
            }
        })
    }

    /// A whole number; a refusal names the field.
    pub fn number(&self, name: &str) -> Result<i64, crate::service::ServiceError> {
        let text = self.get(name);
        text.parse().map_err(|_| crate::service::ServiceError::Invalid {
            field: name.to_owned(),
            reason: crate::service::Reason::NotANumber(text),
        })
    }
}

/// The nation the caller works for, if she works for one.
pub fn own_nation(caller: &entente_core::Caller) -> Option<entente_core::NationCode> {
    match caller {
        entente_core::Caller::User(p) => match p.affiliation {
            entente_core::Affiliation::Nation(n) => Some(n),
            _ => None,
        },
        entente_core::Caller::Anonymous => None,
    }
}

/// The options of a closed list, with an empty first choice when the field is optional.
pub fn options(items: impl IntoIterator<Item = (String, String)>, empty: Option<String>) -> Vec<(String, String)> {
    empty.map(|label| (String::new(), label)).into_iter().chain(items).collect()
}
