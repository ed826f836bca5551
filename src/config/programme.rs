//! The programme file: loan facilities, arrears buckets, check-in times. Built in by
//! default (`programme.toml` beside this file); an operator may point
//! `PELEKAN_PROGRAMME` at an edited copy.

use std::path::Path;

use serde::Deserialize;

use crate::domain::checkin::CheckinPolicy;
use crate::domain::loan::LoanPolicy;
use crate::domain::warning::WarningPolicy;

pub const BUILT_IN: &str = include_str!("programme.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub loans: LoanPolicy,
    pub checkin: CheckinPolicy,
    pub warnings: WarningPolicy,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgrammeError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{source_name} is not valid: {detail}")]
    Parse { source_name: String, detail: String },
    #[error("{source_name} has mistakes: {}", problems.join("; "))]
    Invalid { source_name: String, problems: Vec<String> },
}

impl Programme {
    /// Parses and checks a programme file; a mistake names its line.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Programme, ProgrammeError> {
        let programme: Programme = toml::from_str(text).map_err(|e| ProgrammeError::Parse {
            source_name: source_name.to_string(),
            detail: e.to_string().replace('\n', " "),
        })?;
        let mut problems = programme.loans.problems();
        problems.extend(programme.checkin.problems());
        problems.extend(programme.warnings.problems());
        if !problems.is_empty() {
            return Err(ProgrammeError::Invalid { source_name: source_name.to_string(), problems });
        }
        Ok(programme)
    }

    pub fn load(path: &Path) -> Result<Programme, ProgrammeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ProgrammeError::Read { path: path.display().to_string(), source })?;
        Programme::from_toml(&text, &path.display().to_string())
    }

    /// The built-in programme (checked by a test, so this cannot fail in a release).
    pub fn built_in() -> Programme {
        Programme::from_toml(BUILT_IN, "built-in programme.toml").expect("the built-in programme file is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_file_is_valid_and_matches_the_seed() {
        let p = Programme::from_toml(BUILT_IN, "built-in").unwrap();
        let ranges: Vec<(u8, i64, i64)> = p.loans.levels.iter().map(|f| (f.level, f.min_toman, f.max_toman)).collect();
        assert_eq!(
            ranges,
            vec![(1, 10_000_000, 20_000_000), (2, 30_000_000, 50_000_000), (3, 70_000_000, 100_000_000)]
        );
        assert_eq!(p.loans.facility(1).unwrap().fee_basis_points, 0, "level 1 micro-loans are interest-free");
        assert_eq!(p.loans.facility(3).unwrap().fee_basis_points, 0, "level 3 advanced loans are interest-free");
        assert!(p.loans.facility(2).unwrap().fee_basis_points > 0, "level 2 has a small fee");
    }

    #[test]
    fn mistakes_are_reported_with_their_line() {
        let broken = BUILT_IN.replace("hour = 10", "hour = \"ten\"");
        let error = Programme::from_toml(&broken, "edited.toml").unwrap_err().to_string();
        assert!(error.contains("edited.toml") && error.contains("line"), "{error}");
        let unknown = format!("{BUILT_IN}\n[extra]\nx = 1\n");
        assert!(Programme::from_toml(&unknown, "x").is_err());
        let invalid = BUILT_IN.replace("min_toman = 70_000_000", "min_toman = 170_000_000");
        let error = Programme::from_toml(&invalid, "x").unwrap_err().to_string();
        assert!(error.contains("level 3"), "{error}");
    }
}
