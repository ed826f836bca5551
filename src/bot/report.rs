//! The sale and return report conversation: the shell around `domain::report`.

use std::sync::Arc;

use chrono::{Days, Months, NaiveDate};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use super::{App, Conversation, HandlerResult, State, Summary, commands, retire_buttons, save_state};
use crate::domain::attachment::Attachment;
use crate::domain::person::{Person, Role, TextProblem, clean_label};
use crate::domain::quick_report::{QuickProblem, QuickReport};
use crate::domain::report::{
    AnswerContext, Report, ReportField, ReportInput, ReportKind, ReportProblem, ReportStep, advance,
};
use crate::persian::amount::{AmountError, Reading, in_round_units};
use crate::persian::digits::format_number;
use crate::persian::jalali::{DateInputError, format_day, format_jalali_as_typed};
use crate::persian::text::normalize_input;
use crate::views::callback::{Callback, SaleButton};
use crate::views::keyboards;
use crate::views::loans::money;

/// The first day of the window in which invoices count toward promotion.
pub fn invoice_window_start(app: &App) -> NaiveDate {
    let today = app.clock.today();
    today.checked_sub_months(Months::new(app.config.invoice_window_months)).unwrap_or(today)
}

pub async fn on_message(
    app: Arc<App>,
    dialogue: Conversation,
    (report, summary_message): (Report, Option<Summary>),
    msg: Message,
) -> HandlerResult {
    handle(&app, &dialogue, report, summary_message, &msg).await
}

async fn handle(
    app: &App,
    dialogue: &Conversation,
    report: Report,
    summary_message: Option<Summary>,
    msg: &Message,
) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    let person = app.sender(user).await?;
    let input = classify(app, msg, &report);
    // «انصراف», or a conversation that is not an entrepreneur's (stale state), ends here.
    let (Some(person), Some(input)) = (person.clone().filter(|p| p.role == Role::Entrepreneur), input) else {
        let stale = State::Report { report, summary_message };
        return commands::cancel(app, dialogue, stale, person.map(|p| p.role)).await;
    };
    if let ReportInput::Text(text) = &input
        && keyboards::is_menu_button(&app.tr, Role::Entrepreneur, &normalize_input(text))
    {
        // The button that began this report, tapped twice: the question is on screen already.
        if report.step == ReportStep::Amount && normalize_input(text) == app.tr.msg(start_button(report.kind)) {
            return Ok(());
        }
        // A menu button from an old keyboard is no answer to the question.
        let lead = Some(app.tr.msg("report-menu-button"));
        retire_summary(app, dialogue, summary_message).await?;
        return ask_after(app, dialogue, report, Some(person.id), lead).await;
    }
    let kind = report.kind;
    // Only the steps that read amounts look at the usual one (a query saved on the others).
    let reads_amounts = matches!(report.step, ReportStep::Amount | ReportStep::ChooseAmount | ReportStep::Item);
    let usual = if reads_amounts { usual_amount(app, kind, person.id).await? } else { None };
    let context = AnswerContext { today: app.clock.today(), limits: &app.config.sale_limits, usual };
    let (next, lead) = match advance(&report, input, &context) {
        Ok(next) => (next, None),
        Err(problem) => (report, Some(problem_text(app, problem, kind))),
    };
    retire_summary(app, dialogue, summary_message).await?;
    ask_after(app, dialogue, next, Some(person.id), lead).await
}

/// What this person usually reports, for telling a typo from an amount: a sale's or a return's
/// usual sale, a payment's amount due.
async fn usual_amount(app: &App, kind: ReportKind, person_id: i64) -> anyhow::Result<Option<i64>> {
    Ok(match kind {
        ReportKind::Sale | ReportKind::Return => app.store.usual_sale(person_id).await?,
        ReportKind::Payment { .. } => super::payments::suggested_amount(app, person_id).await?,
    })
}

/// The selector the texts use for a report's kind.
fn kind_code(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Sale => "sale",
        ReportKind::Return => "return",
        ReportKind::Payment { .. } => "payment",
    }
}

/// The menu button that begins a report of this kind.
fn start_button(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Sale => "btn-sale",
        ReportKind::Return => "btn-return",
        ReportKind::Payment { .. } => "btn-payment",
    }
}

