//! Page structs and view rows of the registry, and the person form's fields.
//!
//! Long file: the registry's page types and their field makers, one short function per section.

use askama::Template;
use askama_web::WebTemplate;
use fluent_templates::fluent_bundle::FluentValue;

use crate::domain::PersonId;
use crate::domain::person::{PersonStatus, RiskTier, Severity, Sex, SupervisionKind};
use crate::domain::person_record::{FieldError, PersonRecord};
use crate::web::context::PageContext;
use crate::web::forms::{Choice, Field as FormField, FieldMessages};
use crate::web::pagination::KeysetPager;
use crate::web::paths;

/// One row of the person list, ready to print.
#[derive(Debug, Clone)]
pub struct PersonListItem {
    /// The person's page.
    pub href: String,
    /// Full name.
    pub name: String,
    /// IIN with all but the last four digits hidden.
    pub masked_iin: String,
    /// District name.
    pub district: String,
    /// Tier word (for the badge's class and label key).
    pub risk_tier: String,
    /// Status word.
    pub status: String,
    /// Supervision kind word.
    pub supervision_kind: String,
    /// Home address.
    pub home_address: String,
}

/// A choice of a filter's drop-down.
#[derive(Debug, Clone)]
pub struct FilterOption {
    /// Value sent.
    pub value: String,
    /// Label shown.
    pub label: String,
    /// Whether it is the current choice.
    pub is_selected: bool,
}

/// The list's filters as the form shows them.
#[derive(Debug, Clone, Default)]
pub struct ListFilters {
    /// Search text.
    pub q: String,
    /// District choices.
    pub districts: Vec<FilterOption>,
    /// Tier choices.
    pub tiers: Vec<FilterOption>,
    /// Status choices.
    pub statuses: Vec<FilterOption>,
    /// Supervision kind choices.
    pub kinds: Vec<FilterOption>,
    /// Sort choices.
    pub sorts: Vec<FilterOption>,
    /// The list's URL with every filter but the page's place, ending in `&`, for pagination
    /// links.
    pub pager_base: String,
}

/// `GET /registry/persons`.
#[derive(Template, WebTemplate)]
#[template(path = "registry/list.html")]
pub struct PersonListPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Rows of this page.
    pub persons: Vec<PersonListItem>,
    /// Filters.
    pub filters: ListFilters,
    /// Page.
    pub pagination: KeysetPager,
    /// Whether the link asked for a page by a cursor that could not be read (cut or edited):
    /// the first page is shown, with a message saying so.
    pub bad_link: bool,
}

/// One labelled value of the person page.
#[derive(Debug, Clone)]
pub struct Field {
    /// Label key.
    pub label_key: &'static str,
    /// Value, ready to print (empty: shown as a dash).
    pub value: String,
}

/// One visit of the person's history.
#[derive(Debug, Clone)]
pub struct VisitLine {
    /// When (device time, local).
    pub at: String,
    /// home or work.
    pub kind: String,
    /// Outcome, localised.
    pub outcome: String,
    /// Evidence quality word.
    pub evidence: String,
    /// Recorded far from the address.
    pub far: bool,
    /// Distance from the address, as text.
    pub distance: String,
}

/// One line of "who viewed or changed this record".
#[derive(Debug, Clone)]
pub struct AccessLine {
    /// Local time.
    pub at: String,
    /// Login.
    pub login: String,
    /// Action word.
    pub action: String,
    /// Where the record was seen, translated: the record itself, or a list (the registry, a
    /// plan, a route, a report) that showed it.
    pub via: String,
}

/// `GET /registry/persons/{id}`.
#[derive(Template, WebTemplate)]
#[template(path = "registry/person.html")]
pub struct PersonPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The person's edit form.
    pub edit_href: String,
    /// The SVG map (our own markup, numbers and escaped text only).
    pub map_svg: String,
    /// Visits, newest first.
    pub history: Vec<VisitLine>,
    /// Open follow-ups, as text.
    pub follow_ups: Vec<String>,
    /// Full name.
    pub name: String,
    /// Tier word.
    pub risk_tier: String,
    /// Status word.
    pub status: String,
    /// Identity and contact fields.
    pub identity: Vec<Field>,
    /// Conviction and supervision fields.
    pub conviction: Vec<Field>,
    /// Home and work fields.
    pub places: Vec<Field>,
    /// Recent access to the record.
    pub access: Vec<AccessLine>,
}

