//! JSON Schemas of the documents the library reads and writes (generated with schemars), and the
//! schema of a type that serialises as a plain string.

/// Implements [`schemars::JsonSchema`] as `{"type": "string"}` for a type serialised as text.
macro_rules! string_schema {
    ($ty:ident) => {
        impl ::schemars::JsonSchema for $ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string" })
            }
        }
    };
}
pub(crate) use string_schema;

use crate::Error;
use crate::portal::CheckReport;
use crate::workflow::{Document, Event, Output, Request};

/// Every document's schema, by file name under `docs/schema/`: the request, each output (in a
/// [`Document`] with its `schema_version`), the job's events, the error and the report of a
/// profile check.
pub fn all() -> Vec<(&'static str, String)> {
    fn pretty<T: schemars::JsonSchema>() -> String {
        let schema = schemars::schema_for!(T);
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
    vec![
        ("request.json", pretty::<Request>()),
        ("output.json", pretty::<Document<Output>>()),
        ("event.json", pretty::<Document<Event>>()),
        ("error.json", pretty::<Document<Error>>()),
        ("profile_check.json", pretty::<Document<CheckReport>>()),
    ]
}
