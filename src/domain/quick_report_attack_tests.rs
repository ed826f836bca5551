//! Attack tests for `quick_report::parse_quick_report` (issue 10 §1): one-line reports as
//! shopkeepers type them, each with the amount and item a Persian speaker means. Cases read as
//! meant are regular tests; below them, one test per kind of finding, each now fixed.

use super::quick_report::{QuickProblem, parse_quick_report};
use super::report::ReportKind;
use crate::persian::amount::{AmountError, Expect, Reading};
use crate::persian::attack_support::{Want, judge, report};
use Want::*;

const PLAIN: Expect = Expect { max: 1_000_000_000, usual: None, range: None };

/// What a speaker means by a line.
#[derive(Debug, Clone, Copy)]
enum Line {
    /// A report of this kind, the amount as `Want` says, and the item, if given, exactly so.
    Report(ReportKind, Want, Item),
    /// A report whose amount is asked about because two parts could be it.
    WhichAmount(ReportKind),
    /// Not a one-line report at all.
    NotReport,
}

#[derive(Debug, Clone, Copy)]
enum Item {
    Is(&'static str),
    Nothing,
    Any,
}

const S: ReportKind = ReportKind::Sale;
const R: ReportKind = ReportKind::Return;

fn rep(kind: ReportKind, want: Want, item: &'static str) -> Line {
    Line::Report(kind, want, if item.is_empty() { Item::Nothing } else { Item::Is(item) })
}

fn any_item(kind: ReportKind, want: Want) -> Line {
    Line::Report(kind, want, Item::Any)
}

fn judge_line(line: &str, want: Line) -> Option<String> {
    let got = parse_quick_report(line, &PLAIN);
    match (want, &got) {
        (Line::NotReport, None) => None,
        (Line::WhichAmount(kind), Some(q)) if q.kind == kind && q.amount == Err(QuickProblem::WhichIsTheAmount) => None,
        (Line::Report(kind, amount_want, item_want), Some(q)) => {
            if q.kind != kind {
                return Some(format!("kind {:?}, wanted {kind:?}", q.kind));
            }
            // «Which is the amount» is a question too: no amount is taken.
            let amount: Result<Reading, AmountError> = match &q.amount {
                Ok(r) => Ok(r.clone()),
                Err(QuickProblem::Amount(e)) => Err(*e),
                Err(QuickProblem::WhichIsTheAmount | QuickProblem::PriceEach) => Err(AmountError::NotUnderstood),
            };
            if let Some(m) = judge(&amount, amount_want) {
                return Some(format!("{m} (item {:?})", q.item));
            }
            let item_ok = match item_want {
                Item::Is(s) => q.item.as_deref() == Some(s),
                Item::Nothing => q.item.is_none(),
                Item::Any => true,
            };
            (!item_ok).then(|| format!("item {:?}, wanted {item_want:?} (amount {:?})", q.item, q.amount))
        }
        _ => Some(format!("got {got:?}, wanted {want:?}")),
    }
}

fn check(name: &str, table: &[(&str, Line)]) {
    let mismatches =
        table.iter().filter_map(|(line, want)| judge_line(line, *want).map(|m| format!("  {line:?}: {m}"))).collect();
    report(name, mismatches, table.len());
}

// ───────────────────────────── cases that read as meant ─────────────────────────────

#[test]
fn amount_and_item_in_either_order() {
    check(
        "order",
        &[
            ("فروش ۲۵۰ هزار روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش روسری ۲۵۰ هزار", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲۵۰ هزار", rep(S, Sure(250_000), "")),
            ("  فروش ۲۵۰ هزار  ", rep(S, Sure(250_000), "")),
            ("فروش\u{200C} ۲۵۰ هزار", rep(S, Sure(250_000), "")),
            ("فروش: ۲۵۰ هزار روسری", rep(S, Sure(250_000), "روسری")),
            ("فروختم ۲۵۰ هزار روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲۵۰هزارتومن روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲۵۰ هزار تومان روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲۵۰ ه.ت روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲۵۰\u{200C}هزار روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲۵۰\u{200C}هزار\u{200C}تومان روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۲\u{200C}میلیون کیف", rep(S, Sure(2_000_000), "کیف")),
            ("فروش مانتو ۱٬۲۵۰٬۰۰۰", rep(S, Sure(1_250_000), "مانتو")),
            ("فروش 120000", rep(S, Sure(120_000), "")),
            ("فروش نان ۵ هزار", rep(S, Sure(5_000), "نان")),
            ("فروش صد هزار", rep(S, Sure(100_000), "")),
            ("فروش سیصد و پنجاه هزار تومن شال", rep(S, Sure(350_000), "شال")),
            ("فروش روسری به خانم احمدی ۲۵۰ هزار", rep(S, Sure(250_000), "روسری به خانم احمدی")),
            ("فروش نان ۵۰ هزار تومان 👍", any_item(S, Sure(50_000))),
            ("فروش ۲۵۰ هزار (۲ تا روسری)", any_item(S, Sure(250_000))),
            ("فروش (۲۵۰ هزار) روسری", any_item(S, Sure(250_000))),
            ("فروش حدود ۲۵۰ هزار", any_item(S, Sure(250_000))),
            ("فروش ۲۵۰ هزار بود", any_item(S, Sure(250_000))),
            ("فروش امروز ۲۵۰ هزار", any_item(S, Sure(250_000))),
            ("فروش دیروز ۲۵۰ هزار", any_item(S, Sure(250_000))),
            ("فروش سه شنبه ۲۵۰ هزار", any_item(S, Sure(250_000))),
        ],
    );
}

#[test]
fn millions_halves_and_tails() {
    check(
        "millions",
        &[
            ("فروش ۱ میلیون و ۲۰۰ کیف", rep(S, Sure(1_200_000), "کیف")),
            ("فروش کیف ۱ میلیون و ۲۰۰ هزار", rep(S, Sure(1_200_000), "کیف")),
            ("فروش ۲ میلیون ۵۰۰", rep(S, Sure(2_500_000), "")),
            ("فروش روسری ۲ میلیون و ۵۰۰", rep(S, Sure(2_500_000), "روسری")),
            ("فروش یک و نیم میلیون مانتو", rep(S, Sure(1_500_000), "مانتو")),
            ("فروش مانتو یک و نیم میلیون", rep(S, Sure(1_500_000), "مانتو")),
            ("فروش مانتو دو میلیون و پونصد", rep(S, Sure(2_500_000), "مانتو")),
            ("فروش مانتو ۲.۵ میلیون", rep(S, Sure(2_500_000), "مانتو")),
            ("فروش مانتو ۲/۵ میلیون", rep(S, Sure(2_500_000), "مانتو")),
            ("فروش نان ۱۰ هزار و ۵۰۰", rep(S, Sure(10_500), "نان")),
            ("فروش نان ۱۰ هزار و پونصد", rep(S, Sure(10_500), "نان")),
        ],
    );
}

#[test]
fn counts_go_with_the_item() {
    check(
        "counts",
        &[
            ("فروش ۲۵۰ هزار ۲ تا روسری", rep(S, Sure(250_000), "۲ تا روسری")),
            ("فروش ۲ تا روسری ۲۵۰ هزار", rep(S, Sure(250_000), "۲ تا روسری")),
            ("فروش ۲ روسری ۲۵۰ هزار", rep(S, Sure(250_000), "۲ روسری")),
            ("فروش روسری ۲ تا ۲۵۰ هزار", rep(S, Sure(250_000), "روسری ۲ تا")),
            ("فروش ۳ عدد نان ۵۰ هزار", rep(S, Sure(50_000), "۳ عدد نان")),
            ("فروش دو جفت جوراب ۱۲۰ هزار", rep(S, Sure(120_000), "دو جفت جوراب")),
            ("فروش ۵ کیلو برنج ۴۰۰ هزار", rep(S, Sure(400_000), "۵ کیلو برنج")),
            ("فروش ۲۵۰ هزار تومان ۲ عدد شال", rep(S, Sure(250_000), "۲ عدد شال")),
            ("فروش ۱۰ تا ماسک ۵۰ هزار", rep(S, Sure(50_000), "۱۰ تا ماسک")),
            ("فروش ۱۰ ماسک ۵۰ هزار", rep(S, Sure(50_000), "۱۰ ماسک")),
            ("فروش ۲ میلیون و ۵۰۰ ۳ تا کیف", rep(S, Sure(2_500_000), "۳ تا کیف")),
            ("فروش ۳ تا کیف ۱ میلیون", rep(S, Sure(1_000_000), "۳ تا کیف")),
            ("فروش یه روسری ۲۵۰ هزار", rep(S, Sure(250_000), "یه روسری")),
            ("فروش یک جفت کفش ۸۰۰ هزار", rep(S, Sure(800_000), "یک جفت کفش")),
            ("فروش ۸۰۰ هزار یک جفت کفش", rep(S, Sure(800_000), "یک جفت کفش")),
            ("فروش ۳۰۰ هزار تومن ۳ تا", rep(S, Sure(300_000), "۳ تا")),
            ("فروش ۱۲۰۰۰۰ ۲ تا", rep(S, Sure(120_000), "۲ تا")),
            ("فروش ۲۵۰ هزار و ۲ تا روسری", any_item(S, Sure(250_000))),
            ("فروش ۲تا روسری ۲۵۰ هزار", rep(S, Sure(250_000), "۲تا روسری")),
            ("فروش روسری ۲تا ۲۵۰ هزار", rep(S, Sure(250_000), "روسری ۲تا")),
            ("فروش ۲ روسری و ۳ شال ۵۰۰ هزار", rep(S, Sure(500_000), "۲ روسری و ۳ شال")),
            ("فروش ۲ متر پارچه ۱۸۰ هزار", rep(S, Sure(180_000), "۲ متر پارچه")),
            ("فروش ۱۲ شاخه گل ۲۴۰ هزار", rep(S, Sure(240_000), "۱۲ شاخه گل")),
            ("فروش تولد ۱ کیلویی ۴۵۰ هزار", rep(S, Sure(450_000), "تولد ۱ کیلویی")),
            ("فروش شیر ۱ لیتری ۵۰ هزار", rep(S, Sure(50_000), "شیر ۱ لیتری")),
            ("فروش ۵۰ هزار شیر ۱ لیتری", rep(S, Sure(50_000), "شیر ۱ لیتری")),
            ("فروش شارژر ۲۰ وات ۱۵۰ هزار", rep(S, Sure(150_000), "شارژر ۲۰ وات")),
            ("فروش گوشی سامسونگ A52 ۸ میلیون", rep(S, Sure(8_000_000), "گوشی سامسونگ A52")),
            ("فروش روسری سایز ۴۰ ۲۵۰ هزار", rep(S, Sure(250_000), "روسری سایز ۴۰")),
            ("فروش کفش سایز ۳۸ ۴۵۰ هزار", rep(S, Sure(450_000), "کفش سایز ۳۸")),
            ("فروش ۲۵۰ ۲ تا روسری", rep(S, Ask(&[250_000]), "۲ تا روسری")),
        ],
    );
}

#[test]
fn small_and_ambiguous_amounts_are_asked() {
    check(
        "ask",
        &[
            ("فروش روسری ۲۵۰", rep(S, AskExactly(&[250, 250_000]), "روسری")),
            ("فروش ۲۵۰ روسری", rep(S, Ask(&[250_000]), "روسری")),
            ("فروش روسری ۵۰", rep(S, Ask(&[50_000]), "روسری")),
            ("فروش ۲۵۰", rep(S, Ask(&[250_000]), "")),
            ("فروختم روسری ۲۵۰ تومن", rep(S, Ask(&[250_000]), "روسری")),
            ("فروش ۵۰۰ تومن ۳ تا", rep(S, Ask(&[500_000]), "۳ تا")),
            ("فروش ۳ تا ۵۰۰ تومن", rep(S, Ask(&[500_000]), "۳ تا")),
            ("فروش شال سیصد و پنجاه", rep(S, Ask(&[350_000]), "شال")),
            ("فروش روسری ۱۵۰ تومنی", any_item(S, NotOther(150_000))),
        ],
    );
}

#[test]
fn unclear_lines_are_asked_or_refused_never_guessed() {
    check(
        "unclear",
        &[
            ("فروش روسری ۲۵۰ هزار شال ۳۰۰ هزار", Line::WhichAmount(S)),
            ("فروش ۲۵۰ هزار با ۵۰ هزار تخفیف", Line::WhichAmount(S)),
            ("فروش ۲۵۰ هزار منهای ۵۰ هزار تخفیف", Line::WhichAmount(S)),
            ("فروش ۲۵۰ هزار تخفیف ۵۰", Line::WhichAmount(S)),
            ("فروش ۲۵۰ هزار و ۳۰۰ هزار", any_item(S, NotSure)),
            ("فروش ۴۵۰ هزار کفش سایز ۳۸", any_item(S, NotOther(450_000))),
            ("فروش ۱۴۰۵/۹/۱ ۲۵۰ هزار", any_item(S, NotOther(250_000))),
            ("فروش ۱۲۰ ماسک ۵۰۰ هزار", any_item(S, NotOther(500_000))),
            ("فروش ۲۵۰ ه ت روسری", any_item(S, NotOther(250_000))),
            ("فروش کرم ۲۰۰ میل ۳۵۰ هزار", any_item(S, NotOther(350_000))),
            ("فروش مانتو ۱ ۲۵۰ ۰۰۰", any_item(S, NotOther(1_250_000))),
            ("فروش ۲۵۰ هزار ساعت ۱۰", any_item(S, NotOther(250_000))),
            ("فروش ۵۰ روسری", any_item(S, NotSure)),
            ("فروش روسری ۲ تا", any_item(S, RefuseAny)),
            ("فروش ۲ تا ۵ تا", any_item(S, RefuseAny)),
            ("فروش -۵۰ هزار", any_item(S, Refuse(AmountError::Negative))),
            ("فروش ۰۹۱۲۳۴۵۶۷۸۹", any_item(S, RefuseAny)),
            ("فروش نان 0", any_item(S, Refuse(AmountError::Zero))),
            ("فروش", any_item(S, Refuse(AmountError::Empty))),
            ("فروش زیاد روسری", any_item(S, RefuseAny)),
        ],
    );
}

#[test]
fn returns_and_other_lines() {
    check(
        "returns",
        &[
            ("مرجوعی ۵۰ هزار کیف", rep(R, Sure(50_000), "کیف")),
            ("مرجوعي ۵۰ هزار کيف", rep(R, Sure(50_000), "کیف")),
            ("برگشت ۵۰ هزار", rep(R, Sure(50_000), "")),
            ("مرجوع ۳۰۰ تومن", rep(R, Ask(&[300_000]), "")),
            ("برگشتی ۲ تا کیف ۳۰۰ هزار", rep(R, Sure(300_000), "۲ تا کیف")),
            ("مرجوعی ۱ عدد کیف ۳۰۰ هزار", rep(R, Sure(300_000), "۱ عدد کیف")),
            ("سلام", Line::NotReport),
            ("", Line::NotReport),
            ("۲۵۰ هزار", Line::NotReport),
            ("روسری فروختم ۲۵۰ هزار", Line::NotReport),
        ],
    );
}

// ──────────────────────────── findings of the attack, fixed ────────────────────────────
// Each test below was one kind of finding of the hostile review (issue 10); each now states
// the rule that fixed it.

/// A number straight after the amount's scale, with more words after it, is no part of the
/// amount: a small one starts the item («فروش ۲۵۰ هزار ۲ روسری» is 250,000 for «۲ روسری»; it was
/// 250,002), a larger one, or a small one after «و», is asked; a weekday, a date, an hour or a
/// discount after the amount likewise.
#[test]
fn a_number_after_the_amount_is_not_added_to_it() {
    check(
        "number after the amount",
        &[
            ("فروش ۲۵۰ هزار ۲ روسری", rep(S, NotOther(250_000), "۲ روسری")),
            ("فروش ۵۰ هزار ۳ نان", rep(S, NotOther(50_000), "۳ نان")),
            ("فروش ۱ میلیون ۲ کیف", rep(S, NotOther(1_000_000), "۲ کیف")),
            ("فروش ۲ میلیون ۳ مانتو", rep(S, NotOther(2_000_000), "۳ مانتو")),
            ("فروش ۲ میلیون و ۳ کیف", any_item(S, NotOther(2_000_000))),
            ("فروش ۲۵۰ هزار دو روسری", rep(S, NotOther(250_000), "دو روسری")),
            ("فروش ۲۵۰ هزار تومان ۲ روسری", rep(S, NotOther(250_000), "۲ روسری")),
            ("فروش ۵۰۰ هزار ۱۲۰ ماسک", any_item(S, NotOther(500_000))),
            ("فروش ۸۰۰ هزار یه کفش", rep(S, NotOther(800_000), "یه کفش")),
            ("فروش ۳۰۰ هزار یک روسری", rep(S, NotOther(300_000), "یک روسری")),
            ("فروش ۲۵ هزار ۲۵ روسری", any_item(S, NotOther(25_000))),
            ("فروش ۲۵۰ هزار ۱۰ درصد تخفیف", any_item(S, NotOther(250_000))),
            ("فروش ۲ میلیون ۱۰ درصد تخفیف", any_item(S, NotOther(2_000_000))),
            ("فروش ۲۵۰ هزار ۱۰ صبح", any_item(S, NotOther(250_000))),
            ("فروش ۲۵۰ هزار سه شنبه", any_item(S, NotOther(250_000))),
            ("فروش ۲۵۰ هزار پنج شنبه", any_item(S, NotOther(250_000))),
            ("فروش ۲۵۰ هزار ۳ آذر", any_item(S, NotOther(250_000))),
        ],
    );
}

/// Item words that are a scale letter joined to a number word are no amounts: «فروش کیک» is
/// not 1,001 toman (ک + یک), «فروش سیم کارت» not 30 million (سی + م), «فروش گوشی دست دوم» not
/// 2 million.
#[test]
fn item_words_are_not_amounts() {
    check(
        "item words as amounts",
        &[
            ("فروش کیک", any_item(S, RefuseAny)),
            ("فروش کیک یزدی", any_item(S, RefuseAny)),
            ("فروش کت", any_item(S, RefuseAny)),
            ("فروش ۲ میلیون کت", any_item(S, NotOther(2_000_000))),
            ("فروش ۲ میلیون کیک", any_item(S, NotOther(2_000_000))),
            ("فروش ۳۰۰ کیک", any_item(S, NotOther(300_000))),
            ("فروش سیم کارت", any_item(S, RefuseAny)),
            ("فروش گوشی دست دوم", any_item(S, RefuseAny)),
            ("فروش لباس دست دوم ۵۰۰", any_item(S, NotOther(500_000))),
            ("فروش ظرف مسی", any_item(S, RefuseAny)),
            ("فروش کدو حلوایی", any_item(S, RefuseAny)),
            ("فروش یکم سبزی", any_item(S, RefuseAny)),
            // Refused rather than wrong, but refused: the cake is no amount.
            ("فروش کیک تولد ۱ کیلویی ۴۵۰ هزار", rep(S, Sure(450_000), "کیک تولد ۱ کیلویی")),
        ],
    );
}

/// A price for each («هر کدوم ۱۰ هزار», «کیلویی ۴۰ هزار», «۱۰ تا … ۵ هزاری») is not stored as
/// the total of the sale: the bot asks for the total.
#[test]
fn a_price_each_is_asked_for_the_total() {
    check(
        "price each",
        &[
            ("فروش ۳ تا نان هر کدوم ۱۰ هزار", any_item(S, NotOther(30_000))),
            ("فروش ۳ تا نان هر عدد ۱۰ هزار", any_item(S, NotOther(30_000))),
            ("فروش ۲ تا شال هر کدام ۱۲۰ هزار تومان", any_item(S, NotOther(240_000))),
            ("فروش ۵ کیلو سیب کیلویی ۴۰ هزار", any_item(S, NotOther(200_000))),
            ("فروش ۲ تا روسری دونه\u{200C}ای ۱۵۰ هزار", any_item(S, NotOther(300_000))),
            ("فروش ۴ جفت جوراب جفتی ۵۰ هزار", any_item(S, NotOther(200_000))),
            ("فروش ۱۰ تا نون ۵ هزاری", any_item(S, NotOther(50_000))),
            ("فروش ۱۰ تا روسری ۲۵۰ هزاری", any_item(S, NotOther(2_500_000))),
        ],
    );
}

/// A unit word joined by a half-space («هزار‌تومان», as the Persian keyboard writes it) is part
/// of the amount in a one-line report («فروش کیف ۱۲۰۰ هزار‌تومان» was stored as 1,200 toman).
#[test]
fn a_half_spaced_unit_is_part_of_the_amount() {
    check(
        "half-spaced unit",
        &[
            ("فروش کیف ۱۲۰۰ هزار\u{200C}تومان", any_item(S, NotOther(1_200_000))),
            ("فروش فرش ۳۵۰۰ هزار\u{200C}تومان", any_item(S, NotOther(3_500_000))),
            ("فروش کیف ۲۵۰ هزار\u{200C}تومن", rep(S, NotOther(250_000), "کیف")),
        ],
    );
}

/// «ت» (shop shorthand for thousand toman) after a small number is asked in a one-line report;
/// «تومان» written out stays as written, as in the amount tests.
#[test]
fn t_after_a_small_number_in_a_report_is_asked() {
    check(
        "ت in a report",
        &[
            ("فروش روسری ۱۸۰ت", any_item(S, Ask(&[180_000]))),
            ("فروش ۲۵۰ت روسری", any_item(S, Ask(&[250_000]))),
            // «تومان» written out stays as written (decided: see the amount tests).
            ("فروش روسری ۲۵۰ تومان", any_item(S, Sure(250))),
        ],
    );
}

/// A range is asked about, not read as one end: «بین ۲۰۰ تا ۳۰۰ هزار», and «۲۰۰ تا ۳۰۰ هزار»
/// (200 pieces for 300,000 is possible, so it is asked).
#[test]
fn a_range_is_asked() {
    check(
        "range",
        &[("فروش بین ۲۰۰ تا ۳۰۰ هزار", any_item(S, NotSure)), ("فروش ۲۰۰ تا ۳۰۰ هزار", any_item(S, NotSure))],
    );
}

/// «منفی» before the amount is refused as negative (it was left in the item, the sale positive).
#[test]
fn a_negative_word_is_refused() {
    check("negative word", &[("فروش منفی ۵۰ هزار", any_item(S, NotSure))]);
}

/// A grouped amount before the item («۲۵۰,۰۰۰ روسری») is the amount, not a count of things.
#[test]
fn a_grouped_amount_before_the_item_is_the_amount() {
    check(
        "grouped amount as count",
        &[
            ("فروش ۲۵۰,۰۰۰ روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش ۱٬۲۰۰٬۰۰۰ کیف", rep(S, Sure(1_200_000), "کیف")),
            ("فروش ۱.۵۰۰.۰۰۰ مانتو", rep(S, Sure(1_500_000), "مانتو")),
            ("فروش ۲۵۰.۰۰۰ روسری", rep(S, AskExactly(&[250, 250_000]), "روسری")),
        ],
    );
}

/// A report word with a comma or colon, or digits joined to it, starts a report; a count
/// joined to «تا» after the amount goes with the item.
#[test]
fn report_words_with_punctuation_start_a_report() {
    check(
        "report word punctuation",
        &[
            ("فروش، ۲۵۰ هزار روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش:۲۵۰ هزار روسری", rep(S, Sure(250_000), "روسری")),
            ("فروش۲۵۰ هزار", rep(S, Sure(250_000), "")),
            ("فروش ۲۵۰ هزار ۲تا روسری", rep(S, Sure(250_000), "۲تا روسری")),
        ],
    );
}
