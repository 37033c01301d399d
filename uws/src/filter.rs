//! The job list filters of UWS 1.1 §2.2.2.1: PHASE (repeatable: the union of the phases),
//! AFTER (created strictly after an instant) and LAST (the n most recent), combined with a
//! logical AND. Without PHASE, ARCHIVED jobs are left out.

use crate::phase::Phase;
use crate::time::{self, Millis};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFilter {
    /// Empty: every phase but ARCHIVED.
    pub phases: Vec<Phase>,
    pub after: Option<Millis>,
    pub last: Option<u32>,
}

impl JobFilter {
    /// Reads the filters from query parameters (names in any case); other parameters are
    /// ignored, as DALI asks of unknown parameters.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<JobFilter, String> {
        let mut filter = JobFilter::default();
        for (name, value) in pairs {
            if name.eq_ignore_ascii_case("PHASE") {
                let phase = value.parse::<Phase>()?;
                if !filter.phases.contains(&phase) {
                    filter.phases.push(phase);
                }
            } else if name.eq_ignore_ascii_case("AFTER") {
                let after = time::parse(value).map_err(|e| format!("AFTER: {e}"))?;
                filter.after = Some(filter.after.map_or(after, |a| a.max(after)));
            } else if name.eq_ignore_ascii_case("LAST") {
                let last = value
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| {
                        format!("LAST must be an integer greater than 0, not '{value}'")
                    })?;
                filter.last = Some(filter.last.map_or(last, |l| l.min(last)));
            }
        }
        Ok(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_repeated_phases_after_and_last() {
        let f = JobFilter::from_query([
            ("PHASE", "EXECUTING"),
            ("phase", "queued"),
            ("PHASE", "EXECUTING"),
            ("after", "2014-09-10T10:01:02.000Z"),
            ("LAST", "3"),
            ("other", "ignored"),
        ])
        .unwrap();
        assert_eq!(f.phases, vec![Phase::Executing, Phase::Queued]);
        assert_eq!(f.after, Some(1_410_343_262_000));
        assert_eq!(f.last, Some(3));
    }

    #[test]
    fn refuses_bad_values_with_a_message_naming_them() {
        assert!(
            JobFilter::from_query([("PHASE", "RUNNING")])
                .unwrap_err()
                .contains("RUNNING")
        );
        assert!(
            JobFilter::from_query([("LAST", "0")])
                .unwrap_err()
                .contains("LAST")
        );
        assert!(JobFilter::from_query([("LAST", "-2")]).is_err());
        assert!(
            JobFilter::from_query([("AFTER", "soon")])
                .unwrap_err()
                .contains("AFTER")
        );
    }
}
