//! What people see: message texts and buttons, built from plain data and the Persian texts.
//! Nothing here reads the database or talks to Telegram; handlers, the scan and the outbox
//! load what a view needs, call it, and store or send what it returns.

pub mod alerts;
pub mod callback;
pub mod checkins;
pub mod keyboards;
pub mod loans;
