//! `vnaccs check`: the update's plan, offline — which certificate, what changed, the steps and
//! the warnings — without a request to the portal.

use chrono::Utc;

use vnaccs_core::workflow::Operation;

use crate::portal_args::Target;
use crate::progress::print_plan;

/// Arguments of `check`.
#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    target: Target,
}

/// Prints the plan (or its JSON).
pub(crate) fn run(args: &Args, json: bool) -> vnaccs_core::Result<String> {
    let request = args.target.request(Operation::Plan)?;
    let plan = args.target.update(&request)?.plan(Utc::now())?;
    if json {
        crate::print_json(&serde_json::json!({ "ok": true, "plan": plan }));
    } else {
        print_plan(&plan);
    }
    Ok(String::new())
}
