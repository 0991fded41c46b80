//! Vietnam's public holidays (Labour Code 2019, art. 112), kept as data by year.
//!
//! Fixed days: Tết Dương lịch (1/1), Ngày Giải phóng miền Nam (30/4), Quốc tế Lao động (1/5),
//! Quốc khánh (2/9 and one adjacent day, before or after, as the government sets each year).
//! Lunar days: Tết Âm lịch (five days, which the government sets each year around Mùng 1 Tết)
//! and Giỗ Tổ Hùng Vương (10/3 lunar). A holiday on a Saturday or Sunday is made up on the next
//! working day (art. 111).
//!
//! The lunar dates are those of the Vietnamese calendar (UTC+7), which can differ from the
//! Chinese one by a day: Tết 2030 is 2 February in Vietnam, 3 February in China.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The holidays of one year that are not fixed by the solar calendar alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayYear {
    /// The year.
    pub year: i32,
    /// Mùng 1 Tết, the first day of the lunar year.
    pub lunar_new_year: NaiveDate,
    /// The working days off for Tết as the government set them (its five statutory days and
    /// any day it moved), weekends left out.
    pub tet_days_off: Vec<NaiveDate>,
    /// Giỗ Tổ Hùng Vương, 10/3 lunar.
    pub hung_kings: NaiveDate,
    /// The day off adjacent to Quốc khánh (1/9 or 3/9).
    pub national_day_adjacent: NaiveDate,
}

impl HolidayYear {
    /// A year whose Tết days are the statutory default: the last day of the old lunar year and
    /// the first four days of the new one.
    pub fn statutory(
        lunar_new_year: NaiveDate,
        hung_kings: NaiveDate,
        national_day_adjacent: NaiveDate,
    ) -> HolidayYear {
        let tet_days_off = (0..5)
            .filter_map(|i| (lunar_new_year - Days::new(1)).checked_add_days(Days::new(i)))
            .collect();
        HolidayYear {
            year: lunar_new_year.year(),
            lunar_new_year,
            tet_days_off,
            hung_kings,
            national_day_adjacent,
        }
    }

    /// Every holiday of the year before weekend make-up days.
    fn days(&self) -> BTreeSet<NaiveDate> {
        fixed_days(self.year)
            .chain(self.tet_days_off.iter().copied())
            .chain([self.hung_kings, self.national_day_adjacent])
            .collect()
    }
}

/// The public holidays a working-day rule knows: built in for 2024–2030
/// ([`HolidayCalendar::vietnam`]), extendable by the caller ([`HolidayCalendar::set_year`]).
/// Years it does not know count Monday to Friday as working days, with the fixed holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, HolidayYear>,
}

impl Default for HolidayCalendar {
    fn default() -> Self {
        Self::vietnam()
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid built-in holiday date")
}

impl HolidayCalendar {
    /// No lunar or government-set holidays at all (the fixed days only).
    pub fn empty() -> HolidayCalendar {
        HolidayCalendar {
            years: BTreeMap::new(),
        }
    }

    /// Vietnam's holidays for 2024–2030. Tết 2024–2026 as the government set it; later years
    /// by the statutory default; the Quốc khánh day for 2024 and 2025 as set, later years the
    /// adjacent weekday that joins a weekend (the day after when none does).
    pub fn vietnam() -> HolidayCalendar {
        let weekdays = |from: NaiveDate, to: NaiveDate| -> Vec<NaiveDate> {
            from.iter_days()
                .take_while(|d| *d <= to)
                .filter(|d| !is_weekend(*d))
                .collect()
        };
        let set = [
            HolidayYear {
                year: 2024,
                lunar_new_year: ymd(2024, 2, 10),
                tet_days_off: weekdays(ymd(2024, 2, 8), ymd(2024, 2, 14)),
                hung_kings: ymd(2024, 4, 18),
                national_day_adjacent: ymd(2024, 9, 3),
            },
            HolidayYear {
                year: 2025,
                lunar_new_year: ymd(2025, 1, 29),
                tet_days_off: weekdays(ymd(2025, 1, 27), ymd(2025, 1, 31)),
                hung_kings: ymd(2025, 4, 7),
                national_day_adjacent: ymd(2025, 9, 1),
            },
            HolidayYear {
                year: 2026,
                lunar_new_year: ymd(2026, 2, 17),
                tet_days_off: weekdays(ymd(2026, 2, 16), ymd(2026, 2, 20)),
                hung_kings: ymd(2026, 4, 26),
                national_day_adjacent: national_day_adjacent(2026),
            },
        ];
        let statutory = [
            (ymd(2027, 2, 6), ymd(2027, 4, 16)),
            (ymd(2028, 1, 26), ymd(2028, 4, 4)),
            (ymd(2029, 2, 13), ymd(2029, 4, 23)),
            (ymd(2030, 2, 2), ymd(2030, 4, 12)),
        ]
        .map(|(tet, hung)| HolidayYear::statutory(tet, hung, national_day_adjacent(tet.year())));
        let mut calendar = HolidayCalendar::empty();
        for year in set.into_iter().chain(statutory) {
            calendar.set_year(year);
        }
        calendar
    }

