//! Reporting a sale, a return or a loan payment: the questions, one at a time, as a pure
//! state machine.
//!
//! The bot shell turns each incoming message or button into a [`ReportInput`], calls
//! [`advance`], stores the new state and asks whatever [`Report::step`] now says.
//! Nothing is stored until the person confirms the summary.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::attachment::Attachment;
use super::person::{TextProblem, clean_label};
use crate::persian::amount::{AmountError, Expect, Reading, read_amount};
use crate::persian::jalali::{DateInputError, parse_day};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportKind {
    Sale,
    /// A return or refund, stored as a negative sale.
    Return,
    /// A loan installment paid (amount, day, receipt photo; no item or customer).
    Payment {
        loan_id: i64,
    },
}

impl ReportKind {
    /// The fields this kind of report asks for, in order (all but the summary).
    pub fn fields(self) -> &'static [ReportField] {
        match self {
            ReportKind::Payment { .. } => &[ReportField::Amount, ReportField::Day, ReportField::Photo],
            _ => &ReportField::ALL,
        }
    }
}

/// The question being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportStep {
    Amount,
    /// The amount could be read more than one way: which was meant (a button each).
    ChooseAmount,
    Item,
    Customer,
    Day,
    Photo,
    /// The summary with «تأیید» / «ویرایش» / «انصراف».
    Review,
    /// Which field to change.
    ChooseEdit,
}

/// A field that can be changed from the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportField {
    Amount,
    Item,
    Customer,
    Day,
    Photo,
}

impl ReportField {
    pub const ALL: [ReportField; 5] =
        [ReportField::Amount, ReportField::Item, ReportField::Customer, ReportField::Day, ReportField::Photo];

    fn step(self) -> ReportStep {
        match self {
            ReportField::Amount => ReportStep::Amount,
            ReportField::Item => ReportStep::Item,
            ReportField::Customer => ReportStep::Customer,
            ReportField::Day => ReportStep::Day,
            ReportField::Photo => ReportStep::Photo,
        }
    }
}

/// A report being put together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub step: ReportStep,
    /// Set when a field is being changed from the summary: after it, back to the summary.
    pub editing: bool,
    /// Always positive; a return is stored negative.
    pub amount: Option<i64>,
    pub item: Option<String>,
    pub customer: Option<String>,
    pub day: Option<NaiveDate>,
    pub photo: Option<Attachment>,
    /// The readings of an ambiguous amount, while the person chooses.
    #[serde(default)]
    pub amount_choices: Vec<i64>,
}

impl Report {
    pub fn new(kind: ReportKind) -> Report {
        Report {
            kind,
            step: ReportStep::Amount,
            editing: false,
            amount: None,
            item: None,
            customer: None,
            day: None,
            photo: None,
            amount_choices: Vec::new(),
        }
    }

    /// A one-line report whose amount could be read more than one way: which was meant is
    /// asked first (then the item, or the summary when the line named one).
    pub fn from_quick_choices(kind: ReportKind, choices: Vec<i64>, item: Option<String>, today: NaiveDate) -> Report {
        Report {
            step: ReportStep::ChooseAmount,
            amount: None,
            amount_choices: choices,
            ..Report::from_quick(kind, 0, item, today)
        }
    }

    /// A one-line report: amount and item known, today's date, straight to the summary
    /// (or to the item question when the line named none).
    pub fn from_quick(kind: ReportKind, amount: i64, item: Option<String>, today: NaiveDate) -> Report {
        let step = if item.is_some() { ReportStep::Review } else { ReportStep::Item };
        Report {
            kind,
            step,
            editing: item.is_some(),
            amount: Some(amount),
            item,
            customer: None,
            day: Some(today),
            photo: None,
            amount_choices: Vec::new(),
        }
    }

    /// Whether the summary has all it needs (customer and photo may be left out).
    fn ready_for_review(&self) -> bool {
        let item_needed = !matches!(self.kind, ReportKind::Payment { .. });
        self.amount.is_some() && self.day.is_some() && (self.item.is_some() || !item_needed)
    }

    /// The amount as stored: negative for a return.
    pub fn signed_amount(&self) -> Option<i64> {
        self.amount.map(|a| match self.kind {
            ReportKind::Return => -a,
            ReportKind::Sale | ReportKind::Payment { .. } => a,
        })
    }

    /// The finished sale or return, if every required answer is there.
    pub fn complete(&self) -> Option<CompleteSale> {
        if matches!(self.kind, ReportKind::Payment { .. }) {
            return None;
        }
        Some(CompleteSale {
            amount_toman: self.signed_amount()?,
            item: self.item.clone()?,
            customer: self.customer.clone(),
            day: self.day?,
            photo: self.photo.clone(),
        })
    }
}

