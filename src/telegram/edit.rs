//! What Telegram's answer to an edit means. Telegram refuses an edit that changes nothing
//! ("message is not modified": the second tap of a double tap), and an edit of a message the
//! person deleted or that can no longer be edited. Neither is a failure of what the person asked
//! for (`../shared/telegram-bot-api/BEHAVIOUR.md`, rules 1, 2, 4 and 5).

use teloxide::{ApiError, RequestError};

/// What became of an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// The message now reads as asked.
    Changed,
    /// It already read so (the same button pressed twice).
    Unchanged,
    /// Gone, too old, or of a kind Telegram does not let the bot edit: where the content
    /// matters, it is sent anew.
    Impossible,
}

/// Telegram's words for an edit of a media message's text (`ApiError` has no variant for it).
const NO_TEXT: &str = "there is no text in the message to edit";

pub(super) fn read(result: Result<(), RequestError>) -> Result<Edited, RequestError> {
    match result {
        Ok(()) => Ok(Edited::Changed),
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(Edited::Unchanged),
        Err(RequestError::Api(
            ApiError::MessageToEditNotFound
            | ApiError::MessageCantBeEdited
            | ApiError::MessageIdInvalid
            | ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound,
        )) => Ok(Edited::Impossible),
        Err(RequestError::Api(ApiError::Unknown(text))) if text.contains(NO_TEXT) || text.starts_with("Forbidden") => {
            Ok(Edited::Impossible)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(e: ApiError) -> Result<(), RequestError> {
        Err(RequestError::Api(e))
    }

    #[test]
    fn a_double_tap_and_a_vanished_message_are_not_failures() {
        assert_eq!(read(Ok(())).unwrap(), Edited::Changed);
        assert_eq!(read(api(ApiError::MessageNotModified)).unwrap(), Edited::Unchanged);
        for gone in [ApiError::MessageToEditNotFound, ApiError::MessageCantBeEdited, ApiError::BotBlocked] {
            assert_eq!(read(api(gone)).unwrap(), Edited::Impossible);
        }
        let forbidden = ApiError::Unknown("Forbidden: bot can't initiate conversation with a user".into());
        assert_eq!(read(api(forbidden)).unwrap(), Edited::Impossible);
        let media = ApiError::Unknown(format!("Bad Request: {NO_TEXT}"));
        assert_eq!(read(api(media)).unwrap(), Edited::Impossible);
    }

    #[test]
    fn other_errors_are_the_caller_s() {
        assert!(read(api(ApiError::Unknown("Internal Server Error".into()))).is_err());
        assert!(read(api(ApiError::MessageIsTooLong)).is_err());
    }
}
