//! Persian text, numbers and dates: pure functions, no Telegram, no SQL.

pub mod amount;
pub mod digits;
pub mod jalali;
pub mod text;
pub mod words;

#[cfg(test)]
mod amount_attack_tests;
#[cfg(test)]
mod amount_reattack_tests;
#[cfg(test)]
pub(crate) mod attack_support;
#[cfg(test)]
mod jalali_attack_tests;
