//! Every text a person reads comes from the Fluent files under `locales/fa/`, compiled
//! into the binary so that it runs from any directory.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::langid;

use crate::domain::checkin::Obstacle;
use crate::persian::text::force_rtl_lines;

/// The Persian locale files, in the order they are loaded.
pub const FA_FILES: &[(&str, &str)] = &[
    ("common.ftl", include_str!("../../locales/fa/common.ftl")),
    ("joining.ftl", include_str!("../../locales/fa/joining.ftl")),
    ("sales.ftl", include_str!("../../locales/fa/sales.ftl")),
    ("loans.ftl", include_str!("../../locales/fa/loans.ftl")),
    ("checkins.ftl", include_str!("../../locales/fa/checkins.ftl")),
    ("warnings.ftl", include_str!("../../locales/fa/warnings.ftl")),
];

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("locale file {file} has a syntax error: {detail}")]
    Syntax { file: &'static str, detail: String },
    #[error("locale file {file} defines {id} a second time")]
    Duplicate { file: &'static str, id: String },
}

pub struct Tr {
    bundle: FluentBundle<FluentResource>,
    ids: Vec<String>,
}

impl Tr {
    /// Loads the Persian texts; a broken file is an error naming it.
    pub fn persian() -> Result<Tr, I18nError> {
        let mut bundle = FluentBundle::new_concurrent(vec![langid!("fa")]);
        // Fluent wraps arguments in bidi isolation marks by default; Telegram shows them
        // as boxes on some Android phones, and our arguments are Persian already.
        bundle.set_use_isolating(false);
        let mut ids = Vec::new();
        for (file, source) in FA_FILES {
            let resource = FluentResource::try_new(source.to_string())
                .map_err(|(_, errors)| I18nError::Syntax { file, detail: format!("{errors:?}") })?;
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    ids.push(m.id.name.to_string());
                }
            }
            bundle.add_resource(resource).map_err(|errors| I18nError::Duplicate { file, id: format!("{errors:?}") })?;
        }
        Ok(Tr { bundle, ids })
    }

    /// Every message id the files define.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// A message without arguments.
    pub fn msg(&self, id: &str) -> String {
        self.msg_with(id, &[])
    }

    /// A message with arguments, each already formatted for display (Persian digits,
    /// Jalali dates). A missing id or argument is logged and shows the id, never panics.
    pub fn msg_with(&self, id: &str, args: &[(&str, String)]) -> String {
        force_rtl_lines(&self.part_with(id, args))
    }

    /// A piece of text to be placed inside another message (an argument, a button label):
    /// no right-to-left marks added, since the line it lands in decides the direction.
    pub fn part_with(&self, id: &str, args: &[(&str, String)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::error!(message_id = id, "a text is missing from the locale files");
            return id.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(message_id = id, ?errors, "a text could not be filled in");
        }
        text.into_owned()
    }

    /// How an obstacle of the weekly check-in reads (a piece of a line).
    pub fn obstacle(&self, obstacle: Obstacle) -> String {
        self.part_with(
            match obstacle {
                Obstacle::SalesFell => "obstacle-sales",
                Obstacle::Complaints => "obstacle-complaints",
                Obstacle::Money => "obstacle-money",
                Obstacle::FamilyHealth => "obstacle-family",
                Obstacle::LostInterest => "obstacle-interest",
                Obstacle::MovingAway => "obstacle-moving",
            },
            &[],
        )
    }

    /// How «how did the week go» (1–5) reads, with its face.
    pub fn mood(&self, mood: u8) -> String {
        self.part_with(
            match mood {
                1 => "mood-1",
                2 => "mood-2",
                3 => "mood-3",
                4 => "mood-4",
                _ => "mood-5",
            },
            &[],
        )
    }

    /// A message whose value is a list, one item a line (such as the business types).
    pub fn lines(&self, id: &str) -> Vec<String> {
        self.msg(id)
            .lines()
            .map(|l| l.trim_start_matches(crate::persian::text::RLM).trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    }
}
