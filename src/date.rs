//! Dates that carry their precision.
//!
//! Every date is an interval of days: `2025` is 2025-01-01..2025-12-31,
//! `2025-05` is the whole of May, `early 2025` is January to April. Days are
//! counted from the common era (chrono's `num_days_from_ce`), so a date is
//! two `i32`s and a small tag: compact enough for a million events.

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use std::fmt;

/// How finely a date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// `early`, `mid` or `late` in a year, as news reports write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Season {
    Early,
    Mid,
    Late,
}

impl Season {
    /// Every season, in the order of the year.
    pub const ALL: [Season; 3] = [Season::Early, Season::Mid, Season::Late];
    /// The words of [`Season::ALL`].
    pub const ALL_WORDS: [&'static str; 3] = [
        Season::ALL[0].word(),
        Season::ALL[1].word(),
        Season::ALL[2].word(),
    ];

    pub fn parse(s: &str) -> Option<Season> {
        Season::ALL.into_iter().find(|season| season.word() == s)
    }
    /// The months a season covers: January–April, May–August, September–December.
    fn months(self) -> (u32, u32) {
        match self {
            Season::Early => (1, 4),
            Season::Mid => (5, 8),
            Season::Late => (9, 12),
        }
    }
    /// The word as written before a year.
    pub const fn word(self) -> &'static str {
        match self {
            Season::Early => "early",
            Season::Mid => "mid",
            Season::Late => "late",
        }
    }
}

/// The days of the week as a date may be followed by them (`2025-01-19
/// Sun`), Monday first: the short form, then the full one. The grammar's
/// `weekday` rule spells the same words (a test checks it).
pub const WEEKDAYS: [(&str, &str); 7] = [
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
];

/// The parts of the day an event's date may be followed by (`evening`);
/// the grammar's `part_of_day` rule spells the same words.
pub const PARTS_OF_DAY: [&str; 6] = [
    "morning",
    "afternoon",
    "evening",
    "night",
    "noon",
    "midnight",
];

/// Every word of [`WEEKDAYS`], short forms first.
pub const WEEKDAY_WORDS: [&str; 14] = {
    let mut out = [""; 14];
    let mut i = 0;
    while i < 7 {
        out[i] = WEEKDAYS[i].0;
        out[i + 7] = WEEKDAYS[i].1;
        i += 1;
    }
    out
};

/// The index in [`WEEKDAYS`] of a weekday as written, short or full.
pub fn weekday_index(word: &str) -> Option<usize> {
    WEEKDAYS
        .iter()
        .position(|(short, full)| *short == word || *full == word)
}

/// The index in [`WEEKDAYS`] of the day with this day number.
pub fn weekday_of(day: i32) -> usize {
    // Day 1 (0001-01-01) was a Monday.
    (day - 1).rem_euclid(7) as usize
}

/// A length of time to shift a date by: `15d`, `2w`, `3m`, `1y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duration {
    Days(i32),
    Months(i32),
}

impl Duration {
    /// The units a length of time is written in: days, weeks, months,
    /// years. The grammar's `duration_unit` rule spells the same.
    pub const UNITS: [&'static str; 4] = ["d", "w", "m", "y"];

    /// Reads `15d`, `2w`, `3m` (months) or `1y`; `None` for other text or
    /// a length too large to be a date.
    pub fn parse(text: &str) -> Option<Duration> {
        let unit = text.chars().last()?;
        let n: i32 = text[..text.len() - 1].parse().ok()?;
        if n > 100_000 {
            return None;
        }
        Some(match unit {
            'd' => Duration::Days(n),
            'w' => Duration::Days(n * 7),
            'm' => Duration::Months(n),
            'y' => Duration::Months(n * 12),
            _ => return None,
        })
    }

    pub fn negated(self) -> Duration {
        match self {
            Duration::Days(n) => Duration::Days(-n),
            Duration::Months(n) => Duration::Months(-n),
        }
    }
}

/// How a [`When`] was written, so it can be shown the way the user wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Point(Precision),
    Range(Precision, Precision),
    /// `2013-03-14..`: from a date on, with no end.
    From(Precision),
    /// `until 2022-09`: up to a date, with no known start.
    Until(Precision),
    Season(Season),
}

/// A date or range of dates as an inclusive interval of day numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct When {
    pub lo: i32,
    pub hi: i32,
    pub shape: Shape,
}

pub const OPEN_END: i32 = i32::MAX;
pub const OPEN_START: i32 = i32::MIN;

