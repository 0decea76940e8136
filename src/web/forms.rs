//! The one form kit of the web layer (STYLE.md section 4.6): the problems found in a submitted
//! form by field, their messages in the page's language (with a summary linking to each field),
//! select and checkbox choices, fields described as data ([`Field`], for a form drawn from a
//! list), forms posted as pairs, and the checks of typed text and numbers. Templates render
//! fields with `templates/macros/forms.html`: the control's id is `f-{name}`, its message's
//! [`FieldMessages::message_id`].

use std::collections::BTreeMap;

use fluent_templates::fluent_bundle::FluentValue;

use crate::web::context::PageContext;

/// One problem with one field: its message key and the message's arguments.
#[derive(Debug, Clone, PartialEq)]
struct FieldError {
    field: &'static str,
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

/// The problems found in a submitted form, by field (the first problem of a field wins).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Notes a problem with a field.
    pub fn add(&mut self, field: &'static str, key: &'static str) {
        self.add_with(field, key, Vec::new());
    }

    /// Notes a problem whose message names something (`{ $name }` in the catalogue).
    pub fn add_with(
        &mut self,
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        if !self.has(field) {
            self.0.push(FieldError { field, key, args });
        }
    }

    /// Whether a field has a problem already.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// Whether the form is fine.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message keys by field (for tests and logs).
    pub fn keys(&self) -> Vec<(&'static str, &'static str)> {
        self.0.iter().map(|e| (e.field, e.key)).collect()
    }

    /// The messages in the page's language, ready for the template.
    pub fn localise(&self, ctx: &PageContext) -> FieldMessages {
        let in_order: Vec<(String, String)> = self
            .0
            .iter()
            .map(|e| {
                let args: Vec<(&'static str, FluentValue<'static>)> = e
                    .args
                    .iter()
                    .map(|(name, value)| (*name, FluentValue::from(value.clone())))
                    .collect();
                (e.field.to_owned(), ctx.lang.t_args(e.key, &args))
            })
            .collect();
        FieldMessages {
            by_field: in_order.iter().cloned().collect(),
            in_order,
            id_prefix: None,
        }
    }
}

/// Field messages in the page's language, looked up by field name in templates.
#[derive(Debug, Clone, Default)]
pub struct FieldMessages {
    by_field: BTreeMap<String, String>,
    /// (field, the summary's line).
    in_order: Vec<(String, String)>,
    /// See [`FieldMessages::with_ids`].
    id_prefix: Option<&'static str>,
}

impl FieldMessages {
    /// Messages already in the page's language, in the form's order: the field, its message,
    /// and the summary's line for it (the message itself, or the field's label before it).
    pub fn from_lines(lines: Vec<(String, String, String)>) -> Self {
        FieldMessages {
            by_field: lines
                .iter()
                .map(|(field, message, _)| (field.clone(), message.clone()))
                .collect(),
            in_order: lines
                .into_iter()
                .map(|(field, _, line)| (field, line))
                .collect(),
            id_prefix: None,
        }
    }

    /// The same messages, each with the id `{prefix}{field}` instead of `{field}-error` (the
    /// person form's, which its tests and links name).
    #[must_use]
    pub fn with_ids(self, prefix: &'static str) -> Self {
        FieldMessages {
            id_prefix: Some(prefix),
            ..self
        }
    }

    /// The id of a field's message, which its control's `aria-describedby` names.
    pub fn message_id(&self, field: &str) -> String {
        match self.id_prefix {
            Some(prefix) => format!("{prefix}{field}"),
            None => format!("{field}-error"),
        }
    }

    /// The message of a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.by_field.get(field).map(String::as_str)
    }

    /// Whether any field has a message (the form shows a summary then).
    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    /// (field, message) in the order the problems were found (the form's order), for the
    /// summary that links to each field.
    pub fn in_order(&self) -> &[(String, String)] {
        &self.in_order
    }
}

