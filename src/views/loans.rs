//! A loan as people read it: amount, state, what is paid and left, the next installment,
//! arrears in words, and each installment.

use chrono::NaiveDate;

use crate::domain::loan::{InstallmentState, LoanStanding, LoanState};
use crate::i18n::Tr;
use crate::persian::digits::format_number;
use crate::persian::jalali::format_day;
use crate::store::LoanRow;

/// A loan with its installments and its standing today.
pub struct LoanView {
    pub loan: LoanRow,
    pub installments: Vec<InstallmentState>,
    pub standing: LoanStanding,
}

/// Who a loan is shown to: the entrepreneur reads the arrears in plain words; staff see the
/// arrears bucket too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Entrepreneur,
    Staff,
}

/// An amount as every summary and confirmation shows it, in digits and in words, so that a
/// wrong reading is seen: «۲٬۵۰۰٬۰۰۰ تومان — دو میلیون و پانصد هزار تومان».
/// Zero needs no words: «۰ تومان».
pub fn money(tr: &Tr, amount: i64) -> String {
    let digits = format_number(amount);
    if amount == 0 {
        return tr.part_with("amount-toman", &[("amount", digits)]);
    }
    let words = crate::persian::amount::toman_in_words(amount);
    tr.part_with("money-in-words", &[("digits", digits), ("words", words)])
}

/// What loans are written with: the texts, the arrears buckets, and the day they are read on
/// (days are named relative to it).
pub struct LoanWords<'a> {
    pub tr: &'a Tr,
    pub buckets: &'a [i64],
    pub today: NaiveDate,
}

impl LoanWords<'_> {
    /// An arrears bucket in words: «۸ تا ۳۰ روز», «بیش از ۹۰ روز».
    fn bucket_label(&self, bucket: usize) -> String {
        let buckets = self.buckets;
        let start = buckets.get(bucket).copied().unwrap_or(1);
        match buckets.get(bucket + 1) {
            Some(next) => {
                self.tr.part_with("arrears-bucket", &[("from", format_number(start)), ("to", format_number(next - 1))])
            }
            None => self.tr.part_with("arrears-bucket-last", &[("over", format_number(start - 1))]),
        }
    }

    pub fn state(&self, state: LoanState) -> String {
        self.tr.msg(match state {
            LoanState::Active => "loan-state-active",
            LoanState::Paused => "loan-state-paused",
            LoanState::Stopped => "loan-state-stopped",
            LoanState::Repaid => "loan-state-repaid",
        })
    }

    pub fn kind(&self, level: u8) -> String {
        self.tr.msg(match level {
            1 => "loan-kind-1",
            2 => "loan-kind-2",
            _ => "loan-kind-3",
        })
    }

    /// A loan in a few lines: amount, state, paid, left, next installment, arrears. The amounts
    /// of the summary are in digits and words; the next installment, like the schedule, in digits.
    pub fn summary(&self, view: &LoanView, reader: Reader) -> String {
        let (loan, s) = (&view.loan, &view.standing);
        let next = match s.next_due {
            Some((day, amount)) => {
                let day = format_day(day, self.today);
                self.tr.part_with("loan-next-due", &[("day", day), ("amount", format_number(amount))])
            }
            None => self.tr.msg("loan-no-next-due"),
        };
        let mut text = self.tr.msg_with(
            "loan-summary",
            &[
                ("kind", self.kind(loan.level)),
                ("principal", money(self.tr, loan.principal)),
                ("fee", money(self.tr, loan.fee)),
                ("state", self.state(loan.state)),
                ("paid", money(self.tr, s.paid)),
                ("outstanding", money(self.tr, s.outstanding)),
                ("next", next),
            ],
        );
        if let Some(bucket) = s.arrears_bucket {
            let (amount, days) = (money(self.tr, s.overdue_amount), format_number(s.days_past_due));
            text.push('\n');
            text.push_str(&match reader {
                // The sentence, the amount in digits in it and in words after it.
                Reader::Entrepreneur => self.tr.msg_with(
                    "loan-overdue",
                    &[
                        ("amount", format_number(s.overdue_amount)),
                        ("days", days),
                        ("words", crate::persian::amount::toman_in_words(s.overdue_amount)),
                    ],
                ),
                Reader::Staff => self.tr.msg_with(
                    "loan-overdue-for-caseworker",
                    &[("amount", amount), ("days", days), ("bucket", self.bucket_label(bucket))],
                ),
            });
        }
        text
    }

    /// A loan and every installment with whether it is paid.
    pub fn details(&self, view: &LoanView, reader: Reader) -> String {
        let today = self.today;
        let mut text = self.summary(view, reader);
        for (i, installment) in view.installments.iter().enumerate() {
            let status = if installment.unpaid() == 0 {
                self.tr.msg("installment-paid")
            } else if installment.paid > 0 {
                self.tr.msg_with("installment-partly-paid", &[("paid", format_number(installment.paid))])
            } else if installment.due_on < today && matches!(view.loan.state, LoanState::Active) {
                self.tr.msg("installment-late")
            } else {
                self.tr.msg("installment-unpaid")
            };
            let line = self.installment_line(i as u32 + 1, installment.due_on, installment.amount);
            text.push_str(&format!("\n{line} {status}"));
        }
        text
    }

    pub fn installment_line(&self, number: u32, due_on: NaiveDate, amount: i64) -> String {
        self.tr.msg_with(
            "installment-line",
            &[
                ("number", format_number(i64::from(number))),
                // As people say a day («سه‌شنبه ۱ دی»); the export keeps the numeric form.
                ("day", format_day(due_on, self.today)),
                ("amount", format_number(amount)),
            ],
        )
    }
}