/// What a message means at a sale question; None for «انصراف».
fn classify(app: &App, msg: &Message, report: &Report) -> Option<ReportInput> {
    if let Some(text) = msg.text() {
        let text = normalize_input(text);
        let is = |id: &str| text == app.tr.msg(id);
        let chosen = report.amount_choices.iter().find(|a| text == amount_choice_label(&app.tr, **a));
        return Some(if is("btn-cancel") {
            return None;
        } else if let Some(amount) = chosen.filter(|_| report.step == ReportStep::ChooseAmount) {
            ReportInput::ChoseAmount(*amount)
        } else if is("btn-skip-customer") || is("btn-skip-photo") {
            ReportInput::Skip
        } else if is("btn-today") {
            ReportInput::Today
        } else if is("btn-yesterday") {
            ReportInput::Yesterday
        } else {
            ReportInput::Text(msg.text().unwrap_or_default().to_string())
        });
    }
    if let Some(sizes) = msg.photo()
        && let Some(largest) = sizes.iter().max_by_key(|s| s.width * s.height)
    {
        return Some(ReportInput::Photo(Attachment::photo(largest.file.id.0.clone())));
    }
    // An image sent as a file, or a PDF (bank apps give receipts so): a document to Telegram.
    if let Some(doc) = msg.document()
        && doc.mime_type.as_ref().is_some_and(|m| m.type_() == "image" || m.essence_str() == "application/pdf")
    {
        return Some(ReportInput::Photo(Attachment::document(doc.file.id.0.clone())));
    }
    Some(ReportInput::OtherMedia)
}

/// A summary whose buttons should no longer work loses them (as far as Telegram allows: a
/// press is checked against the live summary anyway). One not sent yet has nothing to retire.
pub(crate) async fn retire_summary(app: &App, dialogue: &Conversation, summary: Option<Summary>) -> HandlerResult {
    if let Some(summary) = summary
        && let Some(id) = summary.message(app).await?
    {
        retire_buttons(dialogue, MessageId(id));
    }
    Ok(())
}

/// A one-line report: straight to the summary when the line says everything, else to what is
/// missing (which reading of the amount, the item, or the amount when the line had two
/// candidates). The item keeps the rules of the item question.
pub async fn begin_quick(app: &App, dialogue: &Conversation, person: &Person, quick: QuickReport) -> HandlerResult {
    let today = app.clock.today();
    let limits = &app.config.sale_limits;
    let (item, lead) = match quick.item.as_deref().map(|item| clean_label(item, limits.max_text_chars)) {
        Some(Ok(item)) => (Some(item), None),
        Some(Err(problem)) => (None, Some(problem_text(app, ReportProblem::Text(problem), quick.kind))),
        None => (None, None),
    };
    let named_an_item = quick.item.is_some();
    let (mut report, lead) = match quick.amount {
        Ok(Reading::Sure(amount)) => (Report::from_quick(quick.kind, amount, item, today), lead),
        Ok(Reading::Either(choices)) => (Report::from_quick_choices(quick.kind, choices, item, today), lead),
        Err(QuickProblem::WhichIsTheAmount) => (Report::new(quick.kind), Some(app.tr.msg("quick-report-which-amount"))),
        Err(QuickProblem::PriceEach) => (Report::new(quick.kind), Some(app.tr.msg("quick-report-price-each"))),
        Err(QuickProblem::Amount(problem)) => {
            let text = format!(
                "{}\n{}",
                amount_problem_text(app, problem, AmountQuestion::OneLine),
                app.tr.msg("quick-report-example")
            );
            super::say_with_menu(app, dialogue, text, person.role);
            return Ok(());
        }
    };
    // After an item given again (the line's was refused), straight to the summary.
    report.editing |= named_an_item && report.day.is_some();
    ask_after(app, dialogue, report, Some(person.id), lead).await
}

/// Asks the question of the report's current step and saves the conversation.
pub async fn ask(app: &App, dialogue: &Conversation, report: Report, entrepreneur_id: Option<i64>) -> HandlerResult {
    ask_after(app, dialogue, report, entrepreneur_id, None).await
}

