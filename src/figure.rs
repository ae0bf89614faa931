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

/// A decimal number as written: its value, how many decimals it showed,
/// its scale, and whether it is a bound or an approximation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub mantissa: f64,
    pub decimals: u8,
    pub scale: Scale,
    pub bound: Bound,
}

impl Figure {
    /// Parses the digits of `244.8` (the scale is given separately).
    pub fn parse(digits: &str, scale: Scale) -> Option<Figure> {
        let mantissa: f64 = digits.parse().ok()?;
        if !mantissa.is_finite() {
            return None;
        }
        let decimals = digits
            .split_once('.')
            .map(|(_, d)| d.len().min(30) as u8)
            .unwrap_or(0);
        Some(Figure {
            mantissa,
            decimals,
            scale,
            bound: Bound::Exact,
        })
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
            "{}{:.*}{}",
            self.bound.sign(),
            self.decimals as usize,
            self.mantissa,
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

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The sign as written: `-0%` stays `-0%`, not `+-0%`.
        let sign = if self.0.mantissa.is_sign_negative() {
            "-"
        } else {
            "+"
        };
        let magnitude = Figure {
            mantissa: self.0.mantissa.abs(),
            ..self.0
        };
        write!(f, "{sign}{magnitude}%")
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
}
