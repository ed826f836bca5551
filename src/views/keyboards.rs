//! Keyboards: reply keyboards send their label as text; inline buttons send callback data.

use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, ReplyMarkup,
};

use crate::domain::person::Role;
use crate::i18n::Tr;
use crate::views::callback::Callback;

/// Labels in rows of `per_row`, then a full-width «انصراف».
pub fn choices_with_cancel(tr: &Tr, labels: &[String], per_row: usize) -> ReplyMarkup {
    let mut rows: Vec<Vec<KeyboardButton>> =
        labels.chunks(per_row.max(1)).map(|row| row.iter().map(|l| KeyboardButton::new(l.clone())).collect()).collect();
    rows.push(vec![KeyboardButton::new(tr.msg("btn-cancel"))]);
    ReplyMarkup::Keyboard(KeyboardMarkup::new(rows).resize_keyboard())
}

/// The main menu's buttons for a role (message ids), in rows.
fn menu_rows(role: Role) -> &'static [&'static [&'static str]] {
    match role {
        Role::Entrepreneur => {
            &[&["btn-sale", "btn-return"], &["btn-payment", "btn-my-loans"], &["btn-checkin", "btn-help"]]
        }
        Role::Caseworker => &[&["btn-invite-entrepreneur", "btn-my-people"], &["btn-help"]],
        Role::Manager => &[&["btn-invite-caseworker", "btn-all-people"], &["btn-help"]],
    }
}

/// The main menu for a role.
/// A keyboard (reply or inline) as an outbox row keeps it: its JSON.
pub fn as_json(markup: &impl serde::Serialize) -> Option<String> {
    serde_json::to_string(markup).ok()
}

pub fn main_menu(tr: &Tr, role: Role) -> ReplyMarkup {
    let rows = menu_rows(role).iter().map(|row| row.iter().map(|id| KeyboardButton::new(tr.msg(id))).collect());
    ReplyMarkup::Keyboard(KeyboardMarkup::new(rows.collect::<Vec<Vec<_>>>()).resize_keyboard().persistent())
}

/// Whether `text` is a button of the role's main menu (the menu stays on screen, persistent,
/// under questions asked with inline buttons).
pub fn is_menu_button(tr: &Tr, role: Role, text: &str) -> bool {
    menu_rows(role).iter().flat_map(|row| row.iter()).any(|id| tr.msg(id) == text)
}

/// The button that shares the person's own phone number.
pub fn share_contact(tr: &Tr) -> ReplyMarkup {
    ReplyMarkup::Keyboard(
        KeyboardMarkup::new(vec![
            vec![KeyboardButton::new(tr.msg("btn-share-contact")).request(ButtonRequest::Contact)],
            vec![KeyboardButton::new(tr.msg("btn-cancel"))],
        ])
        .resize_keyboard()
        .one_time_keyboard(),
    )
}

pub fn remove() -> ReplyMarkup {
    ReplyMarkup::kb_remove()
}

/// Inline buttons in rows, each a label and what pressing it carries.
pub fn inline(rows: Vec<Vec<(String, Callback)>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|row| {
        row.into_iter().map(|(label, press)| InlineKeyboardButton::callback(label, press.encode())).collect::<Vec<_>>()
    }))
}