/// A titled group of fields.
#[derive(Debug, Clone)]
pub struct FormSection {
    /// Heading.
    pub title: String,
    /// Fields.
    pub fields: Vec<FormField>,
}

/// The person form, new or edit.
#[derive(Template)]
#[template(path = "registry/form.html")]
pub struct PersonFormPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The fields, in sections.
    pub sections: Vec<FormSection>,
    /// The refused fields' messages (the summary's lines name each field).
    pub errors: FieldMessages,
    /// Where the form posts.
    pub action: String,
    /// The version edited (0 for a new person).
    pub version: i32,
    /// The page's heading.
    pub title: String,
    /// Where "cancel" goes.
    pub cancel: String,
    /// The street map to set the home point on (empty without a road network).
    pub map_svg: String,
}

/// Both versions of a person after a refused save.
#[derive(Template)]
#[template(path = "registry/conflict.html")]
pub struct ConflictPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The person's edit form ("edit again").
    pub edit_href: String,
    /// Label, the stored value, the refused value, whether they differ.
    pub rows: Vec<(String, String, String, bool)>,
}

/// The choices of a select of `all`, labelled `{prefix}-{value}`, the one of `value` selected;
/// first an empty one labelled `optional` where the field may stay empty.
fn choices<T: Copy + std::fmt::Display>(
    ctx: &PageContext,
    all: &[T],
    prefix: &str,
    optional: Option<&str>,
    value: &str,
) -> Vec<Choice> {
    let empty = optional.map(|key| Choice {
        value: String::new(),
        label: ctx.t(key),
        is_selected: value.is_empty(),
    });
    empty
        .into_iter()
        .chain(all.iter().map(|v| {
            let code = v.to_string();
            Choice {
                is_selected: code == value,
                label: ctx.t(&format!("{prefix}-{v}")),
                value: code,
            }
        }))
        .collect()
}

/// The label key of a column: `home_lat` -> `field-home-lat`.
pub fn label_key(column: &str) -> String {
    format!("field-{}", column.replace('_', "-"))
}

/// A form's field maker: labels, values and messages of one record and its refusals.
struct Fields<'a> {
    ctx: &'a PageContext,
    record: &'a PersonRecord,
    errors: &'a [FieldError],
}

