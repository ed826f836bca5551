//! What an inline button carries: one typed value per kind of press, written to Telegram's
//! callback data (at most 64 bytes) by [`Callback::encode`] and read back by
//! [`Callback::decode`]. Every button is made from this type and every press is routed by it,
//! so a button and its handler cannot disagree about a format. Decoding never trusts the data:
//! what it names is checked against the database by the handler.

use crate::domain::checkin::Obstacle;
use crate::domain::loan::LoanState;
use crate::domain::report::ReportField;

/// Telegram refuses callback data longer than this (in bytes).
pub const MAX_BYTES: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// Under a report's summary (sale, return, payment): «sale:…».
    Sale(SaleButton),
    /// A weekly check-in's buttons: «ci:…».
    Checkin { checkin: i64, press: CheckinPress },
    /// A person's card, for their caseworker or a manager: «p:<id>».
    Person(i64),
    /// A page of the people list: «pl:<page>» or «pl:<page>:<search>».
    PeopleList(ListAt),
    /// «🔎 جستجو» under the people list: «ps».
    PeopleSearch,
    /// Start recording a loan for an entrepreneur: «loan:new:<id>».
    LoanNew { entrepreneur: i64 },
    /// Under a loan entry's summary: «loan:ok» / «loan:no».
    LoanEntry { confirm: bool },
    /// Change a loan's state (asks why first): «ls:<loan>:<state>».
    LoanState { loan: i64, to: LoanState },
    /// A reported payment, confirmed or rejected by staff: «pay:ok:<id>» / «pay:no:<id>».
    Payment { payment: i64, confirm: bool },
    /// Under an alert or a digest: «a:<action>:<id>».
    Alert { alert: i64, action: AlertAction },
    /// An official notice: «n:<action>:<id>».
    Notice { notice: i64, action: NoticeAction },
}

