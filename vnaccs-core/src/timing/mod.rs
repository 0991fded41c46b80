//! The timing rules of docs/domain.md §5, as pure functions over given instants.
//!
//! Customs works in Asia/Ho_Chi_Minh time: UTC+7 all year, without daylight saving. A working day
//! is Monday to Friday except Vietnam's public holidays ([`HolidayCalendar`]).

mod clock;
mod holidays;

use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeDelta, Utc};

pub use clock::{Clock, SystemClock};
pub use holidays::{HolidayCalendar, HolidayYear};

/// The offset of Asia/Ho_Chi_Minh: UTC+7, no daylight saving.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

// Outside the years of `crate::dates::YEARS` the results saturate at the ends of chrono's range;
// none of these functions panics.

/// The calendar date in Vietnam at instant `t`.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.naive_utc()
        .checked_add_offset(vietnam_offset())
        .map_or(NaiveDate::MAX, |local| local.date())
}

/// 00:00 Vietnam time on `date`, as an instant.
pub fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN)
        .checked_sub_offset(vietnam_offset())
        .map_or(DateTime::<Utc>::MIN_UTC, |utc| utc.and_utc())
}

/// When a certificate registration sent at `sent` becomes usable: 00:00 Vietnam time of the
/// following day ("sau 0h00 ngày tiếp theo").
pub fn registration_usable_from(sent: DateTime<Utc>) -> DateTime<Utc> {
    local_date(sent)
        .checked_add_days(Days::new(1))
        .map_or(DateTime::<Utc>::MAX_UTC, local_midnight)
}

/// When a User ID password changed at `changed` becomes usable: 24 hours later.
pub fn password_usable_from(changed: DateTime<Utc>) -> DateTime<Utc> {
    changed
        .checked_add_signed(TimeDelta::hours(24))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The last date on which the certificate update can be made for a clearance on `clearance`: the
/// last working day of `holidays` strictly before it.
pub fn latest_update_date(clearance: NaiveDate, holidays: &HolidayCalendar) -> NaiveDate {
    clearance
        .iter_days()
        .rev()
        .skip(1)
        .find(|d| holidays.is_working_day(*d))
        .unwrap_or(NaiveDate::MIN)
}

/// Whether an update made at `update` leaves at least one working day before a clearance on
/// `clearance` (Vietnam dates), i.e. it is made no later than [`latest_update_date`].
pub fn leaves_working_day(
    update: DateTime<Utc>,
    clearance: NaiveDate,
    holidays: &HolidayCalendar,
) -> bool {
    local_date(update) <= latest_update_date(clearance, holidays)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An instant given in Vietnam local time.
    fn vn(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
            .and_local_timezone(vietnam_offset())
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn registration_around_midnight() {
        // Friday 2026-11-20.
        assert_eq!(
            registration_usable_from(vn(2026, 11, 20, 23, 59, 59)),
            vn(2026, 11, 21, 0, 0, 0)
        );
        assert_eq!(
            registration_usable_from(vn(2026, 11, 21, 0, 0, 0)),
            vn(2026, 11, 22, 0, 0, 0)
        );
        assert_eq!(
            registration_usable_from(vn(2026, 11, 20, 0, 0, 0)),
            vn(2026, 11, 21, 0, 0, 0)
        );
        // 17:00 UTC is exactly local midnight: that is already the next local day.
        let utc_five_pm = DateTime::parse_from_rfc3339("2026-11-20T17:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            registration_usable_from(utc_five_pm),
            vn(2026, 11, 22, 0, 0, 0)
        );
        assert_eq!(
            vn(2026, 11, 22, 0, 0, 0).to_rfc3339(),
            "2026-11-21T17:00:00+00:00"
        );
    }

    #[test]
    fn registration_at_year_end() {
        assert_eq!(
            registration_usable_from(vn(2026, 12, 31, 23, 59, 59)),
            vn(2027, 1, 1, 0, 0, 0)
        );
        assert_eq!(
            registration_usable_from(vn(2028, 2, 28, 12, 0, 0)),
            vn(2028, 2, 29, 0, 0, 0)
        );
    }

    #[test]
    fn password_after_24_hours() {
        let t = vn(2026, 12, 31, 23, 59, 59);
        assert_eq!(password_usable_from(t), vn(2027, 1, 1, 23, 59, 59));
        assert_eq!(
            password_usable_from(vn(2026, 11, 21, 0, 0, 0)),
            vn(2026, 11, 22, 0, 0, 0)
        );
    }

    fn latest(clearance: NaiveDate) -> NaiveDate {
        latest_update_date(clearance, &HolidayCalendar::vietnam())
    }

    fn leaves(update: DateTime<Utc>, clearance: NaiveDate) -> bool {
        leaves_working_day(update, clearance, &HolidayCalendar::vietnam())
    }

    #[test]
    fn working_days() {
        let c = HolidayCalendar::vietnam();
        assert!(c.is_working_day(date(2026, 11, 20))); // Friday
        assert!(!c.is_working_day(date(2026, 11, 21))); // Saturday
        assert!(!c.is_working_day(date(2026, 11, 22))); // Sunday
        assert_eq!(latest(date(2026, 11, 23)), date(2026, 11, 20)); // Monday -> Friday
        assert_eq!(latest(date(2026, 11, 21)), date(2026, 11, 20)); // Saturday -> Friday
        assert_eq!(latest(date(2026, 11, 20)), date(2026, 11, 19)); // Friday -> Thursday
        assert_eq!(latest(date(2027, 1, 1)), date(2026, 12, 31)); // Friday -> last year
        // 1/1/2027 is a holiday: the Monday after needs the update by 31/12.
        assert_eq!(latest(date(2027, 1, 4)), date(2026, 12, 31));
        // Tết 2026 (16/2 to 20/2 off): a clearance on Monday 23/2 needs the update by 13/2.
        assert_eq!(latest(date(2026, 2, 23)), date(2026, 2, 13));
        // Giỗ Tổ Hùng Vương 2028 (Tuesday 4/4): a clearance on Wednesday 5/4 needs Monday 3/4.
        assert_eq!(latest(date(2028, 4, 5)), date(2028, 4, 3));
        // 30/4 and 1/5/2026 (Thursday, Friday): a clearance on Monday 4/5 needs Wednesday 29/4.
        assert_eq!(latest(date(2026, 5, 4)), date(2026, 4, 29));
        // A caller without the lunar data: Tết 2026 counts as working days.
        assert_eq!(
            latest_update_date(date(2026, 2, 23), &HolidayCalendar::empty()),
            date(2026, 2, 20)
        );
    }

    #[test]
    fn clearance_needs_a_working_day() {
        let monday = date(2026, 11, 23);
        assert!(leaves(vn(2026, 11, 20, 23, 59, 59), monday)); // Friday night
        assert!(!leaves(vn(2026, 11, 21, 0, 0, 0), monday)); // Saturday 00:00
        assert!(!leaves(vn(2026, 11, 21, 10, 0, 0), monday)); // Saturday
        assert!(!leaves(vn(2026, 11, 23, 8, 0, 0), monday)); // same day
        assert!(leaves(vn(2026, 11, 19, 9, 0, 0), date(2026, 11, 20))); // Thu for Fri
        assert!(!leaves(vn(2026, 11, 20, 9, 0, 0), date(2026, 11, 20)));
        assert!(leaves(vn(2026, 12, 31, 23, 59, 59), date(2027, 1, 1)));
        assert!(!leaves(vn(2027, 1, 1, 0, 0, 0), date(2027, 1, 1)));
    }
}
