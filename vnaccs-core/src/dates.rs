//! The range of dates the library accepts from outside (command-line arguments, state files,
//! scenarios, portal pages, the portal's clock): the years 1990 to 2200. Inside that range every
//! date computation of the library is well defined; outside it a value is an error, never a panic.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::ids::InputError;
use crate::{Error, Result};

/// The years a date from outside may fall in.
pub const YEARS: RangeInclusive<i32> = 1990..=2200;

/// The first day of [`YEARS`].
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(*YEARS.start(), 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// Whether `date` falls in [`YEARS`].
pub fn date_in_range(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

/// Whether instant `t` falls in [`YEARS`] (UTC).
pub fn time_in_range(t: DateTime<Utc>) -> bool {
    YEARS.contains(&t.year())
}

/// `date`, or [`InputError::DateOutOfRange`] naming it as `what` (an argument, key or header name)
/// when it falls outside [`YEARS`].
pub fn check_date(what: &str, date: NaiveDate) -> Result<NaiveDate> {
    if date_in_range(date) {
        Ok(date)
    } else {
        Err(out_of_range(what, date.to_string()))
    }
}

/// `t`, or [`InputError::DateOutOfRange`] naming it as `what` (an argument, key or header name)
/// when it falls outside [`YEARS`].
pub fn check_time(what: &str, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if time_in_range(t) {
        Ok(t)
    } else {
        Err(out_of_range(what, t.to_rfc3339()))
    }
}

fn out_of_range(what: &str, value: String) -> Error {
    Error::Input(InputError::DateOutOfRange {
        what: what.to_owned(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_1990_to_2200() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        assert!(check_date("d", d(1990)).is_ok());
        assert_eq!(EARLIEST, d(1990));
        assert!(check_date("d", EARLIEST.pred_opt().unwrap()).is_err());
        assert!(check_date("d", NaiveDate::from_ymd_opt(2200, 12, 31).unwrap()).is_ok());
        let err = check_date("next_clearance", d(1989)).unwrap_err();
        assert_eq!(err.code(), "date_out_of_range");
        assert!(err.to_string().contains("next_clearance"), "{err}");
        assert!(check_date("d", d(2201)).is_err());
        assert!(check_date("d", NaiveDate::MIN).is_err());
        assert!(check_time("t", DateTime::<Utc>::MAX_UTC).is_err());
        assert!(check_time("t", "2026-11-23T03:00:00Z".parse().unwrap()).is_ok());
    }
}