/// What a sale summary button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleButton {
    Confirm,
    Edit,
    Cancel,
    Field(ReportField),
    Back,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinPress {
    /// How the week went, 1 (hard) to 5 (good).
    Mood(u8),
    /// An obstacle ticked (`Some(true)`), unticked (`Some(false)`), or toggled (`None`: buttons
    /// sent before they named what pressing them makes of the obstacle).
    Obstacle {
        obstacle: Obstacle,
        tick: Option<bool>,
    },
    NoObstacles,
    ObstaclesDone,
    /// No message for the caseworker.
    NoNote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertAction {
    /// A digest's line: the alert in full.
    Show,
    Reminder,
    Notice,
    Review,
    FalseAlarm,
    /// Asks for how long.
    Snooze,
    SnoozeFor {
        days: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    Send,
    Cancel,
    Acknowledge,
}

/// Which page of which list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAt {
    pub page: i64,
    pub search: Option<String>,
}

/// Pages beyond any programme's size are not a page (and cannot overflow an offset).
const MAX_PAGE: i64 = 100_000;

impl Callback {
    pub fn encode(&self) -> String {
        match self {
            Callback::Sale(button) => format!("sale:{}", sale_code(*button)),
            Callback::Checkin { checkin, press } => match press {
                CheckinPress::Mood(mood) => format!("ci:m:{checkin}:{mood}"),
                CheckinPress::Obstacle { obstacle, tick: Some(tick) } => {
                    format!("ci:o:{checkin}:{}:{}", obstacle.code(), u8::from(*tick))
                }
                CheckinPress::Obstacle { obstacle, tick: None } => format!("ci:o:{checkin}:{}", obstacle.code()),
                CheckinPress::NoObstacles => format!("ci:on:{checkin}"),
                CheckinPress::ObstaclesDone => format!("ci:od:{checkin}"),
                CheckinPress::NoNote => format!("ci:skip:{checkin}"),
            },
            Callback::Person(id) => format!("p:{id}"),
            Callback::PeopleList(ListAt { page, search: None }) => format!("pl:{page}"),
            Callback::PeopleList(ListAt { page, search: Some(typed) }) => format!("pl:{page}:{typed}"),
            Callback::PeopleSearch => "ps".into(),
            Callback::LoanNew { entrepreneur } => format!("loan:new:{entrepreneur}"),
            Callback::LoanEntry { confirm } => format!("loan:{}", ok_or_no(*confirm)),
            Callback::LoanState { loan, to } => format!("ls:{loan}:{}", to.as_str()),
            Callback::Payment { payment, confirm } => format!("pay:{}:{payment}", ok_or_no(*confirm)),
            Callback::Alert { alert, action } => match action {
                AlertAction::SnoozeFor { days } => format!("a:snd:{alert}:{days}"),
                other => format!("a:{}:{alert}", alert_code(*other)),
            },
            Callback::Notice { notice, action } => {
                let code = match action {
                    NoticeAction::Send => "ok",
                    NoticeAction::Cancel => "no",
                    NoticeAction::Acknowledge => "ack",
                };
                format!("n:{code}:{notice}")
            }
        }
    }

    /// The press `data` names, or None for anything no button of ours carries.
    pub fn decode(data: &str) -> Option<Callback> {
        if data == "ps" {
            return Some(Callback::PeopleSearch);
        }
        let (kind, rest) = data.split_once(':')?;
        // The people list's search is free text (it may hold «:»): it is split apart first.
        if kind == "pl" {
            let (page, search) = match rest.split_once(':') {
                Some((page, typed)) => (page, Some(typed.to_string())),
                None => (rest, None),
            };
            let page = number(page).filter(|p| *p < MAX_PAGE)?;
            return Some(Callback::PeopleList(ListAt { page, search }));
        }
        let parts: Vec<&str> = rest.split(':').collect();
        Some(match (kind, parts.as_slice()) {
            ("sale", _) => Callback::Sale(sale_button(rest)?),
            ("ci", ["m", id, mood]) => {
                let mood = mood.parse::<u8>().ok().filter(|m| (1..=5).contains(m) && mood.len() == 1)?;
                Callback::Checkin { checkin: number(id)?, press: CheckinPress::Mood(mood) }
            }
            ("ci", ["o", id, code, tick @ ..]) => {
                let tick = match tick {
                    [] => None,
                    ["1"] => Some(true),
                    ["0"] => Some(false),
                    _ => return None,
                };
                let obstacle = Obstacle::parse(code)?;
                Callback::Checkin { checkin: number(id)?, press: CheckinPress::Obstacle { obstacle, tick } }
            }
            ("ci", [press, id]) => {
                let press = match *press {
                    "on" => CheckinPress::NoObstacles,
                    "od" => CheckinPress::ObstaclesDone,
                    "skip" => CheckinPress::NoNote,
                    _ => return None,
                };
                Callback::Checkin { checkin: number(id)?, press }
            }
            ("p", [id]) => Callback::Person(number(id)?),
            ("loan", ["new", id]) => Callback::LoanNew { entrepreneur: number(id)? },
            ("loan", [answer]) => Callback::LoanEntry { confirm: ok_or_no_of(answer)? },
            ("ls", [id, to]) => Callback::LoanState { loan: number(id)?, to: LoanState::parse(to)? },
            ("pay", [answer, id]) => Callback::Payment { payment: number(id)?, confirm: ok_or_no_of(answer)? },
            ("a", ["snd", id, days]) => {
                Callback::Alert { alert: number(id)?, action: AlertAction::SnoozeFor { days: number(days)? } }
            }
            ("a", [code, id]) => {
                let action = [
                    AlertAction::Show,
                    AlertAction::Reminder,
                    AlertAction::Notice,
                    AlertAction::Review,
                    AlertAction::FalseAlarm,
                    AlertAction::Snooze,
                ]
                .into_iter()
                .find(|a| alert_code(*a) == *code)?;
                Callback::Alert { alert: number(id)?, action }
            }
            ("n", [code, id]) => {
                let action = match *code {
                    "ok" => NoticeAction::Send,
                    "no" => NoticeAction::Cancel,
                    "ack" => NoticeAction::Acknowledge,
                    _ => return None,
                };
                Callback::Notice { notice: number(id)?, action }
            }
            _ => return None,
        })
    }
}

/// A row id, a page or a number of days as buttons write them: ASCII digits, no sign, no
/// leading zero (so that one value has one spelling).
fn number(text: &str) -> Option<i64> {
    let canonical =
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

fn ok_or_no(confirm: bool) -> &'static str {
    if confirm { "ok" } else { "no" }
}

fn ok_or_no_of(text: &str) -> Option<bool> {
    match text {
        "ok" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn alert_code(action: AlertAction) -> &'static str {
    match action {
        AlertAction::Show => "show",
        AlertAction::Reminder => "rem",
        AlertAction::Notice => "not",
        AlertAction::Review => "rev",
        AlertAction::FalseAlarm => "fa",
        AlertAction::Snooze => "sn",
        AlertAction::SnoozeFor { .. } => "snd",
    }
}

const FIELDS: [(ReportField, &str); 5] = [
    (ReportField::Amount, "f:amount"),
    (ReportField::Item, "f:item"),
    (ReportField::Customer, "f:customer"),
    (ReportField::Day, "f:day"),
    (ReportField::Photo, "f:photo"),
];

fn sale_code(button: SaleButton) -> &'static str {
    match button {
        SaleButton::Confirm => "ok",
        SaleButton::Edit => "edit",
        SaleButton::Cancel => "no",
        SaleButton::Back => "back",
        SaleButton::Field(field) => FIELDS.iter().find(|(f, _)| *f == field).map_or("", |(_, code)| code),
    }
}

fn sale_button(code: &str) -> Option<SaleButton> {
    Some(match code {
        "ok" => SaleButton::Confirm,
        "edit" => SaleButton::Edit,
        "no" => SaleButton::Cancel,
        "back" => SaleButton::Back,
        _ => SaleButton::Field(FIELDS.iter().find(|(_, c)| *c == code)?.0),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::people_search;
    use crate::persian::text::normalize_input;

    fn id() -> impl Strategy<Value = i64> {
        prop_oneof![0..1000i64, 0..=i64::MAX]
    }

    fn sale_button() -> impl Strategy<Value = SaleButton> {
        prop_oneof![
            Just(SaleButton::Confirm),
            Just(SaleButton::Edit),
            Just(SaleButton::Cancel),
            Just(SaleButton::Back),
            prop::sample::select(FIELDS.map(|(f, _)| f).to_vec()).prop_map(SaleButton::Field),
        ]
    }

    fn checkin_press() -> impl Strategy<Value = CheckinPress> {
        prop_oneof![
            (1..=5u8).prop_map(CheckinPress::Mood),
            (prop::sample::select(Obstacle::ALL.to_vec()), prop::option::of(any::<bool>()))
                .prop_map(|(obstacle, tick)| CheckinPress::Obstacle { obstacle, tick }),
            Just(CheckinPress::NoObstacles),
            Just(CheckinPress::ObstaclesDone),
            Just(CheckinPress::NoNote),
        ]
    }

    fn alert_action() -> impl Strategy<Value = AlertAction> {
        prop_oneof![
            Just(AlertAction::Show),
            Just(AlertAction::Reminder),
            Just(AlertAction::Notice),
            Just(AlertAction::Review),
            Just(AlertAction::FalseAlarm),
            Just(AlertAction::Snooze),
            (1..=365i64).prop_map(|days| AlertAction::SnoozeFor { days }),
        ]
    }

    /// A search as the list keeps it: what `people_search` accepted, cut to what fits.
    fn search() -> impl Strategy<Value = Option<String>> {
        prop::option::of("[ا-یa-z0-9۰-۹ :\u{200c}]{1,30}").prop_filter_map("a search the list accepts", |typed| {
            match typed {
                None => Some(None),
                Some(t) => people_search::search(&t).ok().map(|_| Some(normalize_input(&t))),
            }
        })
    }

    fn callback() -> impl Strategy<Value = Callback> {
        prop_oneof![
            sale_button().prop_map(Callback::Sale),
            (id(), checkin_press()).prop_map(|(checkin, press)| Callback::Checkin { checkin, press }),
            id().prop_map(Callback::Person),
            (0..MAX_PAGE, search()).prop_map(|(page, search)| Callback::PeopleList(ListAt { page, search })),
            Just(Callback::PeopleSearch),
            id().prop_map(|entrepreneur| Callback::LoanNew { entrepreneur }),
            any::<bool>().prop_map(|confirm| Callback::LoanEntry { confirm }),
            (
                id(),
                prop::sample::select(vec![LoanState::Active, LoanState::Paused, LoanState::Stopped, LoanState::Repaid])
            )
                .prop_map(|(loan, to)| Callback::LoanState { loan, to }),
            (id(), any::<bool>()).prop_map(|(payment, confirm)| Callback::Payment { payment, confirm }),
            (id(), alert_action()).prop_map(|(alert, action)| Callback::Alert { alert, action }),
            (id(), prop::sample::select(vec![NoticeAction::Send, NoticeAction::Cancel, NoticeAction::Acknowledge]))
                .prop_map(|(notice, action)| Callback::Notice { notice, action }),
        ]
    }

    proptest! {
        /// Every button reads back as itself, within Telegram's 64 bytes.
        #[test]
        fn every_callback_reads_back_as_itself_and_fits(callback in callback()) {
            let data = callback.encode();
            prop_assert!(data.len() <= MAX_BYTES, "{data} is {} bytes", data.len());
            prop_assert_eq!(Callback::decode(&data), Some(callback));
        }

        /// Whatever a client sends, decoding does not panic, and what it accepts has one
        /// spelling: the value written back is the data that came.
        #[test]
        fn any_data_decodes_to_nothing_or_to_its_one_spelling(data in "[a-z0-9:\\-+ ]{0,24}|.{0,64}") {
            if let Some(callback) = Callback::decode(&data) {
                prop_assert_eq!(callback.encode(), data);
            }
        }

        /// A button's data with one character changed, added or taken away (as a modified
        /// client could send) is refused or reads as another button's exact data.
        #[test]
        fn a_tampered_button_is_refused_or_reads_exactly(
            callback in callback(),
            at in any::<prop::sample::Index>(),
            with in prop::sample::select(vec!['0', '1', '9', ':', '-', 'a', 'o', 'k', ' ', '۱']),
            how in 0..3u8,
        ) {
            let mut chars: Vec<char> = callback.encode().chars().collect();
            let i = at.index(chars.len() + 1);
            match how {
                0 => chars.insert(i, with),
                1 if i < chars.len() => chars[i] = with,
                _ if i < chars.len() => { chars.remove(i); }
                _ => chars.push(with),
            }
            let data: String = chars.into_iter().collect();
            if let Some(read) = Callback::decode(&data) {
                prop_assert_eq!(read.encode(), data);
            }
        }
    }

    #[test]
    fn the_buttons_sent_before_this_type_still_read_the_same() {
        let old = [
            ("sale:ok", Callback::Sale(SaleButton::Confirm)),
            ("sale:f:day", Callback::Sale(SaleButton::Field(ReportField::Day))),
            ("ci:m:7:5", Callback::Checkin { checkin: 7, press: CheckinPress::Mood(5) }),
            (
                "ci:o:7:money",
                Callback::Checkin {
                    checkin: 7,
                    press: CheckinPress::Obstacle { obstacle: Obstacle::Money, tick: None },
                },
            ),
            ("ci:skip:7", Callback::Checkin { checkin: 7, press: CheckinPress::NoNote }),
            ("pl:2:زهرا", Callback::PeopleList(ListAt { page: 2, search: Some("زهرا".into()) })),
            ("a:snd:3:7", Callback::Alert { alert: 3, action: AlertAction::SnoozeFor { days: 7 } }),
            ("ls:4:paused", Callback::LoanState { loan: 4, to: LoanState::Paused }),
            ("pay:no:9", Callback::Payment { payment: 9, confirm: false }),
        ];
        for (data, callback) in old {
            assert_eq!(Callback::decode(data), Some(callback), "{data}");
        }
    }

    #[test]
    fn what_no_button_carries_is_refused() {
        for data in [
            "",
            "sale:",
            "sale:f:../../etc",
            "ci:m:7:6",
            "ci:m:7:05",
            "ci:o:7:money:2",
            "ci:on:7:1",
            "p:-1",
            "p:+1",
            "p:01",
            "p:1:2",
            "p:99999999999999999999",
            "pay:maybe:1",
            "pay:ok:",
            "loan:yes",
            "a:rem",
            "a:xx:1",
            "a:snd:1",
            "n:ack:1:2",
            "ls:1:gone",
            "pl:100000",
            "pl:-1",
            "ps:1",
            "zz:1",
        ] {
            assert_eq!(Callback::decode(data), None, "{data:?}");
        }
    }
}
