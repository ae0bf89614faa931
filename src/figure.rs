//! Numbers that carry their stated precision.
//!
//! `244.8bn` is not 244 800 000 000 but any amount that rounds to it:
//! 244.75bn..244.85bn. `+1.9%` is 1.85%..1.95%. Checks compare such
//! intervals, so a figure is flagged only when no rounding explains it.

use serde::{Serialize, Serializer};
use std::fmt;

/// A closed interval of reals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }
}

/// The multiplier written after an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Scale {
    One,
    Thousand,
    Million,
    Billion,
    Trillion,
}

impl Scale {
    /// Every scale, smallest first. The grammar's `scale` rule lists the
    /// same suffixes (a test in `syntax::keyword` checks it).
    pub const ALL: [Scale; 5] = [
        Scale::One,
        Scale::Thousand,
        Scale::Million,
        Scale::Billion,
        Scale::Trillion,
    ];

    /// The scale a suffix names (`""` is [`Scale::One`]); `None` for any
    /// other text.
    pub fn from_suffix(s: &str) -> Option<Scale> {
        Scale::ALL.into_iter().find(|scale| scale.suffix() == s)
    }

    pub fn factor(self) -> f64 {
        match self {
            Scale::One => 1.0,
            Scale::Thousand => 1e3,
            Scale::Million => 1e6,
            Scale::Billion => 1e9,
            Scale::Trillion => 1e12,
        }
    }
    pub const fn suffix(self) -> &'static str {
        match self {
            Scale::One => "",
            Scale::Thousand => "k",
            Scale::Million => "m",
            Scale::Billion => "bn",
            Scale::Trillion => "tn",
        }
    }
}

/// What a figure says of the amount: that it is the amount (to its
/// stated precision), about it, more than it, or less than it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    #[default]
    Exact,
    /// `~10`: within [`ABOUT`] of the amount either way.
    About,
    /// `>400m`: more than the amount.
    Over,
    /// `<5k`: less than the amount (and not below zero).
    Under,
}

/// How far "about" reaches: `~10` is 9 to 11.
pub const ABOUT: f64 = 0.10;

impl Bound {
    /// The sign written before the number.
    pub fn sign(self) -> &'static str {
        match self {
            Bound::Exact => "",
            Bound::About => "~",
            Bound::Over => ">",
            Bound::Under => "<",
        }
    }

    pub fn from_sign(sign: &str) -> Option<Bound> {
        [Bound::About, Bound::Over, Bound::Under]
            .into_iter()
            .find(|b| b.sign() == sign)
    }
}

/// Amounts with more digits than this are refused: the digits are kept
/// exactly, in a `u128`, which holds any 38 of them.
pub const MAX_DIGITS: usize = 38;

/// A decimal number as written: its value, its digits exactly as written,
/// how many decimals it showed, its scale, and whether it is a bound or an
/// approximation.
///
/// Checks compare `f64` intervals, which are precise enough for any
/// rounding a figure states; what is shown is always the digits as written
/// (`99999999999999999999bn` is not `100000000000000000000bn`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub mantissa: f64,
    pub decimals: u8,
    pub scale: Scale,
    pub bound: Bound,
    /// Every digit written, the point left out: `244.80` is 24480.
    digits: u128,
    /// How many digits were written before the point (`007` is three).
    whole_digits: u8,
}

