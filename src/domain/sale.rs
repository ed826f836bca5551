//! Reporting a sale (or a return): the questions, one at a time, as a pure state machine.
//!
//! The bot shell turns each incoming message or button into a [`SaleInput`], calls
//! [`advance`], stores the new state and asks whatever [`SaleReport::step`] now says.
//! Nothing is stored as a sale until the person confirms the summary.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::person::{TextProblem, clean_label};
use crate::persian::amount::{AmountError, parse_amount_at_most};
use crate::persian::jalali::{DateInputError, parse_day};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaleKind {
    Sale,
    /// A return or refund, stored as a negative sale.
    Return,
}

/// The question being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaleStep {
    Amount,
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
pub enum SaleField {
    Amount,
    Item,
    Customer,
    Day,
    Photo,
}

impl SaleField {
    pub const ALL: [SaleField; 5] = [
        SaleField::Amount,
        SaleField::Item,
        SaleField::Customer,
        SaleField::Day,
        SaleField::Photo,
    ];

    fn step(self) -> SaleStep {
        match self {
            SaleField::Amount => SaleStep::Amount,
            SaleField::Item => SaleStep::Item,
            SaleField::Customer => SaleStep::Customer,
            SaleField::Day => SaleStep::Day,
            SaleField::Photo => SaleStep::Photo,
        }
    }
}

/// A report being put together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleReport {
    pub kind: SaleKind,
    pub step: SaleStep,
    /// Set when a field is being changed from the summary: after it, back to the summary.
    pub editing: bool,
    /// Always positive; a return is stored negative.
    pub amount: Option<i64>,
    pub item: Option<String>,
    pub customer: Option<String>,
    pub day: Option<NaiveDate>,
    pub photo_file_id: Option<String>,
}

impl SaleReport {
    pub fn new(kind: SaleKind) -> SaleReport {
        SaleReport {
            kind,
            step: SaleStep::Amount,
            editing: false,
            amount: None,
            item: None,
            customer: None,
            day: None,
            photo_file_id: None,
        }
    }

    /// A one-line report: amount and item known, today's date, straight to the summary
    /// (or to the item question when the line named none).
    pub fn from_quick(
        kind: SaleKind,
        amount: i64,
        item: Option<String>,
        today: NaiveDate,
    ) -> SaleReport {
        let step = if item.is_some() {
            SaleStep::Review
        } else {
            SaleStep::Item
        };
        SaleReport {
            kind,
            step,
            editing: item.is_some(),
            amount: Some(amount),
            item,
            customer: None,
            day: Some(today),
            photo_file_id: None,
        }
    }

    /// The amount as stored: negative for a return.
    pub fn signed_amount(&self) -> Option<i64> {
        self.amount.map(|a| match self.kind {
            SaleKind::Sale => a,
            SaleKind::Return => -a,
        })
    }

