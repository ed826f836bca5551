//! Invite codes: who may join, as what, until when.

use chrono::{DateTime, Utc};

use super::person::Role;

/// An invite as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub code: String,
    pub role: Role,
    /// For an entrepreneur's invite: the caseworker they will be linked to.
    pub caseworker_id: Option<i64>,
    /// Who made it (None when made on the command line); told when it is used.
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    Unknown,
    Used,
    Expired,
}

/// Whether an invite (if one was found for the code) can still be used at `now`.
pub fn check_invite(invite: Option<&Invite>, now: DateTime<Utc>) -> Result<(), InviteProblem> {
    match invite {
        None => Err(InviteProblem::Unknown),
        Some(i) if i.used => Err(InviteProblem::Used),
        Some(i) if i.expires_at <= now => Err(InviteProblem::Expired),
        Some(_) => Ok(()),
    }
}

/// Letters that cannot be mistaken for each other when read aloud or retyped.
const CODE_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
pub const CODE_LENGTH: usize = 12;

/// A new invite code from random bytes (uniform: the alphabet has 32 letters).
pub fn code_from_random(bytes: [u8; CODE_LENGTH]) -> String {
    bytes.iter().map(|b| char::from(CODE_ALPHABET[usize::from(b % 32)])).collect()
}

/// Whether a /start payload could be an invite code at all (Telegram allows up to 64
/// characters of A–Z, a–z, 0–9, _ and -).
pub fn looks_like_code(payload: &str) -> bool {
    payload.len() == CODE_LENGTH && payload.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn invite(used: bool, expires_in: Duration) -> Invite {
        Invite {
            code: "abc".into(),
            role: Role::Entrepreneur,
            caseworker_id: Some(1),
            created_by: None,
            expires_at: Utc::now() + expires_in,
            used,
        }
    }

    #[test]
    fn invite_validity() {
        let now = Utc::now();
        assert_eq!(check_invite(None, now), Err(InviteProblem::Unknown));
        assert_eq!(check_invite(Some(&invite(true, Duration::days(1))), now), Err(InviteProblem::Used));
        assert_eq!(check_invite(Some(&invite(false, Duration::days(-1))), now), Err(InviteProblem::Expired));
        assert_eq!(check_invite(Some(&invite(false, Duration::days(1))), now), Ok(()));
    }

    #[test]
    fn codes_use_the_alphabet() {
        let code = code_from_random([0, 31, 32, 255, 7, 8, 9, 10, 11, 12, 13, 14]);
        assert!(looks_like_code(&code));
        assert!(!looks_like_code("abc"));
        assert!(!looks_like_code("ABCDEFGHIJKL"));
    }
}
