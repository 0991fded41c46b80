//! Target `json_document`: the JSON documents the library reads — the request document
//! (`workflow::Request`), the sandbox scenario, and the update's state file.

use vnaccs_core::sandbox::Scenario;
use vnaccs_core::workflow::{Request, UpdateState};

use crate::invariants::checked;

/// Reads `data` as each document: one that reads writes back to JSON that reads to the same
/// document; one that does not is a typed error.
pub fn json_document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(request) = checked(Request::from_json(text)) {
        let json = serde_json::to_string(&request).expect("a request serialises");
        assert_eq!(
            Request::from_json(&json).ok(),
            Some(request.clone()),
            "{json}"
        );
        let portal = &request.portal;
        if portal.profile.is_none() && portal.trust.is_empty() {
            let _ = checked(portal.config());
        }
    }
    if let Some(scenario) = checked(Scenario::from_json(text)) {
        let _ = checked(scenario.check_dates());
        let json = scenario.to_json();
        let again = Scenario::from_json(&json).expect("a scenario's JSON re-reads");
        assert_eq!(again, scenario, "{json}");
        assert_eq!(again.to_json(), json);
    }
    if let Some(state) = checked(UpdateState::from_json(text)) {
        let json = state.to_json();
        let again = UpdateState::from_json(&json).expect("a state's JSON re-reads");
        assert_eq!(again, state, "{json}");
    }
}