/// Why a date's text was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form YYYY, YYYY-MM or YYYY-MM-DD.
    Malformed(String),
    /// Well formed, but no such day or month exists.
    Impossible(String),
    /// The end of a range comes before its start.
    Reversed,
}

pub fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

pub fn from_day_number(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The day number of a valid calendar date, as chrono's `num_days_from_ce`
/// (0001-01-01 is day 1), by arithmetic alone: every date in a file passes
/// here, and building a chrono date for each cost more than the rest of
/// lowering an event. The algorithm counts from a 400-year era starting in
/// March, so leap days fall at the end of a year.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let year_of_era = y - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719_468 days separate 0000-03-01 from 1970-01-01, which is CE day 719_163.
    (era * 146_097 + day_of_era - 719_468 + 719_163) as i32
}

/// A calendar date of some precision: year, and month and day if given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partial {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Partial {
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// First and last day the partial date covers.
    pub fn interval(&self) -> Result<(i32, i32), DateError> {
        let (first_month, last_month) = match self.month {
            Some(m) if !(1..=12).contains(&m) => {
                return Err(DateError::Impossible(self.to_string()))
            }
            Some(m) => (m, m),
            None => (1, 12),
        };
        let first_day = self.day.unwrap_or(1);
        let last_day = self
            .day
            .unwrap_or_else(|| days_in_month(self.year, last_month));
        if first_day == 0 || last_day > days_in_month(self.year, last_month) {
            return Err(DateError::Impossible(self.to_string()));
        }
        Ok((
            days_from_civil(self.year, first_month, first_day),
            days_from_civil(self.year, last_month, last_day),
        ))
    }

    fn check(&self) -> Result<(), DateError> {
        if let Some(m) = self.month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Impossible(format!(
                    "{self}: there is no month {m}"
                )));
            }
            if let Some(d) = self.day {
                let max = days_in_month(self.year, m);
                if d == 0 || d > max {
                    return Err(DateError::Impossible(format!(
                        "{self}: {} {} has {max} days",
                        month_name(m),
                        self.year
                    )));
                }
            }
        }
        Ok(())
    }
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(m as usize - 1).copied().unwrap_or("?")
}

impl fmt::Display for Partial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Splits `2025-05-07` into its digit groups, checking only that each is
/// digits. At most three groups; no allocation, as every date passes here.
fn groups(text: &str) -> Result<([&str; 3], usize), DateError> {
    if text.contains('/') {
        return Err(DateError::Malformed(format!(
            "`{text}` is not a date; dates are written with `-`, largest part first: `{}`",
            slashed_as_iso(text)
        )));
    }
    let mut out = [""; 3];
    let mut n = 0;
    for part in text.split('-') {
        if n == 3 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Malformed(format!(
                "`{text}` is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
            )));
        }
        out[n] = part;
        n += 1;
    }
    Ok((out, n))
}

