//! The programme's rules as pure functions over plain data: no Telegram, no SQL.

pub mod invite;
pub mod person;
pub mod quick_report;
pub mod sale;