/// What gets stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteSale {
    pub amount_toman: i64,
    pub item: String,
    pub customer: Option<String>,
    pub day: NaiveDate,
    pub photo: Option<Attachment>,
}

/// One thing the person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportInput {
    Text(String),
    /// «بدون مشتری» / «بدون عکس».
    Skip,
    Today,
    Yesterday,
    Photo(Attachment),
    /// One of the readings of an ambiguous amount, from its button.
    ChoseAmount(i64),
    /// A sticker, voice note, video, location, ... where it makes no sense.
    OtherMedia,
    Edit,
    EditField(ReportField),
    /// «بازگشت به خلاصه» from the field choice.
    BackToReview,
}

/// Why an answer was not taken; the question is asked again after the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportProblem {
    Amount(AmountError),
    Text(TextProblem),
    Day(DateInputError),
    /// Media where a typed answer was expected.
    ExpectedText,
    /// Something other than a photo or «بدون عکس» at the photo question.
    ExpectedPhoto,
    /// Typed text where a button is expected (summary, field choice).
    UseButtons,
    /// An amount where what was sold is asked: a reading's button tapped twice, or the amount
    /// typed again. It is not stored as the item.
    AmountAsItem,
}

/// Limits that come from configuration.
#[derive(Debug, Clone, Copy)]
pub struct SaleLimits {
    pub max_amount_toman: i64,
    pub max_days_back: i64,
    pub max_text_chars: usize,
}

/// What answers are judged against.
#[derive(Debug, Clone, Copy)]
pub struct AnswerContext<'a> {
    pub today: NaiveDate,
    pub limits: &'a SaleLimits,
    /// What this person usually reports (sales: their recent median; payments: what is due):
    /// an amount far below it is asked about.
    pub usual: Option<i64>,
}

impl AnswerContext<'_> {
    /// What the amount question expects.
    fn expect(&self) -> Expect {
        Expect { max: self.limits.max_amount_toman, usual: self.usual, range: None }
    }
}

/// Takes one input at the current step. On a problem the report is unchanged.
pub fn advance(report: &Report, input: ReportInput, context: &AnswerContext<'_>) -> Result<Report, ReportProblem> {
    let (today, limits) = (context.today, context.limits);
    let mut next = report.clone();
    match (report.step, input) {
        (ReportStep::Amount | ReportStep::ChooseAmount, ReportInput::Text(text)) => {
            match read_amount(&text, &context.expect()).map_err(ReportProblem::Amount)? {
                Reading::Sure(amount) => {
                    next.amount = Some(amount);
                    next.amount_choices.clear();
                }
                Reading::Either(choices) => {
                    next.amount_choices = choices;
                    next.step = ReportStep::ChooseAmount;
                    return Ok(next);
                }
            }
        }
        (ReportStep::ChooseAmount, ReportInput::ChoseAmount(amount)) if report.amount_choices.contains(&amount) => {
            next.amount = Some(amount);
            next.amount_choices.clear();
        }
        (ReportStep::Item, ReportInput::Text(text)) => {
            // What reads as an amount at the amount question is an amount here too.
            if read_amount(&text, &context.expect()).is_ok() {
                return Err(ReportProblem::AmountAsItem);
            }
            next.item = Some(clean_label(&text, limits.max_text_chars).map_err(ReportProblem::Text)?);
        }
        (ReportStep::Customer, ReportInput::Text(text)) => {
            next.customer = Some(clean_label(&text, limits.max_text_chars).map_err(ReportProblem::Text)?);
        }
        (ReportStep::Customer, ReportInput::Skip) => next.customer = None,
        (ReportStep::Day, ReportInput::Today) => next.day = Some(today),
        (ReportStep::Day, ReportInput::Yesterday) => next.day = today.pred_opt(),
        (ReportStep::Day, ReportInput::Text(text)) => {
            next.day = Some(parse_day(&text, today, limits.max_days_back).map_err(ReportProblem::Day)?);
        }
        (ReportStep::Photo, ReportInput::Photo(attachment)) => next.photo = Some(attachment),
        (ReportStep::Photo, ReportInput::Skip) => next.photo = None,
        (ReportStep::Photo, _) => return Err(ReportProblem::ExpectedPhoto),
        (ReportStep::Review, ReportInput::Edit) => {
            next.step = ReportStep::ChooseEdit;
            return Ok(next);
        }
        (ReportStep::ChooseEdit | ReportStep::Review, ReportInput::EditField(field))
            if report.kind.fields().contains(&field) =>
        {
            next.step = field.step();
            next.editing = true;
            return Ok(next);
        }
        (ReportStep::ChooseEdit, ReportInput::BackToReview) => {
            next.step = ReportStep::Review;
            return Ok(next);
        }
        (ReportStep::Review | ReportStep::ChooseEdit, _) => return Err(ReportProblem::UseButtons),
        (_, ReportInput::OtherMedia | ReportInput::Photo(_)) => {
            return Err(ReportProblem::ExpectedText);
        }
        // A button that belongs to another question (an old keyboard): ask again.
        (_, _) => return Err(ReportProblem::ExpectedText),
    }
    // Choosing a reading answers the amount question. Back to the summary when editing, unless
    // something the summary needs is still missing (a one-line report whose item was refused).
    let answered = if report.step == ReportStep::ChooseAmount { ReportStep::Amount } else { report.step };
    next.step = if next.editing && next.ready_for_review() {
        ReportStep::Review
    } else {
        following_step(report.kind, answered)
    };
    Ok(next)
}

