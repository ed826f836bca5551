//! The weekly check-in's buttons, and what the caseworker reads when an answer is worrying.

use teloxide::types::InlineKeyboardMarkup;

use crate::domain::checkin::{CheckinAnswer, Obstacle, UrgentReason};
use crate::i18n::Tr;
use crate::views::callback::{Callback, CheckinPress};
use crate::views::keyboards;

/// The faces: how the week went.
pub fn mood_buttons(tr: &Tr, id: i64) -> InlineKeyboardMarkup {
    let row = (1..=5u8)
        .rev()
        .map(|m| (tr.mood(m), Callback::Checkin { checkin: id, press: CheckinPress::Mood(m) }))
        .collect::<Vec<_>>();
    keyboards::inline(row.chunks(3).map(<[_]>::to_vec).collect())
}

/// Each obstacle's button says what pressing it makes of it (ticked «1» or not «0»), so that a
/// double tap ticks once instead of ticking and unticking.
pub fn obstacle_buttons(tr: &Tr, id: i64, ticked: &[Obstacle]) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<(String, Callback)>> = Obstacle::ALL
        .iter()
        .map(|o| {
            let (mark, tick) = if ticked.contains(o) { ("✅ ", false) } else { ("", true) };
            let press = CheckinPress::Obstacle { obstacle: *o, tick: Some(tick) };
            vec![(format!("{mark}{}", tr.obstacle(*o)), Callback::Checkin { checkin: id, press })]
        })
        .collect();
    rows.push(vec![
        (tr.msg("btn-obstacles-none"), Callback::Checkin { checkin: id, press: CheckinPress::NoObstacles }),
        (tr.msg("btn-obstacles-done"), Callback::Checkin { checkin: id, press: CheckinPress::ObstaclesDone }),
    ]);
    keyboards::inline(rows)
}

/// The caseworker's message about a worrying answer: who, why, the faces, the obstacles, and
/// the note's text when there is one.
pub fn urgent_text(
    tr: &Tr,
    name: &str,
    reasons: &[UrgentReason],
    answer: &CheckinAnswer,
    note: Option<String>,
) -> String {
    let why = reasons
        .iter()
        .map(|r| {
            tr.part_with(
                match r {
                    UrgentReason::HardWeekTwice => "urgent-hard-week-twice",
                    UrgentReason::FamilyHealth => "urgent-family",
                    UrgentReason::MovingAway => "urgent-moving",
                    UrgentReason::Message => "urgent-message",
                },
                &[],
            )
        })
        .collect::<Vec<_>>()
        .join("، ");
    let obstacles = if answer.obstacles.is_empty() {
        tr.part_with("obstacles-none", &[])
    } else {
        answer.obstacles.iter().map(|o| tr.obstacle(*o)).collect::<Vec<_>>().join("، ")
    };
    let mut message = tr.msg_with(
        "checkin-urgent",
        &[("name", name.to_string()), ("why", why), ("mood", tr.mood(answer.mood)), ("obstacles", obstacles)],
    );
    if let Some(note) = note {
        message.push('\n');
        message.push_str(&tr.msg_with("checkin-urgent-note", &[("note", note)]));
    }
    message
}
