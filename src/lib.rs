//! Pelekan (پلکان): a Telegram bot that runs an entrepreneurship-empowerment programme.
//!
//! The crate is a functional core with an imperative shell:
//! - [`persian`] and [`domain`] are pure rules (amounts, Jalali dates, reports, invites);
//! - [`views`] builds what people see (texts, buttons) from plain data;
//! - [`store`] is the SQLite shell, [`bot`] the Telegram shell, [`i18n`] the Persian texts;
//! - [`outbox`] delivers every message, [`schedule`] does what the clock starts;
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

/// The layers import only downwards: the core and the views know no shell, and no shell
/// knows the bot. (A cycle here is how a change in one handler breaks the scan.)
#[cfg(test)]
mod layers {
    const BELOW_EVERY_SHELL: [&str; 4] = ["domain", "persian", "views", "store"];

    fn sources(folder: &str) -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(folder);
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                found.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        assert!(!found.is_empty(), "no sources in {}", root.display());
        found
    }

    fn assert_no_import(folders: &[&str], of: &[&str]) {
        for folder in folders {
            for (path, text) in sources(folder) {
                for module in of {
                    let import = format!("crate::{module}::");
                    assert!(!text.contains(&import), "{path} uses {import}: it sits below {module}");
                }
            }
        }
    }

    #[test]
    fn the_core_and_the_views_know_no_shell() {
        // (`telegram::limits`, Telegram's text limits, is pure and used by the store's outbox.)
        assert_no_import(&BELOW_EVERY_SHELL, &["bot", "outbox", "schedule", "app", "telegram::Tg", "telegram::pace"]);
    }

    #[test]
    fn the_outbox_and_the_clock_know_nothing_of_the_bot_and_the_clock_nothing_of_the_outbox() {
        assert_no_import(&["outbox", "schedule"], &["bot"]);
        assert_no_import(&["schedule"], &["outbox"]);
    }
}
