//! Settings an operator or the charity may change, read from the environment or flags,
//! and the programme file.

mod playbook;
mod programme;

pub use playbook::{BUILT_IN_PLAYBOOK, Playbook, Scenario};
pub use programme::{BUILT_IN as BUILT_IN_PROGRAMME, Programme, ProgrammeError};

use std::time::Duration;

use crate::domain::report::SaleLimits;
use crate::telegram::SendLimits;

/// The share of the sending rate bulk messages (reminders, check-in prompts) may take by
/// default (`PELEKAN_BULK_SHARE`): a fifth of every second stays free for replies.
pub const BULK_SHARE: f64 = 0.8;

/// Telegram's flood limits, one message a second below its 30 overall: network jitter can
/// bring a 31st into one of Telegram's seconds, and every 429 holds up all sending.
pub const TELEGRAM_LIMITS: SendLimits =
    SendLimits { per_second: 29, chat_interval: Duration::from_secs(1), bulk_share: BULK_SHARE };

/// Limits no test or benchmark reaches: for runs against a fake Bot API server only.
pub const UNTHROTTLED: SendLimits =
    SendLimits { per_second: 1_000_000, chat_interval: Duration::ZERO, bulk_share: BULK_SHARE };

/// Everything the bot needs to know besides the token.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://` URL of the database file.
    pub database_url: String,
    /// The bot's @username for invite links; asked from Telegram (getMe) when unset.
    pub bot_username: Option<String>,
    /// How long an invite code stays usable.
    pub invite_valid_days: i64,
    pub sale_limits: SaleLimits,
    /// The window over which invoices are counted toward level 2 ("10 invoices in 3 months").
    pub invoice_window_months: u32,
    /// How many recent items or customers are offered as buttons.
    pub recent_choices: i64,
    /// Loan facilities, arrears buckets, check-in times, warning thresholds.
    pub programme: Programme,
    /// The eight failure scenarios.
    pub playbook: Playbook,
    /// Telegram's sending limits; the defaults are Telegram's published ones.
    pub send_limits: SendLimits,
    /// How many updates one chat may send before the excess is dropped.
    pub inbound_limit: crate::telegram::inbound::InboundLimit,
    /// How often people outside the programme are answered.
    pub stranger_limit: crate::telegram::inbound::StrangerLimit,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/pelekan.db";

impl Default for Config {
    fn default() -> Config {
        Config {
            database_url: DEFAULT_DATABASE_URL.to_string(),
            bot_username: None,
            invite_valid_days: 7,
            sale_limits: SaleLimits { max_amount_toman: 1_000_000_000, max_days_back: 366, max_text_chars: 100 },
            invoice_window_months: 3,
            recent_choices: 6,
            programme: Programme::built_in(),
            playbook: Playbook::built_in(),
            send_limits: TELEGRAM_LIMITS,
            inbound_limit: crate::telegram::inbound::InboundLimit::DEFAULT,
            stranger_limit: crate::telegram::inbound::StrangerLimit::DEFAULT,
        }
    }
}