/// Says `lead` (why the last answer was not taken), then asks the current step's question,
/// committed with the step the chat moves to.
async fn ask_after(
    app: &App,
    dialogue: &Conversation,
    report: Report,
    entrepreneur_id: Option<i64>,
    lead: Option<String>,
) -> HandlerResult {
    let tr = &app.tr;
    let person_id = entrepreneur_id.unwrap_or_default();
    let limit = app.config.recent_choices;
    let save = |report: Report, summary_message: Option<Summary>| async move {
        save_state(dialogue, State::Report { report, summary_message }).await
    };
    let (text, choices, per_row) = match report.step {
        ReportStep::Amount => match report.kind {
            ReportKind::Sale => (tr.msg("sale-ask-amount"), vec![], 1),
            ReportKind::Return => (tr.msg("return-ask-amount"), vec![], 1),
            ReportKind::Payment { .. } => {
                // What is due is offered as a button, so most people type nothing.
                let suggested = super::payments::suggested_amount(app, person_id).await?;
                let choices: Vec<String> = suggested
                    .map(|a| tr.part_with("amount-toman", &[("amount", format_number(a))]))
                    .into_iter()
                    .collect();
                (tr.msg_with("payment-ask-amount", &[("button", yes_if(!choices.is_empty()))]), choices, 1)
            }
        },
        // The questions mention buttons only when there are some to press.
        ReportStep::ChooseAmount => {
            let labels = report.amount_choices.iter().map(|a| amount_choice_label(&app.tr, *a)).collect();
            (tr.msg("amount-ask-which"), labels, 1)
        }
        ReportStep::Item => {
            let items = app.store.recent_items(person_id, limit).await?;
            let args = [("choices", yes_if(!items.is_empty())), ("kind", kind_code(report.kind).to_string())];
            (tr.msg_with("sale-ask-item", &args), items, 2)
        }
        ReportStep::Customer => {
            let customers = app.store.recent_customers(person_id, limit).await?;
            let args = [("choices", yes_if(!customers.is_empty())), ("kind", kind_code(report.kind).to_string())];
            let text = tr.msg_with("sale-ask-customer", &args);
            (text, [vec![tr.msg("btn-skip-customer")], customers].concat(), 2)
        }
        ReportStep::Day => {
            let today = app.clock.today();
            let args = [("today", format_day(today, today)), ("example", past_day_example(app))];
            let text = tr.msg_with("sale-ask-day", &args);
            (text, vec![tr.msg("btn-today"), tr.msg("btn-yesterday")], 2)
        }
        ReportStep::Photo if matches!(report.kind, ReportKind::Payment { .. }) => {
            (tr.msg("payment-ask-photo"), vec![tr.msg("btn-skip-photo")], 1)
        }
        ReportStep::Photo => (tr.msg("sale-ask-photo"), vec![tr.msg("btn-skip-photo")], 1),
        ReportStep::Review | ReportStep::ChooseEdit => {
            let report = Report { step: ReportStep::Review, ..report };
            let text = summary_with_hint(app, &report);
            let summary = super::say_summary(app, dialogue, lead, text, review_buttons(app));
            return save(report, Some(summary)).await;
        }
    };
    save(report, None).await?;
    super::say_question(dialogue, lead, text, keyboards::choices_with_cancel(&app.tr, &choices, per_row));
    Ok(())
}

/// The summary as it is shown with its buttons: what the report says, and what to press.
pub fn summary_with_hint(app: &App, report: &Report) -> String {
    format!("{}\n{}", summary_text(app, report), app.tr.msg("sale-summary-hint"))
}

pub fn summary_text(app: &App, report: &Report) -> String {
    let tr = &app.tr;
    let amount = money(&app.tr, report.amount.unwrap_or_default());
    let day = report.day.map(|day| format_day(day, app.clock.today())).unwrap_or_default();
    let photo = tr.msg(if report.photo.is_some() { "sale-photo-yes" } else { "sale-photo-no" });
    if let ReportKind::Payment { .. } = report.kind {
        return tr.msg_with("payment-summary", &[("amount", amount), ("day", day), ("photo", photo)]);
    }
    let customer = report.customer.clone().unwrap_or_else(|| tr.msg("sale-no-customer"));
    tr.msg_with(
        "sale-summary",
        &[
            ("kind", kind_code(report.kind).to_string()),
            ("amount", amount),
            ("item", report.item.clone().unwrap_or_default()),
            ("customer", customer),
            ("day", day),
            ("photo", photo),
        ],
    )
}

pub fn review_buttons(app: &App) -> InlineKeyboardMarkup {
    let tr = &app.tr;
    keyboards::inline(vec![
        vec![(tr.msg("btn-confirm"), Callback::Sale(SaleButton::Confirm))],
        vec![
            (tr.msg("btn-edit"), Callback::Sale(SaleButton::Edit)),
            (tr.msg("btn-cancel"), Callback::Sale(SaleButton::Cancel)),
        ],
    ])
}

pub fn edit_buttons(app: &App, kind: ReportKind) -> InlineKeyboardMarkup {
    let tr = &app.tr;
    let field = |f: ReportField| {
        let label = match f {
            ReportField::Amount => "btn-field-amount",
            ReportField::Item => "btn-field-item",
            ReportField::Customer => "btn-field-customer",
            ReportField::Day => "btn-field-day",
            ReportField::Photo => "btn-field-photo",
        };
        (tr.msg(label), Callback::Sale(SaleButton::Field(f)))
    };
    let fields: Vec<(String, Callback)> = kind.fields().iter().copied().map(field).collect();
    let mut rows: Vec<Vec<(String, Callback)>> = fields.chunks(2).map(<[_]>::to_vec).collect();
    rows.push(vec![(tr.msg("btn-back"), Callback::Sale(SaleButton::Back))]);
    keyboards::inline(rows)
}