/// The next question after `step` for this kind of report (the summary after the last).
fn following_step(kind: ReportKind, step: ReportStep) -> ReportStep {
    let fields = kind.fields();
    let position = fields.iter().position(|f| f.step() == step);
    position.and_then(|i| fields.get(i + 1)).map_or(ReportStep::Review, |f| f.step())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: SaleLimits = SaleLimits { max_amount_toman: 1_000_000_000, max_days_back: 365, max_text_chars: 100 };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn ctx() -> AnswerContext<'static> {
        AnswerContext { today: today(), limits: &LIMITS, usual: None }
    }

    fn run(inputs: Vec<ReportInput>) -> Result<Report, ReportProblem> {
        let mut report = Report::new(ReportKind::Sale);
        for input in inputs {
            report = advance(&report, input, &ctx())?;
        }
        Ok(report)
    }

    fn text(s: &str) -> ReportInput {
        ReportInput::Text(s.to_string())
    }

    #[test]
    fn full_report_reaches_review() {
        let report =
            run(vec![text("۲۵۰ هزار"), text("روسری"), ReportInput::Skip, ReportInput::Yesterday, ReportInput::Skip])
                .unwrap();
        assert_eq!(report.step, ReportStep::Review);
        let sale = report.complete().unwrap();
        assert_eq!(sale.amount_toman, 250_000);
        assert_eq!(sale.item, "روسری");
        assert_eq!(sale.customer, None);
        assert_eq!(sale.day, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    }

    #[test]
    fn bad_answers_leave_the_report_unchanged() {
        let start = Report::new(ReportKind::Sale);
        assert_eq!(advance(&start, text("سلام"), &ctx()), Err(ReportProblem::Amount(AmountError::NotUnderstood)));
        assert_eq!(advance(&start, text("0"), &ctx()), Err(ReportProblem::Amount(AmountError::Zero)));
        assert_eq!(advance(&start, text("۵ میلیارد"), &ctx()), Err(ReportProblem::Amount(AmountError::TooLarge)));
        assert_eq!(advance(&start, ReportInput::OtherMedia, &ctx()), Err(ReportProblem::ExpectedText));
        assert_eq!(
            advance(&start, ReportInput::Photo(Attachment::photo("x")), &ctx()),
            Err(ReportProblem::ExpectedText)
        );
        let at_day = run(vec![text("۱۰۰۰"), text("نان"), ReportInput::Skip]).unwrap();
        assert_eq!(advance(&at_day, text("۱۴۰۵/۱۰/۱"), &ctx()), Err(ReportProblem::Day(DateInputError::InFuture)));
        let at_photo = advance(&at_day, ReportInput::Today, &ctx()).unwrap();
        assert_eq!(advance(&at_photo, text("عکس ندارم"), &ctx()), Err(ReportProblem::ExpectedPhoto));
        let review = advance(&at_photo, ReportInput::Skip, &ctx()).unwrap();
        assert_eq!(advance(&review, text("باشه"), &ctx()), Err(ReportProblem::UseButtons));
    }

    #[test]
    fn an_amount_that_reads_two_ways_is_asked_and_the_choice_goes_on() {
        let start = Report::new(ReportKind::Sale);
        let choosing = advance(&start, text("۴۰۰٫۰۰۰"), &ctx()).unwrap();
        assert_eq!(
            (choosing.step, choosing.amount, choosing.amount_choices.clone()),
            (ReportStep::ChooseAmount, None, vec![400, 400_000])
        );
        // A reading that was not offered is refused; one that was, taken.
        assert!(advance(&choosing, ReportInput::ChoseAmount(4_000), &ctx()).is_err());
        let chosen = advance(&choosing, ReportInput::ChoseAmount(400_000), &ctx()).unwrap();
        assert_eq!((chosen.step, chosen.amount), (ReportStep::Item, Some(400_000)));
        assert!(chosen.amount_choices.is_empty());
        // Typing the amount again instead of pressing a button reads it anew.
        let typed = advance(&choosing, text("۴۰۰ هزار"), &ctx()).unwrap();
        assert_eq!((typed.step, typed.amount), (ReportStep::Item, Some(400_000)));
        // Far below this person's usual sale.
        let usual = AnswerContext { usual: Some(500_000), ..ctx() };
        let asked = advance(&start, text("۳۰۰۰"), &usual).unwrap();
        assert_eq!(asked.amount_choices, vec![3_000, 3_000_000]);
        assert_eq!(advance(&start, text("۳۰۰۰"), &ctx()).unwrap().amount, Some(3_000));
    }

    #[test]
    fn an_amount_at_the_item_question_is_not_taken_as_the_item() {
        let start = Report::new(ReportKind::Sale);
        let choosing = advance(&start, text("۴۰۰٫۰۰۰"), &ctx()).unwrap();
        let at_item = advance(&choosing, ReportInput::ChoseAmount(400_000), &ctx()).unwrap();
        // The reading's button tapped again arrives as its label; the amount typed again, so.
        for amount in ["۴۰۰ هزار تومان", "۴۰۰۰۰۰", "چهارصد هزار", "400 hezar"] {
            assert_eq!(advance(&at_item, text(amount), &ctx()), Err(ReportProblem::AmountAsItem), "{amount}");
        }
        for item in ["روسری", "۲ تا روسری", "۳ عدد نان", "شال ۲ متری", "کیف چرم"] {
            let next = advance(&at_item, text(item), &ctx()).unwrap();
            assert_eq!((next.step, next.item.as_deref()), (ReportStep::Customer, Some(item)), "{item}");
        }
        // The same at the item question of a return.
        let returning = advance(&Report::new(ReportKind::Return), text("۵۰ هزار"), &ctx()).unwrap();
        assert_eq!(advance(&returning, text("۵۰ هزار تومان"), &ctx()), Err(ReportProblem::AmountAsItem));
    }

    #[test]
    fn editing_a_field_returns_to_review() {
        let review = run(vec![
            text("۱۰۰۰"),
            text("نان"),
            text("خانم رضایی"),
            ReportInput::Today,
            ReportInput::Photo(Attachment::document("f1")),
        ])
        .unwrap();
        let choosing = advance(&review, ReportInput::Edit, &ctx()).unwrap();
        assert_eq!(choosing.step, ReportStep::ChooseEdit);
        let editing = advance(&choosing, ReportInput::EditField(ReportField::Amount), &ctx()).unwrap();
        assert_eq!(editing.step, ReportStep::Amount);
        let back = advance(&editing, text("۲۰۰۰"), &ctx()).unwrap();
        assert_eq!(back.step, ReportStep::Review);
        assert_eq!(back.amount, Some(2000));
        assert_eq!(back.customer.as_deref(), Some("خانم رضایی"));
        assert_eq!(back.photo, Some(Attachment::document("f1")));
    }

    #[test]
    fn payments_ask_amount_day_and_photo_only() {
        let mut report = Report::new(ReportKind::Payment { loan_id: 7 });
        let mut steps = vec![report.step];
        for input in [text("۱ میلیون"), ReportInput::Today, ReportInput::Skip] {
            report = advance(&report, input, &ctx()).unwrap();
            steps.push(report.step);
        }
        assert_eq!(steps, vec![ReportStep::Amount, ReportStep::Day, ReportStep::Photo, ReportStep::Review]);
        assert_eq!(report.signed_amount(), Some(1_000_000));
        assert_eq!(report.complete(), None, "a payment is not a sale");
    }

    #[test]
    fn returns_are_negative() {
        let mut report = Report::new(ReportKind::Return);
        for input in [text("۵۰ هزار"), text("روسری"), ReportInput::Skip, ReportInput::Today, ReportInput::Skip]
        {
            report = advance(&report, input, &ctx()).unwrap();
        }
        assert_eq!(report.complete().unwrap().amount_toman, -50_000);
    }

    #[test]
    fn quick_report_goes_to_review_or_asks_the_item() {
        let with_item = Report::from_quick(ReportKind::Sale, 250_000, Some("روسری".into()), today());
        assert_eq!(with_item.step, ReportStep::Review);
        assert!(with_item.complete().is_some());
        let without = Report::from_quick(ReportKind::Sale, 250_000, None, today());
        assert_eq!(without.step, ReportStep::Item);
        let named = advance(&without, text("کیف"), &ctx()).unwrap();
        assert_eq!(named.step, ReportStep::Customer);
    }
}
