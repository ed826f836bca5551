//! What Telegram's answer to an edit means. Telegram refuses an edit that changes nothing
//! ("message is not modified": the second tap of a double tap), an edit of a message the
//! person deleted or that can no longer be edited, and the text of a media message (a photo's
//! text is its caption). None of these is a failure of what the person asked for
//! (`../shared/telegram-bot-api/BEHAVIOUR.md`, rules 1, 2, 4 and 5).

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

/// How an edit's answer reads, before the caption retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    Done(Edited),
    /// A media message: edit its caption instead.
    NoText,
}

/// Telegram's words for an edit of a media message's text (`ApiError` has no variant for it).
const NO_TEXT: &str = "there is no text in the message to edit";
const NO_CAPTION: &str = "there is no caption in the message to edit";

pub(super) fn read(result: Result<(), RequestError>) -> Result<Reading, RequestError> {
    let edited = match result {
        Ok(()) => Edited::Changed,
        Err(RequestError::Api(ApiError::MessageNotModified)) => Edited::Unchanged,
        Err(RequestError::Api(
            ApiError::MessageToEditNotFound
            | ApiError::MessageCantBeEdited
            | ApiError::MessageIdInvalid
            | ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound,
        )) => Edited::Impossible,
        Err(RequestError::Api(ApiError::Unknown(text))) if text.contains(NO_TEXT) => return Ok(Reading::NoText),
        Err(RequestError::Api(ApiError::Unknown(text)))
            if text.contains(NO_CAPTION) || text.starts_with("Forbidden") =>
        {
            Edited::Impossible
        }
        Err(e) => return Err(e),
    };
    Ok(Reading::Done(edited))
}

impl Reading {
    /// After the caption retry there is nothing else to try.
    pub(super) fn done(self) -> Edited {
        match self {
            Reading::Done(edited) => edited,
            Reading::NoText => Edited::Impossible,
        }
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
        assert_eq!(read(Ok(())).unwrap(), Reading::Done(Edited::Changed));
        assert_eq!(read(api(ApiError::MessageNotModified)).unwrap(), Reading::Done(Edited::Unchanged));
        for gone in [ApiError::MessageToEditNotFound, ApiError::MessageCantBeEdited, ApiError::BotBlocked] {
            assert_eq!(read(api(gone)).unwrap(), Reading::Done(Edited::Impossible));
        }
        let forbidden = ApiError::Unknown("Forbidden: bot can't initiate conversation with a user".into());
        assert_eq!(read(api(forbidden)).unwrap(), Reading::Done(Edited::Impossible));
    }

    #[test]
    fn the_text_of_a_photo_is_its_caption() {
        let no_text = ApiError::Unknown(format!("Bad Request: {NO_TEXT}"));
        assert_eq!(read(api(no_text)).unwrap(), Reading::NoText);
        assert_eq!(Reading::NoText.done(), Edited::Impossible);
    }

    #[test]
    fn other_errors_are_the_caller_s() {
        assert!(read(api(ApiError::Unknown("Internal Server Error".into()))).is_err());
        assert!(read(api(ApiError::MessageIsTooLong)).is_err());
    }
}
