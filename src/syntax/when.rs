//! Reading a date as written ([`WhenAst`]) into a [`When`] on the calendar.
//!
//! Lowering and queries both read dates; this is the one place that turns
//! the written forms into day intervals and says what is wrong with a bad
//! one, pointing at the part of the text at fault.

use super::ast::{WhenAst, WhenForm};
use crate::date::{self, DateError, Season, When};
use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, Span};

impl WhenAst {
    /// The date this text names, or a diagnostic in `file` saying what is
    /// wrong with it.
    pub fn read(&self, file: FileId) -> Result<When, Diagnostic> {
        let err = |e: DateError, span: Span| date_diagnostic(file, e, span);
        let w = self;
        let start_span = |len: usize| Span::new(w.span.start, w.span.start + len);
        match &w.form {
            WhenForm::Single(text) => {
                let p = date::parse_partial(text).map_err(|e| err(e, w.span))?;
                When::point(p).map_err(|e| err(e, w.span))
            }
            WhenForm::Range(start, end) => {
                let s = date::parse_partial(start).map_err(|e| err(e, start_span(start.len())))?;
                let e = match end {
                    Some((text, span)) => {
                        Some(date::parse_range_end(s, text).map_err(|e| err(e, *span))?)
                    }
                    None => None,
                };
                When::range(s, e).map_err(|e| err(e, w.span))
            }
            WhenForm::Season(season, year) => {
                let season =
                    Season::parse(season).expect("the grammar allows only early, mid, late");
                let y_span = Span::new(w.span.end - year.len(), w.span.end);
                let p = date::parse_partial(year).map_err(|e| err(e, y_span))?;
                When::season(season, p).map_err(|e| err(e, w.span))
            }
        }
    }

    /// A date or range written as one token (`2013-03-22`, `2025-05-07..10`,
    /// `2014..`), spanning `span`: how a comparison's right side reads when
    /// its left side is a date.
    pub fn from_token(text: &str, span: Span) -> WhenAst {
        let form = match text.split_once("..") {
            Some((start, end)) => WhenForm::Range(
                start.into(),
                (!end.is_empty()).then(|| {
                    (
                        end.into(),
                        Span::new(span.start + start.len() + 2, span.end),
                    )
                }),
            ),
            None => WhenForm::Single(text.into()),
        };
        WhenAst { form, span }
    }
}

fn date_diagnostic(file: FileId, e: DateError, span: Span) -> Diagnostic {
    match e {
        DateError::Malformed(m) => Diagnostic::new(Code::MalformedDate, m)
            .at(file, span, "not a date this way")
            .help(
                "dates are YYYY, YYYY-MM or YYYY-MM-DD; ranges are START..END, e.g. 2025-05-07..10",
            ),
        DateError::Impossible(m) => {
            Diagnostic::new(Code::ImpossibleDate, format!("no such date: {m}"))
                .at(file, span, "not on the calendar")
                .help("check the month and the day")
        }
        DateError::Reversed => {
            Diagnostic::new(Code::ReversedRange, "this range ends before it starts")
                .at(file, span, "end is before start")
                .help("write the earlier date first")
        }
    }
}
