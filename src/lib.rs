//! Pelekan (پلکان): a Telegram bot that runs an entrepreneurship-empowerment programme.
//!
//! The crate is a functional core with an imperative shell:
//! - [`persian`] and [`domain`] are pure rules (amounts, Jalali dates, reports, invites);
//! - [`store`] is the SQLite shell, [`bot`] the Telegram shell, [`i18n`] the Persian texts;
//! - [`fake_telegram`] is a Bot API stand-in used by the tests and `pelekan demo`.

pub mod app;
pub mod bot;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod fake_telegram;
pub mod i18n;
pub mod outbox;
pub mod persian;
pub mod random;
pub mod schedule;
pub mod store;
pub mod synthetic;
pub mod telegram;
pub mod views;