impl Fields<'_> {
    /// The messages of a column's refusals, in the page's language.
    fn message(&self, column: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.column == column)
            .map(|e| {
                let args: Vec<_> = e
                    .args
                    .iter()
                    .map(|(n, v)| (*n, FluentValue::from(v.clone())))
                    .collect();
                self.ctx.lang.t_args(e.key, &args)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn field(&self, name: &'static str, kind: &'static str, required: bool) -> FormField {
        FormField {
            name,
            label: self.ctx.t(&label_key(name)),
            kind,
            inputmode: match name {
                "iin" | "prior_convictions" => "numeric",
                n if n.ends_with("_lat") || n.ends_with("_lon") => "decimal",
                _ => "",
            },
            value: self.record.get(name).to_owned(),
            choices: Vec::new(),
            required,
            hint: String::new(),
        }
    }

    /// A select of `all`'s values, labelled `{prefix}-{value}` (`optional`: the empty one's).
    fn select<T: Copy + std::fmt::Display>(
        &self,
        name: &'static str,
        (all, prefix, optional): (&[T], &str, Option<&str>),
        required: bool,
    ) -> FormField {
        let value = self.record.get(name);
        FormField {
            choices: choices(self.ctx, all, prefix, optional, value),
            ..self.field(name, "select", required)
        }
    }

    fn hinted(&self, field: FormField, hint: String) -> FormField {
        FormField { hint, ..field }
    }

    /// The messages of the refused fields of `sections`, in their order; the summary's line
    /// names the field. Their ids are `e-{field}`.
    fn messages(&self, sections: &[FormSection]) -> FieldMessages {
        let lines = sections
            .iter()
            .flat_map(|s| &s.fields)
            .filter_map(|f| {
                let message = self.message(f.name);
                let line = format!("{}: {message}", f.label);
                (!message.is_empty()).then(|| (f.name.to_owned(), message, line))
            })
            .collect();
        FieldMessages::from_lines(lines).with_ids("e-")
    }

    fn identity(&self) -> FormSection {
        FormSection {
            title: self.ctx.t("person-identity"),
            fields: vec![
                self.field("iin", "text", true),
                self.field("last_name", "text", true),
                self.field("first_name", "text", true),
                self.field("middle_name", "text", false),
                self.field("birth_date", "date", false),
                self.select("sex", (Sex::ALL, "sex", Some("choose")), false),
                self.field("phone", "tel", false),
            ],
        }
    }

    fn conviction(&self) -> FormSection {
        let ctx = self.ctx;
        let curfew = self.field("curfew", "text", false);
        let tiers = (RiskTier::ALL, "risk-tier", Some("person-tier-by-rules"));
        let tier = self.select("risk_tier", tiers, false);
        FormSection {
            title: ctx.t("person-conviction"),
            fields: vec![
                self.field("article", "text", true),
                self.select("severity", (Severity::ALL, "severity", None), true),
                self.field("conviction_date", "date", true),
                self.field("release_date", "date", false),
                self.field("expungement_date", "date", false),
                self.field("prior_convictions", "number", false),
                self.select(
                    "supervision_kind",
                    (SupervisionKind::ALL, "supervision", None),
                    true,
                ),
                self.field("supervision_start", "date", true),
                self.field("restrictions", "textarea", false),
                self.hinted(curfew, "22:00-06:00".to_owned()),
                self.hinted(tier, ctx.t("person-tier-suggested")),
                self.field("risk_tier_reason", "textarea", false),
                self.select("status", (PersonStatus::ALL, "status", None), true),
            ],
        }
    }

    fn places(&self) -> FormSection {
        let home_lat = self.field("home_lat", "text", true);
        FormSection {
            title: self.ctx.t("person-places"),
            fields: vec![
                self.field("home_address", "text", true),
                self.hinted(home_lat, self.ctx.t("person-district-derived")),
                self.field("home_lon", "text", true),
                self.field("employer", "text", false),
                self.field("work_address", "text", false),
                self.field("work_lat", "text", false),
                self.field("work_lon", "text", false),
            ],
        }
    }
}

/// The person form of `record` (new when `id` is `None`) with a message at each refused field.
pub fn form_page(
    ctx: PageContext,
    record: PersonRecord,
    errors: &[FieldError],
    id: Option<&str>,
    version: i32,
) -> PersonFormPage {
    let fields = Fields {
        ctx: &ctx,
        record: &record,
        errors,
    };
    let sections = vec![fields.identity(), fields.conviction(), fields.places()];
    let errors = fields.messages(&sections);
    // The edit page names the person (in the tab and the heading), as the record page does.
    let name = [&record.last_name, &record.first_name, &record.middle_name]
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let (action, title, cancel) = match id {
        Some(id) => {
            let page = paths::person(&PersonId::from(id.to_owned()));
            let title = if name.is_empty() {
                ctx.t("person-edit")
            } else {
                format!("{}: {name}", ctx.t("person-edit"))
            };
            (page.clone(), title, page)
        }
        None => (
            paths::PERSONS.to_owned(),
            ctx.t("person-new"),
            paths::PERSONS.to_owned(),
        ),
    };
    PersonFormPage {
        errors,
        ctx,
        sections,
        action,
        version,
        title,
        cancel,
        map_svg: String::new(),
    }
}
