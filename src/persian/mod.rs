//! Persian text, numbers and dates: pure functions, no Telegram, no SQL.

pub mod amount;
pub mod digits;
pub mod jalali;
pub mod text;
pub mod words;
