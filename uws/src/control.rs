//! The job control parameters a creation request may carry besides the job's own (UWS 1.1
//! §2.1.11): PHASE=RUN, EXECUTIONDURATION and DESTRUCTION.

use dali::{ParamValue, Parameters};

use crate::error::UwsError;
use crate::time::{self, Millis};

/// The control parameters of a creation request, as asked (the limits are applied later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Control {
    /// PHASE=RUN: queue the job at once.
    pub run: bool,
    /// EXECUTIONDURATION in seconds.
    pub execution_duration: Option<u64>,
    /// DESTRUCTION, an instant after `now`.
    pub destruction: Option<Millis>,
}

impl Control {
    /// Takes the control parameters out of `parameters`, leaving the job's own; when one is
    /// repeated, its last value counts.
    pub fn take(parameters: &mut Parameters, now: Millis) -> Result<Self, UwsError> {
        let run = match last_text(parameters.remove("PHASE")) {
            None => false,
            Some(p) if p.trim().eq_ignore_ascii_case("RUN") => true,
            Some(p) => {
                return Err(UwsError::BadRequest(format!(
                    "PHASE={p} cannot come with a new job; only PHASE=RUN can"
                )));
            }
        };
        let execution_duration = last_text(parameters.remove("EXECUTIONDURATION"))
            .map(|v| parse_duration(&v))
            .transpose()?;
        let destruction = last_text(parameters.remove("DESTRUCTION"))
            .map(|v| parse_destruction(&v, now))
            .transpose()?;
        Ok(Control {
            run,
            execution_duration,
            destruction,
        })
    }
}

fn last_text(values: Vec<ParamValue>) -> Option<String> {
    values.into_iter().rev().find_map(|v| match v {
        ParamValue::Text(t) => Some(t),
        ParamValue::Upload(_) => None,
    })
}

/// An EXECUTIONDURATION value: whole seconds, 0 or more.
pub(crate) fn parse_duration(text: &str) -> Result<u64, UwsError> {
    text.trim().parse::<u64>().map_err(|_| {
        UwsError::BadRequest(format!(
            "EXECUTIONDURATION must be a whole number of seconds (0 for unlimited), not '{text}'"
        ))
    })
}

/// A DESTRUCTION value: an ISO 8601 instant in the future.
fn parse_destruction(text: &str, now: Millis) -> Result<Millis, UwsError> {
    let t = time::parse(text).map_err(|e| UwsError::BadRequest(format!("DESTRUCTION: {e}")))?;
    if t <= now {
        return Err(UwsError::BadRequest(format!(
            "DESTRUCTION={text} is in the past"
        )));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_parameters_are_taken_out_and_the_rest_kept() {
        let mut params = Parameters::new();
        params.push_text("phase", "run");
        params.push_text("QUERY", "SELECT 1");
        params.push_text("EXECUTIONDURATION", "10");
        params.push_text("executionduration", "20");
        let control = Control::take(&mut params, 0).unwrap();
        assert!(control.run);
        assert_eq!(control.execution_duration, Some(20));
        assert_eq!(control.destruction, None);
        assert_eq!(params.iter().count(), 1);
        assert_eq!(params.get("query"), Some("SELECT 1"));
    }

    #[test]
    fn a_phase_other_than_run_or_a_past_destruction_is_refused() {
        let mut params = Parameters::new();
        params.push_text("PHASE", "ABORT");
        assert!(Control::take(&mut params, 0).is_err());
        let mut params = Parameters::new();
        params.push_text("DESTRUCTION", "2001-01-01T00:00:00Z");
        assert!(Control::take(&mut params, time::now()).is_err());
        let mut params = Parameters::new();
        params.push_text("EXECUTIONDURATION", "-1");
        assert!(Control::take(&mut params, 0).is_err());
    }
}