/// One option of a select or one checkbox of a set.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Whether it is selected or checked.
    pub is_selected: bool,
}

/// A field described as data, for a form drawn from a list of them (`forms::field` in
/// `templates/macros/forms.html`); its message comes from the form's [`FieldMessages`].
#[derive(Debug, Clone)]
pub struct Field {
    /// Input name (and, after `f-`, the control's id).
    pub name: &'static str,
    /// Label, in the page's language.
    pub label: String,
    /// `text`, `date`, `number`, `tel`, `select` or `textarea`.
    pub kind: &'static str,
    /// `inputmode` for touch keyboards (`numeric`, `decimal`, or empty).
    pub inputmode: &'static str,
    /// Current value (of a select: its choices say which is selected).
    pub value: String,
    /// Choices of a select (the first, empty one included where the field is optional).
    pub choices: Vec<Choice>,
    /// Whether the field must be filled (marked `*`; `required` on a plain input).
    pub required: bool,
    /// A hint under the field, or empty.
    pub hint: String,
}

/// A form posted as pairs, for forms with repeated fields (checkbox sets).
#[derive(Debug, Clone, Default)]
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    /// The first value of a field, or an empty text.
    pub fn value(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of a repeated field, in order, without repeats.
    pub fn values(&self, name: &str) -> Vec<String> {
        let mut values: Vec<String> = Vec::new();
        for (k, v) in &self.0 {
            if k == name && !values.contains(v) {
                values.push(v.clone());
            }
        }
        values
    }
}

/// A one-line text: trimmed, not empty, at most `max_chars` characters, no control characters
/// (PostgreSQL refuses NUL, and line breaks have no place in a name). Returns the message key of
/// the problem.
pub fn single_line(text: &str, max_chars: usize) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("admin-error-required");
    }
    if text.chars().count() > max_chars {
        return Err("admin-error-too-long");
    }
    if text.chars().any(char::is_control) {
        return Err("admin-error-control-characters");
    }
    Ok(text.to_owned())
}

/// Checks a one-line text field, noting its problem; the trimmed text either way.
pub fn checked_line(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    max_chars: usize,
) -> String {
    match single_line(text, max_chars) {
        Ok(text) => text,
        Err(key) => {
            errors.add(field, key);
            text.trim().to_owned()
        }
    }
}

/// A whole number typed by a person: surrounding spaces and digit-group spaces are ignored.
pub fn parse_integer(text: &str) -> Option<i64> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    digits.parse().ok()
}

/// A decimal number typed by a person (a decimal comma is accepted); `None` when it is not one.
pub fn parse_decimal(text: &str) -> Option<f64> {
    text.trim().replace(',', ".").parse::<f64>().ok()
}

/// The optimistic-locking version a form carries back.
pub fn parse_version(text: &str) -> Option<i32> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_texts_are_trimmed_and_control_characters_refused() {
        assert_eq!(single_line("  Ivanov  ", 10), Ok("Ivanov".to_owned()));
        assert_eq!(single_line("   ", 10), Err("admin-error-required"));
        assert_eq!(
            single_line("a\u{0}b", 10),
            Err("admin-error-control-characters")
        );
        assert_eq!(
            single_line("a\nb", 10),
            Err("admin-error-control-characters")
        );
        assert_eq!(single_line("абвгдеёжзий", 10), Err("admin-error-too-long"));
    }

    #[test]
    fn numbers_accept_the_ways_people_type_them() {
        assert_eq!(parse_integer(" 12 500 "), Some(12_500));
        assert_eq!(parse_integer("12a"), None);
        assert_eq!(parse_decimal("53,21"), Some(53.21));
        assert_eq!(parse_decimal(""), None);
    }

    #[test]
    fn the_first_problem_of_a_field_is_kept() {
        let mut errors = FieldErrors::default();
        errors.add("login", "admin-error-required");
        errors.add("login", "admin-error-login-taken");
        assert_eq!(errors.keys(), [("login", "admin-error-required")]);
    }
}