    /// Adds (or replaces) a year's data.
    pub fn set_year(&mut self, year: HolidayYear) {
        self.years.insert(year.year, year);
    }

    /// The years with lunar and government-set holidays.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `date` is a public holiday or a day that makes up for one that fell on a weekend.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.days_off(date.year()).contains(&date)
    }

    /// Whether `date` is a working day: Monday to Friday, not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.is_holiday(date)
    }

    /// The holidays of `year` and the make-up days for those on a weekend.
    fn days_off(&self, year: i32) -> BTreeSet<NaiveDate> {
        let holidays = match self.years.get(&year) {
            Some(data) => data.days(),
            None => fixed_days(year).collect(),
        };
        let mut off = holidays.clone();
        for day in holidays.iter().filter(|d| is_weekend(**d)) {
            if let Some(make_up) = day
                .iter_days()
                .skip(1)
                .find(|d| !is_weekend(*d) && !off.contains(d))
            {
                off.insert(make_up);
            }
        }
        off
    }
}

/// 1/1, 30/4, 1/5 and 2/9 of `year`.
fn fixed_days(year: i32) -> impl Iterator<Item = NaiveDate> {
    [(1, 1), (4, 30), (5, 1), (9, 2)]
        .into_iter()
        .filter_map(move |(m, d)| NaiveDate::from_ymd_opt(year, m, d))
}

/// Saturday or Sunday.
fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The modelled day off next to 2/9 for a year without a government decision: the adjacent
/// weekday that joins a weekend, else the day after.
fn national_day_adjacent(year: i32) -> NaiveDate {
    let before = ymd(year, 9, 1);
    let after = ymd(year, 9, 3);
    match ymd(year, 9, 2).weekday() {
        Weekday::Tue | Weekday::Fri | Weekday::Sat => before,
        _ => after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lunar_dates_of_the_vietnamese_calendar() {
        let c = HolidayCalendar::vietnam();
        let tet: Vec<_> = c.years.values().map(|y| y.lunar_new_year).collect();
        assert_eq!(
            tet,
            [
                ymd(2024, 2, 10),
                ymd(2025, 1, 29),
                ymd(2026, 2, 17),
                ymd(2027, 2, 6),
                ymd(2028, 1, 26),
                ymd(2029, 2, 13),
                // The new moon is at 23:07 in Hanoi on 2 February (00:07 on the 3rd in Beijing).
                ymd(2030, 2, 2),
            ]
        );
        let hung: Vec<_> = c.years.values().map(|y| y.hung_kings).collect();
        assert_eq!(
            hung,
            [
                ymd(2024, 4, 18),
                ymd(2025, 4, 7),
                ymd(2026, 4, 26),
                ymd(2027, 4, 16),
                ymd(2028, 4, 4),
                ymd(2029, 4, 23),
                ymd(2030, 4, 12),
            ]
        );
    }

    #[test]
    fn holidays_and_make_up_days() {
        let c = HolidayCalendar::vietnam();
        // Tết 2025 as set: Monday 27/1 to Friday 31/1.
        assert!((27..=31).all(|d| c.is_holiday(ymd(2025, 1, d))));
        assert!(c.is_working_day(ymd(2025, 2, 3)));
        // Statutory Tết 2027 (Mùng 1 on a Saturday): 5/2 to 9/2, made up on 10/2 and 11/2.
        assert!((5..=11).all(|d| !c.is_working_day(ymd(2027, 2, d))));
        assert!(c.is_working_day(ymd(2027, 2, 12)));
        // Hùng Vương 2026 is a Sunday: Monday 27/4 is off.
        assert!(!c.is_working_day(ymd(2026, 4, 27)));
        assert!(c.is_working_day(ymd(2026, 4, 28)));
        // 30/4, 1/5, 2/9 and its adjacent day.
        assert!(!c.is_working_day(ymd(2026, 4, 30)));
        assert!(!c.is_working_day(ymd(2026, 5, 1)));
        assert!(!c.is_working_day(ymd(2024, 9, 3)));
        assert!(!c.is_working_day(ymd(2025, 9, 1)));
        // 1/1/2028 is a Saturday: made up on Monday 3/1.
        assert!(!c.is_working_day(ymd(2028, 1, 3)));
        // Outside the data: the fixed days still count.
        assert!(!c.is_working_day(ymd(2040, 5, 1)));
        assert!(c.is_working_day(ymd(2040, 5, 2)));
    }

    #[test]
    fn a_caller_adds_a_year() {
        let mut c = HolidayCalendar::vietnam();
        assert!(c.is_working_day(ymd(2031, 1, 24)));
        c.set_year(HolidayYear::statutory(
            ymd(2031, 1, 23),
            ymd(2031, 4, 1),
            ymd(2031, 9, 1),
        ));
        assert!(!c.is_working_day(ymd(2031, 1, 24)));
        assert!(!c.is_working_day(ymd(2031, 4, 1)));
        assert_eq!(c.years().last(), Some(2031));
    }
}
