//! Keyboards: reply keyboards send their label as text; inline buttons send callback data.

use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup, ReplyMarkup,
};

use super::App;
use crate::domain::person::Role;

/// Labels in rows of `per_row`, then a full-width «انصراف».
pub fn choices_with_cancel(app: &App, labels: &[String], per_row: usize) -> ReplyMarkup {
    let mut rows: Vec<Vec<KeyboardButton>> =
        labels.chunks(per_row.max(1)).map(|row| row.iter().map(|l| KeyboardButton::new(l.clone())).collect()).collect();
    rows.push(vec![KeyboardButton::new(app.tr.msg("btn-cancel"))]);
    ReplyMarkup::Keyboard(KeyboardMarkup::new(rows).resize_keyboard())
}

/// The main menu for a role.
pub fn main_menu(app: &App, role: Role) -> ReplyMarkup {
    let b = |id: &str| KeyboardButton::new(app.tr.msg(id));
    let rows = match role {
        Role::Entrepreneur => vec![
            vec![b("btn-sale"), b("btn-return")],
            vec![b("btn-payment"), b("btn-my-loans")],
            vec![b("btn-checkin"), b("btn-help")],
        ],
        Role::Caseworker => vec![vec![b("btn-invite-entrepreneur"), b("btn-my-people")], vec![b("btn-help")]],
        Role::Manager => vec![vec![b("btn-invite-caseworker"), b("btn-all-people")], vec![b("btn-help")]],
    };
    ReplyMarkup::Keyboard(KeyboardMarkup::new(rows).resize_keyboard().persistent())
}

/// The button that shares the person's own phone number.
pub fn share_contact(app: &App) -> ReplyMarkup {
    ReplyMarkup::Keyboard(
        KeyboardMarkup::new(vec![
            vec![KeyboardButton::new(app.tr.msg("btn-share-contact")).request(ButtonRequest::Contact)],
            vec![KeyboardButton::new(app.tr.msg("btn-cancel"))],
        ])
        .resize_keyboard()
        .one_time_keyboard(),
    )
}

pub fn remove() -> ReplyMarkup {
    ReplyMarkup::kb_remove()
}

pub fn inline(rows: Vec<Vec<(String, String)>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|row| {
        row.into_iter().map(|(label, data)| InlineKeyboardButton::callback(label, data)).collect::<Vec<_>>()
    }))
}
