//! A file a person sent with a report (a photo of an invoice, a payment receipt as a photo, an
//! image file or a PDF), and how Telegram holds it.
//!
//! A file id can only be sent again with the method of its own kind: a photo with
//! `sendPhoto`, an image sent "as a file" with `sendDocument` (Bot API, "Sending files": "It is
//! not possible to change the file type when resending by file_id"; Telegram answers
//! `type of file mismatch`, see Telegram.Bot #625 and python-telegram-bot #2082).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub file_id: String,
    pub sent_as: SentAs,
}

/// How the person sent the attachment, and so how it is sent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentAs {
    Photo,
    /// An image or a PDF sent as a file (the paper-clip menu's «File»).
    Document,
}

impl SentAs {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            SentAs::Photo => "photo",
            SentAs::Document => "document",
        }
    }

    /// The stored form read back; anything unknown is a photo, the only kind older rows hold.
    pub fn parse(text: &str) -> SentAs {
        if text == "document" { SentAs::Document } else { SentAs::Photo }
    }
}

impl Attachment {
    pub fn photo(file_id: impl Into<String>) -> Attachment {
        Attachment { file_id: file_id.into(), sent_as: SentAs::Photo }
    }

    pub fn document(file_id: impl Into<String>) -> Attachment {
        Attachment { file_id: file_id.into(), sent_as: SentAs::Document }
    }

    /// An attachment from its stored columns (file id, kind).
    pub fn from_columns(file_id: Option<String>, sent_as: Option<String>) -> Option<Attachment> {
        Some(Attachment { file_id: file_id?, sent_as: SentAs::parse(sent_as.as_deref().unwrap_or("photo")) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_round_trips_through_its_stored_form() {
        for kind in [SentAs::Photo, SentAs::Document] {
            assert_eq!(SentAs::parse(kind.as_str()), kind);
        }
        assert_eq!(Attachment::from_columns(Some("f".into()), None), Some(Attachment::photo("f")));
        assert_eq!(Attachment::from_columns(None, Some("document".into())), None);
    }
}
