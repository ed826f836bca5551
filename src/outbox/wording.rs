//! Reminders worded when they are sent (see `domain::reminder`): the worker asks here for the
//! text of a row that says what it is about, or learns that the row is no longer true.

use crate::app::App;
use crate::domain::notice::still_true;
use crate::domain::reminder::{Wording, installment_reminder};
use crate::schedule::scan::{Ctx, person_today};
use crate::store::OutboxRow;
use crate::views::alerts::installment_text;
use crate::views::loans::Reader;

/// The row's text as of now, or None when what it says is no longer true.
pub async fn word_now(app: &App, row: &OutboxRow, wording: &Wording) -> anyhow::Result<Option<String>> {
    Ok(match wording {
        Wording::Installment { installment_id } => {
            let now = app.store.installment_now(*installment_id).await?;
            let today = app.clock.today();
            installment_reminder(now, today).map(|(when, i)| installment_text(&app.tr, when, i.due_on, i.unpaid, today))
        }
        Wording::NoSales { entrepreneur_id, decided_at } => {
            let sold = app.store.sale_reported_since(*entrepreneur_id, *decided_at).await?;
            (!sold).then(|| row.text.clone())
        }
        Wording::Checkin { checkin_id } => {
            let open = app.store.checkin(*checkin_id).await?.is_some_and(|c| c.status == "open");
            open.then(|| row.text.clone())
        }
        // The caseworker approved this text: it leaves as it is, or not at all.
        Wording::Notice { entrepreneur_id, claims } => {
            let ctx = Ctx { store: &app.store, tr: &app.tr, config: &app.config };
            let now = person_today(&ctx, *entrepreneur_id, app.clock.now()).await?;
            let holds = now.is_some_and(|(history, signals)| still_true(claims, &history, &signals, app.clock.today()));
            holds.then(|| row.text.clone())
        }
        Wording::LoanNews { entrepreneur_id, loan_id } => {
            Some(with_loan_as_it_stands(app, *entrepreneur_id, *loan_id, &row.text).await?)
        }
    })
}

/// A confirmed payment's news, with the loan as it stands now (when the news is read).
pub async fn with_loan_as_it_stands(
    app: &App,
    entrepreneur_id: i64,
    loan_id: i64,
    news: &str,
) -> anyhow::Result<String> {
    let view = app.loan_views(entrepreneur_id).await?.into_iter().find(|v| v.loan.id == loan_id);
    Ok(match view {
        Some(view) => format!("{news}\n{}", app.loan_words().summary(&view, Reader::Entrepreneur)),
        None => news.to_string(),
    })
}