impl Figure {
    /// Parses the digits of `244.8` (the scale is given separately): one
    /// or more ASCII digits, then a point and one or more digits if it has
    /// decimals, at most [`MAX_DIGITS`] digits in all. Anything else (a
    /// sign, an exponent such as `1e309`, a comma) is not a figure.
    pub fn parse(text: &str, scale: Scale) -> Option<Figure> {
        let (whole, decimals) = match text.split_once('.') {
            Some((w, d)) => (w, Some(d)),
            None => (text, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !decimals.is_none_or(all_digits) {
            return None;
        }
        let decimals = decimals.unwrap_or("");
        if whole.len() + decimals.len() > MAX_DIGITS {
            return None;
        }
        let digits = whole
            .bytes()
            .chain(decimals.bytes())
            .fold(0u128, |n, b| n * 10 + u128::from(b - b'0'));
        let mantissa: f64 = text.parse().ok()?;
        Some(Figure {
            mantissa,
            decimals: decimals.len() as u8,
            scale,
            bound: Bound::Exact,
            digits,
            whole_digits: whole.len() as u8,
        })
    }

    /// The number as written, without bound, sign or scale: `244.80`.
    fn written(&self) -> String {
        let width = usize::from(self.whole_digits) + usize::from(self.decimals);
        let all = format!("{:0width$}", self.digits);
        let (whole, decimals) = all.split_at(usize::from(self.whole_digits));
        if decimals.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{decimals}")
        }
    }

    pub fn value(&self) -> f64 {
        self.mantissa * self.scale.factor()
    }

    /// Every value the figure as written allows: those that round to it,
    /// widened by its bound (`~`, `>`, `<`).
    pub fn interval(&self) -> Interval {
        let half = 0.5 * 10f64.powi(-(self.decimals as i32));
        let f = self.scale.factor();
        let (lo, hi) = ((self.mantissa - half) * f, (self.mantissa + half) * f);
        match self.bound {
            Bound::Exact => Interval { lo, hi },
            Bound::About => {
                let reach = self.value().abs() * ABOUT;
                Interval {
                    lo: lo.min(self.value() - reach),
                    hi: hi.max(self.value() + reach),
                }
            }
            Bound::Over => Interval {
                lo,
                hi: f64::INFINITY,
            },
            Bound::Under => Interval {
                lo: 0f64.min(lo),
                hi,
            },
        }
    }

    /// True when the figure is one amount to its precision, not a bound.
    pub fn is_exact(&self) -> bool {
        self.bound == Bound::Exact
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}",
            self.bound.sign(),
            self.written(),
            self.scale.suffix()
        )
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A signed percentage as written: `+1.9%`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Percent(pub Figure);

impl Percent {
    pub fn parse(text: &str) -> Option<Percent> {
        let body = text.trim_end_matches('%');
        let (sign, digits) = match body.strip_prefix('-') {
            Some(rest) => (-1.0, rest),
            None => (1.0, body.trim_start_matches('+')),
        };
        let mut fig = Figure::parse(digits, Scale::One)?;
        fig.mantissa *= sign;
        Some(Percent(fig))
    }
    pub fn interval(&self) -> Interval {
        self.0.interval()
    }
}

impl Percent {
    /// True when the percentage is a fall of more than everything: below
    /// -100%, which no amount that stays zero or more can show.
    pub fn is_below_minus_100(&self) -> bool {
        self.0.mantissa < -100.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The sign as written: `-0%` stays `-0%`, not `+-0%`. The digits
        // are the figure's, which keeps them without a sign.
        let sign = if self.0.mantissa.is_sign_negative() {
            "-"
        } else {
            "+"
        };
        write!(f, "{sign}{}%", self.0)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The range of year-on-year change, in percent, that two figures allow
/// once each is widened to every value that rounds to it.
pub fn change_between(previous: &Figure, current: &Figure) -> Option<Interval> {
    let p = previous.interval();
    let c = current.interval();
    if p.lo <= 0.0 {
        return None;
    }
    Some(Interval {
        lo: (c.lo / p.hi - 1.0) * 100.0,
        hi: (c.hi / p.lo - 1.0) * 100.0,
    })
}

/// The change computed from the figures' central values, in percent.
pub fn central_change(previous: &Figure, current: &Figure) -> Option<f64> {
    let p = previous.value();
    (p > 0.0).then(|| (current.value() / p - 1.0) * 100.0)
}

/// Shows a percentage interval to three decimals, so a range just past a
/// stated bound does not look as if it touched it: `+1.953%..+1.962%`.
pub fn show_pct_interval(i: Interval) -> String {
    format!("{:+.3}%..{:+.3}%", i.lo, i.hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_china_russia_trade_is_off_by_rounding() {
        let y2023 = Figure::parse("240.11", Scale::Billion).unwrap();
        let y2024 = Figure::parse("244.81", Scale::Billion).unwrap();
        let stated = Percent::parse("+1.9%").unwrap().interval();
        let computed = change_between(&y2023, &y2024).unwrap();
        assert!(!computed.overlaps(&stated), "{computed:?} vs {stated:?}");
        // The article's rounder figure is consistent with the same growth.
        let rounded = Figure::parse("244.8", Scale::Billion).unwrap();
        assert!(change_between(&y2023, &rounded).unwrap().overlaps(&stated));
    }

    #[test]
    fn figures_show_as_written() {
        assert_eq!(
            Figure::parse("244.80", Scale::Billion).unwrap().to_string(),
            "244.80bn"
        );
        assert_eq!(Percent::parse("-3%").unwrap().to_string(), "-3%");
        assert_eq!(Percent::parse("1.9%").unwrap().to_string(), "+1.9%");
        assert_eq!(Percent::parse("-0%").unwrap().to_string(), "-0%");
        assert_eq!(Percent::parse("-0.0%").unwrap().to_string(), "-0.0%");
        assert_eq!(Percent::parse("+0%").unwrap().to_string(), "+0%");
    }

    /// Digits are shown as written, however many: `f64` used to show
    /// `99999999999999999999bn` as `100000000000000000000bn` and
    /// `0.1000000000000000055511151231257827` with other digits.
    #[test]
    fn huge_and_tiny_figures_keep_their_digits() {
        for written in [
            "99999999999999999999",
            "0.1000000000000000055511151231257827",
            "0.00000000000000000000000000000000001",
            "12345678901234567890123456789012345678",
            "007",
            "0",
            "0.0",
            "244.80",
        ] {
            let f = Figure::parse(written, Scale::Billion).unwrap();
            assert_eq!(f.to_string(), format!("{written}bn"));
        }
        assert_eq!(
            Percent::parse("-1000.50%").unwrap().to_string(),
            "-1000.50%"
        );
        // Intervals stay as they were: 99999999999999999999 rounds to 1e20.
        let big = Figure::parse("99999999999999999999", Scale::One).unwrap();
        assert_eq!(big.value(), 1e20);
    }

    /// Only digits, with at most one point between digits, are a figure:
    /// `1e309` was read as the amount 1 and a currency `e309`, and an
    /// exponent inside the number was read as one.
    #[test]
    fn what_is_not_a_figure() {
        for text in [
            "1e309", "1e3", "1E3", "inf", "NaN", "-1", "+1", "1.", ".5", "1.2.3", "1,5", "",
            "1_000", " 1",
        ] {
            assert!(Figure::parse(text, Scale::One).is_none(), "{text:?}");
        }
        let too_many = "9".repeat(MAX_DIGITS + 1);
        assert!(Figure::parse(&too_many, Scale::One).is_none());
        assert!(Figure::parse(&too_many[1..], Scale::One).is_some());
    }

    #[test]
    fn a_fall_below_minus_100_is_impossible() {
        assert!(Percent::parse("-1000%").unwrap().is_below_minus_100());
        assert!(Percent::parse("-100.1%").unwrap().is_below_minus_100());
        assert!(!Percent::parse("-100%").unwrap().is_below_minus_100());
        assert!(!Percent::parse("+1000%").unwrap().is_below_minus_100());
    }
}