/// A reading of an ambiguous amount, as its button says it: «۴۰۰ هزار تومان».
pub fn amount_choice_label(tr: &crate::i18n::Tr, amount: i64) -> String {
    let (count, unit) = in_round_units(amount);
    tr.part_with("amount-choice", &[("count", format_number(count)), ("unit", unit.name().to_string())])
}

/// The question an amount answered, so that the advice in a refusal fits where the person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountQuestion {
    /// The amount question of a sale, a return or a payment.
    Report(ReportKind),
    /// A one-line report typed at the menu.
    OneLine,
    /// A loan's principal, which must fall in its facility's range.
    Loan { min: i64, max: i64 },
}

/// The amount the refusals of a sale, a return or a payment give as an example.
const EXAMPLE_AMOUNT: i64 = 250_000;

/// Why an amount was not taken, in the words of the question it answered. Every amount
/// question (sales, returns, payments, one-line reports, loans) answers through here.
pub fn amount_problem_text(app: &App, problem: AmountError, question: AmountQuestion) -> String {
    use AmountQuestion::{Loan, OneLine, Report};
    let id = match (problem, question) {
        (AmountError::Empty, _) => "amount-error-empty",
        (AmountError::NotUnderstood, Loan { .. }) => "loan-error-amount",
        (AmountError::NotUnderstood, _) => "amount-error-not-understood",
        (AmountError::Negative, OneLine) => "amount-error-negative-at-rest",
        (AmountError::Negative, Report(ReportKind::Sale)) => "amount-error-negative",
        (AmountError::Negative, _) => "amount-error-negative-plain",
        (AmountError::Zero, _) => "amount-error-zero",
        (AmountError::NotWholeToman, _) => "amount-error-fraction",
        // Above what a loan of this level can be: its range says what fits.
        (AmountError::TooLarge, Loan { .. }) => "loan-error-out-of-range",
        (AmountError::TooLarge, _) => "amount-error-too-large",
        (AmountError::LooksLikePhone, _) => "amount-error-phone",
        (AmountError::HiddenDirection, _) => "amount-error-hidden-direction",
    };
    let (example, min, max) = match question {
        Loan { min, max } => (min, min, max),
        Report(_) | OneLine => (EXAMPLE_AMOUNT, 0, app.config.sale_limits.max_amount_toman),
    };
    let args =
        [("example", amount_choice_label(&app.tr, example)), ("min", format_number(min)), ("max", format_number(max))];
    app.tr.msg_with(id, &args)
}

/// The argument of a text that reads differently when it has buttons to mention.
fn yes_if(condition: bool) -> String {
    if condition { "yes" } else { "no" }.to_string()
}

/// A recent day to show as an example of a typed date (not today or yesterday, which have
/// their buttons).
fn past_day_example(app: &App) -> String {
    format_jalali_as_typed(app.clock.today() - Days::new(3))
}

fn problem_text(app: &App, problem: ReportProblem, kind: ReportKind) -> String {
    let tr = &app.tr;
    let payment = matches!(kind, ReportKind::Payment { .. });
    match problem {
        ReportProblem::Amount(e) => amount_problem_text(app, e, AmountQuestion::Report(kind)),
        ReportProblem::Text(TextProblem::TooLong) => {
            tr.msg_with("error-text-too-long", &[("max", format_number(app.config.sale_limits.max_text_chars as i64))])
        }
        ReportProblem::Text(TextProblem::Empty | TextProblem::NoLetters) => tr.msg("error-text-no-letters"),
        ReportProblem::Day(e) => {
            let id = match e {
                DateInputError::NotUnderstood => "day-error-not-understood",
                DateInputError::NoSuchDay => "day-error-no-such-day",
                DateInputError::InFuture => "day-error-future",
                DateInputError::TooOld => "day-error-too-old",
                DateInputError::TooFarAhead => "day-error-too-far-ahead",
            };
            tr.msg_with(id, &[("example", past_day_example(app)), ("kind", kind_code(kind).to_string())])
        }
        ReportProblem::ExpectedText => tr.msg("error-expected-text"),
        ReportProblem::ExpectedPhoto if payment => tr.msg("payment-error-expected-photo"),
        ReportProblem::ExpectedPhoto => tr.msg("sale-error-expected-photo"),
        ReportProblem::UseButtons => tr.msg("sale-error-use-buttons"),
        ReportProblem::AmountAsItem => tr.msg("sale-error-amount-as-item"),
    }
}
