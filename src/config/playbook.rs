//! The eight failure scenarios (seed 000) as data the charity can edit: what the caseworker
//! sees with an alert, and which signals point to each scenario.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::ProgrammeError;
use crate::domain::warning::{ScenarioWeights, SignalKind};

pub const BUILT_IN_PLAYBOOK: &str = include_str!("playbook.toml");

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub number: u8,
    pub name: String,
    pub recovery: String,
    pub warning_signs: Vec<String>,
    pub immediate_actions: Vec<String>,
    pub corrective_programme: Vec<String>,
    pub rehabilitation_programme: Vec<String>,
    pub signals: BTreeMap<SignalKind, u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    pub scenario: Vec<Scenario>,
}

impl Playbook {
    pub fn from_toml(text: &str, source_name: &str) -> Result<Playbook, ProgrammeError> {
        let playbook: Playbook = toml::from_str(text).map_err(|e| ProgrammeError::Parse {
            source_name: source_name.to_string(),
            detail: e.to_string().replace('\n', " "),
        })?;
        let problems = playbook.problems();
        if !problems.is_empty() {
            return Err(ProgrammeError::Invalid { source_name: source_name.to_string(), problems });
        }
        Ok(playbook)
    }

    pub fn load(path: &Path) -> Result<Playbook, ProgrammeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ProgrammeError::Read { path: path.display().to_string(), source })?;
        Playbook::from_toml(&text, &path.display().to_string())
    }

    /// The built-in playbook (checked by a test, so this cannot fail in a release).
    pub fn built_in() -> Playbook {
        Playbook::from_toml(BUILT_IN_PLAYBOOK, "built-in playbook.toml").expect("the built-in playbook is valid")
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for number in 1..=8u8 {
            match self.scenario.iter().filter(|s| s.number == number).count() {
                1 => {}
                0 => problems.push(format!("scenario {number} is missing")),
                _ => problems.push(format!("scenario {number} appears more than once")),
            }
        }
        for s in &self.scenario {
            let n = s.number;
            if !(1..=8).contains(&n) {
                problems.push(format!("scenario number {n} is not 1–8"));
            }
            for (part, list) in [
                ("warning_signs", &s.warning_signs),
                ("immediate_actions", &s.immediate_actions),
                ("corrective_programme", &s.corrective_programme),
                ("rehabilitation_programme", &s.rehabilitation_programme),
            ] {
                if list.is_empty() || list.iter().any(|item| item.trim().is_empty()) {
                    problems.push(format!("scenario {n}: {part} must list at least one non-empty item"));
                }
            }
            if s.name.trim().is_empty() || s.recovery.trim().is_empty() {
                problems.push(format!("scenario {n}: name and recovery are required"));
            }
            if !s.signals.values().any(|w| *w > 0) {
                problems.push(format!("scenario {n}: at least one signal needs a positive weight"));
            }
        }
        problems
    }

    pub fn scenario(&self, number: u8) -> Option<&Scenario> {
        self.scenario.iter().find(|s| s.number == number)
    }

    pub fn weights(&self) -> Vec<ScenarioWeights> {
        self.scenario.iter().map(|s| ScenarioWeights { number: s.number, weights: s.signals.clone() }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_eight_scenarios_are_present_and_complete() {
        let playbook = Playbook::from_toml(BUILT_IN_PLAYBOOK, "built-in").unwrap();
        let names: Vec<&str> = (1..=8).map(|n| playbook.scenario(n).unwrap().name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "ترک فعالیت و تغییر شهرستان",
                "از دست دادن علاقه به حرفهٔ فعلی",
                "عدم پاسخ‌گویی به تماس‌ها",
                "بی‌انگیزگی و افسردگی",
                "مشکلات خانوادگی حاد",
                "رقابت شدید بازار",
                "مشکلات فنی و کیفیتی",
                "مدیریت مالی ضعیف",
            ]
        );
        for s in &playbook.scenario {
            for list in [&s.warning_signs, &s.immediate_actions, &s.corrective_programme, &s.rehabilitation_programme] {
                assert_eq!(list.len(), 3, "scenario {} lists three items per column, as the seed does", s.number);
            }
        }
        let recoveries: Vec<&str> = playbook.scenario.iter().map(|s| s.recovery.as_str()).collect();
        assert_eq!(
            recoveries,
            [
                "۳ تا ۶ ماه",
                "۴ تا ۸ ماه",
                "۲ تا ۴ ماه",
                "۳ تا ۹ ماه",
                "۶ تا ۱۲ ماه",
                "۴ تا ۸ ماه",
                "۳ تا ۶ ماه",
                "۶ تا ۱۲ ماه"
            ]
        );
    }

    #[test]
    fn a_broken_playbook_is_reported_with_its_line() {
        let unknown_signal = BUILT_IN_PLAYBOOK.replacen("reported_moving = 6", "moved_to_mars = 6", 1);
        let error = Playbook::from_toml(&unknown_signal, "edited.toml").unwrap_err().to_string();
        assert!(error.contains("edited.toml") && error.contains("line"), "{error}");
        let missing = BUILT_IN_PLAYBOOK.replacen("number = 8", "number = 7", 1);
        let error = Playbook::from_toml(&missing, "x").unwrap_err().to_string();
        assert!(error.contains("scenario 8 is missing"), "{error}");
        let empty = BUILT_IN_PLAYBOOK.replacen("immediate_actions = [\"تماس با بستگان و همسایگان\", \"بررسی علل ترک شهر\", \"ارزیابی امکان انتقال به شهر جدید\"]", "immediate_actions = []", 1);
        let error = Playbook::from_toml(&empty, "x").unwrap_err().to_string();
        assert!(error.contains("scenario 1: immediate_actions"), "{error}");
    }
}
