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
    use std::path::{Path, PathBuf};

    /// The Rust files of `part` (a folder, searched to the bottom, or a file) under `src/`.
    fn sources(part: &str) -> Vec<(PathBuf, String)> {
        fn walk(path: &Path, found: &mut Vec<(PathBuf, String)>) {
            if path.is_dir() {
                for entry in std::fs::read_dir(path).unwrap() {
                    walk(&entry.unwrap().path(), found);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push((path.to_path_buf(), std::fs::read_to_string(path).unwrap()));
            }
        }
        let mut found = Vec::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(part), &mut found);
        assert!(!found.is_empty(), "no sources in src/{part}");
        found
    }

    /// The crate's modules a source names: `crate::x::…`, `crate::x;` and `use crate::{x, …}`.
    fn modules_named(text: &str) -> Vec<String> {
        let mut named = Vec::new();
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group[..group.find('}').unwrap_or(group.len())]
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or_default())
                    .collect(),
                None => vec![rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or_default()],
            };
            named.extend(names.into_iter().filter(|n| !n.is_empty()).map(str::to_string));
        }
        named
    }

    fn assert_no_import(parts: &[&str], of: &[&str]) {
        for part in parts {
            for (path, text) in sources(part) {
                for module in modules_named(&text) {
                    assert!(!of.contains(&module.as_str()), "{} uses crate::{module}, above it", path.display());
                }
            }
        }
    }

    #[test]
    fn the_core_and_the_views_know_no_shell() {
        assert_no_import(&["domain", "persian", "views"], &["bot", "outbox", "schedule", "app", "telegram", "cli"]);
        // The store knows Telegram's text limits (`telegram::limits`, pure), nothing else of it.
        assert_no_import(&["store"], &["bot", "outbox", "schedule", "app", "cli"]);
    }

    #[test]
    fn the_outbox_and_the_clock_know_nothing_of_the_bot_and_the_clock_nothing_of_the_outbox() {
        assert_no_import(&["outbox", "schedule", "app.rs", "telegram"], &["bot", "cli"]);
        assert_no_import(&["schedule", "app.rs", "telegram"], &["outbox"]);
        assert_no_import(&["app.rs", "telegram"], &["schedule"]);
    }

    /// The dispatcher puts teloxide's own `Bot` among every handler's dependencies: a handler
    /// taking it would send around the pacing. Handlers take `Tg`.
    #[test]
    fn no_handler_takes_the_unpaced_bot() {
        for (path, text) in sources("bot") {
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                let takes = line.contains(": Bot") || line.contains(": teloxide::Bot") || line.contains("<Bot>");
                let allowed = line.contains("pub bot: Bot"); // `Launch`, which builds the dispatcher
                assert!(!takes || allowed, "{}: {line}", path.display());
            }
        }
    }

    /// Every answer a handler decides is an outbox row stored with the update's work: no
    /// handler sends or edits through Telegram itself. The shell's only direct requests are
    /// the answer to a press (no message: a note on the button, taken within seconds) and
    /// «دوباره امتحان کنید» when the database itself failed (`bot::open`, `bot::abandon`).
    #[test]
    fn handlers_answer_only_through_the_outbox() {
        let requests = [
            ".send_message(",
            ".send_photo(",
            ".send_document(",
            ".forward_message(",
            ".edit_text(",
            ".edit_buttons(",
            ".answer_press(",
        ];
        let mut direct = Vec::new();
        for (path, text) in sources("bot") {
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                if let Some(request) = requests.iter().find(|r| line.contains(*r)) {
                    direct.push(format!("{}: {request}", path.file_name().unwrap().to_string_lossy()));
                }
            }
        }
        direct.sort();
        assert_eq!(
            direct,
            ["mod.rs: .answer_press(", "mod.rs: .send_message(", "mod.rs: .send_message("],
            "a handler sends around the outbox"
        );
    }

    #[test]
    fn the_reader_of_imports_sees_every_form() {
        let named = modules_named("use crate::{bot::Tg, store};\nuse crate::outbox;\nlet x = crate::app::App;");
        assert_eq!(named, ["bot", "store", "outbox", "app"]);
    }
}

/// Every test the README names as the proof of a sentence exists: a renamed or deleted test
/// cannot leave a guarantee pointing at nothing.
#[cfg(test)]
mod readme_proofs {
    use std::path::Path;

    fn sources(dir: &Path, found: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    #[test]
    fn every_test_the_readme_names_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let mut code = String::new();
        sources(&root.join("src"), &mut code);
        sources(&root.join("tests"), &mut code);
        let mut named = 0;
        for quoted in readme.split('`').skip(1).step_by(2) {
            let Some((_, name)) = quoted.rsplit_once("::") else { continue };
            // A test's name: lower case words joined by underscores (not a type or a path).
            let is_test =
                name.contains('_') && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !is_test {
                continue;
            }
            named += 1;
            let exists = code.contains(&format!("fn {name}(")) || code.contains(&format!("mod {name}"));
            assert!(exists, "the README names `{quoted}`, which is no test (nor module of tests)");
        }
        assert!(named > 20, "only {named} tests named: the README's proofs were not read");
    }
}