/// `2024/05/16` as `2024-05-16`; `16/05/2024` as `2024-05-16` too, since a
/// four-digit group can only be the year.
fn slashed_as_iso(text: &str) -> String {
    let mut parts: Vec<&str> = text.split('/').collect();
    if parts.last().is_some_and(|p| p.len() == 4) && parts.first().is_some_and(|p| p.len() != 4) {
        parts.reverse();
    }
    parts
        .iter()
        .map(|p| {
            if p.len() == 1 {
                format!("0{p}")
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

/// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD` by position, the form nearly
/// every date has; anything else goes to the general reader, whose errors
/// say what is wrong.
fn parse_fixed(text: &str) -> Option<Partial> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = digits(0..4)? as i32;
    let (month, day) = match b.len() {
        4 => (None, None),
        7 if b[4] == b'-' => (Some(digits(5..7)?), None),
        10 if b[4] == b'-' && b[7] == b'-' => (Some(digits(5..7)?), Some(digits(8..10)?)),
        _ => return None,
    };
    Some(Partial { year, month, day })
}

/// Parses a complete date: `2025`, `2025-05` or `2025-05-07`.
pub fn parse_partial(text: &str) -> Result<Partial, DateError> {
    if let Some(p) = parse_fixed(text) {
        p.check()?;
        return Ok(p);
    }
    let (parts, n) = groups(text)?;
    let parts = &parts[..n];
    let widths_ok = parts[0].len() == 4 && parts[1..].iter().all(|p| p.len() == 2);
    if !widths_ok {
        return Err(DateError::Malformed(format!(
            "`{text}` is not a date; write YYYY, YYYY-MM or YYYY-MM-DD with two-digit months and days"
        )));
    }
    let p = Partial {
        year: num(parts[0]) as i32,
        month: parts.get(1).map(|s| num(s)),
        day: parts.get(2).map(|s| num(s)),
    };
    p.check()?;
    Ok(p)
}

/// Parses the end of a range, which may leave out what it shares with the
/// start: `2025-05-07..10`, `2025-05-28..06-02`, `2025-05..07`.
pub fn parse_range_end(start: Partial, text: &str) -> Result<Partial, DateError> {
    let (parts, n) = groups(text)?;
    let parts = &parts[..n];
    if parts[0].len() == 4 {
        return parse_partial(text);
    }
    let bad = || {
        DateError::Malformed(format!(
            "cannot read `{text}` as the end of a range starting {start}; \
             write the end in full, e.g. `{start}..{}`",
            Partial {
                year: start.year + 1,
                ..start
            }
        ))
    };
    if parts.iter().any(|p| p.len() != 2) {
        return Err(bad());
    }
    let end = match (start.precision(), parts.len()) {
        (Precision::Day, 1) => Partial {
            day: Some(num(parts[0])),
            ..start
        },
        (Precision::Day, 2) => Partial {
            year: start.year,
            month: Some(num(parts[0])),
            day: Some(num(parts[1])),
        },
        (Precision::Month, 1) => Partial {
            year: start.year,
            month: Some(num(parts[0])),
            day: None,
        },
        _ => return Err(bad()),
    };
    end.check()?;
    Ok(end)
}

impl When {
    /// The whole of year `year`, as `2024` is written.
    pub fn year(year: i32) -> When {
        When {
            lo: days_from_civil(year, 1, 1),
            hi: days_from_civil(year, 12, 31),
            shape: Shape::Point(Precision::Year),
        }
    }

    pub fn point(p: Partial) -> Result<When, DateError> {
        let (lo, hi) = p.interval()?;
        Ok(When {
            lo,
            hi,
            shape: Shape::Point(p.precision()),
        })
    }

    pub fn range(start: Partial, end: Option<Partial>) -> Result<When, DateError> {
        let (lo, _) = start.interval()?;
        match end {
            None => Ok(When {
                lo,
                hi: OPEN_END,
                shape: Shape::From(start.precision()),
            }),
            Some(end) => {
                let (end_lo, hi) = end.interval()?;
                if end_lo < lo {
                    return Err(DateError::Reversed);
                }
                Ok(When {
                    lo,
                    hi,
                    shape: Shape::Range(start.precision(), end.precision()),
                })
            }
        }
    }

    pub fn season(season: Season, year: Partial) -> Result<When, DateError> {
        if year.precision() != Precision::Year {
            return Err(DateError::Malformed(format!(
                "`{} {year}`: early, mid and late take a year, e.g. `{} {}`",
                season.word(),
                season.word(),
                year.year
            )));
        }
        let (m1, m2) = season.months();
        let lo = NaiveDate::from_ymd_opt(year.year, m1, 1)
            .ok_or_else(|| DateError::Impossible(year.to_string()))?;
        let hi = NaiveDate::from_ymd_opt(year.year, m2, days_in_month(year.year, m2))
            .ok_or_else(|| DateError::Impossible(year.to_string()))?;
        Ok(When {
            lo: day_number(lo),
            hi: day_number(hi),
            shape: Shape::Season(season),
        })
    }

    /// From this date on, with no end (`since 2013-03-14`).
    pub fn since(self) -> When {
        let p = self.start_precision();
        When {
            lo: self.lo,
            hi: OPEN_END,
            shape: Shape::From(p),
        }
    }

    /// Up to the end of this date, with no known start (`until 2022-09`).
    pub fn until(self) -> When {
        let p = self.end_precision();
        When {
            lo: OPEN_START,
            hi: self.hi,
            shape: Shape::Until(p),
        }
    }

    pub fn start_precision(&self) -> Precision {
        match self.shape {
            Shape::Point(p) | Shape::From(p) | Shape::Until(p) => p,
            Shape::Range(p, _) => p,
            Shape::Season(_) => Precision::Month,
        }
    }

    pub fn end_precision(&self) -> Precision {
        match self.shape {
            Shape::Point(p) | Shape::From(p) | Shape::Until(p) => p,
            Shape::Range(_, p) => p,
            Shape::Season(_) => Precision::Month,
        }
    }

    /// True when every day of `other` lies within `self`.
    pub fn contains(&self, other: &When) -> bool {
        self.lo <= other.lo && other.hi <= self.hi
    }

    /// True when some day lies in both.
    pub fn overlaps(&self, other: &When) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// A key that sorts by start, then end: the model's timeline order.
    pub fn sort_key(&self) -> (i32, i32) {
        (self.lo, self.hi)
    }

    /// The written start of a date, as a date of its own: for an event
    /// written `2013-03-22..`, whose end is unknown, that is 2013-03-22.
    pub fn start(&self) -> When {
        let p = self.start_precision();
        let (lo, hi) = period(self.lo, p);
        When {
            lo,
            hi,
            shape: Shape::Point(p),
        }
    }

    /// How many days an event on these dates lasted, at least and at most
    /// (`None`: no most, the end is open). Precision is uncertainty, not
    /// duration: `2012-06` is one to thirty days within June, while
    /// `2025-05-07..10` is exactly four.
    pub fn duration(&self) -> (u32, Option<u32>) {
        if self.lo == OPEN_START || self.hi == OPEN_END {
            return (1, None);
        }
        let most = (self.hi - self.lo + 1).max(1) as u32;
        let least = match self.shape {
            Shape::Range(p1, p2) => {
                let first_end = period(self.lo, p1).1;
                let last_start = period(self.hi, p2).0;
                (last_start - first_end + 1).max(1) as u32
            }
            Shape::Point(Precision::Day) => most,
            _ => 1,
        };
        (least.min(most), Some(most))
    }

    /// The same dates moved by `by`: `2025-01-19 + 15d` is 2025-02-03. A
    /// month or year keeps the day of the month where it exists (the last
    /// day of a shorter month otherwise). An open end stays open; `None`
    /// when the result leaves the calendar.
    pub fn shifted(&self, by: Duration) -> Option<When> {
        let move_day = |n: i32| -> Option<i32> {
            if n == OPEN_START || n == OPEN_END {
                return Some(n);
            }
            match by {
                Duration::Days(d) => n.checked_add(d),
                Duration::Months(m) => {
                    let date = from_day_number(n)?;
                    let months = date.year() * 12 + date.month0() as i32 + m;
                    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) as u32 + 1);
                    let day = date.day().min(days_in_month(year, month));
                    NaiveDate::from_ymd_opt(year, month, day).map(day_number)
                }
            }
        };
        let lo = move_day(self.lo)?;
        let hi = move_day(self.hi)?;
        (from_day_number(lo).is_some() || lo == OPEN_START).then_some(When {
            lo,
            hi,
            shape: self.shape,
        })
    }

    /// A tenure's dates as written in a role: `since 2013-03-14`,
    /// `until 2022-09`, or a range.
    pub fn tenure(&self) -> String {
        match self.shape {
            Shape::From(_) => format!("since {}", self.to_string().trim_end_matches("..")),
            Shape::Until(_) => format!("until {}", self.to_string().trim_start_matches("..")),
            _ => self.to_string(),
        }
    }
}

/// The year, month or day (by precision) that day `n` falls in, as its
/// first and last day numbers; an open end is its own period.
pub fn period(n: i32, p: Precision) -> (i32, i32) {
    let Some(d) = from_day_number(n) else {
        return (n, n);
    };
    match p {
        Precision::Day => (n, n),
        Precision::Month => (
            days_from_civil(d.year(), d.month(), 1),
            days_from_civil(d.year(), d.month(), days_in_month(d.year(), d.month())),
        ),
        Precision::Year => (
            days_from_civil(d.year(), 1, 1),
            days_from_civil(d.year(), 12, 31),
        ),
    }
}

fn show_day(f: &mut fmt::Formatter<'_>, n: i32, p: Precision) -> fmt::Result {
    match from_day_number(n) {
        Some(d) => match p {
            Precision::Year => write!(f, "{:04}", d.year()),
            Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        },
        None => write!(f, "?"),
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.shape {
            Shape::Point(p) => show_day(f, self.lo, p),
            Shape::From(p) => {
                show_day(f, self.lo, p)?;
                f.write_str("..")
            }
            Shape::Until(p) => {
                f.write_str("..")?;
                show_day(f, self.hi, p)
            }
            Shape::Season(s) => {
                write!(f, "{} ", s.word())?;
                show_day(f, self.lo, Precision::Year)
            }
            Shape::Range(p1, p2) => {
                show_day(f, self.lo, p1)?;
                f.write_str("..")?;
                let (Some(a), Some(b)) = (from_day_number(self.lo), from_day_number(self.hi))
                else {
                    return f.write_str("?");
                };
                // Leave out what the end shares with the start, as written.
                match (p1, p2) {
                    (Precision::Day, Precision::Day) if a.year() == b.year() => {
                        if a.month() == b.month() {
                            write!(f, "{:02}", b.day())
                        } else {
                            write!(f, "{:02}-{:02}", b.month(), b.day())
                        }
                    }
                    (Precision::Month, Precision::Month) if a.year() == b.year() => {
                        write!(f, "{:02}", b.month())
                    }
                    _ => show_day(f, self.hi, p2),
                }
            }
        }
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(start: &str, end: Option<&str>) -> Result<When, DateError> {
        let s = parse_partial(start)?;
        match end {
            Some(e) => When::range(s, Some(parse_range_end(s, e)?)),
            None => When::point(s),
        }
    }

    #[test]
    fn ranges_round_trip_in_their_short_form() {
        for (s, e, shown) in [
            ("2025-05-07", Some("10"), "2025-05-07..10"),
            ("2025-05-28", Some("06-02"), "2025-05-28..06-02"),
            ("2013-04", Some("2022-09"), "2013-04..2022-09"),
            ("2013", Some("2025"), "2013..2025"),
            ("2025-05", None, "2025-05"),
        ] {
            assert_eq!(when(s, e).unwrap().to_string(), shown);
        }
    }

    #[test]
    fn impossible_and_reversed_dates_are_rejected() {
        assert!(matches!(
            when("2025-02-30", None),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            when("2025-13", None),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            when("2025-05-10", Some("07")),
            Err(DateError::Reversed)
        ));
        assert!(matches!(
            when("2025-5-7", None),
            Err(DateError::Malformed(_))
        ));
        assert!(matches!(
            when("2025", Some("06")),
            Err(DateError::Malformed(_))
        ));
    }

    #[test]
    fn the_fixed_form_reader_agrees_with_the_general_one() {
        for text in ["2025", "2025-05", "2025-05-07", "0001-01-01", "2024-02-29"] {
            let fixed = parse_fixed(text).unwrap();
            let (parts, n) = groups(text).unwrap();
            assert_eq!(fixed.year, num(parts[0]) as i32, "{text}");
            assert_eq!(fixed.month, (n > 1).then(|| num(parts[1])), "{text}");
            assert_eq!(fixed.day, (n > 2).then(|| num(parts[2])), "{text}");
        }
        for text in [
            "2025-5-7",
            "25-05-07",
            "2025/05/07",
            "2025-05-07x",
            "２０２５",
        ] {
            assert!(parse_fixed(text).is_none(), "{text}");
        }
    }

    #[test]
    fn day_numbers_agree_with_chrono() {
        let mut date = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2401, 3, 1).unwrap();
        while date < end {
            assert_eq!(
                days_from_civil(date.year(), date.month(), date.day()),
                day_number(date),
                "{date}"
            );
            date = date.succ_opt().unwrap();
        }
        let zero = NaiveDate::from_ymd_opt(0, 2, 29).unwrap();
        assert_eq!(days_from_civil(0, 2, 29), day_number(zero));
    }

    #[test]
    fn precision_is_not_duration() {
        assert_eq!(when("2012-06", None).unwrap().duration(), (1, Some(30)));
        assert_eq!(
            when("2025-05-07", Some("10")).unwrap().duration(),
            (4, Some(4))
        );
        assert_eq!(when("2025-05-07", None).unwrap().duration(), (1, Some(1)));
        assert_eq!(
            when("2013-04", Some("2013-05")).unwrap().duration(),
            (2, Some(61))
        );
        let open = When::range(parse_partial("2013-03-22").unwrap(), None).unwrap();
        assert_eq!(open.duration(), (1, None));
        assert_eq!(open.start(), when("2013-03-22", None).unwrap());
        let open_month = When::range(parse_partial("2013-03").unwrap(), None).unwrap();
        assert_eq!(open_month.start(), when("2013-03", None).unwrap());
    }

    #[test]
    fn coarse_dates_are_intervals() {
        let june = when("2019-06", None).unwrap();
        let day = when("2019-06-05", None).unwrap();
        assert!(june.contains(&day));
        let season = When::season(Season::Mid, parse_partial("2025").unwrap()).unwrap();
        assert!(season.contains(&when("2025-05-07", Some("10")).unwrap()));
    }
}
