//! The programme's rules as pure functions over plain data: no Telegram, no SQL.

pub mod attachment;
pub mod checkin;
pub mod invite;
pub mod loan;
pub mod loan_entry;
pub mod notice;
pub mod people_search;
pub mod person;
pub mod quick_report;
pub mod reminder;
pub mod report;
pub mod warning;

#[cfg(test)]
mod quick_report_attack_tests;
