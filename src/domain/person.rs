//! People in the programme and what may be typed about them.

use serde::{Deserialize, Serialize};

use crate::persian::text::clean_free_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Manager,
    Caseworker,
    Entrepreneur,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Caseworker => "caseworker",
            Role::Entrepreneur => "entrepreneur",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "manager" => Some(Role::Manager),
            "caseworker" => Some(Role::Caseworker),
            "entrepreneur" => Some(Role::Entrepreneur),
            _ => None,
        }
    }
}

/// Someone known to the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub telegram_id: i64,
    pub role: Role,
    pub full_name: String,
    pub phone: Option<String>,
    pub business: Option<String>,
    pub caseworker_id: Option<i64>,
    pub level: u8,
}

/// Whether `viewer` may see and act for `entrepreneur`: their own caseworker, or a manager.
pub fn may_act_for(viewer: &Person, entrepreneur: &Person) -> bool {
    entrepreneur.role == Role::Entrepreneur
        && match viewer.role {
            Role::Manager => true,
            Role::Caseworker => entrepreneur.caseworker_id == Some(viewer.id),
            Role::Entrepreneur => false,
        }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("has no letters")]
    NoLetters,
}

/// Cleans a short free text (a name, an item, a customer, a business type): at least one
/// letter, at most `max_chars` characters.
pub fn clean_label(input: &str, max_chars: usize) -> Result<String, TextProblem> {
    let text = clean_free_text(input);
    if text.is_empty() {
        return Err(TextProblem::Empty);
    }
    if text.chars().count() > max_chars {
        return Err(TextProblem::TooLong);
    }
    if !text.chars().any(char::is_alphabetic) {
        return Err(TextProblem::NoLetters);
    }
    Ok(text)
}

/// A phone number as Telegram shares it («989121234567», «+98 912 ...») in one form: «+989121234567».
pub fn normalize_phone(raw: &str) -> String {
    let digits: String = crate::persian::digits::to_ascii_digits(raw).chars().filter(char::is_ascii_digit).collect();
    format!("+{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cleaned_and_checked() {
        assert_eq!(clean_label("  زهرا   احمدي ", 60), Ok("زهرا احمدی".to_string()));
        assert_eq!(clean_label("\u{200F} ", 60), Err(TextProblem::Empty));
        assert_eq!(clean_label("۱۲۳۴", 60), Err(TextProblem::NoLetters));
        assert_eq!(clean_label(&"ا".repeat(61), 60), Err(TextProblem::TooLong));
    }

    #[test]
    fn phones_are_normalized() {
        assert_eq!(normalize_phone("989121234567"), "+989121234567");
        assert_eq!(normalize_phone("+98 912 123 4567"), "+989121234567");
    }

    #[test]
    fn only_the_own_caseworker_or_a_manager_may_act() {
        let person = |id, role, caseworker_id| Person {
            id,
            telegram_id: id * 10,
            role,
            full_name: "x".into(),
            phone: None,
            business: None,
            caseworker_id,
            level: 1,
        };
        let maryam = person(1, Role::Caseworker, None);
        let leila = person(2, Role::Caseworker, None);
        let boss = person(3, Role::Manager, None);
        let zahra = person(4, Role::Entrepreneur, Some(1));
        assert!(may_act_for(&maryam, &zahra));
        assert!(!may_act_for(&leila, &zahra));
        assert!(may_act_for(&boss, &zahra));
        assert!(!may_act_for(&zahra, &zahra));
        assert!(!may_act_for(&boss, &maryam), "only entrepreneurs are acted for");
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Manager, Role::Caseworker, Role::Entrepreneur] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