    /// The finished report, if every required answer is there.
    pub fn complete(&self) -> Option<CompleteSale> {
        Some(CompleteSale {
            amount_toman: self.signed_amount()?,
            item: self.item.clone()?,
            customer: self.customer.clone(),
            day: self.day?,
            photo_file_id: self.photo_file_id.clone(),
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
    pub photo_file_id: Option<String>,
}

/// One thing the person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleInput {
    Text(String),
    /// «بدون مشتری» / «بدون عکس».
    Skip,
    Today,
    Yesterday,
    Photo {
        file_id: String,
    },
    /// A sticker, voice note, video, location, ... where it makes no sense.
    OtherMedia,
    Edit,
    EditField(SaleField),
    /// «بازگشت به خلاصه» from the field choice.
    BackToReview,
}

/// Why an answer was not taken; the question is asked again after the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleProblem {
    Amount(AmountError),
    Text(TextProblem),
    Day(DateInputError),
    /// Media where a typed answer was expected.
    ExpectedText,
    /// Something other than a photo or «بدون عکس» at the photo question.
    ExpectedPhoto,
    /// Typed text where a button is expected (summary, field choice).
    UseButtons,
}

/// Limits that come from configuration.
#[derive(Debug, Clone, Copy)]
pub struct SaleLimits {
    pub max_amount_toman: i64,
    pub max_days_back: i64,
    pub max_text_chars: usize,
}

/// Takes one input at the current step. On a problem the report is unchanged.
pub fn advance(
    report: &SaleReport,
    input: SaleInput,
    today: NaiveDate,
    limits: &SaleLimits,
) -> Result<SaleReport, SaleProblem> {
    let mut next = report.clone();
    match (report.step, input) {
        (SaleStep::Amount, SaleInput::Text(text)) => {
            next.amount = Some(
                parse_amount_at_most(&text, limits.max_amount_toman)
                    .map_err(SaleProblem::Amount)?,
            );
        }
        (SaleStep::Item, SaleInput::Text(text)) => {
            next.item = Some(clean_label(&text, limits.max_text_chars).map_err(SaleProblem::Text)?);
        }
        (SaleStep::Customer, SaleInput::Text(text)) => {
            next.customer =
                Some(clean_label(&text, limits.max_text_chars).map_err(SaleProblem::Text)?);
        }
        (SaleStep::Customer, SaleInput::Skip) => next.customer = None,
        (SaleStep::Day, SaleInput::Today) => next.day = Some(today),
        (SaleStep::Day, SaleInput::Yesterday) => next.day = today.pred_opt(),
        (SaleStep::Day, SaleInput::Text(text)) => {
            next.day =
                Some(parse_day(&text, today, limits.max_days_back).map_err(SaleProblem::Day)?);
        }
        (SaleStep::Photo, SaleInput::Photo { file_id }) => next.photo_file_id = Some(file_id),
        (SaleStep::Photo, SaleInput::Skip) => next.photo_file_id = None,
        (SaleStep::Photo, _) => return Err(SaleProblem::ExpectedPhoto),
        (SaleStep::Review, SaleInput::Edit) => {
            next.step = SaleStep::ChooseEdit;
            return Ok(next);
        }
        (SaleStep::ChooseEdit | SaleStep::Review, SaleInput::EditField(field)) => {
            next.step = field.step();
            next.editing = true;
            return Ok(next);
        }
        (SaleStep::ChooseEdit, SaleInput::BackToReview) => {
            next.step = SaleStep::Review;
            return Ok(next);
        }
        (SaleStep::Review | SaleStep::ChooseEdit, _) => return Err(SaleProblem::UseButtons),
        (_, SaleInput::OtherMedia | SaleInput::Photo { .. }) => {
            return Err(SaleProblem::ExpectedText);
        }
        // A button that belongs to another question (an old keyboard): ask again.
        (_, _) => return Err(SaleProblem::ExpectedText),
    }
    next.step = if next.editing {
        SaleStep::Review
    } else {
        following_step(report.step)
    };
    Ok(next)
}

fn following_step(step: SaleStep) -> SaleStep {
    match step {
        SaleStep::Amount => SaleStep::Item,
        SaleStep::Item => SaleStep::Customer,
        SaleStep::Customer => SaleStep::Day,
        SaleStep::Day => SaleStep::Photo,
        SaleStep::Photo | SaleStep::Review | SaleStep::ChooseEdit => SaleStep::Review,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: SaleLimits = SaleLimits {
        max_amount_toman: 1_000_000_000,
        max_days_back: 365,
        max_text_chars: 100,
    };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn run(inputs: Vec<SaleInput>) -> Result<SaleReport, SaleProblem> {
        let mut report = SaleReport::new(SaleKind::Sale);
        for input in inputs {
            report = advance(&report, input, today(), &LIMITS)?;
        }
        Ok(report)
    }

    fn text(s: &str) -> SaleInput {
        SaleInput::Text(s.to_string())
    }

    #[test]
    fn full_report_reaches_review() {
        let report = run(vec![
            text("۲۵۰ هزار"),
            text("روسری"),
            SaleInput::Skip,
            SaleInput::Yesterday,
            SaleInput::Skip,
        ])
        .unwrap();
        assert_eq!(report.step, SaleStep::Review);
        let sale = report.complete().unwrap();
        assert_eq!(sale.amount_toman, 250_000);
        assert_eq!(sale.item, "روسری");
        assert_eq!(sale.customer, None);
        assert_eq!(sale.day, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    }

    #[test]
    fn bad_answers_leave_the_report_unchanged() {
        let start = SaleReport::new(SaleKind::Sale);
        assert_eq!(
            advance(&start, text("سلام"), today(), &LIMITS),
            Err(SaleProblem::Amount(AmountError::NotUnderstood))
        );
        assert_eq!(
            advance(&start, text("0"), today(), &LIMITS),
            Err(SaleProblem::Amount(AmountError::Zero))
        );
        assert_eq!(
            advance(&start, text("۵ میلیارد"), today(), &LIMITS),
            Err(SaleProblem::Amount(AmountError::TooLarge))
        );
        assert_eq!(
            advance(&start, SaleInput::OtherMedia, today(), &LIMITS),
            Err(SaleProblem::ExpectedText)
        );
        assert_eq!(
            advance(
                &start,
                SaleInput::Photo {
                    file_id: "x".into()
                },
                today(),
                &LIMITS
            ),
            Err(SaleProblem::ExpectedText)
        );
        let at_day = run(vec![text("۱۰۰۰"), text("نان"), SaleInput::Skip]).unwrap();
        assert_eq!(
            advance(&at_day, text("۱۴۰۵/۱۰/۱"), today(), &LIMITS),
            Err(SaleProblem::Day(DateInputError::InFuture))
        );
        let at_photo = advance(&at_day, SaleInput::Today, today(), &LIMITS).unwrap();
        assert_eq!(
            advance(&at_photo, text("عکس ندارم"), today(), &LIMITS),
            Err(SaleProblem::ExpectedPhoto)
        );
        let review = advance(&at_photo, SaleInput::Skip, today(), &LIMITS).unwrap();
        assert_eq!(
            advance(&review, text("باشه"), today(), &LIMITS),
            Err(SaleProblem::UseButtons)
        );
    }

    #[test]
    fn editing_a_field_returns_to_review() {
        let review = run(vec![
            text("۱۰۰۰"),
            text("نان"),
            text("خانم رضایی"),
            SaleInput::Today,
            SaleInput::Photo {
                file_id: "f1".into(),
            },
        ])
        .unwrap();
        let choosing = advance(&review, SaleInput::Edit, today(), &LIMITS).unwrap();
        assert_eq!(choosing.step, SaleStep::ChooseEdit);
        let editing = advance(
            &choosing,
            SaleInput::EditField(SaleField::Amount),
            today(),
            &LIMITS,
        )
        .unwrap();
        assert_eq!(editing.step, SaleStep::Amount);
        let back = advance(&editing, text("۲۰۰۰"), today(), &LIMITS).unwrap();
        assert_eq!(back.step, SaleStep::Review);
        assert_eq!(back.amount, Some(2000));
        assert_eq!(back.customer.as_deref(), Some("خانم رضایی"));
        assert_eq!(back.photo_file_id.as_deref(), Some("f1"));
    }

    #[test]
    fn returns_are_negative() {
        let mut report = SaleReport::new(SaleKind::Return);
        for input in [
            text("۵۰ هزار"),
            text("روسری"),
            SaleInput::Skip,
            SaleInput::Today,
            SaleInput::Skip,
        ] {
            report = advance(&report, input, today(), &LIMITS).unwrap();
        }
        assert_eq!(report.complete().unwrap().amount_toman, -50_000);
    }

    #[test]
    fn quick_report_goes_to_review_or_asks_the_item() {
        let with_item =
            SaleReport::from_quick(SaleKind::Sale, 250_000, Some("روسری".into()), today());
        assert_eq!(with_item.step, SaleStep::Review);
        assert!(with_item.complete().is_some());
        let without = SaleReport::from_quick(SaleKind::Sale, 250_000, None, today());
        assert_eq!(without.step, SaleStep::Item);
        let named = advance(&without, text("کیف"), today(), &LIMITS).unwrap();
        assert_eq!(named.step, SaleStep::Customer);
    }
}
